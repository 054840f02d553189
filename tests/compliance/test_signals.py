"""compliance announces each transition after it commits, and never one that rolled back."""

import pytest
from django.db import transaction

from compliance import services
from compliance.models import ComplianceState, Regency, TransitionLog
from compliance.signals import regency_transitioned
from tests.compliance.scenario import MERANGIN, Cast, flag
from tests.factories import carry_out

S = ComplianceState
pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return Cast.of(MERANGIN)


@pytest.fixture
def received():
    calls = []

    def receiver(sender, **kwargs):
        calls.append({"sender": sender, **kwargs})

    regency_transitioned.connect(receiver, weak=False)
    yield calls
    regency_transitioned.disconnect(receiver)


def test_sent_after_commit_with_the_transition_and_its_log_row(
    cast, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        flag(cast)

    (call,) = received
    log = TransitionLog.objects.get(regency=cast.regency)
    assert call["sender"] is Regency
    assert call["regency"] == cast.regency
    assert (call["transition"], call["from_state"], call["to_state"]) == (
        "flag",
        S.COMPLIANT,
        S.FLAGGED,
    )
    assert call["log"] == log
    assert call["actor"] == cast.officer


def test_not_sent_before_the_transaction_commits(
    cast, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        flag(cast)
        assert received == []

    assert len(callbacks) == 2  # the event feed's sequencing, then the signal
    for callback in callbacks:
        callback()
    assert [c["transition"] for c in received] == ["flag"]


def test_not_sent_when_the_transaction_rolls_back(
    cast, received, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        flag(cast)
        raise RuntimeError("the caller's transaction fails")

    assert callbacks == []
    assert received == []


def test_not_sent_when_nothing_transitions(cast, received, django_capture_on_commit_callbacks):
    flag(cast)
    with django_capture_on_commit_callbacks(execute=True):
        flag(cast)  # a second violation on a flagged regency: no transition
        services.request_suspension(regency=cast.regency, actor=cast.officer, reason="Teguran")

    assert received == []


def test_one_signal_per_transition_in_order(cast, received, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        flag(cast)
        request = services.request_suspension(
            regency=cast.regency, actor=cast.officer, reason="Teguran"
        )
        order = services.approve_suspension(request=request, actor=cast.director)
        carry_out(order)  # the decision changes no state; the operators' confirmation does

    assert [(c["transition"], c["to_state"]) for c in received] == [
        ("flag", S.FLAGGED),
        ("suspend", S.SUSPENDED),
    ]
    assert [c["log"] for c in received] == list(
        TransitionLog.objects.filter(regency=cast.regency).order_by("id")
    )
