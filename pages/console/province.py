"""A province's page: its regencies, their realisation and downtime."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from compliance.models import Province
from compliance.selectors import (
    describe,
    regencies_for,
)

from . import realisation
from .access import console_page
from .kept import kept
from .labels import STATE_LABELS, STATES
from .panels import (
    downtime_panel,
    is_ministry,
    office_addresses_panel,
    page_of,
    realisation_chart,
    realisation_table,
    with_zones,
    zone_of,
)


@console_page
def province(request, code):
    page = kept(request, "province", lambda: _province(request, code), code)
    if is_ministry(request):
        page["addresses_panel"] = office_addresses_panel(page["province_id"])
    return render(request, "pages/console/province.html", page)


def _province(request, code):
    """The page's title and body, for pages.console.kept; 404 outside the jurisdiction."""
    user = request.user
    province = get_object_or_404(Province, code=code)
    regencies = regencies_for(user, province=code)
    page = page_of(request, regencies)
    if not page.paginator.count:
        raise Http404  # outside the jurisdiction: as if it did not exist
    figures = realisation.stored(request)
    described = with_zones(describe(page.object_list, user))
    rows = realisation.stored_figures(figures, lagging_in=False, regencies=regencies).regencies
    at = realisation.as_of(request, figures)  # after the figures: read with them
    by_pk = {row.region.pk: row for row in rows or []}
    for r in described:
        r.realisation = by_pk.get(r.pk)
    context = {
        "province": province,
        "states": [(s, STATE_LABELS[s]) for s in STATES],
        "page": page,
        "regencies": described,
        "at": at,
        "zone": zone_of(province),
        "regency_realisation": rows,
        "regency_chart": rows
        and realisation_chart(
            rows, _("e-KTP realisation by regency against the path to the year-end target")
        ),
        "regency_table": rows
        and realisation_table(
            rows, link="regency", testid="realisation-by-regency", heading=_("Regency or city")
        ),
    }
    context["downtime_chart"], context["downtime_rows"] = downtime_panel(user, province=province)
    return {
        "title": province.name,
        "province_id": province.pk,
        "body": render_to_string("pages/console/_province_body.html", context, request),
    }
