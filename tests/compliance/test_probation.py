from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from compliance import services, tasks
from compliance.errors import NotAllowed
from compliance.models import ComplianceState, TransitionLog
from tests.compliance.reconnection import flag, reconnected, remediate, suspend
from tests.factories import carry_out, regency

pytestmark = pytest.mark.django_db
T = datetime(2017, 6, 19, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
MINUTE = timedelta(minutes=1)


@pytest.fixture
def merangin():
    """Merangin reconnected at T."""
    with time_machine.travel(T, tick=False):
        return reconnected("15.02")


def probation(settings):
    return timedelta(days=settings.PROBATION_DAYS)


def sweep_at(instant):
    with time_machine.travel(instant, tick=False):
        return tasks.sweep_probation()


def test_still_reconnected_a_minute_before_probation_ends(merangin, settings):
    assert sweep_at(T + probation(settings) - MINUTE) == []

    assert regency("15.02").state == ComplianceState.RECONNECTED


def test_cleared_automatically_at_exactly_the_end_of_probation(merangin, settings):
    end = T + probation(settings)

    assert sweep_at(end) == ["15.02"]

    assert regency("15.02").state == ComplianceState.COMPLIANT
    row = TransitionLog.objects.filter(regency__code="15.02").last()
    assert (row.transition, row.from_state, row.to_state) == ("clear", "reconnected", "compliant")
    assert row.actor is None
    assert row.office is None
    assert row.at == end
    assert row.payload == {"automatic": True, "probation_days": settings.PROBATION_DAYS}
    case = row.case
    case.refresh_from_db()
    assert case.closed_at == end
    assert case.remediations.get().status == "accepted"


def test_probation_follows_the_setting(merangin, settings):
    settings.PROBATION_DAYS = 10

    assert sweep_at(T + timedelta(days=10) - MINUTE) == []
    assert sweep_at(T + timedelta(days=10)) == ["15.02"]


def test_a_second_sweep_finds_nothing_more_to_clear(merangin, settings):
    end = T + probation(settings)
    sweep_at(end)

    assert sweep_at(end + timedelta(days=1)) == []
    assert TransitionLog.objects.filter(regency__code="15.02", transition="clear").count() == 1


def test_flagged_again_during_probation_is_not_cleared(merangin, settings):
    with time_machine.travel(T + timedelta(days=12), tick=False):
        flag(merangin)

    assert sweep_at(T + probation(settings)) == []
    assert sweep_at(T + 2 * probation(settings)) == []

    assert regency("15.02").state == ComplianceState.FLAGGED
    assert not TransitionLog.objects.filter(regency__code="15.02", transition="clear").exists()


def test_an_officer_may_clear_before_probation_ends(merangin, settings):
    at = T + timedelta(days=3)
    with time_machine.travel(at, tick=False):
        row = services.clear_regency(
            regency=merangin.regency, actor=merangin.officer, reason="Diverifikasi lapangan"
        )

    assert regency("15.02").state == ComplianceState.COMPLIANT
    assert (row.actor, row.office.kind, row.at, row.payload) == (
        merangin.officer,
        "ministry_officer",
        at,
        {},
    )
    assert sweep_at(T + probation(settings)) == []


def test_a_director_may_not_clear(merangin):
    with pytest.raises(NotAllowed):
        services.clear_regency(regency=merangin.regency, actor=merangin.director)

    assert regency("15.02").state == ComplianceState.RECONNECTED


def test_only_regencies_whose_probation_passed_are_cleared(merangin, settings):
    with time_machine.travel(T + timedelta(days=5), tick=False):
        reconnected("15.09")

    assert sweep_at(T + probation(settings)) == ["15.02"]
    assert regency("15.09").state == ComplianceState.RECONNECTED
    assert sweep_at(T + timedelta(days=5) + probation(settings)) == ["15.09"]


def test_a_regency_suspended_twice_waits_for_the_latest_reconnection(merangin, settings):
    """Probation runs from the end of the last suspension, not the first."""
    second = T + timedelta(days=20)
    with time_machine.travel(second, tick=False):
        flag(merangin)
        suspend(merangin)
        remediate(merangin)
        carry_out(services.reconnect_regency(regency=merangin.regency, actor=merangin.director))

    assert sweep_at(T + probation(settings)) == []
    assert sweep_at(second + probation(settings)) == ["15.02"]
