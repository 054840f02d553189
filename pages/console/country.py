"""The country console (/console/), or, for a governor, his province's: regencies by
state, the suspended, overdue directives, escalations, downtime and realisation."""

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.models import ComplianceState
from compliance.selectors import (
    describe,
    regencies_for,
    state_counts_by_province,
)
from workflow.selectors import escalations_by_month, overdue_by_level

from .. import charts
from . import realisation
from .access import console_page, home_province_id, is_national
from .kept import CSRF_HOLE, kept
from .labels import STATE_LABELS, STATES
from .panels import (
    downtime_panel,
    is_ministry,
    office_addresses_panel,
    page_of,
    realisation_chart,
    realisation_table,
    with_zones,
)
from .rendered import rendered

STATE_SERIES = [charts.Series(s, STATE_LABELS[s], charts.STATE_COLOURS[s]) for s in STATES]


def _state_chart(rows):
    shown = tuple((row["province"].name, tuple(row["counts"].items())) for row in rows)
    return rendered(("states", shown), lambda: _draw_state_chart(rows))


def _draw_state_chart(rows):
    return charts.stacked_bar_chart(
        [(row["province"].name, row["counts"]) for row in rows],
        STATE_SERIES,
        title=_("Regencies and cities by compliance state, per province"),
        description="; ".join(
            f"{row['province'].name}: "
            + ", ".join(f"{STATE_LABELS[s]} {n}" for s, n in row["counts"].items() if n)
            for row in rows
        ),
        css_class="states-by-province",
    )


def _states_table(rows):
    shown = tuple(
        (row["province"].code, row["province"].name, tuple(row["counts"].items())) for row in rows
    )
    context = {
        "counts": rows,
        "states": [(s, STATE_LABELS[s]) for s in STATES],
        "totals": {s: sum(r["counts"][s] for r in rows) for s in STATES},
        "grand_total": sum(r["total"] for r in rows),
    }
    return rendered(
        ("states-table", shown),
        lambda: render_to_string("pages/console/_states_table.html", context),
    )


def _escalation_chart(months):
    shown = tuple((month, tuple(counts.items())) for month, counts in months)
    return rendered(("escalations", shown), lambda: _draw_escalation_chart(months))


def _draw_escalation_chart(months):
    levels = sorted({level for _, counts in months for level in counts})
    series = [
        charts.Series(
            str(level),
            _("level %(level)s") % {"level": level},
            charts.LEVEL_COLOURS[min(level, len(charts.LEVEL_COLOURS) - 1)],
        )
        for level in levels
    ]
    rows = [(f"{month:%Y-%m}", {str(k): v for k, v in counts.items()}) for month, counts in months]
    level_word = _("level")  # outside the f-string, where xgettext finds it
    return charts.stacked_bar_chart(
        rows,
        series,
        title=_("Escalation steps taken per month, by the level they reached"),
        description="; ".join(
            f"{label}: " + ", ".join(f"{level_word} {k} {v}" for k, v in counts.items())
            for label, counts in rows
        ),
        css_class="escalations-by-month",
    )


@console_page
def country(request):
    page = kept(request, "country", lambda: _country(request))
    if is_ministry(request):
        page["addresses_panel"] = office_addresses_panel()
    return render(request, "pages/console/country.html", page)


def _country(request):
    """The page's title and body, for pages.console.kept."""
    user, now = request.user, timezone.now()
    figures = realisation.stored(request)
    province_id = home_province_id(request)
    counts = state_counts_by_province(user)
    months = escalations_by_month(user)
    suspended = page_of(request, regencies_for(user, state=ComplianceState.SUSPENDED), "sp")
    context = {
        "province": next((r["province"] for r in counts if r["province"].pk == province_id), None),
        "counts": counts,
        "states": [(s, STATE_LABELS[s]) for s in STATES],
        "totals": {s: sum(r["counts"][s] for r in counts) for s in STATES},
        "grand_total": sum(r["total"] for r in counts),
        "state_chart": _state_chart(counts),
        "states_table": _states_table(counts),
        "suspended_page": suspended,
        "suspended": with_zones(describe(suspended.object_list, user, now=now)),
        "overdue": overdue_by_level(user, now=now),
        "months": months,
        "escalation_chart": _escalation_chart(months) if months else None,
        "is_ministry": is_ministry(request),
        "csrf_hole": CSRF_HOLE,
    }
    context["downtime_chart"], context["downtime_rows"] = downtime_panel(user, now=now)
    context.update(_realisation_context(request, figures, counts, context["province"]))
    # The day after the figures: read with them (compliance.summary.Asked).
    context["at"] = realisation.as_of(request, figures)
    province = context["province"]
    return {
        "title": province.name if province else _("Ministry console"),
        "body": render_to_string("pages/console/_country_body.html", context, request),
    }


def _realisation_context(request, figures, counts, province):
    """Realisation by province; for a governor, by regency too; the laggards: read from
    the stored figures (compliance.summary) in one query. Empty (the page says "no
    recording data yet") until reports exist."""
    user = request.user
    # Regional offices see the laggards of their jurisdiction only.
    stored = realisation.stored_figures(
        figures,
        province_ids=[r["province"].pk for r in counts],
        lagging_in=None if is_national(request) else regencies_for(user),
        regencies=regencies_for(user, province=province.code) if province else None,
    )
    provinces = stored.provinces
    context = {
        "province_realisation": provinces,
        "provinces_without_data": len(counts) - len(provinces or []),
    }
    if not provinces:
        return context
    context["province_chart"] = realisation_chart(
        provinces, _("e-KTP realisation by province against the path to the year-end target")
    )
    context["province_table"] = realisation_table(
        provinces, link="province", testid="realisation-by-province", heading=_("Province")
    )
    if province:
        rows = stored.regencies
        context["regency_realisation"] = rows
        context["regency_chart"] = rows and realisation_chart(
            rows, _("e-KTP realisation by regency against the path to the year-end target")
        )
        context["regency_table"] = rows and realisation_table(
            rows, link="regency", testid="realisation-by-regency", heading=_("Regency or city")
        )
    laggards = sorted(
        stored.laggards.values(), key=lambda lag: float(lag.realisation) - float(lag.expected)
    )
    context["laggards"] = page_of(request, laggards, "lp")
    context["laggards_table"] = _laggards_table(context["laggards"].object_list)
    return context


def _laggards_table(laggards):
    shown = tuple(
        (lag.regency.code, lag.regency.name, lag.realisation, lag.expected) for lag in laggards
    )
    return rendered(
        ("laggards-table", shown),
        lambda: render_to_string("pages/console/_laggards_table.html", {"laggards": laggards}),
    )
