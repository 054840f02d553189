"""Suspension is two steps: an officer requests, a director other than the requester decides."""

import pytest
from django.db import IntegrityError, transaction

from compliance import services
from compliance.availability import available_transitions
from compliance.errors import Conflict, NotAllowed
from compliance.models import (
    ComplianceState,
    RequestStatus,
    SuspensionPeriod,
    SuspensionRequest,
    TransitionLog,
)
from compliance.offices import active_offices
from compliance.permissions import authorize_decision, decider_office
from tests.compliance import scenario
from tests.compliance.scenario import MERANGIN, Cast, flag, log_of, request_suspension, state_of
from tests.factories import carry_out, official

S = ComplianceState
pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    c = Cast.of(MERANGIN)
    flag(c)
    return c


def test_an_officer_requests_and_another_director_approves(cast):
    request = request_suspension(cast)
    assert request.status == RequestStatus.PENDING
    assert state_of(cast.regency) == S.FLAGGED  # a request alone cuts nothing

    order = services.approve_suspension(request=request, actor=cast.director)

    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    assert request.decided_by == cast.director
    assert request.decided_at == order.issued_at
    assert state_of(cast.regency) == S.FLAGGED  # until the network operators carry it out
    period = carry_out(order).period
    assert (period.regency, period.request, period.ended_at) == (cast.regency, request, None)
    assert period.case == request.case
    assert state_of(cast.regency) == S.SUSPENDED


def test_a_director_rejects_and_nothing_is_cut(cast):
    request = request_suspension(cast)
    before = log_of(cast.regency)

    services.reject_suspension(request=request, actor=cast.director, reason="Beri waktu")

    request.refresh_from_db()
    assert (request.status, request.decision_reason) == (RequestStatus.REJECTED, "Beri waktu")
    assert state_of(cast.regency) == S.FLAGGED
    assert not SuspensionPeriod.objects.filter(regency=cast.regency).exists()
    assert log_of(cast.regency) == before  # no transition, no log row


@pytest.mark.parametrize("kind", ["minister", "director_general"])
@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_nobody_decides_a_request_they_made_themselves(cast, kind, decision):
    top = official(kind)  # holds the powers of an officer and of a director
    request = services.request_suspension(regency=cast.regency, actor=top, reason="Dua teguran")

    with pytest.raises(NotAllowed):
        if decision == "approve":
            services.approve_suspension(request=request, actor=top)
        else:
            services.reject_suspension(request=request, actor=top, reason="Batal")

    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING
    assert state_of(cast.regency) == S.FLAGGED
    assert not SuspensionPeriod.objects.exists()


@pytest.mark.parametrize("decision", ["approve_suspension", "reject_suspension"])
def test_who_may_decide_is_one_rule_the_service_and_the_offer_share(cast, decision):
    top = official("minister")
    own = services.request_suspension(regency=cast.regency, actor=top, reason="Dua teguran")
    cast.regency.refresh_from_db()  # flagged

    def offered(user):
        return decision in available_transitions(
            user,
            cast.regency,
            offices=active_offices(user),
            has_open_suspension=False,
            pending_request=own,
        )

    assert decider_office(top, decision, own) is None
    assert not offered(top)
    with pytest.raises(NotAllowed, match="You cannot decide a request you made yourself"):
        authorize_decision(top, decision, own)
    # Another director, the officer who cannot decide at all, and the director again.
    assert decider_office(cast.director, decision, own) is not None and offered(cast.director)
    assert decider_office(cast.officer, decision, own) is None and not offered(cast.officer)


def test_an_officer_cannot_approve(cast):
    request = request_suspension(cast)

    with pytest.raises(NotAllowed):
        services.approve_suspension(request=request, actor=official("ministry_officer"))

    assert state_of(cast.regency) == S.FLAGGED


def test_a_director_cannot_request(cast):
    with pytest.raises(NotAllowed):
        services.request_suspension(regency=cast.regency, actor=cast.director, reason="Teguran")

    assert not SuspensionRequest.objects.exists()


def test_only_one_pending_request_per_regency(cast):
    request_suspension(cast)

    with pytest.raises(Conflict):
        services.request_suspension(
            regency=cast.regency, actor=official("ministry_officer"), reason="Lagi"
        )

    assert SuspensionRequest.objects.filter(regency=cast.regency).count() == 1


def test_the_database_also_refuses_a_second_pending_request(cast):
    first = request_suspension(cast)

    with pytest.raises(IntegrityError), transaction.atomic():
        SuspensionRequest.objects.create(
            regency=cast.regency,
            case=first.case,
            reason="Lagi",
            requested_by=cast.officer,
            requested_office=first.requested_office,
        )


def test_a_new_request_may_follow_a_rejected_one(cast):
    first = request_suspension(cast)
    services.reject_suspension(request=first, actor=cast.director, reason="Beri waktu")

    second = request_suspension(cast)

    assert second.status == RequestStatus.PENDING


@pytest.mark.parametrize("first", ["approve", "reject"])
def test_deciding_an_already_decided_request_is_a_conflict(cast, first):
    request = request_suspension(cast)
    if first == "approve":
        services.approve_suspension(request=request, actor=cast.director)
    else:
        services.reject_suspension(request=request, actor=cast.director, reason="Tidak")
    state, logs = state_of(cast.regency), TransitionLog.objects.count()

    with pytest.raises(Conflict):
        services.approve_suspension(request=request, actor=cast.other_director)
    with pytest.raises(Conflict):
        services.reject_suspension(request=request, actor=cast.other_director, reason="Tidak")

    assert state_of(cast.regency) == state
    assert TransitionLog.objects.count() == logs
    assert not SuspensionPeriod.objects.exists()  # the approved cut waits for the operators


def test_suspension_can_only_be_requested_for_a_flagged_regency():
    compliant = Cast.of("15.09")

    with pytest.raises(Conflict):
        request_suspension(compliant)

    assert not SuspensionRequest.objects.filter(regency=compliant.regency).exists()


@pytest.fixture
def stale_request(cast):
    """A request still pending when the regency remediated and its case was cleared;
    the regency has since been flagged again, in a new case."""
    stale = request_suspension(cast)
    scenario.remediate(cast)
    services.clear_regency(regency=cast.regency, actor=cast.officer)
    flag(cast)
    return stale


def test_a_request_left_pending_by_a_closed_case_cannot_cut_the_regency(cast, stale_request):
    with pytest.raises(Conflict):
        services.approve_suspension(request=stale_request, actor=cast.director)

    assert state_of(cast.regency) == S.FLAGGED
    assert not SuspensionPeriod.objects.filter(regency=cast.regency).exists()


def test_a_request_left_pending_by_a_closed_case_does_not_block_the_next_case(cast, stale_request):
    request = request_suspension(cast)

    assert request.case.closed_at is None
    assert request.case != stale_request.case
