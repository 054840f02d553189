"""The event feed (issue 19): every domain event, immutable, in the order it committed.

An event is written in the same transaction as the change that made it (a rolled-back
change leaves none). Its `position`, the feed's order and cursor, is given after commit by
compliance.events.sequence, one sequencer at a time, in id order among the events committed
by then: so a reader paging by position never skips an event that committed late with a
smaller id (ids are taken at insert, not at commit)."""

from django.db import models


class Event(models.Model):
    type = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField()
    # Region codes the event concerns: provinces ("15") and regencies ("15.02"); a
    # regency's event carries its province's code too. EventRegion indexes them.
    regions = models.JSONField(default=list)
    data = models.JSONField(default=dict)
    position = models.BigIntegerField(null=True, blank=True, unique=True)

    class Meta:
        ordering = ["position"]
        indexes = [
            models.Index(
                fields=["id"], condition=models.Q(position__isnull=True), name="event_unsequenced"
            )
        ]

    def __str__(self):
        return f"#{self.position or '-'} {self.type}"


class EventRegion(models.Model):
    """One region code of an event, for reading the feed within a jurisdiction."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=8)

    class Meta:
        indexes = [models.Index(fields=["code", "event"], name="event_region_code")]

    def __str__(self):
        return f"{self.code} #{self.event_id}"


class EventSequence(models.Model):
    """A single row: the last position given. Locked while positions are given, so that
    two sequencers never interleave."""

    last = models.BigIntegerField(default=0)

    def __str__(self):
        return f"last position {self.last}"
