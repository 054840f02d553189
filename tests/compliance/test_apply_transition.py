"""compliance.fsm.apply_transition, the one transition helper of every fsm model: it runs
the transition from a state its guards allow, saves it and writes the model's event row
in the same transaction; when the row cannot be written, the change is not made either."""

import dataclasses
import datetime as dt

import pytest
from django.db import transaction

from compliance import fsm
from compliance.errors import Conflict
from compliance.models import (
    ComplianceState,
    District,
    Office,
    OfficeKind,
    Regency,
    TransitionLog,
)
from compliance.transitions import locked
from equipment.models import Device, DeviceStatus, StatusChange
from tests.factories import official, regency

pytestmark = pytest.mark.django_db
AT = dt.datetime(2026, 11, 2, 3, 0, tzinfo=dt.UTC)


@pytest.fixture
def officer_office(officer):
    return Office.objects.get(kind=OfficeKind.MINISTRY_OFFICER, holdings__user=officer)


@pytest.fixture
def device():
    district = District.objects.filter(regency__code="15.02").first()
    return Device.objects.create(
        district=district, kind="recording", serial_number="REK-001", funded_by="centre"
    )


def _failing(model, monkeypatch):
    """Make `model`'s event writer write its row and then fail, as a broken write would."""
    registered = fsm.lifecycle(model)

    def write_then_fail(t):
        registered.write_event(t)
        raise RuntimeError("the event row could not be written")

    monkeypatch.setitem(
        fsm._LIFECYCLES, model, dataclasses.replace(registered, write_event=write_then_fail)
    )


def test_a_transition_saves_the_state_and_writes_its_event_row(officer, officer_office):
    merangin = locked(regency("15.02"))

    with transaction.atomic():
        log = fsm.apply_transition(
            merangin,
            "flag",
            actor=officer,
            office=officer_office,
            reason="Pungutan liar",
            payload={"violation": 1},
            at=AT,
        )

    assert isinstance(log, TransitionLog)
    assert (log.transition, log.from_state, log.to_state) == ("flag", "compliant", "flagged")
    assert (log.actor, log.office, log.at, log.reason) == (
        officer,
        officer_office,
        AT,
        "Pungutan liar",
    )
    assert regency("15.02").state == ComplianceState.FLAGGED


def test_a_transition_its_state_does_not_allow_is_refused_and_writes_nothing(officer):
    merangin = locked(regency("15.02"))

    with pytest.raises(Conflict) as refused:
        fsm.apply_transition(merangin, "clear", actor=officer, office=None)

    assert refused.value.code == "transition_not_allowed"
    assert merangin.state == ComplianceState.COMPLIANT
    assert not TransitionLog.objects.filter(regency=merangin).exists()


def test_when_the_log_row_cannot_be_written_the_regency_keeps_its_state(officer, monkeypatch):
    _failing(Regency, monkeypatch)
    merangin = locked(regency("15.02"))

    with pytest.raises(RuntimeError), transaction.atomic():
        fsm.apply_transition(merangin, "flag", actor=officer, office=None, at=AT)

    assert regency("15.02").state == ComplianceState.COMPLIANT
    assert merangin.state == ComplianceState.COMPLIANT  # the object too, not only the row
    assert not TransitionLog.objects.filter(regency=merangin).exists()


def test_a_device_change_writes_its_history_row(device):
    manager = official("regency_dukcapil_head", "15.02")

    row = fsm.apply_transition(device, "report_broken", actor=manager, office=None, reason="Mati")

    assert isinstance(row, StatusChange)
    assert (row.from_status, row.to_status, row.note) == ("operational", "broken", "Mati")
    assert Device.objects.get(pk=device.pk).status == DeviceStatus.BROKEN


def test_when_the_history_row_cannot_be_written_the_device_keeps_its_status(device, monkeypatch):
    _failing(Device, monkeypatch)

    with pytest.raises(RuntimeError), transaction.atomic():
        fsm.apply_transition(device, "report_broken", actor=None, office=None)

    assert Device.objects.get(pk=device.pk).status == DeviceStatus.OPERATIONAL
    assert device.status == DeviceStatus.OPERATIONAL
    assert not StatusChange.objects.filter(device=device).exists()


def test_a_model_without_an_event_writer_has_no_transitions_to_apply():
    with pytest.raises(LookupError):
        fsm.apply_transition(District.objects.first(), "flag", actor=None, office=None)
