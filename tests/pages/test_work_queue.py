"""My work, counted (issue 15, item 2): every office lands on its work queue (/kerja/),
what waits for it, the most urgent first, with per-kind counts equal to the menu's and to
what the API lists for the same user; nothing to do says so; closed work is in its own
tab."""

import datetime as dt
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from compliance import access, services
from compliance.models import RequestStatus, SuspensionRequest
from pages.common import user_offices
from pages.nav import NavCounts
from tests.compliance.scenario import Cast, flag, remediate, request_suspension, suspend
from tests.factories import official
from tests.pages.inbox_fixtures import MERANGIN, TEBO, assignment_url, issue, later
from workflow.models import ESCALATION_STOPPED, AssignmentState

pytestmark = pytest.mark.django_db

QUEUE = "/kerja/"
OPEN_STATES = [s for s in AssignmentState.values if s not in ESCALATION_STOPPED]


@pytest.fixture
def demo(settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True  # seed_demo refuses with DEBUG off
    with django_capture_on_commit_callbacks(execute=True):  # today's work, as committed
        call_command("seed_demo", stdout=StringIO())
    settings.DEBUG = False


def signed_in(client, username):
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    return user


def counts(page):
    """{group: n} of the counts at the top of the queue."""
    return {
        group: int(n)
        for group, n in re.findall(
            r'data-testid="work-count" data-group="([a-z_]+)" data-count="(\d+)"', page
        )
    }


def menu_count(page, name):
    match = re.search(rf'id="nav-{name}-count" data-count="(\d+)"', page)
    return int(match.group(1)) if match else 0


def items(page):
    """[(kind, pk)] of the queue's lines, in order."""
    return [
        (kind, int(pk))
        for kind, pk in re.findall(
            r'data-testid="work-item" data-kind="(\w+)" data-pk="(\d+)"', page
        )
    ]


def api_count(client, path, **params):
    response = client.get(f"/api/v1/{path}", params)
    assert response.status_code == 200, response.content
    return response.json()["count"]


def inbox_by_api(client):
    return sum(api_count(client, "assignments/", mine="true", state=s) for s in OPEN_STATES)


def landing(client):
    """Where sign-in lands ("/" redirects there), read."""
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url == QUEUE
    page = client.get(QUEUE)
    assert page.status_code == 200
    return page.content.decode()


# --- each demo role: its pending count is the API's ------------------------------------


def test_the_directors_landing_counts_his_approvals_as_the_api_lists_them(client, demo):
    signed_in(client, "direktur1")
    page = landing(client)

    expected = (
        api_count(client, "suspension-requests/", status="pending")
        + api_count(client, "regencies/", state="remediated")
        + api_count(client, "extension-requests/", status="pending")
    )
    assert expected >= 1  # petugas1's request to suspend Kerinci
    assert counts(page)["approvals"] == expected == menu_count(page, "approvals")
    assert ("suspension", SuspensionRequest.objects.get(regency__code="15.01").pk) in items(page)
    assert 'id="nav-console"' in page  # the console: one click away


@pytest.mark.parametrize("username", ["menteri", "dirjen"])
def test_the_minister_and_the_director_general_see_approvals_and_proposals(client, demo, username):
    signed_in(client, username)
    page = landing(client)

    shown = counts(page)
    assert shown["approvals"] == menu_count(page, "approvals") >= 1
    assert shown["proposals"] == api_count(client, "sanction-proposals/", state="proposed")
    assert shown["proposals"] == menu_count(page, "proposals")


def test_the_officers_landing_lists_what_he_verifies(client, demo):
    signed_in(client, "petugas1")
    page = landing(client)

    shown = counts(page)
    assert set(shown) == {"remediation", "report", "late_order"}
    assert shown["remediation"] == api_count(client, "regencies/", state="remediated")
    late = [
        o
        for o in client.get("/api/v1/access-orders/", {"state": "issued"}).json()["results"]
        if dt.datetime.fromisoformat(o["due_at"]) < timezone.now()
    ]
    assert shown["late_order"] == len(late)


def test_the_governors_landing_counts_his_inbox_and_the_warnings_he_signs(client, demo):
    signed_in(client, "gubernur.jambi")
    page = landing(client)

    shown = counts(page)
    assert shown["inbox"] == inbox_by_api(client) == menu_count(page, "inbox") >= 1
    assert shown["proposals"] == api_count(client, "sanction-proposals/", state="proposed") >= 1
    assert shown["proposals"] == menu_count(page, "proposals")
    assert shown["approvals"] == menu_count(page, "approvals")


@pytest.mark.parametrize(
    "username", ["bupati.kerinci", "bupati.merangin", "kadisdukcapil.merangin"]
)
def test_a_regencys_landing_counts_its_inbox_as_the_api_lists_it(client, demo, username):
    signed_in(client, username)
    page = landing(client)

    shown = counts(page)
    assert shown["inbox"] == inbox_by_api(client) == menu_count(page, "inbox")
    assert len([i for i in items(page) if i[0] == "assignment"]) == shown["inbox"]


def test_kerinci_flagged_waits_for_its_remediation_in_the_regents_queue(client, demo):
    signed_in(client, "bupati.kerinci")
    page = landing(client)

    assert counts(page)["open_case"] == 1
    assert "/inbox/regency/15.01/" in page
    assert counts(page)["inbox"] >= 1  # the remediation directive


def test_the_network_operators_landing_counts_the_issued_orders(client, demo):
    director = signed_in(client, "direktur1")
    kerinci = SuspensionRequest.objects.get(regency__code="15.01", status=RequestStatus.PENDING)
    access.approve_suspension(request=kerinci, actor=director)
    signed_in(client, "operator.jaringan")
    page = landing(client)

    assert counts(page) == {"access_orders": api_count(client, "access-orders/", state="issued")}
    assert counts(page)["access_orders"] == 1 == menu_count(page, "access-orders")


def test_the_auditor_has_nothing_to_do_and_is_shown_the_audit_pages(client, demo):
    signed_in(client, "auditor")
    page = landing(client)

    assert counts(page) == {}
    assert 'data-testid="nothing-to-do"' in page
    assert f'href="{reverse("audit:index")}"' in page


# --- the rule of the order: overdue first, then by due instant, then the oldest --------


def test_overdue_first_then_by_due_time_then_the_oldest(client, officer):
    regent = official("regent", MERANGIN)
    soon = issue(officer, due=later(3))[MERANGIN]
    late = issue(officer, due=later(9))[MERANGIN]
    overdue = issue(officer, due=later(-2), at=timezone.now() - dt.timedelta(days=20))[MERANGIN]
    cast = Cast.of(MERANGIN)
    cast.regent = regent
    flag(cast)  # the regency's remediation: no due time, after the dated work
    client.force_login(regent)

    page = client.get(QUEUE).content.decode()

    order = items(page)
    assert [pk for kind, pk in order if kind == "assignment"] == [overdue.pk, soon.pk, late.pk]
    assert order[-1][0] == "open_case"
    assert order[0] == ("assignment", overdue.pk)
    assert 'data-testid="overdue"' in page and "WIB" in page


def test_a_directors_own_suspension_request_is_not_his_to_decide(client, regions):
    minister = official("minister")
    merangin, tebo = Cast.of(MERANGIN), Cast.of(TEBO)
    flag(merangin)
    request_suspension(merangin)  # an officer's: the Minister's to decide
    flag(tebo)
    own = services.request_suspension(
        regency=tebo.regency, actor=minister, reason="Tidak kooperatif"
    )
    client.force_login(minister)

    page = client.get(QUEUE).content.decode()

    listed = [pk for kind, pk in items(page) if kind == "suspension"]
    assert own.pk not in listed and len(listed) == 1
    assert counts(page)["approvals"] == menu_count(page, "approvals") == 1


# --- nothing to do, and the query count ------------------------------------------------


def test_nothing_to_do_is_said(client, regions):
    client.force_login(official("ministry_director"))
    page = client.get(QUEUE).content.decode()
    assert 'data-testid="nothing-to-do"' in page
    assert counts(page) == {"approvals": 0, "report": 0}
    assert 'id="nav-approvals-count"' not in page  # no zero badge in the menu


def test_no_office_no_queue(client, db):
    client.force_login(get_user_model().objects.create_user("tanpa-jabatan", password="x"))
    assert client.get(QUEUE).status_code == 403
    assert client.get(reverse("home")).status_code == 403


def queries_of_the_queue(client):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(QUEUE).status_code == 200
    return len(captured.captured_queries)


def test_the_query_count_does_not_grow_with_the_items(client, regions):
    director = official("ministry_director")
    client.force_login(director)
    for code in ["15.02", "15.09"]:
        cast = Cast.of(code)
        flag(cast)
        request_suspension(cast)
    few = queries_of_the_queue(client)
    for code in ["15.01", "15.03", "15.04", "15.05"]:
        cast = Cast.of(code)
        flag(cast)
        request_suspension(cast)
    cast = Cast.of("15.06")
    flag(cast)
    suspend(cast)
    remediate(cast)

    many = queries_of_the_queue(client)
    assert len(items(client.get(QUEUE).content.decode())) == 7
    assert many == few


# --- the done tab ----------------------------------------------------------------------


def test_closed_work_is_in_the_done_tab_not_in_the_queue(client, officer):
    regent = official("regent", MERANGIN)
    done = issue(officer, due=later(12))[MERANGIN]
    waiting = issue(officer, due=later(5))[MERANGIN]
    client.force_login(regent)
    client.post(assignment_url(done, "acknowledge"))
    client.post(assignment_url(done, "submit"), {"note": "Selesai"})

    queue = client.get(QUEUE).content.decode()
    finished = client.get(reverse("work:done")).content.decode()

    assert [pk for kind, pk in items(queue) if kind == "assignment"] == [waiting.pk]
    assert finished.count('data-testid="done-item"') == 1
    assert done.directive.title in finished
    assert 'data-testid="tab-done" aria-current="page"' in finished


def test_nothing_closed_in_the_last_30_days(client, regions):
    client.force_login(official("auditor"))
    page = client.get(reverse("work:done")).content.decode()
    assert 'data-testid="nothing-done"' in page


def test_the_menu_count_and_the_queue_share_one_read(regions, django_assert_num_queries):
    cast = Cast.of(MERANGIN)
    flag(cast)
    request_suspension(cast)
    request = RequestFactory().get("/")
    request.user = cast.director
    user_offices(request)
    with django_assert_num_queries(1):
        assert NavCounts(request).approvals == 1
    with django_assert_num_queries(0):  # counted once per request
        assert NavCounts(request).approvals == 1
