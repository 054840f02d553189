"""What the pages and the API read, added in steps, for the tests that measure their
query counts with a few rows and then with three times as many: regencies with
recording reports (more days of them), cases with the regency suspended, and overdue
assignments. The clock is fixed by the caller (time_machine)."""

import datetime as dt

from compliance.models import District, RecordingReport
from tests.compliance.scenario import Cast, flag, suspend
from workflow import services as workflow_services
from workflow.escalation import sweep

JAMBI = ["15.01", "15.02", "15.03", "15.04", "15.05", "15.06", "15.07", "15.08", "15.09"]
# The first of each month of 2026: the reports' days.
DAYS = [dt.date(2026, month, 1) for month in range(1, 10)]
NOW = dt.datetime(2026, 10, 5, 3, tzinfo=dt.UTC)


def add_reports(codes, days):
    """Reports of the first two districts of each regency on each day; the first regency
    lags far behind the others (a laggard on the pages)."""
    rows = []
    for district in District.objects.filter(regency__code__in=codes).order_by("code"):
        if district.code.split(".")[2] not in ("01", "02"):
            continue
        for i, day in enumerate(days):
            share = 30 if district.regency.code == codes[0] else 60 + i
            rows.append(
                RecordingReport(
                    district=district, date=day, obliged=1000, recorded=share * 10, printed=300
                )
            )
    RecordingReport.objects.bulk_create(rows, ignore_conflicts=True)


def suspend_all(codes):
    """Each regency flagged and cut off (its case open, a period, its orders)."""
    for code in codes:
        cast = Cast.of(code)
        flag(cast)
        suspend(cast)


def overdue_directive(officer, codes, now=NOW):
    """A directive to the regencies, issued 60 days ago and due 40 days ago: its
    assignments overdue, escalated by the sweep."""
    directive = workflow_services.create_directive(
        actor=officer,
        title="Percepatan perekaman KTP-el",
        body="Selesaikan perekaman.",
        legal_basis="UU 24/2013 Pasal 63",
        due_date=(now - dt.timedelta(days=40)).date(),
        scope={"regions": codes},
    )
    workflow_services.issue_directive(
        directive=directive, actor=officer, at=now - dt.timedelta(days=60)
    )
    sweep(now=now)
    return directive


def few(officer):
    """Three regencies with two days of reports, cut off, and one overdue directive."""
    add_reports(JAMBI[:3], DAYS[:2])
    suspend_all(JAMBI[:3])
    overdue_directive(officer, JAMBI[:3])


def many(officer):
    """Three times as many: nine regencies, six days of reports, two more directives."""
    add_reports(JAMBI[:9], DAYS[:6])
    suspend_all(JAMBI[3:9])
    overdue_directive(officer, JAMBI[:9])
    overdue_directive(officer, JAMBI[:9])
