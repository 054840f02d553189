"""The governors' daily digest: for each province, the regencies and cities with
overdue assignments and how far their escalation has gone. One e-mail per governor
and local day (the dedupe key), and none when nothing is overdue."""

from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from compliance.models import Office, OfficeKind

from .models import Assignment, EscalationStep, Notification
from .notifications import outbox
from .selectors import overdue_q

TEMPLATE = "governor_digest"


def _regency_rows(assignments, day, step_names):
    """One row per regency (furthest escalated first), each with its overdue assignments."""
    by_regency = defaultdict(list)
    for a in assignments:
        by_regency[(a.regency.name, a.office.title)].append(
            {
                "directive": a.directive.title,
                "due_date": a.due_date.isoformat(),
                "days_overdue": (day - a.due_date).days,
                "level": a.escalation_level,
                "step": step_names.get((a.directive.policy_id, a.escalation_level), ""),
            }
        )
    rows = []
    for (regency, office), items in by_regency.items():
        worst = max(items, key=lambda i: i["level"])
        rows.append(
            {
                "regency": regency,
                "office": office,
                "level": worst["level"],
                "step": worst["step"],
                "assignments": items,
            }
        )
    return sorted(rows, key=lambda r: (-r["level"], r["regency"]))


def queue_governor_digests(now=None):
    """Write today's digest for every governor with something to report; returns the ids
    of the notifications written (a rerun on the same local day writes none)."""
    now = now or timezone.now()
    overdue = (
        Assignment.objects.filter(overdue_q(now), regency__isnull=False)
        .select_related("regency", "office", "directive")
        .order_by("regency__code", "due_at", "id")
    )
    by_province = defaultdict(list)
    for a in overdue:
        by_province[a.province_id].append(a)
    if not by_province:
        return []
    step_names = {(s.policy_id, s.order): s.name for s in EscalationStep.objects.all()}
    governors = (
        Office.objects.filter(kind=OfficeKind.GOVERNOR, province_id__in=by_province)
        .exclude(email="")
        .select_related("province")
    )
    written = []
    with transaction.atomic():
        for governor in governors:
            day = timezone.localdate(now, governor.province.zoneinfo)
            rows = _regency_rows(by_province[governor.province_id], day, step_names)
            notice, created = Notification.objects.get_or_create(
                dedupe_key=f"digest:{governor.pk}:{day.isoformat()}",
                defaults={
                    "recipient_office": governor,
                    "recipient_email": governor.email,
                    "language": governor.language,
                    "template": TEMPLATE,
                    "context": {
                        "office": governor.title,
                        "province": governor.province.name,
                        "date": day.isoformat(),
                        "regencies": rows,
                        "overdue": sum(len(r["assignments"]) for r in rows),
                    },
                },
            )
            if created:
                written.append(notice.pk)
        outbox.dispatch_on_commit(written)
    return written
