"""Issue 14: one acceleration track per lagging regency. Jambi's 2017 recording figures
(the demo's, through the importer) replayed day by day, as production would have run
them: the escalation sweep every morning at 08:00 WIB, the laggard run every Monday at
06:00 WIB. Only Merangin and Sarolangun lag (about 60 %, under the 80 % floor and far
behind their path); each gets one acceleration directive for the year, updated weekly
with the new figures, and climbs one escalation ladder, not one a week."""

import datetime as dt
import zoneinfo
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from compliance.demo import load_recording_reports
from workflow import laggards
from workflow.escalation import sweep
from workflow.models import AssignmentEvent, Directive, Notification, SanctionProposal, StepEvent

pytestmark = pytest.mark.django_db
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
MERANGIN, SAROLANGUN = "15.02", "15.03"


@pytest.fixture
def demo_figures(db, time_machine):
    # Imported once the year is over (the importer refuses future dates), then replayed.
    time_machine.move_to(dt.datetime(2018, 1, 2, 9, tzinfo=WIB), tick=False)
    assert load_recording_reports() > 0
    return time_machine


def replay(clock, start, end):
    day = start
    while day <= end:
        if day.weekday() == 0:
            at = dt.datetime.combine(day, dt.time(6), tzinfo=WIB)
            clock.move_to(at, tick=False)
            laggards.issue_acceleration_directives(at=day, now=at)
        morning = dt.datetime.combine(day, dt.time(8), tzinfo=WIB)
        clock.move_to(morning, tick=False)
        sweep(now=morning)
        day += dt.timedelta(days=1)


def test_find_laggards_on_17_october_2017_names_sarolangun_and_merangin_only(demo_figures):
    out = StringIO()
    call_command("find_laggards", "--at", "2017-10-17", "--dry-run", stdout=out)
    lines = out.getvalue().splitlines()
    assert "Lagging: 2" in lines[0]
    assert [line.split(":")[0].strip() for line in lines[1:]] == [
        "15.02 Kabupaten Merangin",
        "15.03 Kabupaten Sarolangun",
    ]


def test_replaying_2017_gives_each_laggard_one_directive_and_one_ladder(demo_figures):
    replay(demo_figures, dt.date(2017, 1, 1), dt.date(2017, 12, 31))
    directives = Directive.objects.filter(origin_key__startswith="acceleration:")
    per_regency = Counter(d.assignments.get().regency.code for d in directives)
    assert per_regency == {MERANGIN: 1, SAROLANGUN: 1}
    assert set(directives.values_list("state", flat=True)) == {"issued"}  # still lagging

    # Each got the week's figures every Monday after the one it opened on.
    for directive in directives:
        assignment = directive.assignments.get()
        opened = assignment.issued_at.astimezone(WIB).date()
        mondays = sum(
            1
            for n in range(1, (dt.date(2017, 12, 31) - opened).days + 1)
            if (opened + dt.timedelta(days=n)).weekday() == 0
        )
        updates = AssignmentEvent.objects.filter(
            assignment=assignment, transition="acceleration_update"
        )
        assert updates.count() == mondays > 30
        reminders = Notification.objects.filter(
            assignment=assignment, template="acceleration_update"
        )
        assert reminders.count() == 2 * mondays  # the regent, the governor in copy

    # One ladder per regency, each step fired at most once for the whole year; and no
    # written warning at all: an acceleration directive is no national strategic
    # programme of its own (UU 23/2014 Pasal 67-68), its ladder reminds and reports.
    steps = Counter(
        (e.assignment.regency.code, e.step.slug)
        for e in StepEvent.objects.filter(assignment__directive__in=directives)
    )
    assert steps and max(steps.values()) == 1
    assert {slug for _, slug in steps} <= {
        "ack-reminder",
        "due-reminder",
        "overdue-notice",
        "ministry-notice",
    }
    assert not SanctionProposal.objects.filter(assignment__directive__in=directives).exists()
