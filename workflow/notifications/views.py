"""The page behind the one-click link. GET only shows what would happen (mail scanners
prefetch links); the POST button acknowledges through the service."""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from compliance.errors import Conflict
from workflow import services
from workflow.models import Assignment, AssignmentState

from . import links
from . import render as email_render

TEMPLATE = "workflow/ack/page.html"


def _page(request, outcome, assignment=None, status=200):
    """The page states times as the e-mail does: in the office's own zone, labelled."""
    context = {"outcome": outcome, "assignment": assignment}
    if assignment is not None:
        tz = assignment.province.zoneinfo
        context["due_text"] = email_render.due_text(assignment.due_at, tz)
        if assignment.acknowledged_at:
            context["acknowledged_text"] = email_render.local_text(assignment.acknowledged_at, tz)
    return render(request, TEMPLATE, context, status=status)


def _refused(request, reason, status, assignment=None):
    return _page(request, reason, assignment, status)


@require_http_methods(["GET", "POST"])
def acknowledge(request, token):
    try:
        assignment_id, office_id = links.read(token)
    except links.LinkExpired:
        return _refused(request, "expired", 410)
    except links.LinkInvalid:
        return _refused(request, "invalid", 400)
    assignment = (
        Assignment.objects.select_related("directive", "office", "province")
        .filter(pk=assignment_id, office_id=office_id)
        .first()
    )
    if assignment is None:
        return _refused(request, "invalid", 400)
    if assignment.state != AssignmentState.ISSUED:
        return _refused(request, "used", 410, assignment)
    if request.method == "GET":
        return _page(request, "confirm", assignment)
    try:
        assignment = services.acknowledge_by_link(assignment=assignment)
    except Conflict:
        return _refused(request, "used", 410, assignment)
    return _page(request, "done", assignment)
