"""Every transition of DESIGN.md's diagram, through its service, with its log row."""

from datetime import timedelta

import pytest

from compliance import services
from compliance.errors import Conflict
from compliance.models import (
    ComplianceCase,
    ComplianceState,
    SuspensionPeriod,
    TransitionLog,
    Violation,
    ViolationKind,
)
from compliance.offices import active_offices
from tests.compliance import scenario
from tests.compliance.scenario import (
    MERANGIN,
    Cast,
    flag,
    log_of,
    reconnect,
    remediate,
    state_of,
    suspend,
)
from tests.factories import carry_out, official

S = ComplianceState
pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return Cast.of(MERANGIN)


def office_of(user):
    (office,) = active_offices(user)
    return office


def only_new_log_row(regency, before):
    rows = log_of(regency)
    assert len(rows) == len(before) + 1, "exactly one log row per transition"
    return rows[-1]


def assert_logged(row, *, actor, transition, from_state, to_state, reason=None):
    assert row.actor == actor
    assert row.office == office_of(actor)
    assert (row.transition, row.from_state, row.to_state) == (transition, from_state, to_state)
    if reason is not None:
        assert row.reason == reason
    assert row.at is not None


# --- flag -------------------------------------------------------------------------
def test_flag_from_compliant_opens_a_case_and_logs_the_violation(cast):
    violation = flag(cast, description="Kadis dimutasi tanpa izin Menteri")

    assert state_of(cast.regency) == S.FLAGGED
    case = ComplianceCase.objects.get(regency=cast.regency)
    assert case.closed_at is None
    assert violation.case == case
    assert (violation.kind, violation.flagged_by) == (ViolationKind.HR, cast.officer)
    (row,) = log_of(cast.regency)
    assert_logged(
        row,
        actor=cast.officer,
        transition="flag",
        from_state=S.COMPLIANT,
        to_state=S.FLAGGED,
        reason="Kadis dimutasi tanpa izin Menteri",
    )
    assert row.case == case
    assert row.payload == {
        "violation": violation.pk,
        "kind": "hr",
        "legal_basis": "UU 24/2013 Pasal 83A; Permendagri 76/2015",
    }


def test_flag_from_reconnected_is_a_re_offence_in_the_same_case(cast):
    flag(cast)
    suspend(cast)
    remediate(cast)
    reconnect(cast)
    before = log_of(cast.regency)

    violation = flag(cast, kind=ViolationKind.ORGANISATIONAL)

    assert state_of(cast.regency) == S.FLAGGED
    assert ComplianceCase.objects.filter(regency=cast.regency).count() == 1
    assert violation.case.closed_at is None
    row = only_new_log_row(cast.regency, before)
    assert_logged(
        row, actor=cast.officer, transition="flag", from_state=S.RECONNECTED, to_state=S.FLAGGED
    )


@pytest.mark.parametrize("suspended", [False, True], ids=["flagged", "suspended"])
def test_flagging_a_flagged_or_suspended_regency_adds_a_violation_without_a_transition(
    cast, suspended
):
    first = flag(cast)
    if suspended:
        suspend(cast)
    state, before = state_of(cast.regency), log_of(cast.regency)

    second = flag(cast, kind=ViolationKind.ORGANISATIONAL)

    assert state_of(cast.regency) == state
    assert log_of(cast.regency) == before
    assert second.case == first.case
    assert set(first.case.violations.all()) == {first, second}


def test_flagging_a_remediated_regency_is_refused_and_changes_nothing(cast):
    flag(cast)
    remediate(cast)
    violations, before = Violation.objects.count(), log_of(cast.regency)

    with pytest.raises(Conflict):
        flag(cast)

    assert state_of(cast.regency) == S.REMEDIATED
    assert Violation.objects.count() == violations
    assert log_of(cast.regency) == before


# --- suspension ------------------------------------------------------------------------
def test_approving_a_suspension_orders_the_cut_and_changes_no_state(cast):
    flag(cast)
    request = scenario.request_suspension(cast)
    before = log_of(cast.regency)

    order = services.approve_suspension(request=request, actor=cast.director, reason="Setuju")

    assert state_of(cast.regency) == S.FLAGGED
    assert log_of(cast.regency) == before
    assert not cast.regency.suspension_periods.exists()
    assert (order.kind, order.state, order.request) == ("cut", "issued", request)
    assert (order.issued_by, order.reason) == (cast.director, "Setuju")


def test_the_cut_carried_out_suspends_the_regency_from_that_instant(cast):
    flag(cast)
    request = scenario.request_suspension(cast)
    order = services.approve_suspension(request=request, actor=cast.director, reason="Setuju")
    before = log_of(cast.regency)
    operator = official("network_operator")
    cut_at = order.issued_at + timedelta(hours=3)

    carry_out(order, at=cut_at, operator=operator, reference="CHG-1")

    assert state_of(cast.regency) == S.SUSPENDED
    period = cast.regency.suspension_periods.get()
    assert (period.started_at, period.ended_at, period.request) == (cut_at, None, request)
    row = only_new_log_row(cast.regency, before)
    assert_logged(
        row,
        actor=operator,
        transition="suspend",
        from_state=S.FLAGGED,
        to_state=S.SUSPENDED,
        reason="Setuju",
    )
    assert row.at == cut_at
    assert row.payload == {
        "access_order": order.pk,
        "decided_by": cast.director.pk,
        "decided_office": order.issued_office_id,
        "reference": "CHG-1",
        "request": request.pk,
        "period": period.pk,
    }


# --- remediation -------------------------------------------------------------------------
@pytest.mark.parametrize("suspended", [False, True], ids=["from-flagged", "from-suspended"])
def test_submit_remediation(cast, suspended):
    violation = flag(cast)
    if suspended:
        suspend(cast)
    state, before = state_of(cast.regency), log_of(cast.regency)

    remediation = remediate(cast)

    assert state_of(cast.regency) == S.REMEDIATED
    row = only_new_log_row(cast.regency, before)
    assert_logged(
        row,
        actor=cast.regent,
        transition="submit_remediation",
        from_state=state,
        to_state=S.REMEDIATED,
    )
    assert row.payload == {"remediation": remediation.pk, "violations": [violation.pk]}


@pytest.mark.parametrize(
    ("suspended", "back_to"),
    [(False, S.FLAGGED), (True, S.SUSPENDED)],
    ids=["no-suspension-back-to-flagged", "open-suspension-back-to-suspended"],
)
def test_reject_remediation_returns_to_where_the_case_stood(cast, suspended, back_to):
    flag(cast)
    if suspended:
        suspend(cast)
    remediation = remediate(cast)
    before = log_of(cast.regency)

    services.reject_remediation(regency=cast.regency, actor=cast.officer, reason="Bukti kurang")

    assert state_of(cast.regency) == back_to
    row = only_new_log_row(cast.regency, before)
    assert_logged(
        row,
        actor=cast.officer,
        transition="reject_remediation",
        from_state=S.REMEDIATED,
        to_state=back_to,
        reason="Bukti kurang",
    )
    assert row.payload == {"remediation": remediation.pk}


# --- reconnection and clearing ----------------------------------------------------------
def test_reconnect_closes_the_suspension_period_when_the_restoration_is_carried_out(cast):
    flag(cast)
    period = suspend(cast)
    remediate(cast)
    before = log_of(cast.regency)

    order = services.reconnect_regency(regency=cast.regency, actor=cast.director, reason="Pulih")
    assert state_of(cast.regency) == S.REMEDIATED  # ordered, not yet carried out
    assert log_of(cast.regency) == before
    assert (order.kind, order.period) == ("restore", period)
    operator = official("network_operator")
    carry_out(order, at=order.issued_at + timedelta(hours=2), operator=operator)

    assert state_of(cast.regency) == S.RECONNECTED
    period.refresh_from_db()
    row = only_new_log_row(cast.regency, before)
    assert period.ended_at == row.at == order.issued_at + timedelta(hours=2)
    assert_logged(
        row,
        actor=operator,
        transition="reconnect",
        from_state=S.REMEDIATED,
        to_state=S.RECONNECTED,
        reason="Pulih",
    )
    assert row.payload["period"] == period.pk
    assert row.payload["decided_by"] == cast.director.pk


def test_reconnect_without_an_open_suspension_is_refused(cast):
    flag(cast)
    remediate(cast)
    before = log_of(cast.regency)

    with pytest.raises(Conflict):
        reconnect(cast)

    assert state_of(cast.regency) == S.REMEDIATED
    assert log_of(cast.regency) == before


def test_clear_from_remediated_without_suspension_closes_the_case(cast):
    violation = flag(cast)
    remediate(cast)
    before = log_of(cast.regency)

    services.clear_regency(regency=cast.regency, actor=cast.officer, reason="Sesuai")

    assert state_of(cast.regency) == S.COMPLIANT
    row = only_new_log_row(cast.regency, before)
    assert_logged(
        row,
        actor=cast.officer,
        transition="clear",
        from_state=S.REMEDIATED,
        to_state=S.COMPLIANT,
        reason="Sesuai",
    )
    case = ComplianceCase.objects.get(pk=violation.case_id)
    assert case.closed_at == row.at
    assert row.case == case


def test_clear_from_reconnected_by_an_officer(cast):
    flag(cast)
    suspend(cast)
    remediate(cast)
    reconnect(cast)
    before = log_of(cast.regency)

    services.clear_regency(regency=cast.regency, actor=cast.officer)

    assert state_of(cast.regency) == S.COMPLIANT
    row = only_new_log_row(cast.regency, before)
    assert_logged(
        row, actor=cast.officer, transition="clear", from_state=S.RECONNECTED, to_state=S.COMPLIANT
    )
    assert not ComplianceCase.objects.filter(regency=cast.regency, closed_at__isnull=True).exists()


def test_clear_while_the_network_is_still_cut_is_refused_and_changes_nothing(cast):
    flag(cast)
    period = suspend(cast)
    remediate(cast)
    before = log_of(cast.regency)

    with pytest.raises(Conflict):
        services.clear_regency(regency=cast.regency, actor=cast.officer)

    assert state_of(cast.regency) == S.REMEDIATED
    assert log_of(cast.regency) == before
    assert ComplianceCase.objects.get(regency=cast.regency).closed_at is None
    assert SuspensionPeriod.objects.get(pk=period.pk).ended_at is None


# --- refused transitions change nothing --------------------------------------------------
@pytest.mark.parametrize(
    "attempt",
    [
        pytest.param(
            lambda c: services.submit_remediation(regency=c.regency, actor=c.regent, statements=[]),
            id="submit_remediation",
        ),
        pytest.param(
            lambda c: services.reject_remediation(regency=c.regency, actor=c.officer, reason="x"),
            id="reject_remediation",
        ),
        pytest.param(reconnect, id="reconnect"),
        pytest.param(
            lambda c: services.clear_regency(regency=c.regency, actor=c.officer), id="clear"
        ),
        pytest.param(scenario.request_suspension, id="request_suspension"),
    ],
)
def test_no_transition_but_flag_leaves_compliant(cast, attempt):
    with pytest.raises(Conflict):
        attempt(cast)

    assert state_of(cast.regency) == S.COMPLIANT
    assert not TransitionLog.objects.filter(regency=cast.regency).exists()
    assert not ComplianceCase.objects.filter(regency=cast.regency).exists()


def test_a_case_lives_from_the_first_flag_to_the_clear(cast):
    flag(cast)
    flag(cast, kind=ViolationKind.ORGANISATIONAL)
    suspend(cast)
    remediate(cast)
    reconnect(cast)
    services.clear_regency(regency=cast.regency, actor=cast.officer)
    flag(cast)  # a new offence after the clear: a new case

    first, second = ComplianceCase.objects.filter(regency=cast.regency).order_by("id")
    assert first.closed_at is not None
    assert first.violations.count() == 2
    assert second.closed_at is None
    assert second.violations.count() == 1
    assert [r.transition for r in log_of(cast.regency)] == [
        "flag",
        "suspend",
        "submit_remediation",
        "reconnect",
        "clear",
        "flag",
    ]
    assert [r.case_id for r in log_of(cast.regency)] == [first.pk] * 5 + [second.pk]
