"""Signing the written warnings the sweep proposed, as their signatories would."""

import time_machine

from compliance.models import OfficeKind
from compliance.offices import active_offices, appoint_official
from tests.factories import IN_OFFICE_SINCE
from workflow import proposals
from workflow.models import ProposalState, SanctionProposal


def signatory_user(office):
    """A user holding the signatory office (made when nobody does)."""
    holding = office.holdings.select_related("user").order_by("acting", "id").first()
    if holding is not None and office in active_offices(holding.user):
        return holding.user
    region = None if office.kind == OfficeKind.MINISTER else office.province.code
    user, _, _ = appoint_official(
        username=f"penanda-tangan-{office.pk}",
        kind=office.kind,
        region_code=region,
        email=f"penanda-tangan-{office.pk}@test.example.go.id",
        office_email=office.email or None,  # the seat keeps the address its mail goes to
        starts_on=IN_OFFICE_SINCE,
    )
    return user


def sign_all(at):
    """Every proposal still waiting, signed at `at`; returns the letters."""
    signed = []
    with time_machine.travel(at, tick=False):
        for p in SanctionProposal.objects.filter(state=ProposalState.PROPOSED).order_by("id"):
            user = signatory_user(p.signatory_office)
            signed.append(proposals.sign(proposal_id=p.pk, actor=user))
    return signed


def sign_each_when_due():
    """Every proposal still waiting, signed at the instant its step fell due (as if its
    signatory signed at once): the ladder then keeps the instants it had without them."""
    signed = []
    for p in SanctionProposal.objects.filter(state=ProposalState.PROPOSED).select_related(
        "step_event"
    ):
        signed += _sign_at(p, p.step_event.planned_at)
    return signed


def _sign_at(proposal, at):
    with time_machine.travel(at, tick=False):
        user = signatory_user(proposal.signatory_office)
        return [proposals.sign(proposal_id=proposal.pk, actor=user)]
