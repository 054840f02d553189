"""One recipient's report on a directive: what was reported, and the managing office's
decision on it (verify, or return for rework)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from compliance.errors import Conflict, NotAllowed, NotFound
from compliance.fsm import may_proceed
from pages.common import localise
from workflow import services

from . import reports
from .access import may_manage, refused, visible_directive
from .forms import (
    ReturnForm,
)
from .labels import ASSIGNMENT_STATES

# --- one recipient's report: verify or return it ----------------------------------------


def _report_page(request, directive, assignment_pk, *, return_form=None, status=200):
    try:
        assignment = reports.report_file(request.user, directive, assignment_pk)
    except NotFound as exc:
        raise Http404(localise(exc)) from None
    # The transition's guard (only submitted work), then the directive's manager policy.
    may_decide = may_proceed(assignment, "verify") and may_manage(request, directive)
    context = {
        "directive": directive,
        "assignment": assignment,
        "state_label": ASSIGNMENT_STATES[assignment.state],
        "step": directive.policy.steps.filter(order=assignment.escalation_level).first(),
        "may_decide": may_decide,
        "return_form": return_form or ReturnForm(),
    }
    return render(request, "pages/directives/report.html", context, status=status)


@login_required
@require_GET
def report(request, pk, assignment):
    """What one recipient reported (the note, its files, every submission, the timeline),
    with the verify and return forms for the office that manages the directive."""
    return _report_page(request, visible_directive(request, pk), assignment)


def _decide(request, pk, assignment, decision, done):
    directive = visible_directive(request, pk)
    try:
        found = reports.report_file(request.user, directive, assignment)
        decision(found)
    except NotFound as exc:
        raise Http404(localise(exc)) from None
    except NotAllowed as exc:
        return refused(request, localise(exc))
    except Conflict as exc:  # no longer submitted: decided meanwhile
        messages.error(request, localise(exc))
    else:
        messages.success(request, done)
    return redirect("directives:report", pk=pk, assignment=assignment)


@login_required
@require_POST
def verify(request, pk, assignment):
    return _decide(
        request,
        pk,
        assignment,
        lambda a: services.verify_assignment(assignment=a, actor=request.user),
        _("The report was verified: this assignment is done."),
    )


@login_required
@require_POST
def return_report(request, pk, assignment):
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _report_page(
            request, visible_directive(request, pk), assignment, return_form=form, status=400
        )
    reason = form.cleaned_data["reason"]
    return _decide(
        request,
        pk,
        assignment,
        lambda a: services.return_assignment(assignment=a, actor=request.user, reason=reason),
        _("The report was returned for rework; the recipient is told why."),
    )
