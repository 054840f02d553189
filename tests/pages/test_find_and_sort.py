"""Issue 15 item 6: find a regency or district from the header (/cari/), the directive
list sorted and filtered server-side in six columns, and a print stylesheet."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import official
from tests.pages.directives_fixtures import client_for, issue
from workflow.models import Directive, DirectiveState

pytestmark = pytest.mark.django_db

SEARCH = reverse("search")
LIST = reverse("directives:list")


def codes(html, testid):
    match = re.search(rf'data-testid="{testid}">(.*?)</ul>', html, re.S)
    return re.findall(r'<li data-code="([\d.]+)">', match.group(1)) if match else []


# --- search ------------------------------------------------------------------------------


def test_every_page_header_has_the_search_form(regions):
    client = client_for(official("ministry_officer"))
    for url in (reverse("console:country"), LIST, reverse("account:index")):
        html = client.get(url).content.decode()
        form = re.search(
            r'<form method="get" action="([^"]+)" role="search"[^>]*header-search', html
        )
        assert form and form.group(1) == SEARCH, url


def test_a_regency_is_found_by_name_and_linked_to_its_console_page(regions):
    client = client_for(official("ministry_officer"))
    html = client.get(SEARCH, {"q": "  meRANgin "}).content.decode()
    assert codes(html, "regency-results") == ["15.02"]
    assert f'href="{reverse("console:regency", args=["15.02"])}"' in html


def test_codes_find_the_regency_and_its_districts(regions):
    client = client_for(official("ministry_officer"))
    html = client.get(SEARCH, {"q": "15.02"}).content.decode()
    assert codes(html, "regency-results") == ["15.02"]
    districts = codes(html, "district-results")
    assert districts and all(c.startswith("15.02.") for c in districts)
    html = client.get(SEARCH, {"q": "15.02.01"}).content.decode()
    assert codes(html, "regency-results") == []
    assert codes(html, "district-results") == ["15.02.01"]
    assert f'href="{reverse("console:regency", args=["15.02"])}"' in html


def test_a_regent_finds_only_his_regency_and_links_to_his_own_page(regions):
    client = client_for(official("regent", "15.02"))
    html = client.get(SEARCH, {"q": "15"}).content.decode()
    assert codes(html, "regency-results") == ["15.02"]
    assert all(c.startswith("15.02.") for c in codes(html, "district-results"))
    assert f'href="{reverse("inbox:regency", args=["15.02"])}"' in html
    html = client.get(SEARCH, {"q": "tebo"}).content.decode()
    assert 'data-testid="no-results"' in html
    assert codes(html, "regency-results") == []


def test_a_governor_finds_his_province_only(regions):
    client = client_for(official("governor", "15"))
    html = client.get(SEARCH, {"q": "bandung"}).content.decode()
    assert 'data-testid="no-results"' in html
    assert codes(client.get(SEARCH, {"q": "15.0"}).content.decode(), "regency-results")


def test_nothing_found_is_said_and_the_input_is_escaped_and_limited(regions):
    client = client_for(official("ministry_officer"))
    response = client.get(SEARCH, {"q": "<script>x</script>%_" + "a" * 500})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="no-results"' in html
    assert "<script>x" not in html and "&lt;script&gt;x" in html
    said = re.search(r'data-testid="no-results">(.*?)</p>', html, re.S).group(1)
    assert "a" * 40 in said and "a" * 61 not in said
    assert 'data-testid="no-results"' not in client.get(SEARCH).content.decode()


def test_search_costs_the_same_for_one_match_or_many(regions):
    client = client_for(official("ministry_officer"))
    client.get(SEARCH, {"q": "merangin"})  # warm the session
    counts = []
    for q in ("merangin", "15", "kota"):
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(SEARCH, {"q": q}).content.decode()
        counts.append(len(ctx.captured_queries))
        assert codes(html, "regency-results") or codes(html, "district-results")
    assert len(set(counts)) == 1
    assert len(codes(client.get(SEARCH, {"q": "15"}).content.decode(), "district-results")) == 25


# --- the directive list --------------------------------------------------------------------


@pytest.fixture
def three(regions):
    officer = official("ministry_officer")
    a = issue(officer, {"regions": ["15.02"]}, title="Bravo perekaman")
    b = issue(officer, {"regions": ["15.09"]}, title="Alfa pencetakan")
    c = issue(officer, {"regions": ["15.01"]}, title="Charlie perekaman")
    Directive.objects.filter(pk=a.pk).update(due_date=b.due_date.replace(day=1))
    Directive.objects.filter(pk=c.pk).update(state=DirectiveState.CLOSED)
    return officer, a, b, c


def listed(html):
    return [int(pk) for pk in re.findall(r'<a href="/directives/(\d+)/">', html)]


def test_the_list_has_six_columns(three):
    officer, *_ = three
    html = client_for(officer).get(LIST).content.decode()
    head = re.search(r"<thead>(.*?)</thead>", html, re.S).group(1)
    assert head.count("<th") == 6
    row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", html, re.S).group(1)
    assert row.count("<td") == 6


def test_the_list_sorts_by_title_due_date_and_state(three):
    officer, a, b, c = three
    client = client_for(officer)
    assert listed(client.get(LIST, {"sort": "title"}).content.decode()) == [b.pk, a.pk, c.pk]
    assert listed(client.get(LIST, {"sort": "-title"}).content.decode()) == [c.pk, a.pk, b.pk]
    due = listed(client.get(LIST, {"sort": "due"}).content.decode())
    assert due[0] == a.pk
    by_state = listed(client.get(LIST, {"sort": "state"}).content.decode())
    assert by_state[0] == c.pk  # closed before issued
    html = client.get(LIST, {"sort": "title"}).content.decode()
    assert 'aria-sort="ascending"' in html and 'href="?sort=-title"' in html
    # an unknown sort is the default order, not an error
    assert client.get(LIST, {"sort": "body; drop"}).status_code == 200


def test_the_list_filters_by_words_and_state_and_keeps_them_in_links(three):
    officer, a, b, c = three
    client = client_for(officer)
    html = client.get(LIST, {"q": "perekaman"}).content.decode()
    assert sorted(listed(html)) == sorted([a.pk, c.pk])
    html = client.get(LIST, {"q": "perekaman", "state": "issued", "sort": "-due"}).content.decode()
    assert listed(html) == [a.pk]
    head = re.search(r"<thead>(.*?)</thead>", html, re.S).group(1)
    links = re.findall(r'href="\?([^"]+)"', head)
    assert links and all("state=issued" in q and "q=perekaman" in q for q in links)
    assert 'name="sort" value="-due"' in html
    html = client.get(LIST, {"q": "tidak ada"}).content.decode()
    assert 'data-testid="no-match"' in html


def test_pagination_keeps_the_filter_and_sort(three, settings):
    officer, *_ = three
    for n in range(26):
        issue(officer, {"regions": ["15.02"]}, title=f"Perekaman {n}")
    html = client_for(officer).get(LIST, {"q": "perekaman", "sort": "title"}).content.decode()
    nxt = re.search(r'<a href="\?([^"]+)" rel="next"', html).group(1)
    assert "q=perekaman" in nxt and "sort=title" in nxt and "page=2" in nxt


def test_the_sorted_filtered_list_costs_the_same_for_two_or_twenty(
    three, django_assert_max_num_queries
):
    officer, *_ = three
    client = client_for(officer)
    for n in (2, 20):
        while Directive.objects.filter(title__startswith="Perekaman").count() < n:
            issue(officer, {"regions": ["15.02", "15.09"]}, title="Perekaman lanjutan")
        with django_assert_max_num_queries(9):
            html = client.get(LIST, {"q": "perekaman", "sort": "-due"}).content.decode()
        assert len(listed(html)) >= n


# --- print -------------------------------------------------------------------------------


def test_pages_link_the_print_stylesheet(three):
    officer, a, *_ = three
    client = client_for(officer)
    for url in (
        LIST,
        reverse("directives:detail", args=[a.pk]),
        reverse("console:regency", args=["15.02"]),
    ):
        html = client.get(url).content.decode()
        assert re.search(
            r'<link rel="stylesheet" href="[^"]*print(\.[0-9a-f]+)?\.css" media="print">', html
        ), url
    html = client_for(official("regent", "15.02")).get(reverse("inbox:letters")).content.decode()
    assert 'media="print"' in html
