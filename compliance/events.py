"""Writing and sequencing the event feed (compliance/models/events.py; docs/events.md).

`record` and `record_many` write events inside the caller's transaction; `sequence` gives
positions to what committed, after commit and from the feed and a beat task alike."""

from django.db import transaction

from .models import Event, EventRegion, EventSequence

BATCH = 5000


def codes_of(*codes):
    """The region codes an event carries: each code and, for a regency, its province's."""
    out = []
    for code in codes:
        if not code:
            continue
        for c in (code.split(".")[0], code):
            if c not in out:
                out.append(c)
    return out


def record(type, *, at, regions, data):
    """One event, in the caller's transaction."""
    return record_many([(type, at, regions, data)])[0]


def record_many(items):
    """Events from (type, at, regions, data) tuples, in bulk, in the caller's transaction."""
    events = Event.objects.bulk_create(
        [Event(type=t, at=at, regions=list(regions), data=data) for t, at, regions, data in items]
    )
    EventRegion.objects.bulk_create(
        [EventRegion(event=e, code=code) for e in events for code in set(e.regions)],
        batch_size=1000,
    )
    transaction.on_commit(sequence)
    return events


def sequence():
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
