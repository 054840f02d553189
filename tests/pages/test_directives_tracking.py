"""The directive list and tracking page: every recipient with its state, deadline in its
own zone, escalation level and last notice; filters, exports, withdrawal; each user sees
only the assignments their jurisdiction covers, in a constant number of queries."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import official
from tests.pages.confirming import confirmation, press_confirm
from tests.pages.directives_fixtures import (
    client_for,
    csv_rows,
    issue,
    marked_text,
    xlsx_rows,
)
from workflow import services
from workflow.models import Assignment, AssignmentState, DirectiveState

pytestmark = pytest.mark.django_db
LIST = reverse("directives:list")
JAMBI_OFFICES = 11


@pytest.fixture
def officer_client(officer):
    return client_for(officer)


def detail(directive):
    return reverse("directives:detail", args=[directive.pk])


def export(directive, fmt):
    return reverse("directives:export", args=[directive.pk, fmt])


def regions_listed(response):
    return re.findall(r'data-testid="recipient" data-region="([\d.]+)"', response.content.decode())


@pytest.fixture
def jambi(officer):
    return issue(officer, {"province": "15"})


@pytest.fixture
def regent():
    return official("regent", "15.02")


# --- the list ---------------------------------------------------------------------------


def test_the_list_counts_each_directives_assignments_by_state(officer_client, officer, jambi):
    merangin = Assignment.objects.get(directive=jambi, regency__code="15.02")
    services.acknowledge_assignment(assignment=merangin, actor=official("regent", "15.02"))
    response = officer_client.get(LIST)
    html = response.content.decode()
    assert response.status_code == 200
    assert detail(jambi) in html
    row = html.split(detail(jambi))[1].split("</tr>")[0]
    # recipients, answered (submitted or verified), overdue; the counts by state and by
    # escalation level are on the directive's own page
    assert re.findall(r'class="num[^"]*">(\d+)<', row) == ["11", "0", "0"]


def test_the_list_is_filtered_by_state(officer_client, officer, jambi):
    draft = services.create_directive(
        actor=officer,
        title="Draf",
        body="…",
        legal_basis="UU 24/2013",
        due_date=jambi.due_date,
        scope={"province": "15"},
    )
    html = officer_client.get(LIST, {"state": "draft"}).content.decode()
    assert detail(draft) in html
    assert detail(jambi) not in html


def test_a_governor_sees_only_the_directives_reaching_the_province(officer):
    jambi = issue(officer, {"province": "15"}, title="Untuk Jambi")
    bali = issue(officer, {"province": "51"}, title="Untuk Bali")
    html = client_for(official("governor", "15")).get(LIST).content.decode()
    assert detail(jambi) in html
    assert detail(bali) not in html


def test_the_list_costs_the_same_for_two_directives_or_twenty(
    officer_client, officer, django_assert_max_num_queries
):
    for n in (2, 20):
        while Assignment.objects.values("directive").distinct().count() < n:
            issue(officer, {"regions": ["15.02", "15.09"]})
        with django_assert_max_num_queries(9):
            response = officer_client.get(LIST)
        assert response.content.decode().count("/directives/") >= n


# --- the tracking page ---------------------------------------------------------------------


def test_every_recipient_is_listed_with_its_deadline_and_last_notice(officer_client, jambi):
    response = officer_client.get(detail(jambi))
    html = response.content.decode()
    assert response.status_code == 200
    assert len(regions_listed(response)) == JAMBI_OFFICES
    assert marked_text(response, "total") == "11"
    assert "Bupati Merangin" in html
    assert f"{jambi.due_date:%-d %b %Y}, 23:59 WIB" in html
    assert html.count("Directive issued") == JAMBI_OFFICES
    assert "queued" in html


def test_recipients_are_filtered_by_state(officer_client, jambi, regent):
    merangin = Assignment.objects.get(directive=jambi, regency__code="15.02")
    services.acknowledge_assignment(assignment=merangin, actor=regent)
    response = officer_client.get(detail(jambi), {"state": "acknowledged"})
    assert regions_listed(response) == ["15.02"]


def test_recipients_are_filtered_by_province(officer_client, officer):
    directive = issue(officer, {"regions": ["15.02", "15.09", "51.71"]})
    response = officer_client.get(detail(directive), {"province": "51"})
    assert regions_listed(response) == ["51.71"]


def test_recipients_are_filtered_by_escalation_level(officer_client, jambi):
    Assignment.objects.filter(directive=jambi, regency__code="15.09").update(escalation_level=4)
    response = officer_client.get(detail(jambi), {"level": "4"})
    assert regions_listed(response) == ["15.09"]
    assert len(regions_listed(officer_client.get(detail(jambi), {"level": "0"}))) == 10


def test_recipients_are_filtered_by_being_overdue(officer_client, officer, regent):
    directive = services.create_directive(
        actor=officer,
        title="Lewat batas waktu",
        body="…",
        legal_basis="UU 24/2013",
        due_date=timezone.localdate() - dt.timedelta(days=3),
        scope={"regions": ["15.02", "15.09"]},
    )
    services.issue_directive(
        directive=directive, actor=officer, at=timezone.now() - dt.timedelta(days=10)
    )
    merangin = Assignment.objects.get(directive=directive, regency__code="15.02")
    services.acknowledge_assignment(assignment=merangin, actor=regent)
    services.submit_assignment(assignment=merangin, actor=regent, note="Selesai")
    assert regions_listed(officer_client.get(detail(directive), {"overdue": "yes"})) == ["15.09"]
    assert regions_listed(officer_client.get(detail(directive), {"overdue": "no"})) == ["15.02"]


def test_an_htmx_filter_returns_only_the_recipients_section(officer_client, jambi):
    response = officer_client.get(
        detail(jambi), {"state": "issued"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="recipients"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="recipients"')
    assert "<html" not in html
    assert f"{export(jambi, 'csv')}?state=issued" in html  # the export follows the filter


def test_the_tracking_page_costs_the_same_for_eleven_recipients_or_514(
    officer_client, officer, django_assert_max_num_queries
):
    small = issue(officer, {"province": "15"})
    large = issue(officer, {"all_regencies": True})
    for directive, shown in ((small, 11), (large, 50)):
        with django_assert_max_num_queries(14):
            response = officer_client.get(detail(directive))
        assert len(regions_listed(response)) == shown


def test_the_recipients_paginate(officer_client, officer):
    directive = issue(officer, {"all_regencies": True})
    response = officer_client.get(detail(directive), {"page": "11"})
    assert len(regions_listed(response)) == 514 - 10 * 50
    assert "Page 11 of 11" in response.content.decode()


# --- exports ------------------------------------------------------------------------------


def test_the_csv_export_has_a_header_and_one_row_per_recipient(officer_client, jambi):
    response = officer_client.get(export(jambi, "csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming
    header, *rows = csv_rows(response)
    assert header[:3] == ["Directive", "Directive title", "Office"]
    assert len(rows) == JAMBI_OFFICES
    merangin = next(r for r in rows if r[2] == "Bupati Merangin")
    column = dict(zip(header, merangin, strict=True))
    assert column["Region code"] == "15.02"
    assert column["State"] == "issued"
    assert column["Time zone"] == "WIB"
    assert column["Due at"] == f"{jambi.due_date + dt.timedelta(days=1)}T00:00:00+07:00"
    assert column["Last notification"] == "directive_issued"
    assert column["Delivery"] == "queued"


def test_the_export_follows_the_filters(officer_client, jambi, regent):
    merangin = Assignment.objects.get(directive=jambi, regency__code="15.02")
    services.acknowledge_assignment(assignment=merangin, actor=regent)
    header, *rows = csv_rows(officer_client.get(export(jambi, "csv"), {"state": "acknowledged"}))
    assert [r[header.index("Office")] for r in rows] == ["Bupati Merangin"]


def test_the_xlsx_export_reads_back_with_the_same_rows(officer_client, jambi):
    response = officer_client.get(export(jambi, "xlsx"))
    assert response["Content-Disposition"].startswith("attachment")
    header, *rows = xlsx_rows(response)
    assert header[:3] == ["Directive", "Directive title", "Office"]
    assert len(rows) == JAMBI_OFFICES
    assert {r[header.index("Region code")] for r in rows} == {
        a.regency.code for a in jambi.assignments.select_related("regency")
    }


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_costs_the_same_for_eleven_rows_or_514(
    officer_client, officer, fmt, django_assert_max_num_queries
):
    for scope, count in (({"province": "15"}, 11), ({"all_regencies": True}, 514)):
        directive = issue(officer, scope)
        with django_assert_max_num_queries(9):
            response = officer_client.get(export(directive, fmt))
            rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
        assert len(rows) == 1 + count


# --- jurisdiction -------------------------------------------------------------------------


def test_a_regent_sees_only_the_regencys_own_assignment(jambi, regent):
    client = client_for(regent)
    assert regions_listed(client.get(detail(jambi))) == ["15.02"]
    header, *rows = csv_rows(client.get(export(jambi, "csv")))
    assert [r[header.index("Region code")] for r in rows] == ["15.02"]


def test_a_directive_that_does_not_reach_the_users_region_is_not_found(jambi):
    outsider = client_for(official("regent", "16.01"))
    assert outsider.get(detail(jambi)).status_code == 404
    assert outsider.get(export(jambi, "csv")).status_code == 404


# --- issue and withdraw ------------------------------------------------------------------


def test_a_draft_is_issued_from_its_page(officer_client, officer):
    draft = services.create_directive(
        actor=officer,
        title="Draf",
        body="…",
        legal_basis="UU 24/2013",
        due_date=timezone.localdate() + dt.timedelta(days=5),
        scope={"province": "15"},
    )
    asked = officer_client.post(reverse("directives:issue", args=[draft.pk]))
    assert "11 regional heads will receive" in confirmation(asked)[2]
    response = press_confirm(officer_client, asked, follow=True)
    assert "The directive was issued to 11 offices." in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == DirectiveState.ISSUED


def test_withdrawing_stops_every_open_assignment(officer_client, jambi):
    response = officer_client.post(
        reverse("directives:withdraw", args=[jambi.pk]), {"reason": "Salah sasaran"}, follow=True
    )
    assert "The directive was withdrawn" in response.content.decode()
    jambi.refresh_from_db()
    assert jambi.state == DirectiveState.WITHDRAWN
    assert set(jambi.assignments.values_list("state", flat=True)) == {AssignmentState.WITHDRAWN}


def test_withdrawing_twice_explains_the_state(officer_client, jambi):
    url = reverse("directives:withdraw", args=[jambi.pk])
    officer_client.post(url)
    response = officer_client.post(url, follow=True)
    assert "cannot be withdrawn" in response.content.decode()


def test_only_the_ministry_withdraws(jambi, regent):
    response = client_for(regent).post(reverse("directives:withdraw", args=[jambi.pk]))
    assert response.status_code == 403
    assert "Only ministry offices issue directives" in response.content.decode()
    jambi.refresh_from_db()
    assert jambi.state == DirectiveState.ISSUED


def test_only_the_ministry_sees_the_withdraw_button(officer_client, jambi, regent):
    assert 'data-testid="withdraw"' in officer_client.get(detail(jambi)).content.decode()
    assert 'data-testid="withdraw"' not in client_for(regent).get(detail(jambi)).content.decode()


def test_withdrawing_needs_a_csrf_token(officer, jambi):
    client = client_for(officer, enforce_csrf_checks=True)
    assert client.post(reverse("directives:withdraw", args=[jambi.pk])).status_code == 403
    jambi.refresh_from_db()
    assert jambi.state == DirectiveState.ISSUED
