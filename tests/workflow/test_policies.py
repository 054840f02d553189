"""The shipped escalation policies and the instants their steps fire at."""

import datetime as dt
import zoneinfo

import pytest

from workflow.calendar import BusinessCalendar
from workflow.models import ClosureDay, EscalationPolicy

pytestmark = pytest.mark.django_db

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
WIT = zoneinfo.ZoneInfo("Asia/Jayapura")


def wib(*args):
    return dt.datetime(*args, tzinfo=WIB)


def ladder(slug, *, issued_at, due_date, tz, calendar=None):
    """{step slug: local instant} for one assignment, each step from its anchor."""
    calendar = calendar or BusinessCalendar.from_database()
    previous, out = None, {}
    for step in EscalationPolicy.objects.get(slug=slug).steps.all():
        previous = step.instant(
            issued_at=issued_at, due_date=due_date, previous_at=previous, tz=tz, calendar=calendar
        )
        out[step.slug] = previous
    return out


def test_the_shipped_policies_and_the_plain_one_is_the_default():
    slugs = set(EscalationPolicy.objects.values_list("slug", flat=True))
    assert slugs == {
        "tindak-lanjut",
        "program-strategis-nasional",
        "hak-akses-siak",
        "perbaikan-perangkat",
    }
    assert EscalationPolicy.objects.get(is_default=True).slug == "tindak-lanjut"
    # Only the national strategic programme's ladder ends in sanctions, and it asks for
    # the instrument that makes a directive's subject one (UU 23/2014 Pasal 67-68).
    sanctioning = EscalationPolicy.objects.filter(
        steps__action__in=["written_warning_1", "written_warning_2", "escalate_to_minister"]
    ).distinct()
    assert [p.slug for p in sanctioning] == ["program-strategis-nasional"]
    assert list(
        EscalationPolicy.objects.filter(requires_programme_basis=True).values_list(
            "slug", flat=True
        )
    ) == ["program-strategis-nasional"]


def test_program_strategis_nasional_climbs_the_legal_ladder():
    # Issued Monday 2 November 2026 at 10:00 WIB, due Friday 20 November.
    steps = ladder(
        "program-strategis-nasional",
        issued_at=dt.datetime(2026, 11, 2, 10, 0, tzinfo=WIB),
        due_date=dt.date(2026, 11, 20),
        tz=WIB,
    )
    assert steps == {
        "ack-reminder": wib(2026, 11, 4, 10, 0),  # 2 working days after issue
        "due-reminder": wib(2026, 11, 18, 0, 0),  # 3 full working days left
        # The end of the due day is a Saturday: Monday, when the offices open.
        "overdue-notice": wib(2026, 11, 23, 8, 0),
        "written-warning-1": wib(2026, 11, 30, 8, 0),  # 5 working days after due (Sat.)
        "written-warning-2": wib(2026, 12, 14, 8, 0),  # 14 days after warning I
        "escalate-to-minister": wib(2026, 12, 28, 8, 0),  # 14 days after warning II
    }


def test_warning_one_counts_past_christmas_and_its_joint_leave():
    steps = ladder(
        "program-strategis-nasional",
        issued_at=dt.datetime(2026, 12, 1, 9, 0, tzinfo=WIB),
        due_date=dt.date(2026, 12, 22),
        tz=WIB,
    )
    # Working days after 22 Dec: 23, (24 cuti bersama, 25 Natal, weekend) 28, 29, 30, 31;
    # they end on New Year's Day, then a weekend: Monday 4 January, when offices open.
    assert steps["written-warning-1"] == wib(2027, 1, 4, 8, 0)


def test_a_closure_day_moves_the_business_day_steps():
    ClosureDay.objects.create(date=dt.date(2026, 11, 23), description="Cuti bersama susulan")
    steps = ladder(
        "program-strategis-nasional",
        issued_at=dt.datetime(2026, 11, 2, 10, 0, tzinfo=WIB),
        due_date=dt.date(2026, 11, 20),
        tz=WIB,
    )
    assert steps["written-warning-1"] == wib(2026, 12, 1, 0, 0)
    assert steps["written-warning-2"] == wib(2026, 12, 15, 0, 0)


def test_a_wit_recipient_is_overdue_two_hours_before_a_wib_one():
    issued = dt.datetime(2026, 11, 2, 10, 0, tzinfo=WIB)
    due = dt.date(2026, 11, 20)
    policy = EscalationPolicy.objects.get(slug="program-strategis-nasional")
    overdue = policy.steps.get(slug="overdue-notice")
    cal = BusinessCalendar()
    papua = overdue.instant(issued_at=issued, due_date=due, previous_at=None, tz=WIT, calendar=cal)
    jambi = overdue.instant(issued_at=issued, due_date=due, previous_at=None, tz=WIB, calendar=cal)
    assert jambi - papua == dt.timedelta(hours=2)


def test_hak_akses_siak_warns_at_issue_and_asks_a_director_at_expiry():
    steps = ladder(
        "hak-akses-siak",
        issued_at=dt.datetime(2026, 11, 2, 10, 0, tzinfo=WIB),
        due_date=dt.date(2026, 11, 12),
        tz=WIB,
    )
    assert steps == {
        "dg-warning-letter": wib(2026, 11, 2, 10, 0),
        "suspension-request": wib(2026, 11, 13, 0, 0),
    }


@pytest.mark.parametrize("zone", ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"])
def test_no_step_of_any_shipped_policy_lands_on_a_non_working_day(zone):
    # Every due date of 2026 and 2027 (holidays, joint leave, weekends), issued two weeks
    # before at 10:00, each step after the one before fired when due.
    tz = zoneinfo.ZoneInfo(zone)
    calendar = BusinessCalendar.from_database()
    first = dt.date(2026, 1, 1)
    ladders = [list(p.steps.all()) for p in EscalationPolicy.objects.all()]
    for offset in range(730):
        due = first + dt.timedelta(days=offset)
        issued = dt.datetime.combine(due - dt.timedelta(days=14), dt.time(10), tzinfo=tz)
        for steps in ladders:
            previous = None
            for step in steps:
                previous = step.instant(
                    issued_at=issued, due_date=due, previous_at=previous, tz=tz, calendar=calendar
                )
                day = previous.astimezone(tz).date()
                assert calendar.is_working_day(day), (step.slug, due, previous)
