"""Who may act on an assignment (workflow.authority.POLICIES), written out as the rules
read, and what the inbox offers: the policies combined with the transitions' guards."""

import datetime as dt
import zoneinfo

import pytest

from compliance.errors import NotAllowed, NotFound
from compliance.models import Office, OfficeKind
from compliance.permissions import Refusal
from tests.factories import official
from workflow import services
from workflow.authority import POLICIES, available_actions, decide

pytestmark = pytest.mark.django_db
K = OfficeKind
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
ISSUED = dt.datetime(2026, 11, 2, 10, 0, tzinfo=WIB)
RECIPIENT = ["acknowledge", "start", "submit", "request_extension"]
MANAGER = ["verify", "return", "approve_extension", "reject_extension"]


@pytest.fixture
def merangin(officer):
    directive = services.create_directive(
        actor=officer,
        title="Percepatan perekaman KTP-el",
        body="Selesaikan perekaman.",
        legal_basis="PP 12/2017 Pasal 38",
        due_date=dt.date(2026, 11, 20),
        scope={"province": "15"},
    )
    directive, _ = services.issue_directive(directive=directive, actor=officer, at=ISSUED)
    return directive.assignments.get(regency__code="15.02")


def test_the_table_names_the_recipients_and_the_managers_actions():
    assert set(POLICIES) == set(RECIPIENT) | set(MANAGER)


@pytest.mark.parametrize("action", RECIPIENT)
def test_the_recipient_acts_himself_or_through_his_dukcapil_head(action, merangin):
    for kind in (K.REGENT, K.REGENCY_DUKCAPIL_HEAD):
        decided = decide(official(kind, "15.02"), action, merangin)
        assert isinstance(decided, Office) and decided.kind == kind


@pytest.mark.parametrize("action", RECIPIENT)
def test_others_are_refused_the_recipients_actions(action, merangin, officer):
    # Inside the jurisdiction, not the addressed office: 403.
    for user in (officer, official(K.GOVERNOR, "15")):
        decided = decide(user, action, merangin)
        assert isinstance(decided, Refusal) and decided.error is NotAllowed
        assert decided.reason.code == "recipient_only"
    # Another regency's regent does not see it: 404, as for an unknown assignment.
    decided = decide(official(K.REGENT, "15.09"), action, merangin)
    assert isinstance(decided, Refusal) and decided.error is NotFound
    assert decided.reason.code == "assignment_not_found"


@pytest.mark.parametrize("action", MANAGER)
def test_the_ministry_manages_and_others_are_refused(action, merangin, officer):
    assert isinstance(decide(officer, action, merangin), Office)
    assert isinstance(decide(official(K.MINISTRY_DIRECTOR), action, merangin), Office)
    # A governor who did not issue the directive: the ministry's or its issuer's only.
    decided = decide(official(K.GOVERNOR, "15"), action, merangin)
    assert isinstance(decided, Refusal) and decided.error is NotAllowed
    assert decided.reason.code == "manager_only"
    # The recipient does not manage the directive.
    decided = decide(official(K.REGENT, "15.02"), action, merangin)
    assert isinstance(decided, Refusal) and decided.error is NotAllowed
    assert decided.reason.code == "ministry_only_directives"
    decided = decide(official(K.REGENT, "15.09"), action, merangin)
    assert isinstance(decided, Refusal) and decided.error is NotFound


def test_what_each_role_may_do_follows_the_assignments_state(merangin, officer):
    regent = official(K.REGENT, "15.02")

    assert available_actions(regent, merangin) == ["acknowledge", "request_extension"]
    assert available_actions(officer, merangin) == []

    merangin = services.acknowledge_assignment(assignment=merangin, actor=regent, at=ISSUED)
    assert available_actions(regent, merangin) == ["start", "submit", "request_extension"]

    merangin = services.submit_assignment(
        assignment=merangin, actor=regent, note="Selesai", at=ISSUED
    )
    assert available_actions(regent, merangin) == []
    assert available_actions(officer, merangin) == ["verify", "return"]


def test_the_inbox_offers_the_recipient_what_the_policies_allow(client, merangin):
    regent = official(K.REGENT, "15.02")
    client.force_login(regent)

    can = client.get(f"/inbox/assignments/{merangin.pk}/").context["can"]

    offered = available_actions(regent, merangin)
    assert offered == ["acknowledge", "request_extension"]
    assert can == {"acknowledge": True, "start": False, "submit": False, "extend": True}
