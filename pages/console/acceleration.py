"""Acceleration directives for the laggards, issued from the country console."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from compliance.errors import InvalidInput, NotAllowed
from workflow import laggards as acceleration
from workflow.laggards import issue_acceleration_directives_now
from workflow.models import Directive

from .. import confirm
from . import realisation
from .access import console_page, report_refusal
from .panels import is_ministry


@console_page
@require_POST
def issue_acceleration(request):
    """The button under the laggards: issue now what the weekly task would issue."""
    at = parse_date(request.POST.get("at") or "")
    target = reverse("console:country") + (f"?at={at.isoformat()}" if at else "")
    if at is None:
        messages.error(request, _("Choose the date of the recording figures."))
        return redirect(target)
    if not confirm.confirmed(request) and is_ministry(request):
        return _ask_acceleration(request, at, target)

    def act():
        try:
            issued = issue_acceleration_directives_now(actor=request.user, at=at)
        except (NotAllowed, InvalidInput) as exc:
            report_refusal(request, exc)
            return redirect(target), False
        outcomes = ("opened", "updated", "closed", "unchanged")
        done = {o: sum(1 for i in issued if i.outcome == o) for o in outcomes}
        messages.success(
            request,
            _(
                "%(opened)s acceleration directives issued, %(updated)s open ones given this "
                "week's figures and a reminder, %(closed)s closed (no longer lagging); "
                "%(unchanged)s regencies already had theirs for this week."
            )
            % done,
        )
        return redirect(target), True

    if not confirm.confirmed(request):  # refused: no confirmation needed
        return act()[0]
    return confirm.once(request, act, fallback=target)


def _planned_acceleration(at):
    """{outcome: [regency]} of what the run at `at` will do: workflow.laggards.plan where
    it exists (open, update or close each regency's track), else the laggards without
    their directive of that week (opened) and those with it (unchanged)."""
    planner = getattr(acceleration, "plan", None)
    outcomes = {"opened": [], "updated": [], "closed": [], "unchanged": []}
    if planner is not None:
        for item in planner(at):
            outcomes.setdefault(item.outcome, []).append(item.laggard.regency)
        return outcomes
    lagging = realisation.find_laggards(at).values()
    keys = {acceleration.origin_key(lag.regency, at): lag.regency for lag in lagging}
    done = set(Directive.objects.filter(origin_key__in=keys).values_list("origin_key", flat=True))
    for key, regency in keys.items():
        outcomes["unchanged" if key in done else "opened"].append(regency)
    return outcomes


def _ask_acceleration(request, at, target):
    """Name who will receive what before the bulk issue."""
    planned = {k: sorted(v, key=lambda r: r.code) for k, v in _planned_acceleration(at).items()}
    opened, updated = planned["opened"], planned["updated"]
    closed, unchanged = planned["closed"], planned["unchanged"]
    effects = [
        ngettext(
            "%(count)s regional head will receive an acceleration directive and its e-mail, "
            "with the governor in copy.",
            "%(count)s regional heads will receive an acceleration directive and its e-mail, "
            "each with the governor in copy.",
            len(opened),
        )
        % {"count": len(opened)}
    ]
    if updated:
        effects.append(
            ngettext(
                "%(count)s regional head whose acceleration directive is still open will "
                "receive this week's figures and a reminder.",
                "%(count)s regional heads whose acceleration directives are still open will "
                "receive this week's figures and a reminder.",
                len(updated),
            )
            % {"count": len(updated)}
        )
    if closed:
        effects.append(
            ngettext(
                "%(count)s acceleration directive closes: its regency or city no longer lags.",
                "%(count)s acceleration directives close: their regencies and cities no "
                "longer lag.",
                len(closed),
            )
            % {"count": len(closed)}
        )
    if unchanged:
        effects.append(
            ngettext(
                "%(count)s regency or city already had its directive this week and gets "
                "nothing more.",
                "%(count)s regencies and cities already had their directive this week and "
                "get nothing more.",
                len(unchanged),
            )
            % {"count": len(unchanged)}
        )
    effects.append(_("Figures as of %(day)s.") % {"day": date_format(at, "j F Y")})
    labels = {
        "opened": _("new acceleration directive"),
        "updated": _("this week's figures and a reminder"),
        "closed": _("its directive closes"),
    }
    details = [
        f"{r.code} {r.name}: {labels[outcome]}"
        for outcome in ("opened", "updated", "closed")
        for r in planned[outcome]
    ]
    return confirm.ask(
        request,
        title=_("Confirm: issue acceleration directives"),
        effects=effects,
        details=details,
        button=_("Yes, issue the acceleration directives"),
        cancel_url=target,
    )
