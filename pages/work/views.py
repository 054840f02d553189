"""The work queue: what waits for the user's offices, the most urgent first, with the
counts the menu shows; and what he closed in the last 30 days. Every office lands here."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from compliance.models import OfficeKind

from ..common import user_offices
from ..nav import NavCounts
from . import done as closed
from . import reads


def office_required(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not user_offices(request):
            return render(request, "pages/no_office.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


@office_required
def queue(request):
    work = reads.Work(request, NavCounts(request))
    counts, items = work.read()
    context = {
        "tab": "queue",
        "counts": counts,
        "items": items,
        "waiting": sum(n for _, _, n in counts),
        "zone": work.zone_label,
        "auditor": _only_auditor(request),
    }
    return render(request, "pages/work/queue.html", context)


@office_required
def done(request):
    work = reads.Work(request, NavCounts(request))
    zone = work.zone()
    rows = closed.done(request.user)
    for row in rows:
        row.at_local = timezone.localtime(row.at, zone)
    context = {"tab": "done", "rows": rows, "zone": work.zone_label, "days": closed.DONE_DAYS}
    return render(request, "pages/work/done.html", context)


def _only_auditor(request):
    return {o.kind for o in user_offices(request)} == {OfficeKind.AUDITOR}
