"""Lists that cost the same on page 1 and page 500: a cursor (keyset) walks every row once,
in order, while rows are added between the requests; `?page=` still answers as before for
the clients that number pages; `count` where it is cheap or asked for; the same number of
queries for 1 row or 300, on the first page or deep in the list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance.api.inputs import KeysetPages
from tests.workflow import api_helpers as h
from workflow.models import Assignment, Directive

# Shared fixtures (pytest finds fixtures among a module's names).
clock, officer = h.clock, h.officer

pytestmark = pytest.mark.django_db

ASSIGNMENTS = "/api/v1/assignments/"
DIRECTIVES = "/api/v1/directives/"


@pytest.fixture
def national(clock, officer):
    """A directive to every regency and city: 514 assignments."""
    return h.issue(officer, {"all_regencies": True})


def in_list_order(queryset):
    return list(queryset.order_by("due_at", "id").values_list("id", flat=True))


def walk(user, url):
    """Every page from `url` on, by its `next` links: the ids, and the pages' bodies."""
    ids, pages = [], []
    while url:
        body = h.get(user, url)
        pages.append(body)
        ids += [row["id"] for row in body["results"]]
        url = body["next"]
    return ids, pages


# --- walking by cursor ----------------------------------------------------------------------


def test_the_cursor_walks_every_row_once_in_order_while_rows_are_added(officer, national):
    before = in_list_order(Assignment.objects.all())
    first = h.get(officer, f"{ASSIGNMENTS}?limit=100")
    # Between two requests the ministry issues a directive to Jambi: eleven rows that sort
    # among the ones already read (the same due day) and among the ones to come.
    jambi = h.issue(officer)
    ids, pages = walk(officer, first["next"])
    ids = [row["id"] for row in first["results"]] + ids

    assert len(ids) == len(set(ids))  # nothing twice
    assert set(before) <= set(ids)  # nothing missed
    assert ids == in_list_order(Assignment.objects.filter(pk__in=ids))  # in the list's order
    added = set(Assignment.objects.filter(directive_id=jambi).values_list("id", flat=True))
    assert set(ids) - set(before) <= added
    assert [len(p["results"]) for p in pages[:-1]] == [100] * (len(pages) - 1)


def test_the_first_page_keeps_its_shape_and_later_pages_count_only_when_asked(officer, national):
    first = h.get(officer, ASSIGNMENTS)
    assert list(first) == ["count", "next", "previous", "results"]
    assert (first["count"], len(first["results"]), first["previous"]) == (514, 100, None)
    assert "cursor=" in first["next"] and "page=" not in first["next"]

    second = h.get(officer, first["next"])
    assert list(second) == ["next", "previous", "results"]  # no COUNT(*) unless asked
    assert h.get(officer, f"{first['next']}&count=true")["count"] == 514
    assert "count" not in h.get(officer, f"{ASSIGNMENTS}?count=false")


def test_previous_walks_back_to_the_same_rows(officer, national):
    first = h.get(officer, f"{ASSIGNMENTS}?limit=50")
    second = h.get(officer, first["next"])
    third = h.get(officer, second["next"])
    assert h.get(officer, third["previous"])["results"] == second["results"]
    back = h.get(officer, second["previous"])
    assert back["results"] == first["results"]
    assert back["previous"] is None  # nothing before the first row
    assert back["next"] is not None


def test_the_last_page_has_no_next(officer, national):
    ids, pages = walk(officer, f"{ASSIGNMENTS}?limit=300")
    assert [len(p["results"]) for p in pages] == [300, 214]
    assert pages[-1]["next"] is None
    assert len(ids) == 514


def test_filters_stay_in_the_links(officer, national):
    first = h.get(officer, f"{ASSIGNMENTS}?province=15&limit=5")
    assert "province=15" in first["next"] and "limit=5" in first["next"]
    ids, _ = walk(officer, first["next"])
    assert len([row["id"] for row in first["results"]] + ids) == 11


def test_a_newest_first_list_walks_newest_first(clock, officer):
    drafts = []
    for day in range(5):
        clock.move_to(h.wib(2026, 11, 2, 10 + day, 0), tick=False)
        drafts.append(h.draft(officer))
    ids, pages = walk(officer, f"{DIRECTIVES}?limit=2")
    assert ids == drafts[::-1]
    assert [len(p["results"]) for p in pages] == [2, 2, 1]
    assert Directive.objects.count() == 5


# --- page numbers, for the clients that number pages ---------------------------------------


def test_page_numbers_answer_as_before(officer, national):
    cursor_pages = walk(officer, f"{ASSIGNMENTS}?limit=100")[1]
    second = h.get(officer, f"{ASSIGNMENTS}?page=2")
    assert list(second) == ["count", "next", "previous", "results"]
    assert second["count"] == 514
    assert second["next"].endswith("?page=3")
    assert "page=" not in second["previous"] and "cursor=" not in second["previous"]
    assert second["results"] == cursor_pages[1]["results"]
    assert len(h.get(officer, f"{ASSIGNMENTS}?page=2&limit=300")["results"]) == 214
    h.get(officer, f"{ASSIGNMENTS}?page=7", expect=404)


def test_a_deep_page_by_number_skips_by_the_key_alone(officer, national):
    """compliance.api.pagination.DeferredRows: the first reading of page 5 finds the key of
    the row before it by OFFSET over the ids in the list's order (an index of (due_at,
    id)); that key is kept (workflow.api.pages), and the page's ids are read after it as a
    cursor page's are, then its rows by id. Read again, page 5 sends what page 1 sends."""
    h.get(officer, f"{ASSIGNMENTS}?page=1")
    with CaptureQueriesContext(connection) as first:
        h.get(officer, f"{ASSIGNMENTS}?page=1")
    with CaptureQueriesContext(connection) as fifth_first:
        fifth_page = h.get(officer, f"{ASSIGNMENTS}?page=5&limit=100")
    [skipping] = [q["sql"] for q in fifth_first.captured_queries if "OFFSET" in q["sql"]]
    assert "OFFSET 399" in skipping and '"workflow_assignment"."id"' in skipping
    with CaptureQueriesContext(connection) as fifth:
        assert h.get(officer, f"{ASSIGNMENTS}?page=5&limit=100") == fifth_page
    assert len(fifth) == len(first) == len(fifth_first) - 1
    assert not any("OFFSET" in q["sql"] for q in fifth.captured_queries)
    expected = list(Assignment.objects.order_by("due_at", "id").values_list("id", flat=True))
    assert [row["id"] for row in fifth_page["results"]] == expected[400:500]


# --- what is refused ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ("cursor=nonsense", 404, None),
        ("cursor=", 404, None),
        ("limit=0", 400, "limit"),
        ("limit=1001", 400, "limit"),
        ("limit=ten", 400, "limit"),
        ("count=perhaps", 400, "count"),
    ],
)
def test_what_is_not_a_position_or_a_size_is_refused(officer, national, query, status, field):
    body = h.get(officer, f"{ASSIGNMENTS}?{query}", expect=status)
    if field:
        assert field in body["errors"]


def test_a_cursor_of_another_list_or_with_a_page_is_refused(officer, national):
    directives_next = h.get(officer, f"{DIRECTIVES}?limit=1")  # one directive: no next
    assert directives_next["next"] is None
    h.draft(officer)
    cursor = h.get(officer, f"{DIRECTIVES}?limit=1")["next"].split("cursor=")[1]
    h.get(officer, f"{ASSIGNMENTS}?cursor={cursor}", expect=404)
    assignments_cursor = h.get(officer, ASSIGNMENTS)["next"].split("cursor=")[1]
    h.get(officer, f"{ASSIGNMENTS}?page=1&cursor={assignments_cursor}", expect=404)


def test_a_cursor_is_opaque_and_names_its_ordering():
    pages = KeysetPages()
    ordering = [("due_at", False), ("pk", False)]
    assignment = Assignment(id=7, due_at=h.wib(2026, 11, 20, 23, 59, 59, 999999))
    position = pages.decode(pages.encode(assignment, ordering), Assignment, ordering)
    assert position.values == [assignment.due_at, 7]  # microseconds kept
    assert not position.reverse


# --- the same cost everywhere ----------------------------------------------------------


def queries(user, url):
    with CaptureQueriesContext(connection) as captured:
        h.get(user, url)
    return len(captured)


def test_one_row_or_three_hundred_cost_the_same_queries(
    officer, national, django_assert_max_num_queries
):
    # offices, the data version, the count (then kept: workflow.api.pages), the page's
    # keys, its rows' values (workflow.api.listed)
    with django_assert_max_num_queries(5):
        assert len(h.get(officer, f"{ASSIGNMENTS}?limit=1")["results"]) == 1
    with django_assert_max_num_queries(4):  # the count kept
        assert len(h.get(officer, f"{ASSIGNMENTS}?limit=300")["results"]) == 300


def test_a_deep_cursor_page_costs_what_the_first_one_does(officer, national):
    ids, pages = walk(officer, f"{ASSIGNMENTS}?limit=100&count=false")
    deep = pages[4]["next"]  # the sixth page
    first = f"{ASSIGNMENTS}?limit=100&count=false"
    assert queries(officer, deep) == queries(officer, first) == 3  # offices, keys, values
    # The data version, and the count the first time: then kept (workflow.api.pages).
    assert queries(officer, f"{deep}&count=true") == 5
    assert queries(officer, ASSIGNMENTS) == queries(officer, f"{deep}&count=true") == 4
    assert len(ids) == 514


def test_a_list_ordered_through_a_relation_walks_in_its_order(clock, officer):
    """Devices are listed by district code, kind and serial number: a cursor through the
    district's code, with the id as the last word."""
    from compliance.models import District
    from equipment.models import Device

    districts = list(District.objects.filter(regency__code__in=["15.02", "15.09"])[:3])
    for i, district in enumerate(districts * 2):
        Device.objects.create(
            district=district,
            kind=["recording", "printing"][i % 2],
            serial_number=f"SN-{i}",
            funded_by="centre",
        )
    expected = list(
        Device.objects.order_by("district__code", "kind", "serial_number", "id").values_list(
            "id", flat=True
        )
    )
    ids, pages = walk(officer, "/api/v1/devices/?limit=4")
    assert ids == expected
    assert [len(p["results"]) for p in pages] == [4, 2]
