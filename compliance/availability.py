"""What may this user do to this regency now: the policy of each action (the table in
compliance.permissions, which the services ask too) combined with the lifecycle (the fsm
transitions' own guards, through can_proceed) and the services' extra rules.

It answers from data the caller has already loaded (the user's offices, the open
suspension, the pending request, the access order waiting), so that a list of regencies costs no query per row.
The fsm conditions that would query the database (`_has_open_suspension`, `_clearable`
in compliance/models/regions.py) are therefore evaluated here from `has_open_suspension`;
tests/compliance/test_api_regencies.py checks that both answers agree in every state.
"""

from collections.abc import Sequence

from django.contrib.auth.models import AnonymousUser, User
from django_fsm import can_proceed

from .models import AccessOrder, ComplianceState, Office, Regency, SuspensionRequest
from .permissions import DECISIONS, office_for, possible_actions
from .state_rules import refusal

S = ComplianceState


def _allowed_by_state(
    action: str,
    regency: Regency,
    *,
    has_open_suspension: bool,
    pending_request: SuspensionRequest | None,
    issued_order: AccessOrder | None,
) -> bool:
    state = regency.state
    if action == "execute_access_order":
        return issued_order is not None
    refused = refusal(action, regency, pending=pending_request, order=issued_order)
    if action in ("flag", "request_suspension"):
        return refused is None
    if action in DECISIONS:  # (the policy refused the user's own request)
        approvable = refusal("approve_suspension", regency) is None
        return pending_request is not None and (action == "reject_suspension" or approvable)
    if action == "upload_evidence":
        return True
    if action == "submit_remediation":
        return can_proceed(regency.submit_remediation)
    if action == "reject_remediation":
        return can_proceed(regency.reject_remediation) and refused is None
    if action == "reconnect":
        reconnectable = can_proceed(regency.reconnect, check_conditions=False)
        return reconnectable and has_open_suspension and refused is None
    if action == "clear":
        clearable = state == S.RECONNECTED or not has_open_suspension
        return can_proceed(regency.clear, check_conditions=False) and clearable
    raise ValueError(f"unknown action {action!r}")


def available_transitions(
    user: User | AnonymousUser,
    regency: Regency,
    *,
    offices: Sequence[Office],
    has_open_suspension: bool,
    pending_request: SuspensionRequest | None,
    issued_order: AccessOrder | None = None,
    actions: Sequence[str] | None = None,
) -> list[str]:
    """The actions (compliance.permissions.ACTIONS names) `user`, holding `offices`, may
    take on `regency` now. `pending_request`: the pending SuspensionRequest or None;
    `issued_order`: the AccessOrder waiting to be carried out, or None; `actions`: the
    ones those offices may take at all (possible_actions(offices), which a list works
    out once for all its rows)."""
    return [
        action
        for action in (possible_actions(offices) if actions is None else actions)
        if office_for(
            user,
            action,
            regency,
            offices=offices,
            request=pending_request if action in DECISIONS else None,
        )
        is not None
        and _allowed_by_state(
            action,
            regency,
            has_open_suspension=has_open_suspension,
            pending_request=pending_request,
            issued_order=issued_order,
        )
    ]
