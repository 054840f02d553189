"""Find a regency, city or district by name or Kemendagri code from the header's search
form: /cari/?q=merangin, ?q=15.02, ?q=15.02.01. Only what the user's offices cover
(compliance.permissions.visible_regencies); each hit links to the regency's page the
user may open (the console's for ministry, provincial and audit offices, "my regency"
for the regency's own offices). Two queries whatever the answer holds (the user's
offices are read once per request), at most RESULTS_MAX of each kind."""

import re

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from compliance.models import District
from compliance.permissions import visible_regencies
from pages.common import user_offices
from pages.console.access import CONSOLE_KINDS

QUERY_MAX_LENGTH = 60
RESULTS_MAX = 25
CODE = re.compile(r"^\d{1,2}(\.\d{0,2}){0,2}$")


def _query(raw):
    """Spaces collapsed, at most QUERY_MAX_LENGTH characters; empty when nothing is left."""
    return " ".join(raw.split())[:QUERY_MAX_LENGTH]


def _matches(q, *, code_field, name_field):
    if CODE.match(q):
        return Q(**{f"{code_field}__startswith": q})
    return Q(**{f"{name_field}__icontains": q})


def _regency_url(request):
    """The page of a regency this user may open: the console's, else his own regency's."""
    if {o.kind for o in user_offices(request)} & CONSOLE_KINDS:
        return lambda code: reverse("console:regency", args=[code])
    return lambda code: reverse("inbox:regency", args=[code])


@login_required
@require_GET
def search(request):
    q = _query(request.GET.get("q", ""))
    regencies, districts = [], []
    if q:
        visible = visible_regencies(request.user)
        regencies = list(
            visible.filter(_matches(q, code_field="code", name_field="name"))
            .select_related("province")
            .order_by("code")[: RESULTS_MAX + 1]
        )
        districts = list(
            District.objects.filter(regency__in=visible)
            .filter(_matches(q, code_field="code", name_field="name"))
            .select_related("regency", "regency__province")
            .order_by("code")[: RESULTS_MAX + 1]
        )
    url = _regency_url(request)
    for r in regencies:
        r.url = url(r.code)
    for d in districts:
        d.url = url(d.regency.code)
    return render(
        request,
        "pages/search.html",
        {
            "q": q,
            "regencies": regencies[:RESULTS_MAX],
            "districts": districts[:RESULTS_MAX],
            "more": len(regencies) > RESULTS_MAX or len(districts) > RESULTS_MAX,
            "results_max": RESULTS_MAX,
            "search_q": q,
        },
    )
