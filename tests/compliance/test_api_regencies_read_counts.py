"""The regency list and detail of the API send as many queries with three times the
regencies with reports, the reports, the cases and the assignments, and the residents
affected come from the realisation read model (compliance.summary) when it is stored:
the same figures as computed from the reports, in one query when stored (as every import
leaves them), two when they must be computed."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance import recording, summary
from compliance.models import RecordingReport, Regency
from tests.compliance import api_helpers as h
from tests.compliance import growth
from tests.factories import official

pytestmark = pytest.mark.django_db

LIST = "/api/v1/regencies/?province=15"
DETAIL = "/api/v1/regencies/15.02/"
# The list: the offices, the count, the page with its situations, the residents, the open
# violations. The detail: the offices, the regency with its situation, its residents, its
# open violations, and its case file (violations, remediations, suspension requests, their
# access orders): the case is read once (compliance.selectors.with_situations, describe;
# compliance.case_file). No regency here has a pending suspension request (whose relations
# would cost one more query: tests/compliance/test_api_regencies.py).
QUERIES = {LIST: 5, DETAIL: 8}


@pytest.fixture
def officer(time_machine):
    time_machine.move_to(growth.NOW, tick=True)
    return official("ministry_officer")


def read(user, url):
    client = h.client_for(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured), response.json()


@pytest.mark.parametrize("url", [LIST, DETAIL], ids=["list", "detail"])
def test_the_same_queries_with_three_times_the_rows(officer, url):
    growth.few(officer)
    summary.refresh()  # as an import does when it ends
    few, _ = read(officer, url)

    growth.many(officer)
    summary.refresh()
    many, body = read(officer, url)
    assert many == few == QUERIES[url], (few, many)
    if url == LIST:
        suspended = [r for r in body["results"] if r["open_suspension"]]
        assert len(suspended) == 9
        assert all(r["residents_affected"] == 2000 for r in suspended)


@pytest.mark.parametrize("url", [LIST, DETAIL], ids=["list", "detail"])
def test_the_same_answer_whether_the_figures_are_stored_one_query_fewer(officer, url):
    growth.few(officer)
    computed_queries, computed = read(officer, url)  # nothing stored for this version yet
    summary.refresh()
    stored_queries, stored = read(officer, url)
    assert stored == computed
    assert stored_queries == QUERIES[url]
    assert computed_queries == QUERIES[url] + 1  # the stored rows looked for, then the sums


def residents(at):
    regencies = list(Regency.objects.filter(province__code="15"))
    return recording.residents_affected(regencies, at), summary.residents_affected(regencies, at)


def test_residents_stored_equal_residents_computed(officer):
    growth.add_reports(growth.JAMBI[:4], growth.DAYS[:3])
    today = growth.NOW.date()
    from_reports, not_stored = residents(today)
    assert not_stored == from_reports
    assert from_reports[Regency.objects.get(code="15.01").pk] == 2000
    assert from_reports[Regency.objects.get(code="15.09").pk] is None  # no report

    summary.refresh()
    assert residents(today)[1] == from_reports
    # Reports written afterwards make the stored figures stale: computed again.
    RecordingReport.objects.filter(district__regency__code="15.01").update(obliged=1500)
    from_reports, read_model = residents(today)
    assert read_model == from_reports
    assert from_reports[Regency.objects.get(code="15.01").pk] == 3000


def test_residents_at_a_day_before_the_latest_report(officer):
    """The stored figures are the latest report's day's: a day before it is computed."""
    growth.add_reports(growth.JAMBI[:2], growth.DAYS[:3])
    summary.refresh()
    RecordingReport.objects.filter(date=growth.DAYS[2]).update(obliged=1200)
    summary.refresh()
    before = growth.DAYS[1] + dt.timedelta(days=3)
    from_reports, read_model = residents(before)
    assert read_model == from_reports
    assert from_reports[Regency.objects.get(code="15.01").pk] == 2000
    assert residents(growth.NOW.date())[1][Regency.objects.get(code="15.01").pk] == 2400


def test_residents_of_regencies_apart_read_in_one_query_only_theirs(officer):
    """Read by the range of the regencies' ids, in one query: the regencies between them
    are left out of the answer."""
    growth.add_reports(growth.JAMBI[:4], growth.DAYS[:3])
    summary.refresh()
    jambi = list(Regency.objects.filter(province__code="15").order_by("pk"))
    apart = [jambi[0], jambi[3]]  # 1 and 2 lie between, with reports of their own
    between = summary.residents_affected(jambi[1:3], growth.NOW.date())
    assert None not in between.values() and len(between) == 2
    with CaptureQueriesContext(connection) as captured:
        read_model = summary.residents_affected(apart, growth.NOW.date())
    assert len(captured) == 1
    assert read_model == recording.residents_affected(apart, growth.NOW.date())
    assert set(read_model) == {jambi[0].pk, jambi[3].pk}
    assert summary.residents_affected([], growth.NOW.date()) == {}
