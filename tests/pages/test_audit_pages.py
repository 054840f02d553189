"""The auditor's pages: read-only lists and exports of the assignments and of the
compliance transition log, as CSV and XLSX, filtered by date and province; auditors and
ministry offices only; the cost of an export does not grow with its rows."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from compliance import services as compliance_services
from tests.compliance import scenario
from tests.factories import carry_out, official, regency
from tests.pages.directives_fixtures import (
    client_for,
    csv_rows,
    issue,
    xlsx_rows,
)

pytestmark = pytest.mark.django_db
INDEX = reverse("audit:index")
WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def officer_client(officer):
    return client_for(officer)


def assignments_export(fmt="csv"):
    return reverse("audit:assignments", args=[fmt])


def transitions_export(fmt="csv"):
    return reverse("audit:transitions", args=[fmt])


@pytest.fixture
def auditor_client():
    return client_for(official("auditor"))


def flag(code, officer, at):
    compliance_services.flag_regency(
        regency=regency(code),
        actor=officer,
        kind="hr",
        description="Kepala dinas diangkat tanpa persetujuan Menteri",
        legal_basis="UU 24/2013 Pasal 83A",
        at=at,
    )


@pytest.fixture
def flags(officer):
    """Merangin flagged in March 2017 (WIB), Denpasar in May 2017 (WITA)."""
    flag("15.02", officer, dt.datetime(2017, 3, 6, 10, tzinfo=WIB))
    flag("51.71", officer, dt.datetime(2017, 5, 2, 10, tzinfo=WIB))


def test_an_auditor_reads_both_lists(auditor_client, officer, flags):
    issue(officer, {"province": "15"})
    response = auditor_client.get(INDEX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bupati Merangin" in html
    assert "15.02 Kabupaten Merangin" in html
    assert "6 Mar 2017, 10:00 WIB" in html
    assert "2 May 2017, 11:00 WITA" in html  # Denpasar's own clock


def test_the_audit_pages_show_no_buttons_that_change_anything(auditor_client, officer):
    issue(officer, {"province": "15"})
    assert 'method="post"' not in auditor_client.get(INDEX).content.decode().split("<main")[1]


def test_ministry_offices_may_export_too(officer_client):
    assert officer_client.get(INDEX).status_code == 200
    assert officer_client.get(transitions_export()).status_code == 200


@pytest.mark.parametrize(("kind", "region"), [("regent", "15.02"), ("governor", "15")])
def test_regional_offices_are_refused(kind, region):
    client = client_for(official(kind, region))
    for url in (INDEX, assignments_export(), transitions_export("xlsx")):
        response = client.get(url)
        assert response.status_code == 403
        assert "Only auditors and ministry offices" in response.content.decode()


def test_the_transition_log_export_has_a_header_and_every_transition(auditor_client, flags):
    header, *rows = csv_rows(auditor_client.get(transitions_export()))
    assert header == [
        "At",
        "Time zone",
        "Regency code",
        "Regency",
        "Province code",
        "Transition",
        "From",
        "To",
        "Actor",
        "Office",
        "Reason",
    ]
    assert [(r[2], r[5], r[6], r[7]) for r in rows] == [
        ("15.02", "flag", "compliant", "flagged"),
        ("51.71", "flag", "compliant", "flagged"),
    ]
    assert rows[0][0] == "2017-03-06T10:00:00+07:00"
    assert rows[1][:2] == ["2017-05-02T11:00:00+08:00", "WITA"]


def test_the_transition_log_is_filtered_by_province_and_dates(auditor_client, flags):
    jambi = csv_rows(auditor_client.get(transitions_export(), {"province": "15"}))[1:]
    assert [r[2] for r in jambi] == ["15.02"]
    may = csv_rows(auditor_client.get(transitions_export(), {"start": "2017-04-01"}))[1:]
    assert [r[2] for r in may] == ["51.71"]
    march = csv_rows(
        auditor_client.get(transitions_export(), {"start": "2017-03-06", "end": "2017-03-06"})
    )[1:]
    assert [r[2] for r in march] == ["15.02"]


def test_the_transition_log_reads_back_from_xlsx(auditor_client, flags):
    header, *rows = xlsx_rows(auditor_client.get(transitions_export("xlsx")))
    assert header[:3] == ["At", "Time zone", "Regency code"]
    assert [r[2] for r in rows] == ["15.02", "51.71"]


def test_the_assignments_export_is_filtered_by_province(auditor_client, officer):
    issue(officer, {"regions": ["15.02", "15.09", "51.71"]})
    header, *rows = csv_rows(auditor_client.get(assignments_export(), {"province": "51"}))
    assert [r[header.index("Region code")] for r in rows] == ["51.71"]


def test_the_assignments_export_is_filtered_by_issue_date(auditor_client, officer):
    issue(officer, {"province": "15"})
    today = dt.datetime.now(WIB).date()
    header, *rows = csv_rows(auditor_client.get(assignments_export(), {"end": str(today)}))
    assert len(rows) == 11
    tomorrow = today + dt.timedelta(days=1)
    assert csv_rows(auditor_client.get(assignments_export(), {"start": str(tomorrow)})) == [header]


def test_the_assignments_export_reads_back_from_xlsx(auditor_client, officer):
    issue(officer, {"province": "15"})
    header, *rows = xlsx_rows(auditor_client.get(assignments_export("xlsx")))
    assert header[2] == "Office"
    assert len(rows) == 11


def test_a_date_range_the_wrong_way_round_is_explained(auditor_client):
    response = auditor_client.get(INDEX, {"start": "2017-05-01", "end": "2017-03-01"})
    assert "The start date is after the end date." in response.content.decode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_cost_the_same_for_eleven_assignments_or_525(
    auditor_client, officer, fmt, django_assert_max_num_queries
):
    for scope, total in (({"province": "15"}, 11), ({"all_regencies": True}, 525)):
        issue(officer, scope)
        with django_assert_max_num_queries(5):
            response = auditor_client.get(assignments_export(fmt))
            rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
        assert len(rows) == 1 + total


def test_the_transition_export_and_the_index_cost_the_same_for_two_regencies_or_twelve(
    auditor_client, officer, django_assert_max_num_queries
):
    codes = ["15.01", "15.02", "15.03", "15.04", "15.05", "15.06"]
    codes += ["15.07", "15.08", "15.09", "15.71", "15.72", "51.71"]
    at = dt.datetime(2017, 3, 6, 10, tzinfo=WIB)
    for done, upto in ((0, 2), (2, 12)):
        for code in codes[done:upto]:
            flag(code, officer, at)
        with django_assert_max_num_queries(5):
            rows = csv_rows(auditor_client.get(transitions_export()))
        assert len(rows) == 1 + upto
        with django_assert_max_num_queries(12):
            assert auditor_client.get(INDEX).status_code == 200


# --- the transition log on the page: the console's words, the reader's language --------

PERSONS_NOTE = "SK Bupati diterima / lihat lampiran"


def cleared_after_probation(code):
    """Flagged, cut, remediated, reconnected with a person's note holding a slash (the
    director's order, carried out by a network operator), then cleared by the system when
    probation ended (its reason in both languages)."""
    cast = scenario.Cast.of(code)
    scenario.flag(cast)
    scenario.suspend(cast)
    scenario.remediate(cast)
    order = compliance_services.reconnect_regency(
        regency=cast.regency, actor=cast.director, reason=PERSONS_NOTE
    )
    operator = official("network_operator")
    carry_out(order, operator=operator)
    later = timezone.now() + dt.timedelta(days=settings.PROBATION_DAYS + 1)
    assert compliance_services.clear_after_probation(now=later) == [code]
    return cast, operator


def log_rows(response):
    """The cells of the transition log's rows, tags dropped and whitespace folded."""
    section = response.content.decode().split('id="logs-heading"')[1]
    body = section.split("<tbody>")[1].split("</tbody>")[0]
    return [
        [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_the_log_names_transitions_and_states_as_the_console_does(regions):
    cleared_after_probation("15.02")
    rows = log_rows(client_for(official("auditor")).get(INDEX))
    assert [row[2:5] for row in rows] == [
        ["Flag", "Compliant", "Flagged for a violation"],
        ["Cut carried out", "Flagged for a violation", "SIAK access cut"],
        ["Submit remediation", "SIAK access cut", "Remediation submitted"],
        ["Reconnect", "Remediation submitted", "Reconnected (probation)"],
        ["Clear", "Reconnected (probation)", "Compliant"],
    ]


def test_the_log_reads_in_indonesian_by_default(regions):
    cleared_after_probation("15.02")
    rows = log_rows(client_for(official("auditor"), language="id").get(INDEX))
    assert rows[-1][2:6] == [
        "Nyatakan patuh",
        "Akses SIAK dipulihkan (masa percobaan)",
        "Patuh",
        "sistem",
    ]


@pytest.mark.parametrize(
    ("language", "half", "other_half"),
    [
        ("id", "Masa percobaan {days} hari berakhir", "Probation of {days} days"),
        ("en", "Probation of {days} days passed without a new violation", "Masa percobaan"),
    ],
)
def test_the_systems_reason_in_the_readers_language_a_persons_note_whole(
    regions, language, half, other_half
):
    days = settings.PROBATION_DAYS
    cleared_after_probation("15.02")
    rows = log_rows(client_for(official("auditor"), language=language).get(INDEX))
    reconnected, cleared = rows[-2], rows[-1]
    assert reconnected[6] == PERSONS_NOTE
    assert half.format(days=days) in cleared[6]
    assert other_half.format(days=days) not in cleared[6]
    assert " / " not in cleared[6]


def test_the_log_names_who_acted_without_repeating_the_username(regions):
    cast, operator = cleared_after_probation("15.02")
    rows = log_rows(client_for(official("auditor")).get(INDEX))
    flagged_by, reconnected_by = rows[0][5], rows[3][5]
    assert flagged_by.startswith(f"{cast.officer.username} · ")
    assert flagged_by.count(cast.officer.username) == 1
    # The reconnection is the operator's, who carried out the director's order.
    assert reconnected_by.startswith(f"{operator.username} · ")
    assert reconnected_by.count(operator.username) == 1


def test_the_export_keeps_the_raw_codes_and_both_languages(auditor_client, regions):
    cleared_after_probation("15.02")
    header, *rows = csv_rows(auditor_client.get(transitions_export()))
    transition, before, after, reason = (
        header.index(h) for h in ("Transition", "From", "To", "Reason")
    )
    assert [(r[transition], r[before], r[after]) for r in rows][-1] == (
        "clear",
        "reconnected",
        "compliant",
    )
    assert " / Probation of" in rows[-1][reason]


def test_the_auditors_menu_opens_the_console_read_only_as_well(auditor_client):
    page = auditor_client.get(reverse("audit:index")).content.decode()
    assert 'id="nav-console"' in page and 'id="nav-audit"' in page
    assert auditor_client.get(reverse("console:country")).status_code == 200
