"""Issue 14 item 4: the demo tells the 2017 story as it happened (the provincial office,
Merangin's appointment by the Minister, the Minister's call to every regional head) and
its offices change hands over 2016-2026, so that a directive follows the office."""

import datetime as dt
from io import StringIO

import holidays
import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory

from compliance import demo
from compliance.models import EvidenceDocument, Office, OfficeHolding, OfficeKind
from compliance.offices import active_offices
from workflow import demo as workflow_demo
from workflow.models import Assignment, AssignmentEvent, Directive, Notification
from workflow.selectors import assignments_for

pytestmark = pytest.mark.django_db
User = get_user_model()
MERANGIN, TEBO = demo.STORY["15.02"], demo.STORY["15.09"]


@pytest.fixture
def seeded(settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True  # seed_demo refuses otherwise
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=StringIO())


def holders(office):
    return list(OfficeHolding.objects.filter(office=office).order_by("starts_on", "id"))


def test_the_provincial_office_is_the_articles_and_arief_munandar_headed_it_in_2017(seeded):
    office = Office.objects.get(kind=OfficeKind.PROVINCIAL_DUKCAPIL_HEAD, province__code="15")
    assert office.title == ("Kepala Dinas Sosial, Kependudukan dan Pencatatan Sipil Provinsi Jambi")
    [then] = OfficeHolding.objects.active(demo.wib(10, 17)).filter(office=office)
    assert then.user.get_full_name() == "Arief Munandar"  # the article's speaker
    [now] = OfficeHolding.objects.active().filter(office=office)
    assert now.user.username == "kadisdukcapil.jambi"


def test_merangins_new_head_was_appointed_by_the_ministers_decision(seeded):
    [document] = EvidenceDocument.objects.filter(regency__code="15.02")
    assert document.original_name.startswith("kepmendagri-")
    assert document.description.startswith("Keputusan Menteri Dalam Negeri")
    assert "Bupati" not in document.description.split(",")[0]  # not a regent's decree
    # uploaded by the head the decision appointed, in office from that day
    head = Office.objects.get(kind=OfficeKind.REGENCY_DUKCAPIL_HEAD, regency__code="15.02")
    appointed = OfficeHolding.objects.get(office=head, user=document.uploaded_by)
    assert appointed.starts_on == demo.MERANGIN_HEAD_APPOINTED
    assert appointed.starts_on <= MERANGIN["upload_evidence"].date()
    # the head the regent moved left before the flag; nobody the regent installed holds it
    before = OfficeHolding.objects.exclude(pk=appointed.pk).get(office=head)
    assert before.ends_on < MERANGIN["flag"].date()
    statement = document.statements.get()
    assert "Keputusan Menteri Dalam Negeri" in statement.statement


def test_every_jambi_head_seat_changed_hands_and_today_the_demo_user_holds_it(seeded):
    sign_in = RequestFactory().post("/masuk/")
    heads = [s for s in demo.demo_seats() if s.kind in (OfficeKind.REGENT, OfficeKind.MAYOR)]
    heads.append(next(s for s in demo.demo_seats() if s.kind == OfficeKind.GOVERNOR))
    for seat in heads:
        office = active_offices(User.objects.get(username=seat.username))[0]
        terms = holders(office)
        assert len(terms) >= 2, seat.username
        assert terms[-1].user.username == seat.username and terms[-1].ends_on is None
        for earlier, later in zip(terms, terms[1:], strict=False):
            assert later.starts_on == earlier.ends_on + dt.timedelta(days=1), seat.username
        for earlier in terms[:-1]:
            user = earlier.user
            assert user.get_full_name() and not user.is_active
            assert not user.has_usable_password()
            assert active_offices(user) == []
            assert (
                authenticate(sign_in, username=user.username, password=demo.DEMO_PASSWORD) is None
            )
    assert demo.took_office("bupati.merangin") == dt.date(2025, 2, 20)


def test_the_story_was_acted_by_the_holders_of_2017(seeded):
    from compliance.models import TransitionLog

    submitted = TransitionLog.objects.get(regency__code="15.02", transition="submit_remediation")
    assert submitted.actor.username == "bupati.merangin.2016"
    assert submitted.actor.username != "bupati.merangin"
    tebo = TransitionLog.objects.get(regency__code="15.09", transition="submit_remediation")
    assert tebo.actor.username == "bupati.tebo.2017"  # took office after the 2017 election


def test_a_directive_of_the_earlier_term_is_seen_by_todays_holder(seeded):
    today = User.objects.get(username="bupati.merangin")
    mine = assignments_for(today, mine=True).filter(issued_at__year=2017)
    # the remediation directives of the 2017 case (on the flag, on the cut), done then
    remediations = mine.filter(directive__origin_key__startswith="remediation:case:")
    assert remediations.count() == 2
    assert set(remediations.values_list("state", flat=True)) == {"verified"}
    call = mine.get(directive__title__startswith=workflow_demo.MINISTERS_CALL["title"])
    answered = AssignmentEvent.objects.get(assignment=call, transition="submit")
    assert answered.actor.username == "bupati.merangin.2016"
    assert call.office in active_offices(today)


def test_the_ministers_call_of_2017_reached_every_governor_regent_and_mayor(seeded):
    calls = Directive.objects.filter(title__startswith=workflow_demo.MINISTERS_CALL["title"])
    assert sorted(calls.values_list("scope_kind", flat=True)) == ["all_provinces", "all_regencies"]
    for directive in calls:
        assert directive.issuing_office.kind == OfficeKind.MINISTER
        assert directive.created_by.get_full_name() == "Tjahjo Kumolo"  # named by the article
        assert directive.issued_at == workflow_demo.CALL_ISSUED
        assert directive.issued_at < demo.wib(10, 17)  # "sebelumnya": before the article
        assert directive.due_date == dt.date(2017, 12, 29)
        assert directive.state == "closed"
    assignments = Assignment.objects.filter(directive__in=calls)
    assert assignments.filter(directive__scope_kind="all_provinces").count() == 38
    assert assignments.filter(directive__scope_kind="all_regencies").count() == 514
    assert set(assignments.values_list("state", flat=True)) == {"verified"}
    assert not assignments.filter(next_step_at__isnull=False).exists()
    assert not Notification.objects.filter(assignment__in=assignments).exclude(state="sent")
    # In Jambi each head in office then answered with his regency's figures.
    jambi = assignments.filter(province__code="15")
    assert jambi.count() == 12
    for assignment in jambi:
        events = AssignmentEvent.objects.filter(assignment=assignment).order_by("at", "id")
        assert [e.transition for e in events] == ["acknowledge", "submit", "verify"]
        assert events[1].actor.username.endswith(("2016", "2017"))
        assert "Capaian perekaman KTP-el per 10-12-2017" in assignment.note
    merangin = jambi.get(regency__code="15.02").note
    assert "(6" in merangin  # about 60 %, as the article says


def test_find_laggards_on_the_demo_names_sarolangun_and_merangin_only(seeded):
    out = StringIO()
    call_command("find_laggards", "--at", "2017-10-17", "--dry-run", stdout=out)
    lines = out.getvalue().splitlines()
    assert "Lagging: 2" in lines[0]
    assert [line.split(":")[0].strip() for line in lines[1:]] == [
        "15.02 Kabupaten Merangin",
        "15.03 Kabupaten Sarolangun",
    ]


def test_every_invented_day_of_the_past_is_a_government_working_day():
    from equipment import demo as equipment_demo

    off = holidays.country_holidays("ID", years=(2017, 2018), categories=("public", "government"))
    days = [
        workflow_demo.CALL_ISSUED,
        workflow_demo.CALL_ACKNOWLEDGED,
        workflow_demo.CALL_ANSWERED,
        workflow_demo.CALL_VERIFIED,
        equipment_demo.REGISTERED_AT,
    ]
    days += [equipment_demo.wib(d) for *_, r, s, f in equipment_demo.BREAKDOWNS for d in (r, s, f)]
    for at in days:
        assert at.weekday() < 5 and at.date() not in off, at
    assert workflow_demo.CALL_DUE.weekday() < 5 and workflow_demo.CALL_DUE not in off
    for day in (demo.MERANGIN_HEAD_MOVED, demo.MERANGIN_HEAD_APPOINTED):
        assert day.weekday() < 5 and day not in off
