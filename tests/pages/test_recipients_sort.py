"""A directive's recipients sorted and filtered on the server (issue 15 item 6): each of
region, state, due date, escalation level and last activity is a header link that sorts
(again: the other way), says so with aria-sort, and keeps the filters; the filters keep
the sort; five columns (the rest is on each recipient's report page)."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests.factories import official
from tests.pages.directives_fixtures import client_for, issue
from workflow import services
from workflow.models import Assignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def jambi(officer):
    return issue(officer, {"province": "15"})


def detail(directive):
    return reverse("directives:detail", args=[directive.pk])


def regions(html):
    return re.findall(r'data-testid="recipient" data-region="([\d.]+)"', html)


def headers(html):
    """{sort key: (aria-sort, link)} of the recipients table."""
    return {
        key: (aria, url.replace("&amp;", "&"))
        for aria, url, key in re.findall(
            r'<th scope="col" aria-sort="(\w+)"><a href="([^"]*)" data-sort="(\w+)"', html
        )
    }


def test_five_sortable_columns_none_sorted_at_first(officer, jambi):
    html = client_for(officer).get(detail(jambi)).content.decode()
    assert headers(html) == {
        "region": ("none", "?sort=region"),
        "state": ("none", "?sort=state"),
        "due": ("none", "?sort=due"),
        "level": ("none", "?sort=level"),
        "activity": ("none", "?sort=activity"),
    }
    assert html.split('data-testid="recipients-table"')[1].count('<th scope="col"') == 5


def test_sorted_by_region_and_back(officer, jambi):
    client = client_for(officer)
    html = client.get(detail(jambi), {"sort": "region"}).content.decode()
    codes = regions(html)
    assert codes == sorted(codes) and len(codes) == 11
    assert headers(html)["region"] == ("ascending", "?sort=-region")
    html = client.get(detail(jambi), {"sort": "-region"}).content.decode()
    assert regions(html) == sorted(codes, reverse=True)
    assert headers(html)["region"][0] == "descending"


def test_sorted_by_state_level_and_last_activity(officer, jambi):
    merangin = Assignment.objects.get(directive=jambi, regency__code="15.02")
    tebo = Assignment.objects.get(directive=jambi, regency__code="15.09")
    services.acknowledge_assignment(assignment=merangin, actor=official("regent", "15.02"))
    Assignment.objects.filter(pk=tebo.pk).update(escalation_level=2)
    client = client_for(officer)
    by_state = regions(client.get(detail(jambi), {"sort": "state"}).content.decode())
    assert by_state[0] == "15.02"  # "acknowledged" before "issued"
    by_level = regions(client.get(detail(jambi), {"sort": "-level"}).content.decode())
    assert by_level[0] == "15.09"
    html = client.get(detail(jambi), {"sort": "-activity"}).content.decode()
    assert regions(html)[0] == "15.02"  # acknowledged after every issue notice
    row = html.split('data-region="15.02"')[1].split("</tr>")[0]
    assert "Acknowledged" in row


def test_sorted_by_due_date(officer, jambi):
    merangin = Assignment.objects.get(directive=jambi, regency__code="15.02")
    Assignment.objects.filter(pk=merangin.pk).update(due_at=merangin.due_at + dt.timedelta(days=3))
    client = client_for(officer)
    assert regions(client.get(detail(jambi), {"sort": "-due"}).content.decode())[0] == "15.02"
    assert regions(client.get(detail(jambi), {"sort": "due"}).content.decode())[-1] == "15.02"


def test_the_sort_keeps_the_filter_and_the_filter_keeps_the_sort(officer, jambi):
    merangin = Assignment.objects.get(directive=jambi, regency__code="15.02")
    services.acknowledge_assignment(assignment=merangin, actor=official("regent", "15.02"))
    html = client_for(officer).get(detail(jambi), {"state": "issued", "sort": "-region"})
    html = html.content.decode()
    assert "15.02" not in regions(html) and len(regions(html)) == 10
    assert headers(html)["region"] == ("descending", "?state=issued&sort=region")
    assert '<input type="hidden" name="sort" value="-region">' in html


def test_an_unknown_sort_is_the_due_order(officer, jambi):
    client = client_for(officer)
    plain = regions(client.get(detail(jambi)).content.decode())
    assert regions(client.get(detail(jambi), {"sort": "office;drop"}).content.decode()) == plain


def test_a_sorted_page_costs_the_same_for_11_recipients_or_514(
    officer, django_assert_max_num_queries
):
    small = issue(officer, {"province": "15"})
    large = issue(officer, {"all_regencies": True})
    client = client_for(officer)
    for directive in (small, large):
        for sort in ("region", "-activity"):
            with django_assert_max_num_queries(14):
                assert client.get(detail(directive), {"sort": sort}).status_code == 200
