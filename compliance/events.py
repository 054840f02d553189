"""Writing and sequencing the event feed (compliance/models/events.py; docs/events.md).

`record` and `record_many` write events inside the caller's transaction; `sequence` gives
positions to what committed, after commit and from the feed and a beat task alike."""

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection, transaction
from django.db.models import Q

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
    if settings.AFTER_COMMIT_WORK == "inline":
        # robust: the change has committed; a failed sequencing is logged, never raised
        # into the caller (the next commit, the feed or the beat entry sequences these).
        transaction.on_commit(sequence, robust=True)
    # Otherwise ("celery") the committing thread does no more: whoever reads the feed
    # sequences first (the feed, webhook dispatch, workflow's log consumer, woken on
    # commit through Celery), and the beat entry is the net (docs/events.md).
    return events


# Every transition writes an event and its region rows: on PostgreSQL both in one
# statement (a round trip less per change), their ids taken from the events' sequence
# first so that the region rows can name them. The rows are the ones Python built above;
# the statement only moves them. Written out: it runs at every change.
_INSERT_SQL = """
WITH input AS MATERIALIZED (
    SELECT nextval(pg_get_serial_sequence('compliance_event', 'id')) AS id, r.value, r.n
    FROM jsonb_array_elements(%s::jsonb) WITH ORDINALITY AS r(value, n)
), event AS (
    INSERT INTO compliance_event (id, type, at, regions, data)
    SELECT id, value ->> 0, (value ->> 1)::timestamptz, value -> 2, value -> 3 FROM input
), region AS (
    INSERT INTO compliance_eventregion (event_id, code)
    SELECT input.id, code FROM input, jsonb_array_elements_text(input.value -> 4) AS code
)
SELECT id FROM input ORDER BY n
"""


def _insert(events: list[Event]) -> None:
    """Write the events and one region row per distinct code of each; sets their ids."""
    if connection.vendor != "postgresql":
        Event.objects.bulk_create(events)
        EventRegion.objects.bulk_create(
            [EventRegion(event=e, code=code) for e in events for code in set(e.regions)],
            batch_size=1000,
        )
        return
    at = Event._meta.get_field("at")

    def row(e: Event) -> tuple[Any, ...]:
        instant = at.get_db_prep_save(e.at, connection)  # made aware as the ORM makes it
        return (e.type, instant.isoformat(), e.regions, e.data, sorted(set(e.regions)))

    with connection.cursor() as cursor:
        # json.dumps, as the ORM writes a JSONField
        cursor.execute(_INSERT_SQL, [json.dumps([row(e) for e in events])])
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
