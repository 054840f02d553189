"""An assignment's lifecycle through its services: who may act, from which state, and the
event row every change writes."""

import datetime as dt
import zoneinfo

import pytest

from compliance.errors import Conflict, InvalidInput, NotAllowed, NotFound
from tests.factories import official
from workflow import services
from workflow.models import Assignment, AssignmentEvent

pytestmark = pytest.mark.django_db

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
ISSUED = dt.datetime(2026, 11, 2, 10, 0, tzinfo=WIB)


def at(day, hour=9):
    return dt.datetime(2026, 11, day, hour, 0, tzinfo=WIB)


@pytest.fixture
def directive(officer):
    directive = services.create_directive(
        actor=officer,
        title="Percepatan perekaman KTP-el",
        body="Selesaikan perekaman.",
        legal_basis="PP 12/2017 Pasal 38",
        due_date=dt.date(2026, 11, 20),
        scope={"province": "15"},
    )
    directive, _ = services.issue_directive(directive=directive, actor=officer, at=ISSUED)
    return directive


@pytest.fixture
def merangin(directive):
    return directive.assignments.get(regency__code="15.02")


@pytest.fixture
def regent():
    return official("regent", "15.02")


def state(assignment):
    return Assignment.objects.values_list("state", flat=True).get(pk=assignment.pk)


def events(assignment):
    return list(
        AssignmentEvent.objects.filter(assignment=assignment)
        .order_by("at", "id")
        .values_list("transition", "from_state", "to_state")
    )


def test_acknowledge_start_submit_verify(merangin, regent, officer):
    services.acknowledge_assignment(assignment=merangin, actor=regent, at=at(3))
    services.start_assignment(assignment=merangin, actor=regent, at=at(4))
    services.submit_assignment(assignment=merangin, actor=regent, note="Perekaman 100 %", at=at(18))
    services.verify_assignment(assignment=merangin, actor=officer, at=at(19))

    merangin.refresh_from_db()
    assert merangin.state == "verified"
    assert (merangin.acknowledged_at, merangin.submitted_at) == (at(3), at(18))
    assert merangin.note == "Perekaman 100 %"
    assert events(merangin) == [
        ("acknowledge", "issued", "acknowledged"),
        ("start", "acknowledged", "in_progress"),
        ("submit", "in_progress", "submitted"),
        ("verify", "submitted", "verified"),
    ]
    event = AssignmentEvent.objects.filter(assignment=merangin).first()
    assert (event.actor, event.office.title, event.at) == (regent, "Bupati Merangin", at(3))


def test_a_returned_submission_is_started_and_submitted_again(merangin, regent, officer):
    services.acknowledge_assignment(assignment=merangin, actor=regent, at=at(3))
    services.submit_assignment(assignment=merangin, actor=regent, note="Selesai", at=at(10))
    services.return_assignment(
        assignment=merangin, actor=officer, reason="Bukti belum dilampirkan", at=at(11)
    )
    assert state(merangin) == "returned"
    services.start_assignment(assignment=merangin, actor=regent, at=at(12))
    services.submit_assignment(assignment=merangin, actor=regent, note="Bukti terlampir", at=at(13))
    assert state(merangin) == "submitted"
    assert events(merangin)[2:] == [
        ("return", "submitted", "returned"),
        ("start", "returned", "in_progress"),
        ("submit", "in_progress", "submitted"),
    ]
    assert AssignmentEvent.objects.get(transition="return").reason == "Bukti belum dilampirkan"


def test_withdrawing_the_directive_withdraws_every_open_assignment(
    directive, merangin, regent, officer
):
    services.acknowledge_assignment(assignment=merangin, actor=regent, at=at(3))
    services.withdraw_directive(
        directive=directive, actor=officer, reason="Diganti direktif baru", at=at(5)
    )
    directive.refresh_from_db()
    assert (directive.state, directive.withdrawn_at) == ("withdrawn", at(5))
    assert set(directive.assignments.values_list("state", flat=True)) == {"withdrawn"}
    assert set(directive.assignments.values_list("next_step_at", flat=True)) == {None}
    assert events(merangin)[-1] == ("withdraw", "acknowledged", "withdrawn")
    assert AssignmentEvent.objects.filter(transition="withdraw").count() == 11
    with pytest.raises(Conflict):
        services.withdraw_directive(directive=directive, actor=officer)


def test_the_regency_dukcapil_head_acts_for_its_regent(merangin):
    head = official("regency_dukcapil_head", "15.02")
    services.acknowledge_assignment(assignment=merangin, actor=head, at=at(3))
    event = AssignmentEvent.objects.get(assignment=merangin)
    assert (event.actor, event.office.kind) == (head, "regency_dukcapil_head")


def test_an_acting_regent_acts_for_the_office(merangin):
    acting = official("regent", "15.02", acting=True)
    services.acknowledge_assignment(assignment=merangin, actor=acting, at=at(3))
    assert state(merangin) == "acknowledged"


def test_another_regent_does_not_find_the_assignment(merangin):
    with pytest.raises(NotFound):
        services.acknowledge_assignment(assignment=merangin, actor=official("regent", "15.09"))
    assert state(merangin) == "issued"
    assert not AssignmentEvent.objects.exists()


def test_the_governor_sees_a_regents_assignment_but_may_not_act_on_it(merangin):
    with pytest.raises(NotAllowed):
        services.acknowledge_assignment(assignment=merangin, actor=official("governor", "15"))
    assert state(merangin) == "issued"


def test_only_the_ministry_verifies_or_returns(merangin, regent):
    services.acknowledge_assignment(assignment=merangin, actor=regent, at=at(3))
    services.submit_assignment(assignment=merangin, actor=regent, note="Selesai", at=at(4))
    with pytest.raises(NotAllowed):
        services.verify_assignment(assignment=merangin, actor=regent)
    with pytest.raises(NotFound):
        services.return_assignment(
            assignment=merangin, actor=official("regent", "15.09"), reason="tidak"
        )
    assert state(merangin) == "submitted"


def test_a_transition_from_the_wrong_state_is_a_conflict(merangin, regent, officer):
    with pytest.raises(Conflict):
        services.start_assignment(assignment=merangin, actor=regent)  # not acknowledged yet
    with pytest.raises(Conflict):
        services.verify_assignment(assignment=merangin, actor=officer)  # not submitted
    services.acknowledge_assignment(assignment=merangin, actor=regent, at=at(3))
    with pytest.raises(Conflict):
        services.acknowledge_assignment(assignment=merangin, actor=regent)
    assert events(merangin) == [("acknowledge", "issued", "acknowledged")]


def test_a_submission_needs_a_note_and_a_return_a_reason(merangin, regent, officer):
    services.acknowledge_assignment(assignment=merangin, actor=regent, at=at(3))
    with pytest.raises(InvalidInput):
        services.submit_assignment(assignment=merangin, actor=regent, note="  ")
    services.submit_assignment(assignment=merangin, actor=regent, note="Selesai", at=at(4))
    with pytest.raises(InvalidInput):
        services.return_assignment(assignment=merangin, actor=officer, reason="")
    assert state(merangin) == "submitted"
