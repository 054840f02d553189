"""Two conflicting transitions on one regency at the same moment: one wins, the other gets
a Conflict, and the log records only the winner (PostgreSQL, real connections per thread)."""

import threading

import pytest
from django.db import connection, transaction
from django_fsm import ConcurrentTransition

from compliance import services
from compliance.errors import Conflict
from compliance.models import (
    AccessOrder,
    ComplianceCase,
    ComplianceState,
    Regency,
    RequestStatus,
    SuspensionPeriod,
    TransitionLog,
    Violation,
    ViolationKind,
)
from tests.compliance import scenario
from tests.compliance.scenario import MERANGIN, Cast, flag, log_of, remediate, state_of, suspend
from tests.factories import official

S = ComplianceState
ROUNDS = 5
JAMBI = ["15.01", "15.02", "15.03", "15.04", "15.05", "15.06", "15.07", "15.08", "15.09", "15.71"]

transactional = pytest.mark.django_db(transaction=True)


@pytest.fixture
def race_ready(postgres, regions, log_flushable):
    """PostgreSQL (row locks, several connections), the country, a log the flush may empty."""


def race(*calls):
    """Run the calls in threads, each on its own connection, released together.
    Returns each call's outcome: ("won", result) or ("conflict", error)."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, call):
        try:
            connection.ensure_connection()  # connect before the start line, not after
            barrier.wait(timeout=10)
            outcomes[i] = ("won", call())
        except Conflict as error:
            outcomes[i] = ("conflict", error)
        except Exception as error:  # anything else fails the assertion in race()
            outcomes[i] = ("error", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a racer is stuck"
    assert all(kind in ("won", "conflict") for kind, _ in outcomes), outcomes
    return outcomes


def winner_of(outcomes):
    assert sorted(kind for kind, _ in outcomes) == ["conflict", "won"], outcomes
    return next(i for i, (kind, _) in enumerate(outcomes) if kind == "won")


# --- races --------------------------------------------------------------------
@transactional
@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_directors_approving_one_request_only_one_orders_the_cut(race_ready, round_):
    cast = Cast.of(JAMBI[round_])
    flag(cast)
    request = scenario.request_suspension(cast)
    before = log_of(cast.regency)
    directors = [cast.director, cast.other_director]

    outcomes = race(
        *(lambda d=d: services.approve_suspension(request=request, actor=d) for d in directors)
    )

    won = winner_of(outcomes)
    order = AccessOrder.objects.get(regency=cast.regency)
    assert (order.kind, order.state, order.issued_by) == ("cut", "issued", directors[won])
    assert state_of(cast.regency) == S.FLAGGED  # cut when the operators confirm
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (RequestStatus.APPROVED, directors[won])
    assert log_of(cast.regency) == before


@transactional
@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_operators_confirming_one_cut_at_once_cut_it_once(race_ready, round_):
    cast = Cast.of(JAMBI[round_])
    flag(cast)
    order = services.approve_suspension(
        request=scenario.request_suspension(cast), actor=cast.director
    )
    before = log_of(cast.regency)
    operators = [official("network_operator"), official("network_operator")]

    outcomes = race(
        *(lambda o=o: services.execute_access_order(order=order, actor=o) for o in operators)
    )

    # Confirming is idempotent: the second sees the order executed and changes nothing.
    assert [kind for kind, _ in outcomes] == ["won", "won"]
    assert state_of(cast.regency) == S.SUSPENDED
    assert SuspensionPeriod.objects.filter(regency=cast.regency).count() == 1
    [row] = log_of(cast.regency)[len(before) :]
    order.refresh_from_db()
    assert (row.transition, row.actor) == ("suspend", order.executed_by)


@transactional
@pytest.mark.parametrize("round_", range(ROUNDS))
def test_reconnect_and_reject_remediation_at_once_only_one_wins(race_ready, round_):
    cast = Cast.of(JAMBI[ROUNDS + round_])
    flag(cast)
    period = suspend(cast)
    remediate(cast)
    before = log_of(cast.regency)

    outcomes = race(
        lambda: services.reconnect_regency(regency=cast.regency, actor=cast.director),
        lambda: services.reject_remediation(
            regency=cast.regency, actor=cast.officer, reason="Bukti belum lengkap"
        ),
    )

    won = winner_of(outcomes)
    new_rows = log_of(cast.regency)[len(before) :]
    period.refresh_from_db()
    open_violations = Violation.objects.filter(case__regency=cast.regency, remediated_at=None)
    restore = AccessOrder.objects.filter(regency=cast.regency, kind="restore")
    assert period.ended_at is None  # nothing restored until the operators confirm
    if won == 0:
        assert (new_rows, state_of(cast.regency)) == ([], S.REMEDIATED)
        assert restore.get().state == "issued"
        assert not open_violations.exists()
    else:
        assert [(r.transition, r.to_state) for r in new_rows] == [
            ("reject_remediation", S.SUSPENDED)
        ]
        assert not restore.exists()
        assert open_violations.exists()


@transactional
@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_officers_flagging_at_once_open_one_case(race_ready, round_):
    """Not a conflict: the second flag adds its violation to the case the first opened."""
    cast = Cast.of(JAMBI[round_])
    officers = [cast.officer, official("ministry_officer")]

    outcomes = race(
        *(
            lambda o=o: services.flag_regency(
                regency=cast.regency,
                actor=o,
                kind=ViolationKind.HR,
                description="Kadis dimutasi",
                legal_basis="UU 24/2013 Pasal 83A",
            )
            for o in officers
        )
    )

    assert [kind for kind, _ in outcomes] == ["won", "won"]
    assert state_of(cast.regency) == S.FLAGGED
    (case,) = ComplianceCase.objects.filter(regency=cast.regency)
    assert case.violations.count() == 2
    assert [r.transition for r in log_of(cast.regency)] == ["flag"]


# --- stale instances (ConcurrentTransitionMixin) ---------------------------------------
@pytest.mark.django_db
def test_a_stale_instance_cannot_overwrite_a_newer_state():
    cast = Cast.of(MERANGIN)
    flag(cast)
    stale = Regency.objects.get(pk=cast.regency.pk)  # read while flagged
    suspend(cast)  # meanwhile, someone else cut it off

    stale.submit_remediation()  # allowed from 'flagged', as far as this copy knows
    with pytest.raises(ConcurrentTransition), transaction.atomic():
        stale.save()

    assert state_of(cast.regency) == S.SUSPENDED


@pytest.mark.django_db
def test_services_judge_by_the_current_state_not_the_callers_copy():
    cast = Cast.of(MERANGIN)
    flag(cast)
    suspend(cast)
    remediate(cast)
    stale = Regency.objects.get(pk=cast.regency.pk)  # read while remediated
    scenario.reconnect(cast)
    logs = TransitionLog.objects.count()

    with pytest.raises(Conflict):
        services.reject_remediation(regency=stale, actor=cast.officer, reason="Terlambat")

    assert state_of(cast.regency) == S.RECONNECTED
    assert TransitionLog.objects.count() == logs
