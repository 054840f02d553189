"""What the country and province pages share: paging, time zones, the downtime chart,
the realisation chart and the head offices still without an e-mail address."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, F, Window
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from compliance.models import (
    MINISTRY_KINDS,
    Regency,
    SuspensionPeriod,
)
from compliance.offices import head_offices_without_address
from compliance.permissions import jurisdiction
from compliance.selectors import downtime_by, downtime_days
from workflow.selectors import ZONE_LABELS

from .. import charts
from ..common import user_offices
from . import realisation
from .labels import STATE_LABELS
from .rendered import rendered

PAGE_SIZE = 25


def page_of(request, items, param="page"):
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get(param))


def zone_of(province):
    return ZONE_LABELS[province.time_zone]


DOWNTIME_CHART_ROWS = 20


def downtime_panel(user, province=None, now=None):
    """(chart, rows): the regencies with the most days without SIAK access (all periods,
    the open ones until now) in the user's jurisdiction, or the province; two queries."""
    periods = SuspensionPeriod.objects.all()
    condition = jurisdiction(user, province="regency__province_id", regency="regency_id")
    if condition is not None:
        periods = periods.filter(condition)
    if province is not None:
        periods = periods.filter(regency__province=province)
    by_code = downtime_by("regency__code", periods=periods, now=now)
    if not by_code:
        return None, []
    names = dict(Regency.objects.filter(code__in=by_code).values_list("code", "name"))
    rows = sorted(
        ((code, names[code], float(downtime_days(d))) for code, d in by_code.items()),
        key=lambda row: (-row[2], row[0]),
    )[:DOWNTIME_CHART_ROWS]
    return rendered(("downtime", tuple(rows)), lambda: _draw_downtime(rows)), rows


def _draw_downtime(rows):
    days = _("days without SIAK access")
    return charts.stacked_bar_chart(
        [(name, {"days": n}) for _code, name, n in rows],
        [charts.Series("days", days, "#c92a2a")],
        title=_("Days without SIAK access, by regency or city"),
        description="; ".join(f"{name}: {charts.number_text(n)} {days}" for _code, name, n in rows),
        css_class="downtime",
    )


def realisation_chart(rows, title):
    shown = tuple((r.region.name, r.value, r.expected, r.lagging) for r in rows)
    return rendered(("realisation", title, shown), lambda: _draw_realisation(rows, title))


def _draw_realisation(rows, title):
    # Words fetched outside the f-strings: xgettext does not see calls inside them.
    path, lagging, no_data = _("path"), _("lagging"), _("no data")
    return charts.target_bar_chart(
        realisation.target_bars(rows),
        title=title,
        description="; ".join(
            f"{r.region.name}: "
            + (charts.percent_text(r.value) if r.value is not None else no_data)
            + (f" ({path} {charts.percent_text(r.expected)})" if r.expected is not None else "")
            + (f" {lagging}" if r.lagging else "")
            for r in rows
        ),
        # xgettext:no-python-format
        target_label=_("Path to 100 % on 31 December"),
    )


def realisation_table(rows, *, link, testid, heading):
    """The table under a realisation chart (_realisation_table.html), rendered once per
    content (pages.console.rendered)."""
    shown = tuple(
        (r.region.code, r.region.name, r.obliged, r.recorded, r.value, r.expected, r.lagging)
        for r in rows
    )
    context = {"rows": rows, "link": link, "testid": testid, "region_heading": heading}
    return rendered(
        ("realisation-table", link, testid, str(heading), shown),
        lambda: render_to_string("pages/console/_realisation_table.html", context),
    )


OFFICE_ADDRESS_ROWS = 20


def is_ministry(request):
    return any(o.kind in MINISTRY_KINDS for o in user_offices(request))


def offices_without_address(province=None):
    """The head-of-region seats whose mail reaches nobody yet: their count and the first
    rows (one query, whatever their number: the count comes with each row; the rows as
    the values the panel prints). For ministry users, who load addresses."""
    offices = head_offices_without_address(province).annotate(total=Window(Count("pk")))
    rows = list(
        offices.values(
            "kind",
            "title",
            "email",
            "total",
            regency_code=F("regency__code"),
            province_code=F("province__code"),
        )[:OFFICE_ADDRESS_ROWS]
    )
    count = rows[0]["total"] if rows else 0
    return {
        "count": count,
        "rows": rows,
        "more": count - len(rows),
        "domain": settings.OFFICE_EMAIL_DOMAIN,
    }


def office_addresses_panel(province=None):
    """The panel of offices_without_address, rendered once per content (its rows are read
    on every request: addresses change without an event, so the page never keeps them)."""
    unaddressed = offices_without_address(province)
    shown = (
        unaddressed["count"],
        unaddressed["domain"],
        tuple(tuple(row.items()) for row in unaddressed["rows"]),
    )
    return rendered(
        ("office-addresses", shown),
        lambda: render_to_string(
            "pages/console/_office_addresses.html", {"unaddressed": unaddressed}
        ),
    )


def with_zones(regencies):
    """Each regency with its province's time zone and its state's label (the tables
    print them without looking them up row by row)."""
    for r in regencies:
        r.zone = zone_of(r.province)
        r.state_label = STATE_LABELS.get(r.state)
    return regencies
