"""The regent's inbox lists the assignments of the regency's offices by urgency, with the
due instant in the region's own time zone, in a constant number of queries."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import official
from tests.pages.inbox_fixtures import MERANGIN, TEBO, assignment_url, english, issue, later

pytestmark = pytest.mark.django_db
INBOX = reverse("inbox:assignments")


@pytest.fixture
def regent():
    return official("regent", MERANGIN)


@pytest.fixture
def regent_client(client, regent):
    client.force_login(regent)
    return english(client)


def listed(response):
    return [int(pk) for pk in re.findall(r'data-assignment="(\d+)"', response.content.decode())]


def test_overdue_assignments_come_first_then_the_soonest_due(regent_client, officer):
    far = issue(officer, due=later(30))[MERANGIN]
    near = issue(officer, due=later(3))[MERANGIN]
    last_week = dt.datetime.now(dt.UTC) - dt.timedelta(days=10)
    overdue = issue(officer, due=later(-5), at=last_week)[MERANGIN]

    response = regent_client.get(INBOX)

    assert response.status_code == 200
    assert listed(response) == [overdue.pk, near.pk, far.pk]
    assert response.content.decode().count('data-testid="overdue"') == 1


def test_assignments_already_in_the_ministrys_hands_come_after_the_open_ones(
    regent_client, regent, officer
):
    from workflow import services

    submitted = issue(officer, due=later(2))[MERANGIN]
    services.acknowledge_assignment(assignment=submitted, actor=regent)
    services.submit_assignment(assignment=submitted, actor=regent, note="Selesai")
    still_open = issue(officer, due=later(20))[MERANGIN]

    assert listed(regent_client.get(INBOX)) == [still_open.pk, submitted.pk]


def test_the_due_instant_is_the_end_of_the_due_day_in_the_regions_own_zone(officer, client):
    due = dt.date(2027, 1, 15)
    by_region = issue(officer, due=due, regions=[MERANGIN, "91.03", "73.71"])
    for code, label in ((MERANGIN, "WIB"), ("91.03", "WIT"), ("73.71", "WITA")):
        head = "mayor" if code == "73.71" else "regent"
        client.force_login(official(head, code))
        page = english(client).get(INBOX).content.decode()
        assert f"15 Jan 2027, 23:59 {label}" in page, code
        zone = {"WIB": "Asia/Jakarta", "WIT": "Asia/Jayapura", "WITA": "Asia/Makassar"}[label]
        expected = dt.datetime(2027, 1, 16, tzinfo=zoneinfo.ZoneInfo(zone))
        assert by_region[code].due_at == expected


def test_a_regent_sees_only_his_own_regencys_assignments(regent_client, officer):
    mine = issue(officer, due=later(5), regions=[MERANGIN, TEBO])

    assert listed(regent_client.get(INBOX)) == [mine[MERANGIN].pk]
    assert regent_client.get(assignment_url(mine[TEBO])).status_code == 404
    assert regent_client.get(assignment_url(mine[MERANGIN])).status_code == 200


def test_the_regency_dukcapil_head_shares_the_regents_inbox(client, officer):
    assignment = issue(officer, due=later(5))[MERANGIN]
    client.force_login(official("regency_dukcapil_head", MERANGIN))

    assert listed(client.get(INBOX)) == [assignment.pk]


def test_offices_outside_a_regency_are_told_the_inbox_is_not_theirs(client, officer):
    client.force_login(officer)
    response = english(client).get(INBOX)

    assert response.status_code == 403
    assert 'id="refusal-reason"' in response.content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(INBOX)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_list_paginates(regent_client, officer):
    for _ in range(27):
        issue(officer, due=later(10))

    first, second = regent_client.get(INBOX), regent_client.get(INBOX, {"page": 2})

    assert len(listed(first)) == 25
    assert len(listed(second)) == 2
    assert not set(listed(first)) & set(listed(second))


@pytest.mark.parametrize("directives", [2, 12])
def test_the_inbox_costs_the_same_queries_whatever_its_length(
    regent_client, officer, directives, django_assert_max_num_queries
):
    for n in range(directives):
        issue(officer, due=later(3 + n))
    with django_assert_max_num_queries(7):
        response = regent_client.get(INBOX)
    assert len(listed(response)) == directives


def test_the_page_is_made_for_a_phone(regent_client):
    page = regent_client.get(INBOX).content.decode()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page


def test_every_action_needs_the_csrf_token(regent, officer):
    assignment = issue(officer, due=later(5))[MERANGIN]
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(regent)

    response = browser.post(assignment_url(assignment, "acknowledge"))

    assert response.status_code == 403
    assignment.refresh_from_db()
    assert assignment.state == "issued"


def test_actions_only_answer_post(regent_client, officer):
    assignment = issue(officer, due=later(5))[MERANGIN]
    assert regent_client.get(assignment_url(assignment, "acknowledge")).status_code == 405


# --- the top menu ---------------------------------------------------------------------


@pytest.fixture
def menu(settings):
    """The menu's context processor, as the settings list it."""
    engine = settings.TEMPLATES[0]
    processors = engine["OPTIONS"]["context_processors"]
    if "pages.context.menu" not in processors:
        engine = {**engine, "OPTIONS": {**engine["OPTIONS"]}}
        engine["OPTIONS"]["context_processors"] = [*processors, "pages.context.menu"]
        settings.TEMPLATES = [engine, *settings.TEMPLATES[1:]]


def test_the_menu_shows_a_regent_his_areas_only(menu, regent_client):
    page = regent_client.get(INBOX).content.decode()

    assert 'id="nav-inbox"' in page
    assert 'id="nav-letters"' in page
    for other in ("nav-console", "nav-approvals", "nav-compose", "nav-audit", "nav-recording"):
        assert f'id="{other}"' not in page


@pytest.mark.parametrize("kind", ["ministry_officer", "ministry_director", "auditor"])
def test_the_menu_opens_the_audit_pages_to_ministry_offices_and_auditors(menu, client, kind):
    client.force_login(official(kind))
    response = client.get(reverse("audit:index"))
    assert response.status_code == 200
    assert 'id="nav-audit" aria-current="page"' in response.content.decode()


def nav_link(page, name):
    return re.search(rf'<a [^>]*id="nav-{name}"[^>]*>', page)[0]


def test_my_regency_is_marked_current_on_the_page_it_leads_to(menu, regent_client):
    response = regent_client.get(reverse("inbox:my_regency"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("inbox:regency", args=[MERANGIN])
    assert 'aria-current="page"' in nav_link(response.content.decode(), "regency")

    inbox = regent_client.get(INBOX).content.decode()
    assert 'aria-current="page"' not in nav_link(inbox, "regency")
    assert 'aria-current="page"' in nav_link(inbox, "inbox")


def signed_in_as(page):
    return re.search(r'id="nav-user">(.*?)<', page)[1]


def test_the_header_names_the_user_and_the_office_he_acts_through(menu, client):
    client.force_login(official("regent", "15.01", username="bupati.kerinci"))
    assert signed_in_as(client.get(INBOX).content.decode()) == "bupati.kerinci · Bupati Kerinci"


def test_the_header_does_not_repeat_an_officers_username(menu, client):
    client.force_login(official("ministry_officer", username="petugas9"))
    page = client.get(reverse("audit:index")).content.decode()
    assert (
        signed_in_as(page)
        == "petugas9 · Pejabat Direktorat Jenderal Kependudukan dan Pencatatan Sipil"
    )


def test_the_header_prefers_the_full_name(menu, client):
    user = official("regent", "15.01", username="bupati.kerinci")
    user.first_name, user.last_name = "Adirozal", ""
    user.save()
    client.force_login(user)
    assert signed_in_as(client.get(INBOX).content.decode()) == "Adirozal · Bupati Kerinci"


def test_the_menu_and_header_read_no_offices_of_their_own(
    menu, regent, rf, django_assert_num_queries
):
    """Only the count beside the inbox link (pages.nav), one query: no office is read."""
    from django.template.loader import render_to_string

    from pages.common import user_offices
    from pages.context import menu as menu_context

    request = rf.get(INBOX)
    request.user = regent
    user_offices(request)  # as the page itself does
    with django_assert_num_queries(1) as counted:
        nav = render_to_string("pages/_nav.html", menu_context(request), request=request)
    assert "workflow_assignment" in counted.captured_queries[0]["sql"]
    assert 'id="nav-inbox"' in nav
    assert "· Bupati Merangin" in nav


def test_the_menu_leaves_out_areas_whose_pages_do_not_exist_yet(menu, client):
    from django.urls import NoReverseMatch

    client.force_login(official("ministry_director"))
    page = client.get(INBOX).content.decode()  # the page telling him it is not his
    try:
        reverse("console:approvals")
    except NoReverseMatch:
        assert 'id="nav-approvals"' not in page
    else:
        assert 'id="nav-approvals"' in page
    assert 'id="nav-inbox"' not in page
