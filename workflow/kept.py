"""What many people read, kept until what it shows changes (issue 18, "read models for what
many people read"): the console's pages (pages.console.kept) and the directives' counts of
assignments (workflow.selectors.describe_directives).

Every ministry officer reads the same country page and the same directive list; what they
show changes when a transition, an assignment, a sweep or an import changes it, not per
request. So it is computed once per reader's scope and **data version** and kept in the
cache (CACHES: Redis in production, shared by every worker; in memory on the embedded
default).

The data version is read in one query (`current_version`):
- the last event of the feed: every transition, assignment change, directive, access
  order, extension and proposal writes one in its own transaction (compliance.events);
- the last escalation step the sweep took (StepEvent, which the feed does not carry);
- the recording reports' version, which a database trigger raises on every write
  (compliance.summary);
- and the minute: what moves with the clock (overdue work, days without SIAK access)
  moves at most a minute late, and no entry outlives two minutes.
An official who acts and reloads sees his change at once (his event is the latest). Ids
are given when rows are written, so a transaction that commits after a later-numbered one
may be missed by a figure computed in between: the next minute shows it, at the latest
(ministry policy choice: the console and the lists' counts are a reading of the state; the
case files, the inbox and every decision read fresh).

The reader's scope is his active offices (kind and region): jurisdiction derives from them
alone (compliance.permissions), so officers of one office share what is kept."""

import datetime as dt
import hashlib
import threading
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import connection
from django.dispatch import receiver
from django.utils import timezone

from compliance.models import Event, Office, RecordingVersion

from .models import StepEvent

# Lifetime of a kept entry: the key changes every minute anyway; this only frees memory.
TIMEOUT = 120
# Raised when a setting changes in this process (a test's override): rules, formats and
# addresses are settings, and what was computed under others is not this one's.
_generation = 0


@receiver(setting_changed)
def _settings_changed(**kwargs: Any) -> None:
    global _generation
    _generation += 1
    forget_here()


def current_version() -> tuple:
    """(last feed event, last escalation step, recording version): one query."""
    qn = connection.ops.quote_name
    event, step, recording = (qn(m._meta.db_table) for m in (Event, StepEvent, RecordingVersion))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX(id) FROM {event}), (SELECT MAX(id) FROM {step}), "  # noqa: S608 (the models' table names)
            f"(SELECT MAX(version) FROM {recording})"
        )
        return tuple(cursor.fetchone())


def scope_of(offices: Iterable[Office]) -> tuple:
    """The reader's offices as what he may see depends on them: kind and region."""
    return tuple(sorted((o.kind, o.scope, o.province_id or 0, o.regency_id or 0) for o in offices))


def kept(
    name: str,
    parts: tuple,
    compute: Callable[[], Any],
    *,
    now: dt.datetime | None = None,
    version: tuple | None = None,
) -> Any:
    """What `compute()` returns (picklable), computed once per `parts`, data version (as
    `current_version()` reads it, unless the caller read it already for this request) and
    minute (of `now`, by default the clock's)."""
    minute = (now or timezone.now()).replace(second=0, microsecond=0)
    version = current_version() if version is None else version
    raw = repr((parts, version, minute.isoformat(), _generation))
    key = f"kept:{name}:{hashlib.sha256(raw.encode()).hexdigest()}"
    found = _here.get(key, _MISSING)
    if found is _MISSING:
        found = cache.get(key)
        if found is None:
            found = compute()
            cache.set(key, found, TIMEOUT)
        _keep_here(key, found)
    return found


# The entries this process read last, in front of the cache: an entry's key names its
# data version and minute, so what is kept under it never changes; reading it from the
# cache again cost a round trip and unpickling (0.6 ms for a page of directives' counts,
# docs/benchmarks.md, session 17). Shared by the requests a process serves: what is
# kept is read, never changed, by its callers.
HERE = 256
_here: dict[str, Any] = {}
_here_lock = threading.Lock()
_MISSING = object()


def _keep_here(key: str, value: Any) -> None:
    with _here_lock:
        _here[key] = value
        while len(_here) > HERE:  # the oldest first: keys move on with the minute
            del _here[next(iter(_here))]


def forget_here() -> None:
    """Drop what this process kept in front of the cache (with the cache: a test's fresh
    start, where rolled-back ids come again)."""
    with _here_lock:
        _here.clear()
