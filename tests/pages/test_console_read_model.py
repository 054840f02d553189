"""The console reads e-KTP realisation and the laggards from the stored read model
(compliance.summary), not from the reports on every request: a constant, smaller number
of queries whatever the regencies and reports, the figures refreshed by an import, a
new day judged on that day's path, and the stored figures equal to those computed from
the reports by the same functions."""

import re
from datetime import date

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compliance import summary
from compliance.demo import load_recording_reports
from compliance.models import District, RealisationSnapshot, RecordingReport, Regency
from compliance.recording_jobs import create_import, run_import
from pages.console import realisation
from tests.factories import official
from workflow.kept import forget_here

pytestmark = pytest.mark.django_db

# Before the read model, the country page sent 16 queries with these reports: the
# maximum report date over all reports and four realisation queries (provinces and
# regencies, at the date and on 1 January, each summing every district's latest report).
BEFORE = 16
# The stored figures: their rows joined to the snapshot's key, in one query; the
# provinces read with their state counts, and the head offices without an address with
# their count (issue 18: 13 queries before); and the data's version (pages.console.kept).
NOW = 11
# A page kept for this version: the session, the user, his offices, the version, and the
# offices without an address (never kept: addresses change without an event).
KEPT = 5


def country(client, query=""):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("console:country") + query)
    assert response.status_code == 200
    return response.content.decode(), captured


def forget_kept():
    """What is kept, in the cache and in this process: the next page is rendered again."""
    cache.clear()
    forget_here()


def laggards_on(html):
    table = re.search(r'data-testid="laggards">(.*?)</table>', html, re.S)
    return re.findall(r'<tr data-code="([\d.]+)"', table.group(1)) if table else []


def reports(province, day, share):
    rows = [
        RecordingReport(district=d, date=day, obliged=1000, recorded=share * 10, printed=0)
        for d in District.objects.filter(regency__province__code=province)
    ]
    RecordingReport.objects.bulk_create(rows)


@pytest.fixture
def officer(client):
    client.force_login(official("ministry_officer"))
    return client


def test_the_country_page_reads_the_stored_figures_in_constant_queries(officer, jambi_reports):
    country(officer)  # the first reader of a new version stores the figures
    forget_kept()  # and the page is rendered again, not served as kept
    html, few = country(officer)
    assert len(few) == NOW < BEFORE
    assert laggards_on(html) == ["15.02"]
    holdings = [q for q in few.captured_queries if "compliance_officeholding" in q["sql"]]
    assert len(holdings) == 1  # the offices, read once for the whole request
    kept_html, kept = country(officer)
    assert len(kept) == KEPT and laggards_on(kept_html) == ["15.02"]

    # Ten times the regencies with reports, and more reports per district: same count.
    for province in ("11", "12", "13", "14", "16", "17", "18", "19"):
        reports(province, date(2017, 1, 1), 50)
        reports(province, date(2017, 10, 1), 60)
    country(officer)
    forget_kept()
    html, many = country(officer)
    assert len(many) == len(few)
    assert len(laggards_on(html)) == 25  # a full page of laggards


def test_the_province_page_reads_the_stored_figures(officer, jambi_reports):
    url = reverse("console:province", args=["15"]) + "?at=2017-10-01"
    officer.get(url)
    forget_kept()  # rendered again, not served as kept (pages.console.kept)
    with CaptureQueriesContext(connection) as captured:
        html = officer.get(url).content.decode()
    # The realisation figures and the residents of the 25 regencies listed (compliance.
    # selectors.describe) are stored: nothing is read from the reports.
    reading = [q for q in captured.captured_queries if "compliance_recordingreport" in q["sql"]]
    assert reading == []
    residents = [
        q for q in captured.captured_queries if "compliance_realisationsummary" in q["sql"]
    ]
    assert any('"regency_id" IN' in q["sql"] for q in residents)
    row = re.search(r'<tr data-code="15.02">(.*?)</tr>', html, re.S).group(1)
    assert "55.0" in row.replace(",", ".") and "lagging" in row


HEADER = b"district_code,date,obliged,recorded,printed\n"


def test_an_import_refreshes_the_figures_the_page_shows(officer, jambi_reports):
    assert laggards_on(country(officer)[0]) == ["15.02"]
    rows = b"".join(
        f"{d.code},2017-10-10,1000,960,900\n".encode()
        for d in District.objects.filter(regency__code="15.02")
    )
    job = create_import(
        actor=official("ministry_officer"), file=SimpleUploadedFile("rekam.csv", HEADER + rows)
    )
    run_import(job.pk, today=date(2017, 10, 31))

    # Stored as the import ended, for its latest day: the reader computes nothing.
    stored = RealisationSnapshot.objects.get(version=summary.current_version())
    assert (stored.as_of, stored.latest_report) == (date(2017, 10, 10), date(2017, 10, 10))
    html, captured = country(officer)
    assert not [q for q in captured.captured_queries if "compliance_recordingreport" in q["sql"]]
    assert laggards_on(html) == []  # Merangin caught up: 96 % is above the floor


def test_reports_written_any_other_way_make_the_stored_figures_stale(officer, jambi_reports):
    assert laggards_on(country(officer, "?at=2017-10-01")[0]) == ["15.02"]
    RecordingReport.objects.filter(district__regency__code="15.02", date=date(2017, 10, 1)).update(
        recorded=990
    )
    assert laggards_on(country(officer, "?at=2017-10-01")[0]) == []


def test_a_new_day_judges_the_laggards_against_that_days_path(officer, jambi_reports):
    # Jambi at 50 % on 1 January: on 1 February the path stands at 54.3 % (within the
    # tolerance of 5 points), on 20 February at 56.9 % (behind by more).
    assert laggards_on(country(officer, "?at=2017-02-01")[0]) == []
    html = country(officer, "?at=2017-02-20")[0]
    assert len(laggards_on(html)) == Regency.objects.filter(province__code="15").count()
    days = set(RealisationSnapshot.objects.values_list("as_of", flat=True))
    assert {date(2017, 2, 1), date(2017, 2, 20)} <= days


def test_a_changed_rule_is_stored_apart(officer, jambi_reports, settings):
    assert laggards_on(country(officer, "?at=2017-10-01")[0]) == ["15.02"]
    settings.LAGGARD_FLOOR_PERCENT = 50
    assert laggards_on(country(officer, "?at=2017-10-01")[0]) == []


@pytest.mark.parametrize("day", [date(2017, 3, 10), date(2017, 10, 20), date(2017, 12, 20)])
def test_the_stored_figures_equal_those_computed_from_the_demos_reports(regions, day):
    load_recording_reports()
    stored = realisation.stored_figures(
        summary.snapshot(day),
        province_ids=list(Regency.objects.values_list("province_id", flat=True).distinct()),
        lagging_in=None,
        regencies=Regency.objects.all(),
    )
    direct_provinces = realisation.by_province(day)
    direct_regencies = realisation.by_regency(day, Regency.objects.all())
    direct_laggards = realisation.find_laggards(day)
    assert direct_laggards  # the demo's Merangin and Sarolangun lag
    assert _rows(stored.provinces) == _rows(direct_provinces)
    assert _rows(stored.regencies) == _rows(direct_regencies)
    assert _laggards(stored.laggards) == _laggards(direct_laggards)


def _rows(rows):
    return [
        (r.region.code, r.obliged, r.recorded, r.printed, r.value, r.expected, r.lagging, r.reason)
        for r in rows
    ]


def _laggards(lagging):
    return {
        pk: (lag.regency.code, lag.realisation, lag.expected, lag.start, lag.reason, lag.obliged)
        for pk, lag in lagging.items()
    }
