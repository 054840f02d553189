"""The auditor's pages: everything read-only, plus exports of assignments and of the
compliance transition log as CSV and XLSX (streamed: memory stays flat whatever the
number of rows). Auditors and ministry offices may use them; anybody else gets 403."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from compliance.models import OfficeKind, Province, TransitionLog
from compliance.permissions import jurisdiction
from pages import exports
from pages.common import row_reason, user_offices
from pages.directives import tracking
from pages.directives.labels import ASSIGNMENT_STATES
from pages.directives.views import refused

PER_PAGE = 25


class AuditFilter(forms.Form):
    """Dates are calendar days in the ministry's time zone (WIB)."""

    start = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    province = forms.ModelChoiceField(
        label=gettext_lazy("Province"),
        queryset=Province.objects.order_by("code"),
        to_field_name="code",
        required=False,
        empty_label=gettext_lazy("Every province"),
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(gettext_lazy("The start date is after the end date."))
        return data

    def values(self):
        return self.cleaned_data if self.is_valid() else {}


def _may_audit(request):
    return any(o.kind == OfficeKind.AUDITOR or o.is_ministry for o in user_offices(request))


def _refuse(request):
    return refused(request, _("Only auditors and ministry offices may read the audit pages."))


def assignments(request, values):
    """Assignments within the user's jurisdiction, issued in the date range."""
    rows = tracking.tracked_assignments(
        request.user, filters={"province": values.get("province") and values["province"].code}
    )
    if values.get("start"):
        rows = rows.filter(issued_at__date__gte=values["start"])
    if values.get("end"):
        rows = rows.filter(issued_at__date__lte=values["end"])
    return rows


def transitions(request, values):
    """The compliance transition log within the user's jurisdiction, oldest first."""
    logs = TransitionLog.objects.select_related("regency__province", "actor", "office")
    condition = jurisdiction(request.user, province="regency__province_id")
    if condition is not None:
        logs = logs.filter(condition)
    if values.get("province"):
        logs = logs.filter(regency__province=values["province"])
    if values.get("start"):
        logs = logs.filter(at__date__gte=values["start"])
    if values.get("end"):
        logs = logs.filter(at__date__lte=values["end"])
    return logs.order_by("at", "id")


@login_required
@require_GET
def index(request):
    if not _may_audit(request):
        return _refuse(request)
    form = AuditFilter(request.GET or None)
    values = form.values()
    assignment_page = Paginator(assignments(request, values), PER_PAGE).get_page(
        request.GET.get("apage")
    )
    for a in assignment_page.object_list:
        a.state_label = ASSIGNMENT_STATES[a.state]
        a.due_text = tracking.due_text(a)
    log_page = Paginator(transitions(request, values), PER_PAGE).get_page(request.GET.get("tpage"))
    for log in log_page.object_list:
        log.at_text = tracking.instant_text(log.at, log.regency.province.zoneinfo)
        log.shown_reason = row_reason(log, by=log.actor_id)
    filters = {k: v for k, v in request.GET.items() if k in form.fields and v}
    context = {
        "form": form,
        "assignments": assignment_page,
        "logs": log_page,
        "query": urlencode(filters),
        # Each list's page links keep the other list on its page.
        "assignment_query": urlencode({**filters, "tpage": log_page.number}),
        "log_query": urlencode({**filters, "apage": assignment_page.number}),
    }
    return render(request, "pages/audit/index.html", context)


@login_required
@require_GET
def export_assignments(request, fmt):
    if not _may_audit(request):
        return _refuse(request)
    values = AuditFilter(request.GET or None).values()
    return exports.table_response(
        fmt,
        "penugasan",
        exports.assignment_header(),
        exports.assignment_rows(assignments(request, values)),
        title=_("Assignments"),
    )


@login_required
@require_GET
def export_transitions(request, fmt):
    if not _may_audit(request):
        return _refuse(request)
    values = AuditFilter(request.GET or None).values()
    return exports.table_response(
        fmt,
        "log-transisi",
        exports.transition_header(),
        exports.transition_rows(transitions(request, values)),
        title=_("Transition log"),
    )
