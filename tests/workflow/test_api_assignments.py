"""Assignments through the API: the list and its filters, the recipient's steps, the
ministry's verification and return, refusals, and a list that costs the same whatever
its size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance.models import EvidenceDocument
from tests.compliance.api_helpers import pdf
from tests.factories import official
from tests.workflow import api_helpers as h
from workflow.escalation import sweep
from workflow.models import Assignment, AssignmentEvent

# Shared fixtures (pytest finds fixtures among a module's names).
clock, officer = h.clock, h.officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def directive(clock, officer):
    return h.issue(officer)


@pytest.fixture
def merangin(directive):
    return h.assignment(directive, h.MERANGIN)


@pytest.fixture
def regent(clock):
    return official("regent", h.MERANGIN)


def state(pk):
    return Assignment.objects.get(pk=pk).state


# --- the list and its filters ------------------------------------------------------------


def test_the_list_filters_by_directive_state_overdue_and_province(clock, officer, directive):
    national = h.issue(officer, {"all_regencies": True})
    tebo = official("regent", h.TEBO)
    h.post(tebo, h.url(h.assignment(directive, h.TEBO), "acknowledge"))

    def count(query):
        return h.get(officer, f"/api/v1/assignments/?{query}")["count"]

    assert count("") == 11 + 514
    assert count(f"directive={national}") == 514
    assert count(f"directive={national}&province=15") == 11
    assert count("province=16") == 17
    assert count("state=acknowledged") == 1
    assert count(f"directive={directive}&state=issued") == 10
    assert count("overdue=true") == 0
    clock.move_to(h.wib(2026, 11, 20, 23, 0), tick=False)  # Papua's due day (WIT) is over
    assert count("overdue=true&province=91") == 9
    assert count("overdue=true&province=15") == 0
    clock.move_to(h.wib(2026, 11, 21, 0, 1), tick=False)
    assert count("overdue=true&province=15") == 22
    assert count("overdue=false") == 0


def test_mine_narrows_a_governors_list_to_what_is_addressed_to_his_province(
    clock, officer, directive
):
    to_governors = h.issue(officer, {"all_provinces": True})
    governor = official("governor", "15")

    def ids(user, query=""):
        return {a["id"] for a in h.get(user, f"/api/v1/assignments/?{query}")["results"]}

    watched, mine = ids(governor), ids(governor, "mine=true")
    assert len(watched) == 11 + 1  # his regents' and his own
    assert mine == {h.assignment(to_governors, "15")}
    head = official("provincial_dukcapil_head", "15")  # acts for the governor
    assert ids(head, "mine=true") == mine
    assert len(ids(official("regent", h.MERANGIN), "mine=true")) == 1


def test_a_filter_of_the_wrong_type_is_invalid_input(clock, officer):
    response = h.client_for(officer).get("/api/v1/assignments/?state=done&directive=x")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"state", "directive"}


def test_a_deadline_in_wit_is_shown_in_the_recipients_own_time(clock, officer):
    pk = h.issue(officer, {"regions": ["91.71"]})
    [a] = h.get(officer, f"/api/v1/assignments/?directive={pk}")["results"]
    assert a["region"] == "91.71"
    assert a["due_at"] == "2026-11-20T22:00:00+07:00"  # the API speaks Jakarta time
    assert (a["due_at_local"], a["time_zone"]) == ("2026-11-21T00:00:00+09:00", "WIT")


def test_a_governors_assignment_carries_the_province_code(clock, officer):
    pk = h.issue(officer, {"all_provinces": True})
    governor = official("governor", "15")
    [a] = h.get(governor, f"/api/v1/assignments/?directive={pk}")["results"]
    assert (a["region"], a["office"]) == ("15", {"title": "Gubernur Jambi", "kind": "governor"})


def test_the_list_costs_the_same_for_eleven_or_514_assignments(clock, officer):
    jambi = h.issue(officer)
    national = h.issue(officer, {"all_regencies": True})
    sweep(now=h.wib(2026, 11, 5, 9, 0))  # every row now has a step behind and one ahead

    def listing(pk):
        with CaptureQueriesContext(connection) as queries:
            body = h.get(officer, f"/api/v1/assignments/?directive={pk}")
        return body, len(queries)

    small, few = listing(jambi)
    large, many = listing(national)
    assert (small["count"], len(small["results"])) == (11, 11)
    assert (large["count"], len(large["results"])) == (514, 100)
    assert many == few


# --- the recipient's steps -----------------------------------------------------------------


def test_the_regent_acknowledges_starts_and_submits(clock, regent, merangin):
    body = h.post(regent, h.url(merangin, "acknowledge"))
    assert (body["state"], body["acknowledged_at"]) == ("acknowledged", "2026-11-02T10:00:00+07:00")
    clock.move_to(h.wib(2026, 11, 9, 8, 0), tick=False)
    assert h.post(regent, h.url(merangin, "start"))["state"] == "in_progress"
    clock.move_to(h.wib(2026, 11, 19, 16, 0), tick=False)
    body = h.post(regent, h.url(merangin, "submit"), {"note": "Perekaman 100 %"})
    assert (body["state"], body["submitted_at"], body["note"]) == (
        "submitted",
        "2026-11-19T16:00:00+07:00",
        "Perekaman 100 %",
    )
    assert (body["next_step"], body["next_step_at"]) == (None, None)  # escalation stopped
    events = AssignmentEvent.objects.filter(assignment_id=merangin).order_by("at", "id")
    assert list(events.values_list("transition", "from_state", "to_state")) == [
        ("acknowledge", "issued", "acknowledged"),
        ("start", "acknowledged", "in_progress"),
        ("submit", "in_progress", "submitted"),
    ]


def test_the_regencys_dukcapil_head_acts_for_the_regent(clock, merangin):
    head = official("regency_dukcapil_head", h.MERANGIN)
    assert h.post(head, h.url(merangin, "acknowledge"))["state"] == "acknowledged"


def test_acknowledging_twice_is_a_conflict(clock, regent, merangin):
    h.post(regent, h.url(merangin, "acknowledge"))
    response = h.client_for(regent).post(h.url(merangin, "acknowledge"))
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "urn:ektp-compliance:problem:conflict"
    assert AssignmentEvent.objects.filter(assignment_id=merangin).count() == 1


def test_starting_before_acknowledging_is_a_conflict(clock, regent, merangin):
    assert h.client_for(regent).post(h.url(merangin, "start")).status_code == 409
    assert state(merangin) == "issued"


def test_a_submission_needs_a_note(clock, regent, merangin):
    h.post(regent, h.url(merangin, "acknowledge"))
    response = h.client_for(regent).post(h.url(merangin, "submit"), {"note": " "}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"note": ["required"]}
    assert state(merangin) == "acknowledged"


def test_a_report_may_carry_its_evidence_file_which_the_note_names(clock, regent, merangin):
    """The report and its file are one use case (workflow.submit_assignment), for the API
    as for the inbox: the file becomes the regency's evidence document, named in the note."""
    h.post(regent, h.url(merangin, "acknowledge"))
    h.post(regent, h.url(merangin, "start"))
    body = h.post(
        regent,
        h.url(merangin, "submit"),
        {"note": "Perekaman 100 %", "evidence": pdf("rekap-merangin.pdf")},
        fmt="multipart",
    )
    (document,) = EvidenceDocument.objects.filter(regency__code=h.MERANGIN)
    assert document.original_name == "rekap-merangin.pdf"
    assert (
        body["note"] == f"Perekaman 100 %\n\nBukti / Evidence: rekap-merangin.pdf (#{document.pk})"
    )
    assert [e["id"] for e in body["evidence"]] == [document.pk]


def test_a_refused_report_keeps_no_evidence_file(clock, regent, merangin):
    # Not started yet: the report is refused, and the file sent with it is not kept.
    response = h.client_for(regent).post(
        h.url(merangin, "submit"), {"note": "Selesai", "evidence": pdf()}, format="multipart"
    )
    assert response.status_code == 409
    assert not EvidenceDocument.objects.exists()
    assert state(merangin) == "issued"


def test_a_governors_report_has_no_regency_to_file_evidence_under(clock, officer):
    directive = h.issue(officer, {"all_provinces": True})
    jambi = h.assignment(directive, "15")
    governor = official("governor", "15")
    h.post(governor, h.url(jambi, "acknowledge"))
    h.post(governor, h.url(jambi, "start"))
    response = h.client_for(governor).post(
        h.url(jambi, "submit"), {"note": "Selesai", "evidence": pdf()}, format="multipart"
    )
    assert response.status_code == 422
    assert response.json()["code"] == "evidence_needs_regency"
    assert not EvidenceDocument.objects.exists()


def test_the_governor_sees_but_may_not_act_for_a_regent(clock, merangin):
    governor = official("governor", "15")
    h.get(governor, h.url(merangin))
    assert h.client_for(governor).post(h.url(merangin, "acknowledge")).status_code == 403
    assert state(merangin) == "issued"


# --- the ministry's verification and return ---------------------------------------------------


def submitted(regent, pk):
    h.post(regent, h.url(pk, "acknowledge"))
    h.post(regent, h.url(pk, "submit"), {"note": "Selesai"})


def test_the_ministry_verifies_a_submission(clock, officer, regent, merangin):
    submitted(regent, merangin)
    assert h.post(officer, h.url(merangin, "verify"))["state"] == "verified"
    assert h.client_for(officer).post(h.url(merangin, "verify")).status_code == 409


def test_the_regent_may_not_verify_its_own_work(clock, regent, merangin):
    submitted(regent, merangin)
    assert h.client_for(regent).post(h.url(merangin, "verify")).status_code == 403
    assert h.client_for(regent).post(h.url(merangin, "return"), {"reason": "x"}).status_code == 403
    assert state(merangin) == "submitted"


def test_returned_work_is_started_again_submitted_and_verified(clock, officer, regent, merangin):
    submitted(regent, merangin)
    response = h.client_for(officer).post(h.url(merangin, "return"), {}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"reason": ["required"]}

    body = h.post(officer, h.url(merangin, "return"), {"reason": "Lampirkan data per kecamatan"})
    assert body["state"] == "returned"
    assert body["next_step"] == "ack-reminder"  # the ladder resumes where it stood
    assert h.post(regent, h.url(merangin, "start"))["state"] == "in_progress"
    h.post(regent, h.url(merangin, "submit"), {"note": "Data per kecamatan terlampir"})
    assert h.post(officer, h.url(merangin, "verify"))["state"] == "verified"
    transitions = AssignmentEvent.objects.filter(assignment_id=merangin).order_by("at", "id")
    assert list(transitions.values_list("transition", flat=True)) == [
        "acknowledge",
        "submit",
        "return",
        "start",
        "submit",
        "verify",
    ]
    assert transitions.get(transition="return").reason == "Lampirkan data per kecamatan"


def test_returning_what_was_not_submitted_is_a_conflict(clock, officer, merangin):
    response = h.client_for(officer).post(h.url(merangin, "return"), {"reason": "x"})
    assert response.status_code == 409
    assert state(merangin) == "issued"


def test_the_detail_of_one_assignment(clock, regent, merangin, directive):
    body = h.get(regent, h.url(merangin))
    assert body == {
        "id": merangin,
        "directive": {"id": directive, "title": "Percepatan perekaman KTP-el"},
        "office": {"title": "Bupati Merangin", "kind": "regent"},
        "region": h.MERANGIN,
        "state": "issued",
        "due_date": "2026-11-20",
        "due_at": "2026-11-21T00:00:00+07:00",
        "due_at_local": "2026-11-21T00:00:00+07:00",
        "time_zone": "WIB",
        "acknowledged_at": None,
        "submitted_at": None,
        "escalation_level": 0,
        "next_step": "ack-reminder",
        "next_step_at": "2026-11-04T10:00:00+07:00",
        "overdue": False,
        "note": "",
        "last_step_at": None,
        "evidence": [],  # the files a report names (none before a report)
    }
