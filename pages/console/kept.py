"""The console's pages kept until what they show changes (issue 18, "read models for what
many people read").

Every ministry officer reads the same country page, every officer of a province's office
the same province page; what they show changes when a transition, an assignment, a sweep
or an import changes it, not per request. So a page's body (everything but the site's
header, the form's CSRF token and the panel of offices without an address) is rendered
once per reader's scope, language, query string and **data version**, and kept in the
cache (CACHES: Redis in production, shared by every worker; in memory on the embedded
default).

The data version is read in one query (`current_version`):
- the last event of the feed: every transition, assignment change, directive, access
  order, extension and proposal writes one in its own transaction (compliance.events);
- the last escalation step the sweep took (workflow StepEvent, which the feed does not
  carry);
- the recording reports' version, which a database trigger raises on every write
  (compliance.summary);
- the minute: what moves with the clock (overdue work, days without SIAK access) moves
  at most a minute late, and no entry outlives two minutes.
An official who acts and reloads sees his change at once (his event is the latest). Ids
are given when rows are written, so a transaction that commits after a later-numbered one
may be missed by a body rendered in between: the next minute shows it, at the latest
(ministry policy choice: the console is a reading of the state, the case files and the
inbox are read fresh).

The reader's scope is his active offices (kind and region): jurisdiction and what the
page offers derive from them alone (compliance.permissions), so officers of one office
share the body, a governor has his province's."""

import hashlib

from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import connection
from django.dispatch import receiver
from django.template.backends.utils import csrf_input
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from compliance.models import Event, RecordingVersion
from workflow.models import StepEvent

from ..common import user_offices

# Lifetime of a kept body: the key changes every minute anyway; this only frees memory.
TIMEOUT = 120
# Where the CSRF token goes in a kept body: each reader's own is put in when it is served.
CSRF_HOLE = mark_safe("<!--csrf-token-->")  # noqa: S308 (a constant, no user input)
# Raised when a setting changes in this process (a test's override): the laggard rule,
# formats and addresses are settings, and a body rendered under others is not this one's.
_generation = 0


@receiver(setting_changed)
def _settings_changed(**kwargs):
    global _generation
    _generation += 1


def current_version():
    """(last feed event, last escalation step, recording version): one query."""
    qn = connection.ops.quote_name
    tables = [qn(m._meta.db_table) for m in (Event, StepEvent, RecordingVersion)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX(id) FROM {tables[0]}), (SELECT MAX(id) FROM {tables[1]}), "  # noqa: S608 (table names from the models)
            f"(SELECT MAX(version) FROM {tables[2]})"
        )
        return tuple(cursor.fetchone())


def scope_of(request):
    """The reader's offices as the page depends on them: kind and region."""
    return tuple(
        sorted(
            (o.kind, o.scope, o.province_id or 0, o.regency_id or 0) for o in user_offices(request)
        )
    )


def key_of(request, page, *parts):
    minute = timezone.now().replace(second=0, microsecond=0)
    raw = repr(
        (
            page,
            parts,
            get_language(),
            scope_of(request),
            sorted(request.GET.lists()),
            current_version(),
            minute.isoformat(),
            _generation,
        )
    )
    return f"console:{page}:{hashlib.sha256(raw.encode()).hexdigest()}"


def kept(request, page, render, *parts):
    """The dict `render()` returns (the page's title, body...), rendered when this reader's
    scope, language, query and the data's version have none kept yet; the body's CSRF hole
    filled with this request's token."""
    key = key_of(request, page, *parts)
    found = cache.get(key)
    if found is None:
        found = render()
        cache.set(key, found, TIMEOUT)
    body = found["body"].replace(CSRF_HOLE, csrf_input(request))
    return {**found, "body": mark_safe(body)}  # noqa: S308 (rendered by our templates)
