"""Rows computed once in Python move in bulk the same way on every database: the sweep and
the fan-out write what their one rule computed (workflow.statements)."""

import datetime as dt

import pytest

from compliance.models import Office
from tests.workflow.test_sweep import LADDER, MINUTE, merangin
from workflow.escalation import NOTICE, governors_by_province, step_notices, sweep
from workflow.models import Assignment, EscalationStep, Notification, NotificationState
from workflow.statements import fetch_rows, insert_rows, update_rows

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 11, 23, 1, 0, 0, 123456, tzinfo=dt.UTC)


def notice(key, assignment, **context):
    return (key, None, "pusat@kemendagri.example.go.id", "en", "step_reminder", assignment, context)


def test_inserted_rows_come_back_as_ids_in_their_order_with_the_model_defaults(officer):
    a = merangin(officer)
    rows = [notice(f"test:{n}", a.pk, n=n, due_at=AT.isoformat()) for n in range(5)]

    ids = insert_rows(Notification, NOTICE, rows)

    written = Notification.objects.in_bulk(ids)
    assert [written[pk].dedupe_key for pk in ids] == [f"test:{n}" for n in range(5)]
    first = written[ids[0]]
    assert first.context == {"n": 0, "due_at": "2026-11-23T01:00:00.123456+00:00"}
    assert (first.state, first.attempts, first.language) == (NotificationState.QUEUED, 0, "en")
    assert first.recipient_office_id is None and first.assignment_id == a.pk
    assert insert_rows(Notification, NOTICE, []) == []


def test_rows_whose_unique_value_is_taken_are_skipped_and_the_others_written(officer):
    a = merangin(officer)
    (kept,) = insert_rows(Notification, NOTICE, [notice("test:taken", a.pk, n=0)])
    rows = [
        notice("test:new", a.pk, n=1),
        notice("test:taken", a.pk, n=2),  # there already: the row stays as it was
        notice("test:new", a.pk, n=3),  # twice in the rows: the first is written
        notice("test:last", a.pk, n=4),
    ]

    ids = insert_rows(Notification, NOTICE, rows, unless_taken="dedupe_key")

    written = Notification.objects.in_bulk(ids)
    assert [(written[pk].dedupe_key, written[pk].context) for pk in ids] == [
        ("test:new", {"n": 1}),
        ("test:last", {"n": 4}),
    ]
    assert Notification.objects.get(pk=kept).context == {"n": 0}
    assert insert_rows(Notification, NOTICE, rows[:3], unless_taken="dedupe_key") == []


def test_updated_rows_change_only_the_named_rows_and_fields(officer):
    a = merangin(officer)
    other = Assignment.objects.exclude(pk=a.pk).first()
    before = other and (other.next_step_id, other.next_step_at)
    step = EscalationStep.objects.filter(policy=a.directive.policy).order_by("-order").first()

    update_rows(Assignment, ("next_step_id", "next_step_at", "escalation_level"), [
        (a.pk, step.pk, AT, 4)
    ])  # fmt: skip

    a.refresh_from_db()
    assert (a.next_step_id, a.next_step_at, a.escalation_level) == (step.pk, AT, 4)
    assert a.due_date is not None  # a field not named is left as it was
    if other:
        other.refresh_from_db()
        assert (other.next_step_id, other.next_step_at) == before


def test_the_sweep_writes_the_notices_its_rule_gives_for_the_assignment(officer):
    """The sweep's bulk path and the instance path (a signed warning's notices) are one
    rule: the same keys, recipients and context for the same step."""
    a = merangin(officer)
    slug, at = LADDER[2][0], LADDER[2][1]  # the overdue notice: the regent and the governor
    sweep(now=LADDER[0][1])
    sweep(now=LADDER[1][1])
    a.refresh_from_db()
    step = a.next_step
    expected = step_notices(a, step, governors_by_province())

    assert sweep(now=at + MINUTE).total == 1

    written = Notification.objects.filter(dedupe_key__contains=f":step:{slug}:").order_by("id")
    shape = ("dedupe_key", "recipient_office_id", "recipient_email", "language", "context")
    assert [tuple(getattr(n, f) for f in shape) for n in written] == [
        tuple(getattr(n, f) for f in shape) for n in expected
    ]
    governor = Office.objects.get(kind="governor", province__code="15")
    assert [n.context["role"] for n in written] == ["assignee", "governor"]
    assert written[1].recipient_office_id == governor.pk


def test_fetched_rows_hold_the_values_the_orm_reads(officer):
    merangin(officer)
    fields = ("id", "issued_at", "due_at", "next_step_at", "due_date", "acknowledged_at")
    rows = Assignment.objects.order_by("id")

    assert fetch_rows(rows, fields) == list(rows.values_list(*fields))
    assert fetch_rows(rows, fields)[0][1].utcoffset() == dt.timedelta(0)
