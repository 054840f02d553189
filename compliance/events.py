"""Writing and sequencing the event feed (compliance/models/events.py; docs/events.md).

`record` and `record_many` write events inside the caller's transaction; `sequence` gives
positions to what committed, after commit and from the feed and a beat task alike."""

import datetime as dt
import functools
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection, transaction
from django.db.models import Field, Model, Q

from .models import Event, EventRegion, EventSequence, Scope
from .offices import active_offices

BATCH = 5000


def codes_of(*codes: str | None) -> list[str]:
    """The region codes an event carries: each code and, for a regency, its province's."""
    # A dict keeps the first-seen order and tells a repeat in constant time: a national
    # directive carries 552 codes, and a list's `in` made that quadratic (6 ms).
    out: dict[str, None] = {}
    for code in codes:
        if code:
            out[code.split(".")[0]] = None
            out[code] = None
    return list(out)


def record(type: str, *, at: dt.datetime, regions: Iterable[str], data: dict[str, Any]) -> Event:
    """One event, in the caller's transaction."""
    return record_many([(type, at, regions, data)])[0]


def record_many(
    items: Iterable[tuple[str, dt.datetime, Iterable[str], dict[str, Any]]],
) -> list[Event]:
    """Events from (type, at, regions, data) tuples, in bulk, in the caller's transaction."""
    events = [
        Event(type=t, at=at, regions=list(regions), data=data) for t, at, regions, data in items
    ]
    if events:
        _insert(events)
    _sequence_on_commit()
    return events


def record_with(
    row: Model,
    type: str,
    *,
    key: str,
    at: dt.datetime,
    regions: Iterable[str],
    data: dict[str, Any],
) -> Event:
    """Save the new `row` (an INSERT, as the ORM writes it) and record its event, whose
    data carries the row's id as `key`; in the caller's transaction. On PostgreSQL the row,
    the event and its region rows in one statement (a round trip less: a transition's log
    row, an access order)."""
    if connection.vendor != "postgresql":
        row.save(force_insert=True)
        return record(type, at=at, regions=regions, data={**data, key: row.pk})
    event = Event(type=type, at=at, regions=list(regions), data={**data, key: None})
    sql, fields = _with_row_sql(row.__class__)  # (`type` is the event's, here)
    # each value as the ORM's INSERT prepares it
    values = {
        f"row_{i}": f.get_db_prep_save(f.pre_save(row, True), connection)
        for i, f in enumerate(fields)
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, {**values, "key": key, "events": json.dumps([_row(event)])})
        ((event.pk, row.pk),) = cursor.fetchall()
    event.data[key] = row.pk
    for saved in (event, row):
        saved._state.adding, saved._state.db = False, connection.alias
    _sequence_on_commit()
    return event


def _sequence_on_commit() -> None:
    if settings.AFTER_COMMIT_WORK == "inline":
        # robust: the change has committed; a failed sequencing is logged, never raised
        # into the caller (the next commit, the feed or the beat entry sequences these).
        transaction.on_commit(sequence, robust=True)
    # Otherwise ("celery") the committing thread does no more: whoever reads the feed
    # sequences first (the feed, webhook dispatch, workflow's log consumer, woken on
    # commit through Celery), and the beat entry is the net (docs/events.md).


# Every transition writes an event and its region rows: on PostgreSQL both in one
# statement (a round trip less per change), their ids taken from the events' sequence
# first so that the region rows can name them. The rows are the ones Python built above;
# the statement only moves them. Written out: it runs at every change. `{written}`: the
# row whose id the event carries (record_with), inserted in the same statement.
_EVENTS_SQL = """
WITH {written}input AS MATERIALIZED (
    SELECT nextval(pg_get_serial_sequence('compliance_event', 'id')) AS id, r.value, r.n
    FROM jsonb_array_elements(%(events)s::jsonb) WITH ORDINALITY AS r(value, n)
), event AS (
    INSERT INTO compliance_event (id, type, at, regions, data)
    SELECT id, value ->> 0, (value ->> 1)::timestamptz, value -> 2, value -> 3{carried}
    FROM input
), region AS (
    INSERT INTO compliance_eventregion (event_id, code)
    SELECT input.id, code FROM input, jsonb_array_elements_text(input.value -> 4) AS code
)
SELECT id{written_id} FROM input ORDER BY n
"""
_INSERT_SQL = _EVENTS_SQL.format(written="", carried="", written_id="")


@functools.cache
def _with_row_sql(model: type[Model]) -> "tuple[str, list[Field[Any, Any]]]":
    """The statement of record_with for a row of `model`, and the fields it binds in
    order (every concrete column but the key, which the table's sequence gives)."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(str(f.column) for f in fields)
    values = ", ".join(f"%(row_{i})s" for i in range(len(fields)))
    pk = model._meta.pk.column
    # Names come from the model's own metadata; every value is bound.
    written = (
        f"written AS (INSERT INTO {model._meta.db_table} ({columns}) "  # noqa: S608
        f"VALUES ({values}) RETURNING {pk} AS id), "
    )
    carried = " || jsonb_build_object(%(key)s::text, (SELECT id FROM written))"
    return _EVENTS_SQL.format(
        written=written, carried=carried, written_id=", (SELECT id FROM written)"
    ), fields


def _row(e: Event) -> tuple[Any, ...]:
    # made aware as the ORM makes it
    instant = Event._meta.get_field("at").get_db_prep_save(e.at, connection)
    return (e.type, instant.isoformat(), e.regions, e.data, sorted(set(e.regions)))


def _insert(events: list[Event]) -> None:
    """Write the events and one region row per distinct code of each; sets their ids."""
    if connection.vendor != "postgresql":
        Event.objects.bulk_create(events)
        EventRegion.objects.bulk_create(
            [EventRegion(event=e, code=code) for e in events for code in set(e.regions)],
            batch_size=1000,
        )
        return
    with connection.cursor() as cursor:
        # json.dumps, as the ORM writes a JSONField
        cursor.execute(_INSERT_SQL, {"events": json.dumps([_row(e) for e in events])})
        ids = [row[0] for row in cursor.fetchall()]
    for event, pk in zip(events, ids, strict=True):
        event.pk = pk
        event._state.adding, event._state.db = False, connection.alias


def sequence() -> int:
    """Give the next positions, in id order, to the events committed without one; one
    sequencer at a time (the EventSequence row is locked). Returns how many."""
    if not Event.objects.filter(position__isnull=True).exists():
        return 0
    done = 0
    with transaction.atomic():
        counter = EventSequence.objects.select_for_update().filter(pk=1).first()
        if counter is None:
            counter, _ = EventSequence.objects.get_or_create(pk=1)
            counter = EventSequence.objects.select_for_update().get(pk=1)
        while True:
            waiting = list(Event.objects.filter(position__isnull=True).order_by("id")[:BATCH])
            if not waiting:
                break
            for event in waiting:
                counter.last += 1
                event.position = counter.last
            Event.objects.bulk_update(waiting, ["position"], batch_size=1000)
            done += len(waiting)
        counter.save(update_fields=["last"])
    return done


# --- reading ------------------------------------------------------------------------------


def covered_codes(user: User | AnonymousUser | None) -> list[str] | None:
    """The region codes the user's offices cover; None for the whole country."""
    offices = active_offices(user)
    if any(o.scope == Scope.NATIONAL for o in offices):
        return None
    # A provincial office has its province, a regency office its regency (the
    # office_region_matches_kind constraint).
    return [
        (o.province.code if o.scope == Scope.PROVINCE else o.regency.code)  # type: ignore[union-attr]
        for o in offices
    ]


def _of_types(types: Iterable[str]) -> Q:
    """'regency.flag' is one type; 'regency' every regency.* type."""
    condition = Q()
    for t in types:
        condition |= Q(type=t) if "." in t else Q(type__startswith=f"{t}.")
    return condition


def _carrying(codes: Iterable[str]) -> Q:
    return Q(pk__in=EventRegion.objects.filter(code__in=codes).values("event"))


def read(
    user: User | AnonymousUser | None,
    *,
    after: int = 0,
    types: Sequence[str] = (),
    regions: Sequence[str] = (),
    limit: int = 100,
    sequenced: bool = False,
) -> tuple[list[Event], bool]:
    """(the events after the cursor `after` that `user`'s offices cover, of `types` and
    carrying one of `regions` when given, in commit order, at most `limit`; more?)."""
    if not sequenced:
        sequence()  # what committed without a position gets one first
    rows = Event.objects.filter(position__gt=after).order_by("position")
    codes = covered_codes(user)
    if codes is not None:
        rows = rows.filter(_carrying(codes))
    if regions:
        rows = rows.filter(_carrying(regions))
    if types:
        rows = rows.filter(_of_types(types))
    page = list(rows[: limit + 1])
    return page[:limit], len(page) > limit
