"""What a regency's state allows beside its fsm transitions' own guards (`source=`,
`conditions=`): the rules of the actions that are not, or not only, a transition. Each rule
is written once and returns the refusal (a Message) or None; the services raise it as a
Conflict, compliance.availability offers the action when it is None. Both pass the facts
they have (the pending request, the access order waiting), so that a list of regencies
asks no query per row."""

from collections.abc import Callable

from .i18n import Message
from .models import AccessOrder, ComplianceState, Regency, SuspensionRequest

S = ComplianceState
Rule = Callable[[Regency, SuspensionRequest | None, AccessOrder | None], Message | None]


def order_waits(regency: Regency, order: AccessOrder | None, doing: str) -> Message | None:
    """While an access order waits to be carried out, the case does not move on: no new
    request, no reconnection, no rejected remediation. `doing`: "request", "reconnect" or
    "reject" (the refusal's code)."""
    if order is None:
        return None
    return Message(f"order_waits_{doing}", kind=order.kind, regency=regency.name)


def flag(
    regency: Regency, pending: SuspensionRequest | None, order: AccessOrder | None
) -> Message | None:
    """A violation is flagged on a compliant, reconnected, flagged or suspended regency
    (the last two add it to the open case), never while a remediation is under review."""
    return Message("remediation_under_review") if regency.state == S.REMEDIATED else None


def request_suspension(
    regency: Regency, pending: SuspensionRequest | None, order: AccessOrder | None
) -> Message | None:
    """A suspension is requested for a flagged regency, one request at a time."""
    if regency.state != S.FLAGGED:
        return Message("suspension_needs_flagged", state=regency.state)
    if pending is not None:
        return Message("request_pending")
    return order_waits(regency, order, "request")


def approve_suspension(
    regency: Regency, pending: SuspensionRequest | None, order: AccessOrder | None
) -> Message | None:
    """A request is approved only while the regency is still flagged (not remediated
    meanwhile)."""
    if regency.state != S.FLAGGED:
        return Message("approval_needs_flagged", state=regency.state)
    return None


def reject_remediation(
    regency: Regency, pending: SuspensionRequest | None, order: AccessOrder | None
) -> Message | None:
    return order_waits(regency, order, "reject")


def reconnect(
    regency: Regency, pending: SuspensionRequest | None, order: AccessOrder | None
) -> Message | None:
    return order_waits(regency, order, "reconnect")


RULES: dict[str, Rule] = {
    "flag": flag,
    "request_suspension": request_suspension,
    "approve_suspension": approve_suspension,
    "reject_remediation": reject_remediation,
    "reconnect": reconnect,
}


def refusal(
    action: str,
    regency: Regency,
    *,
    pending: SuspensionRequest | None = None,
    order: AccessOrder | None = None,
) -> Message | None:
    """The state's refusal of `action` on the regency, or None (an action without a rule
    here has only its transition's guards, or none)."""
    rule = RULES.get(action)
    return rule(regency, pending, order) if rule else None
