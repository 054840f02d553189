"""The transition log is append-only (model layer everywhere, a trigger on PostgreSQL)
and is written in the same transaction as the state change it records."""

import pytest
from django.db import DatabaseError, connection, transaction

from compliance.models import (
    AppendOnlyError,
    ComplianceCase,
    ComplianceState,
    Event,
    TransitionLog,
)
from tests.compliance.scenario import MERANGIN, Cast, flag, state_of

S = ComplianceState
pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return Cast.of(MERANGIN)


@pytest.fixture
def row(cast):
    flag(cast)
    return TransitionLog.objects.get(regency=cast.regency)


def unchanged(row):
    fresh = TransitionLog.objects.get(pk=row.pk)
    return (fresh.transition, fresh.reason, fresh.to_state) == (
        row.transition,
        row.reason,
        row.to_state,
    )


# --- model layer ------------------------------------------------------------------
def test_saving_an_existing_row_is_refused(row):
    original_reason = row.reason
    row.reason = "ditulis ulang"

    with pytest.raises(AppendOnlyError):
        row.save()

    assert TransitionLog.objects.get(pk=row.pk).reason == original_reason


def test_saving_a_reloaded_row_is_refused(row):
    again = TransitionLog.objects.get(pk=row.pk)

    with pytest.raises(AppendOnlyError):
        again.save(update_fields=["reason"])


def test_a_new_object_with_an_existing_rows_id_cannot_overwrite_it(row):
    """Django saves an unsaved object with a primary key as an UPDATE first."""
    impostor = TransitionLog(
        pk=row.pk,
        regency=row.regency,
        transition="clear",
        from_state=S.FLAGGED,
        to_state=S.COMPLIANT,
        reason="ditulis ulang",
    )

    with pytest.raises((AppendOnlyError, DatabaseError)), transaction.atomic():
        impostor.save()

    assert unchanged(row)


def test_deleting_a_row_is_refused(row):
    with pytest.raises(AppendOnlyError):
        row.delete()

    assert TransitionLog.objects.filter(pk=row.pk).exists()


def test_queryset_update_is_refused(row):
    with pytest.raises(AppendOnlyError):
        TransitionLog.objects.filter(pk=row.pk).update(reason="ditulis ulang")

    assert unchanged(row)


def test_queryset_delete_is_refused(row):
    with pytest.raises(AppendOnlyError):
        TransitionLog.objects.all().delete()

    assert TransitionLog.objects.filter(pk=row.pk).exists()


def test_bulk_update_is_refused(row):
    row.reason = "ditulis ulang"

    with pytest.raises(AppendOnlyError):
        TransitionLog.objects.bulk_update([row], ["reason"])

    assert TransitionLog.objects.get(pk=row.pk).reason != "ditulis ulang"


# --- the database, on PostgreSQL ------------------------------------------------------
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE compliance_transitionlog SET reason = 'ditulis ulang'",
        "DELETE FROM compliance_transitionlog",
        "TRUNCATE compliance_transitionlog",
    ],
    ids=["update", "delete", "truncate"],
)
def test_postgresql_refuses_raw_sql_changes(postgres, row, sql):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # Run the deferred foreign-key checks of the row's insert now: PostgreSQL
        # refuses TRUNCATE with pending trigger events before our trigger is reached.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(sql)

    assert unchanged(row)
    assert TransitionLog.objects.count() == 1


def test_postgresql_still_accepts_inserts(postgres, row):
    flag(Cast.of("15.09"))

    assert TransitionLog.objects.count() == 2


# --- same transaction as the change ------------------------------------------------------
class Boom(Exception):
    pass


def test_log_row_and_state_change_commit_or_roll_back_together(cast):
    with pytest.raises(Boom), transaction.atomic():
        flag(cast)
        assert state_of(cast.regency) == S.FLAGGED
        assert TransitionLog.objects.filter(regency=cast.regency).count() == 1
        raise Boom  # the caller's transaction fails after the service returned

    assert state_of(cast.regency) == S.COMPLIANT
    assert not TransitionLog.objects.filter(regency=cast.regency).exists()
    assert not ComplianceCase.objects.filter(regency=cast.regency).exists()


# The database itself refuses the log row (a trigger, dropped with the test's transaction):
# on PostgreSQL the row is written in one statement with its event.
_REFUSE_LOG = {
    "postgresql": [
        "CREATE FUNCTION test_refuse_log() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'log table unavailable'; END $$",
        "CREATE TRIGGER test_refuse_log BEFORE INSERT ON compliance_transitionlog "
        "FOR EACH ROW EXECUTE FUNCTION test_refuse_log()",
    ],
    "sqlite": [
        "CREATE TRIGGER test_refuse_log BEFORE INSERT ON compliance_transitionlog "
        "BEGIN SELECT RAISE(ABORT, 'log table unavailable'); END",
    ],
}


def test_a_failed_log_write_undoes_the_state_change(cast):
    with connection.cursor() as cursor:
        for statement in _REFUSE_LOG[connection.vendor]:
            cursor.execute(statement)

    with pytest.raises(DatabaseError, match="log table unavailable"):
        flag(cast)

    assert state_of(cast.regency) == S.COMPLIANT
    assert not ComplianceCase.objects.filter(regency=cast.regency).exists()
    assert not Event.objects.filter(type="regency.flag").exists()
