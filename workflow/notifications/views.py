"""The page behind the one-click link. GET only shows what would happen (mail scanners
prefetch links); the POST button acknowledges through the service."""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from compliance.errors import Conflict
from workflow import services
from workflow.models import Assignment, AssignmentState

from . import links

TEMPLATE = "workflow/ack/page.html"


def _refused(request, reason, status, assignment=None):
    return render(request, TEMPLATE, {"outcome": reason, "assignment": assignment}, status=status)


@require_http_methods(["GET", "POST"])
def acknowledge(request, token):
    try:
        assignment_id, office_id = links.read(token)
    except links.LinkExpired:
        return _refused(request, "expired", 410)
    except links.LinkInvalid:
        return _refused(request, "invalid", 400)
    assignment = (
        Assignment.objects.select_related("directive", "office")
        .filter(pk=assignment_id, office_id=office_id)
        .first()
    )
    if assignment is None:
        return _refused(request, "invalid", 400)
    if assignment.state != AssignmentState.ISSUED:
        return _refused(request, "used", 410, assignment)
    if request.method == "GET":
        return render(request, TEMPLATE, {"outcome": "confirm", "assignment": assignment})
    try:
        assignment = services.acknowledge_by_link(assignment=assignment)
    except Conflict:
        return _refused(request, "used", 410, assignment)
    return render(request, TEMPLATE, {"outcome": "done", "assignment": assignment})
