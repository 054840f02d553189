"""workflow follows compliance's transition log (docs/workflow.md, "Workflow follows the
transition log").

The log is an outbox: every TransitionLog row is written in the transaction of the change
it records, with its event `regency.<transition>` in the feed, whose `data["log"]` names
the row (compliance.transitions.run_transition). `consume` applies the rows it has not
applied yet (workflow.remediation.apply), in commit order, from a stored position
(`LogConsumer`), BATCH rows per transaction: it locks its position row, reads the next
rows, applies each, and moves the position in the same transaction as the effects of the
rows it applied. A consumer killed mid-batch leaves neither effects nor position of that
batch behind; the next run applies the batch again.

Order: by the feed's positions, not by log ids. Ids are taken at insert, not at commit: on
PostgreSQL a transaction holding log row 100 may commit after the one holding 101, and a
reader paging by id past 101 would never see 100. The feed has the same problem and solves
it once (compliance.events.sequence, docs/events.md): positions are given after commit,
one sequencer at a time, so a late commit gets a later position and is never behind a
position already read. Reading the log rows through their events' positions needs no
grace period (a clock guess: a log row's `at` may be back-dated) and no list of gaps (which
could not tell a rolled-back id from one still to commit). One path on both databases; on
SQLite writers are serialised anyway and the positions follow the ids.

When. The after-commit signal `regency_transitioned` is only a wake-up: its receiver runs
`consume` and logs a failure, never raising it into the caller whose change has committed.
The beat entry `follow-transition-log` (every minute) and the escalation sweep run it too,
so a lost wake-up is caught up. A row whose application fails stops the consumer there
(the rows before it are kept, it and those after it wait, in order, for the next run): a
bug is mended by fixing it, not by skipping a row.
"""

import logging
from typing import Any, cast

from django.conf import settings
from django.db import transaction

from compliance import events
from compliance.models import Event, TransitionLog

from . import remediation, wake_ups
from .models import LogConsumer

logger = logging.getLogger(__name__)

NAME = "remediation"
BATCH = 100


def consume(*, limit: int = BATCH) -> int:
    """Apply every transition log row committed since the stored position, `limit` rows
    per transaction; returns how many it applied. Raises the error of a row that failed,
    after committing the rows before it."""
    events.sequence()  # positions for what committed without one (as the feed does)
    done = 0
    while True:
        applied, more = _consume_batch(limit)
        done += applied
        if not more:
            return done


def _consume_batch(limit: int) -> tuple[int, bool]:
    failure: Exception | None = None
    with transaction.atomic():
        consumer = _locked(NAME)
        batch = list(
            Event.objects.filter(position__gt=consumer.position, type__startswith="regency.")
            .order_by("position")
            .values_list("position", "data__log")[:limit]
        )
        logs = TransitionLog.objects.select_related("regency__province").in_bulk(
            [log_id for _, log_id in batch if log_id is not None]
        )
        applied = 0
        for position, log_id in batch:
            try:
                with transaction.atomic():
                    if log_id in logs:
                        remediation.apply(logs[log_id])
            except Exception as error:
                failure = error
                break
            consumer.position = cast(int, position)  # position__gt: never None
            applied += 1
        if applied:
            consumer.save(update_fields=["position", "updated_at"])
    if failure is not None:
        raise failure
    return applied, len(batch) == limit


def _locked(name: str) -> LogConsumer:
    """The consumer's position row, locked (SQLite: the IMMEDIATE transaction holds the
    whole database); created at position 0 where missing (a new database reads from the
    start; the migration set an existing one's at its last position)."""
    consumer = LogConsumer.objects.select_for_update().filter(name=name).first()
    if consumer is None:
        LogConsumer.objects.get_or_create(name=name)
        consumer = LogConsumer.objects.select_for_update().get(name=name)
    return consumer


def catch_up() -> int | None:
    """`consume`, its failure logged and not raised (for callers with work of their own
    or whose change has committed); returns how many rows it applied, None on failure."""
    try:
        return consume()
    except Exception:
        logger.exception("workflow could not follow the transition log; the beat retries")
        return None


def on_regency_transitioned(sender: object, **kwargs: Any) -> None:
    """The wake-up, after compliance's commit: follow the log now rather than at the next
    beat; in a Celery task (AFTER_COMMIT_WORK = "celery", the default: asked of this
    process's waker, below) or in the committing thread ("inline")."""
    if settings.AFTER_COMMIT_WORK == "inline":
        catch_up()
        return
    _waker.ask()


def flush_wake_ups(timeout: float | None = None) -> bool:
    """Wait until every wake-up this process asked for was handed to the broker (or failed
    and was logged); False when `timeout` passed first. For tests, and at exit."""
    return _waker.flush(timeout)


WAKE_INTERVAL = wake_ups.WAKE_INTERVAL


class _Waker(wake_ups.Waker):
    """The consumer's task published from a thread of the process's own (workflow.wake_ups):
    a request costs the committing thread a lock and a counter, a burst of commits one
    publish. Every request is followed by a publish that starts after it (the task then
    reads what committed before it), so a commit waits for the beat only if its process
    dies first: the same net as a publish lost before."""

    def __init__(self) -> None:
        super().__init__("workflow-wake-up", lambda items: _publish())


def _publish() -> None:
    from .tasks import follow_transition_log

    try:
        follow_transition_log.apply_async(retry=False)
    except Exception:
        # The broker is down: the change has committed and the beat entry follows the log
        # within a minute; the caller is never told of it.
        logger.warning("workflow: could not wake the log consumer; the beat will", exc_info=True)


# A process leaving normally hands over what it was asked (a dead one leaves it to the beat).
_waker = _Waker().process_wide()
