"""The state's rules for the actions that are not (only) a transition, written once
(compliance.state_rules): each answers with its refusal's code, or None."""

import pytest

from compliance.models import AccessOrder, AccessOrderKind, ComplianceState, Regency
from compliance.state_rules import refusal

S = ComplianceState
CUT = AccessOrder(kind=AccessOrderKind.CUT)


def code(action, state, *, pending=None, order=None):
    found = refusal(action, Regency(name="Merangin", state=state), pending=pending, order=order)
    return found and found.code


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (S.COMPLIANT, None),
        (S.FLAGGED, None),  # a second violation joins the open case
        (S.SUSPENDED, None),
        (S.RECONNECTED, None),
        (S.REMEDIATED, "remediation_under_review"),
    ],
)
def test_a_violation_is_flagged_except_while_a_remediation_is_under_review(state, expected):
    assert code("flag", state) == expected


def test_a_suspension_is_requested_for_a_flagged_regency_one_request_at_a_time():
    assert code("request_suspension", S.FLAGGED) is None
    assert code("request_suspension", S.COMPLIANT) == "suspension_needs_flagged"
    assert code("request_suspension", S.FLAGGED, pending=object()) == "request_pending"
    assert code("request_suspension", S.FLAGGED, order=CUT) == "order_waits_request"


def test_an_order_waiting_holds_the_case_where_it_is():
    assert code("reconnect", S.REMEDIATED, order=CUT) == "order_waits_reconnect"
    assert code("reject_remediation", S.REMEDIATED, order=CUT) == "order_waits_reject"
    assert code("reconnect", S.REMEDIATED) is None


def test_a_request_is_approved_only_while_the_regency_is_still_flagged():
    assert code("approve_suspension", S.FLAGGED) is None
    assert code("approve_suspension", S.REMEDIATED) == "approval_needs_flagged"


def test_an_action_without_a_state_rule_has_only_its_transitions_guards():
    assert code("upload_evidence", S.REMEDIATED) is None
