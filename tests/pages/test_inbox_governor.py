"""A governor's inbox: the directives addressed to his office (the ministry's, to every
province or to his), acted on by him or his provincial Dukcapil head; the letters he
received from the Minister and those issued in his name to his regents and mayors. The
regents' own work stays in the console, where he watches it."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PSN, official
from tests.pages.inbox_fixtures import MERANGIN, TEBO, assignment_url, english, issue, later
from tests.workflow.proposal_helpers import sign_each_when_due
from workflow import services
from workflow.escalation import sweep
from workflow.models import Assignment, Letter

pytestmark = pytest.mark.django_db
INBOX = reverse("inbox:assignments")
LETTERS = reverse("inbox:letters")
JAMBI, RIAU = "15", "14"


@pytest.fixture
def governor():
    return official("governor", JAMBI)


@pytest.fixture
def governor_client(client, governor):
    client.force_login(governor)
    return english(client)


def to_governors(officer, *, due, provinces=(JAMBI,), at=None):
    """A directive to the governors of `provinces`; returns its assignments by code."""
    directive = services.create_directive(
        actor=officer,
        title="Laporan capaian perekaman KTP-el provinsi",
        body="Sampaikan laporan capaian perekaman seluruh kabupaten/kota.",
        legal_basis="UU 24/2013 Pasal 63",
        due_date=due,
        scope={"regions": list(provinces)},
        **PSN,
    )
    _, assignments = services.issue_directive(directive=directive, actor=officer, at=at)
    return {a.office.province.code: a for a in assignments}


def listed(response):
    return [int(pk) for pk in re.findall(r'data-assignment="(\d+)"', response.content.decode())]


def test_the_inbox_holds_the_directives_to_his_office_not_his_regents_work(
    governor_client, officer
):
    mine = to_governors(officer, due=later(10), provinces=[JAMBI, RIAU])[JAMBI]
    issue(officer, due=later(5), regions=[MERANGIN, TEBO])  # his regents': the console's

    response = governor_client.get(INBOX)

    assert response.status_code == 200
    assert listed(response) == [mine.pk]


def test_the_provincial_dukcapil_head_works_the_governors_inbox(client, officer):
    mine = to_governors(officer, due=later(10))[JAMBI]
    client.force_login(official("provincial_dukcapil_head", JAMBI))

    english(client).post(assignment_url(mine, "acknowledge"))

    assert listed(client.get(INBOX)) == [mine.pk]
    assert Assignment.objects.get(pk=mine.pk).state == "acknowledged"


def test_the_governor_acknowledges_and_submits_a_written_report(governor_client, officer):
    mine = to_governors(officer, due=later(10))[JAMBI]

    governor_client.post(assignment_url(mine, "acknowledge"))
    page = governor_client.get(assignment_url(mine)).content.decode()
    # A province's report is text: evidence files belong to a regency's compliance file.
    assert 'name="note"' in page and 'name="evidence"' not in page
    response = governor_client.post(
        assignment_url(mine, "submit"), {"note": "Capaian Jambi 91,4 %; rincian terlampir."}
    )

    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.state == "submitted"
    assert mine.note.startswith("Capaian Jambi 91,4 %")


def test_a_report_without_its_text_is_refused_and_changes_nothing(governor_client, officer):
    mine = to_governors(officer, due=later(10))[JAMBI]
    governor_client.post(assignment_url(mine, "acknowledge"))

    response = governor_client.post(assignment_url(mine, "submit"), {"note": ""})

    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert Assignment.objects.get(pk=mine.pk).state == "acknowledged"


def test_a_regents_assignment_is_not_in_the_governors_inbox(governor_client, officer):
    theirs = issue(officer, due=later(5))[MERANGIN]

    assert governor_client.get(assignment_url(theirs)).status_code == 404
    response = governor_client.post(assignment_url(theirs, "acknowledge"))
    assert response.status_code == 403  # he sees it in the console, but it is not his to act
    assert "Only the addressed office may do this" in response.content.decode()
    assert Assignment.objects.get(pk=theirs.pk).state == "issued"


def test_the_menu_opens_the_inbox_and_letters_but_no_regency_file(governor_client):
    page = governor_client.get(reverse("console:country")).content.decode()

    assert 'id="nav-inbox"' in page and 'id="nav-letters"' in page
    assert 'id="nav-regency"' not in page
    assert governor_client.get(reverse("inbox:my_regency")).status_code == 403


def queries(client, url):
    with CaptureQueriesContext(connection) as done:
        response = client.get(url)
    assert response.status_code == 200
    return len(done), response


def test_the_inbox_costs_the_same_queries_whatever_its_length(governor_client, officer):
    to_governors(officer, due=later(3))
    one, _ = queries(governor_client, INBOX)
    for n in range(5):
        to_governors(officer, due=later(4 + n))

    six, response = queries(governor_client, INBOX)

    assert len(listed(response)) == 6
    # 7, the governor's second factor (django-otp's device), and the counts beside his
    # menu's inbox, approvals and proposals (pages.nav; the offices are read once)
    assert six == one <= 9


# --- letters ------------------------------------------------------------------------

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
ISSUED = dt.datetime(2026, 11, 2, 10, 0, tzinfo=WIB)  # a Monday
DUE = dt.date(2026, 11, 20)
WARNING_1 = dt.datetime(2026, 11, 30, 8, 0, tzinfo=WIB)  # warning I (Sat.) waits for Monday 08:00


@pytest.fixture
def warned(officer):
    """Written warning I to the regents of Merangin and Tebo (signed by the governor of
    Jambi) and to the governors of Jambi and Riau (signed by the Minister)."""
    regents = issue(officer, due=DUE, at=ISSUED, regions=[MERANGIN, TEBO])
    governors = to_governors(officer, due=DUE, at=ISSUED, provinces=[JAMBI, RIAU])
    sweep(now=WARNING_1)
    sign_each_when_due()
    return {**regents, **governors}


def letter_of(assignment):
    return Letter.objects.get(step_event__assignment=assignment)


def test_letters_received_and_letters_issued_in_his_name_are_listed_apart(governor_client, warned):
    from_minister = letter_of(warned[JAMBI])
    signed = [letter_of(warned[MERANGIN]), letter_of(warned[TEBO])]

    page = governor_client.get(LETTERS).content.decode()

    received, _, issued = page.partition('id="signed-letters"')
    assert received.count('data-testid="letter"') == 1
    assert from_minister.number in received
    assert issued.count('data-testid="signed-letter"') == 2
    assert all(letter.number in issued for letter in signed)
    assert letter_of(warned[RIAU]).number not in page  # another governor's


def test_a_letter_issued_in_his_name_downloads_as_a_pdf(governor_client, warned):
    letter = letter_of(warned[MERANGIN])

    response = governor_client.get(reverse("inbox:letter_pdf", args=[letter.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_another_provinces_letter_is_not_found(governor_client, warned):
    theirs = letter_of(warned[RIAU])
    assert governor_client.get(reverse("inbox:letter_pdf", args=[theirs.pk])).status_code == 404


def test_a_regent_sees_no_letters_issued_in_his_name(client, warned):
    client.force_login(official("regent", MERANGIN))
    page = english(client).get(LETTERS).content.decode()
    assert page.count('data-testid="letter"') == 1
    assert 'id="signed-letters"' not in page


def test_the_letters_page_costs_the_same_queries_whatever_its_length(governor_client, officer):
    issue(officer, due=DUE, at=ISSUED, regions=["15.01"])
    to_governors(officer, due=DUE, at=ISSUED)
    sweep(now=WARNING_1)
    sign_each_when_due()
    one, _ = queries(governor_client, LETTERS)
    issue(officer, due=DUE, at=ISSUED, regions=["15.03", "15.04", "15.05"])
    to_governors(officer, due=DUE, at=ISSUED)
    sweep(now=WARNING_1)
    sign_each_when_due()

    many, response = queries(governor_client, LETTERS)

    assert response.content.decode().count('data-testid="signed-letter"') == 4
    assert response.content.decode().count('data-testid="letter"') == 2
    # 9, the governor's second factor (django-otp's device) and the menu's counts
    assert many == one <= 11


def test_a_regent_reporting_on_the_governors_directive_is_told_the_governor_verifies(
    client, governor
):
    directive = services.create_directive(
        actor=governor,
        title="Rapat koordinasi perekaman",
        body="Hadiri rapat koordinasi dan laporkan hasilnya.",
        legal_basis="PP 12/2017 Pasal 38",
        due_date=later(5),
        scope={"regions": [MERANGIN]},
        **PSN,
    )
    _, [theirs] = services.issue_directive(directive=directive, actor=governor)
    client.force_login(official("regent", MERANGIN))
    english(client).post(assignment_url(theirs, "acknowledge"))

    response = client.post(
        assignment_url(theirs, "submit"), {"note": "Rapat telah dihadiri."}, follow=True
    )

    page = response.content.decode()
    assert "Report submitted to Gubernur Jambi." in page
    assert "Your report is with Gubernur Jambi for verification" in page
