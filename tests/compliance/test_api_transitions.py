"""Each transition endpoint: what it answers, what it changes, and what it refuses."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from compliance.models import ComplianceCase, EvidenceDocument, SuspensionPeriod
from tests.compliance import api_helpers as h
from tests.factories import carry_out, official

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
MERANGIN, TEBO = "15.02", "15.09"
URL = f"/api/v1/regencies/{MERANGIN}/"


def post(user, url, data=None, fmt="json"):
    return h.client_for(user).post(url, data or {}, format=fmt)


def upload(user, code=MERANGIN, file=None, description="Perbup"):
    return post(
        user,
        f"/api/v1/regencies/{code}/evidence/",
        {"file": file or h.pdf(), "description": description},
        fmt="multipart",
    )


# --- flag -------------------------------------------------------------------------


def test_flag_answers_with_the_violation_and_flags_the_regency():
    with time_machine.travel(dt.datetime(2017, 5, 2, 9, 30, tzinfo=WIB), tick=False):
        officer = official("ministry_officer")
        response = post(
            officer,
            f"{URL}flag/",
            {"kind": "hr", "description": "Kadis dimutasi tanpa izin", "legal_basis": "Pasal 83A"},
        )
    assert response.status_code == 201
    body = response.json()
    case = ComplianceCase.objects.get(regency__code=MERANGIN)
    assert body == {
        "id": body["id"],
        "kind": "hr",
        "description": "Kadis dimutasi tanpa izin",
        "legal_basis": "Pasal 83A",
        "flagged_at": "2017-05-02T09:30:00+07:00",
        "case": case.pk,
        "regency": MERANGIN,
    }
    assert h.regency(MERANGIN).state == "flagged"


def test_flag_needs_a_description_and_a_legal_basis():
    response = post(official("ministry_officer"), f"{URL}flag/", {"kind": "organisational"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"description": ["required"], "legal_basis": ["required"]}
    assert h.regency(MERANGIN).state == "compliant"


def test_flag_while_a_remediation_is_under_review_is_a_conflict():
    h.flag(MERANGIN)
    h.remediate(MERANGIN)
    before = h.snapshot(MERANGIN)
    response = post(
        official("ministry_officer"),
        f"{URL}flag/",
        {"kind": "hr", "description": "Lagi", "legal_basis": "Pasal 83A"},
    )
    assert response.status_code == 409
    assert h.snapshot(MERANGIN) == before


# --- suspension requests ---------------------------------------------------------------


def test_request_approve_and_the_regency_is_suspended_when_the_cut_is_carried_out():
    with time_machine.travel(dt.datetime(2017, 5, 15, 8, 0, tzinfo=WIB), tick=False) as clock:
        officer, director = official("ministry_officer"), official("ministry_director")
        operator = official("network_operator")
        h.flag(MERANGIN)
        created = post(officer, f"{URL}suspension-requests/", {"reason": "Tidak kooperatif"})
        assert created.status_code == 201
        request = created.json()
        assert request["status"] == "pending"
        assert request["requested_by"] == officer.username
        assert request["requested_at"] == "2017-05-15T08:00:00+07:00"
        assert (request["period"], request["access_order"]) == (None, None)

        # The director approves: an order to cut the access is issued, nothing is cut yet.
        clock.move_to(dt.datetime(2017, 5, 17, 10, 0, tzinfo=WIB))
        approved = post(director, f"/api/v1/suspension-requests/{request['id']}/approve/")
        assert approved.status_code == 200
        body = approved.json()
        assert body["status"] == "approved"
        assert body["decided_by"] == director.username
        assert body["period"] is None
        assert h.regency(MERANGIN).state == "flagged"
        assert not SuspensionPeriod.objects.filter(regency__code=MERANGIN).exists()
        order = h.client_for(operator).get(f"/api/v1/access-orders/{body['access_order']}/")
        assert order.status_code == 200
        order = order.json()
        assert (order["regency"], order["kind"], order["state"]) == (MERANGIN, "cut", "issued")
        assert order["request"] == request["id"]
        assert order["issued_by"] == director.username
        assert order["issued_at"] == "2017-05-17T10:00:00+07:00"
        assert order["due_at"] == "2017-05-18T10:00:00+07:00"  # ACCESS_ORDER_DUE_HOURS: 24

        # The operators cut it at noon and confirm it an hour later: the period starts at noon.
        clock.move_to(dt.datetime(2017, 5, 17, 13, 0, tzinfo=WIB))
        executed = post(
            operator,
            f"/api/v1/access-orders/{order['id']}/execute/",
            {"executed_at": "2017-05-17T12:00:00+07:00", "reference": "CHG-0517"},
        )
        assert executed.status_code == 200
        assert executed.json()["executed_at"] == "2017-05-17T12:00:00+07:00"
        decided = h.client_for(director).get(f"/api/v1/suspension-requests/{request['id']}/")
    period = SuspensionPeriod.objects.get(regency__code=MERANGIN)
    assert decided.json()["period"] == {
        "id": period.pk,
        "started_at": "2017-05-17T12:00:00+07:00",
        "ended_at": None,
    }
    assert decided.json()["access_order"] == order["id"]
    assert h.regency(MERANGIN).state == "suspended"


def test_a_second_request_while_one_is_pending_is_a_conflict():
    h.flag(MERANGIN)
    h.request_suspension(MERANGIN)
    response = post(official("ministry_officer"), f"{URL}suspension-requests/", {"reason": "Lagi"})
    assert response.status_code == 409


def test_a_suspension_cannot_be_requested_for_a_compliant_regency():
    response = post(official("ministry_officer"), f"{URL}suspension-requests/", {"reason": "X"})
    assert response.status_code == 409


def test_a_request_needs_a_reason():
    h.flag(MERANGIN)
    response = post(official("ministry_officer"), f"{URL}suspension-requests/", {"reason": " "})
    assert response.status_code == 400
    assert response.json()["errors"] == {"reason": ["required"]}


def test_a_decided_request_cannot_be_decided_again():
    h.flag(MERANGIN)
    request = h.request_suspension(MERANGIN)
    director = official("ministry_director")
    assert post(director, f"/api/v1/suspension-requests/{request.pk}/approve/").status_code == 200
    before = h.snapshot(MERANGIN)
    again = post(
        official("ministry_director"),
        f"/api/v1/suspension-requests/{request.pk}/reject/",
        {"reason": "Tidak jadi"},
    )
    assert again.status_code == 409
    assert h.snapshot(MERANGIN) == before


def test_reject_a_request_needs_a_reason_and_leaves_the_regency_flagged():
    h.flag(MERANGIN)
    request = h.request_suspension(MERANGIN)
    director = official("ministry_director")
    url = f"/api/v1/suspension-requests/{request.pk}/reject/"
    missing = post(director, url, {})
    assert missing.status_code == 400
    assert missing.json()["errors"] == {"reason": ["required"]}

    rejected = post(director, url, {"reason": "Beri waktu 10 hari"})
    assert rejected.status_code == 200
    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["decision_reason"] == "Beri waktu 10 hari"
    assert h.regency(MERANGIN).state == "flagged"


def test_the_minister_who_requested_cannot_approve():
    minister = official("minister")
    h.flag(MERANGIN)
    request = h.request_suspension(MERANGIN, actor=minister)
    response = post(minister, f"/api/v1/suspension-requests/{request.pk}/approve/")
    assert response.status_code == 403
    assert "sendiri" in response.json()["detail"]
    assert h.regency(MERANGIN).state == "flagged"
    # ...and a director may.
    other = post(
        official("ministry_director"), f"/api/v1/suspension-requests/{request.pk}/approve/"
    )
    assert other.status_code == 200


def test_an_unknown_suspension_request_is_not_found():
    response = post(official("ministry_director"), "/api/v1/suspension-requests/999999/approve/")
    assert response.status_code == 404


# --- evidence ---------------------------------------------------------------------


def test_upload_answers_with_the_document_and_it_is_downloaded_by_those_allowed():
    regent = official("regent", MERANGIN)
    response = upload(regent, description="SK pengangkatan Kadis")
    assert response.status_code == 201
    body = response.json()
    assert body["content_type"] == "application/pdf"
    assert body["size"] == len(h.PDF)
    assert body["original_name"] == "bukti.pdf"
    assert body["uploaded_by"] == regent.username
    document = EvidenceDocument.objects.get(pk=body["id"])
    assert document.description == "SK pengangkatan Kadis"

    for reader in (regent, official("governor", "15"), official("auditor")):
        download = h.client_for(reader).get(f"/api/v1/evidence/{body['id']}/")
        assert download.status_code == 200
        assert download["Content-Disposition"] == 'attachment; filename="bukti.pdf"'
        assert download["Content-Type"] == "application/pdf"
        assert b"".join(download.streaming_content) == h.PDF

    for outsider in (official("regent", TEBO), official("governor", "16")):
        assert h.client_for(outsider).get(f"/api/v1/evidence/{body['id']}/").status_code == 404
    assert h.client_for(regent).get("/api/v1/evidence/999999/").status_code == 404
    # a client that names the file's type in Accept gets the file, not a 406
    asked = h.client_for(regent).get(
        f"/api/v1/evidence/{body['id']}/", HTTP_ACCEPT="application/pdf"
    )
    assert asked.status_code == 200
    assert b"".join(asked.streaming_content) == h.PDF


def test_upload_is_checked_by_content_not_by_name():
    fake = SimpleUploadedFile(
        "bukti.pdf", b"#!/bin/sh\necho hello\n", content_type="application/pdf"
    )
    response = upload(official("regent", MERANGIN), file=fake)
    assert response.status_code == 422  # the schema's shape, a rule beyond it
    assert response.json()["errors"] == {"file": ["unsupported_type"]}
    assert not EvidenceDocument.objects.exists()


def test_upload_without_a_file_is_invalid_input():
    response = post(
        official("regent", MERANGIN),
        f"{URL}evidence/",
        {"description": "lupa berkas"},
        fmt="multipart",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"file": ["required"]}


def test_upload_larger_than_the_limit_is_refused(settings):
    settings.EVIDENCE_MAX_BYTES = 100
    big = SimpleUploadedFile("besar.pdf", h.PDF + b"0" * 200, content_type="application/pdf")
    response = upload(official("regent", MERANGIN), file=big)
    assert response.status_code == 413
    assert response.json()["errors"] == {"file": ["too_large"]}


# --- remediation --------------------------------------------------------------------


def test_remediation_answers_every_open_violation_with_statements_and_evidence():
    hr = h.flag(MERANGIN, kind="hr")
    organisational = h.flag(MERANGIN, kind="organisational")
    regent = official("regent", MERANGIN)
    first, second = upload(regent).json()["id"], upload(regent).json()["id"]
    statements = [
        {"violation": hr.pk, "statement": "Kadis diangkat ulang sesuai izin", "evidence": [first]},
        {"violation": organisational.pk, "statement": "Perbup OPD", "evidence": [first, second]},
    ]
    response = post(regent, f"{URL}remediation/", {"statements": statements})
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "submitted"
    assert body["submitted_by"] == regent.username
    for statement in body["statements"]:
        statement["evidence"].sort()
        documents = statement.pop("documents")  # each document in full besides its id
        assert sorted(d["id"] for d in documents) == statement["evidence"]
    assert sorted(body["statements"], key=lambda s: s["violation"]) == [
        {"violation": hr.pk, "statement": "Kadis diangkat ulang sesuai izin", "evidence": [first]},
        {"violation": organisational.pk, "statement": "Perbup OPD", "evidence": [first, second]},
    ]
    detail = h.client_for(regent).get(URL).json()
    assert detail["state"] == "remediated"
    assert detail["open_case"]["open_violations"] == []


def test_remediation_without_statements_is_refused_with_the_reason():
    h.flag(MERANGIN)
    before = h.snapshot(MERANGIN)
    for body in ({}, {"statements": []}):
        response = post(official("regent", MERANGIN), f"{URL}remediation/", body)
        assert response.status_code == 400
        assert response.json()["errors"] == {"statements": ["required"]}
    assert h.snapshot(MERANGIN) == before


def test_remediation_that_leaves_an_open_violation_unanswered_is_refused_with_the_reason():
    answered, unanswered = h.flag(MERANGIN), h.flag(MERANGIN, kind="organisational")
    document = upload(official("regent", MERANGIN)).json()["id"]
    before = h.snapshot(MERANGIN)
    statements = [{"violation": answered.pk, "statement": "Diperbaiki", "evidence": [document]}]
    response = post(official("regent", MERANGIN), f"{URL}remediation/", {"statements": statements})
    assert response.status_code == 422
    body = response.json()
    assert body["errors"] == {f"violation {unanswered.pk}": ["statement_missing"]}
    assert "pernyataan" in body["detail"]
    assert h.snapshot(MERANGIN) == before


def test_remediation_without_evidence_is_refused_with_the_reason():
    violation = h.flag(MERANGIN)
    before = h.snapshot(MERANGIN)
    statements = [{"violation": violation.pk, "statement": "Sudah diperbaiki", "evidence": []}]
    response = post(official("regent", MERANGIN), f"{URL}remediation/", {"statements": statements})
    assert response.status_code == 400
    assert response.json()["errors"] == {"statements": {"0": {"evidence": ["required"]}}}
    assert h.snapshot(MERANGIN) == before


def test_remediation_with_another_regencys_evidence_is_refused():
    violation = h.flag(MERANGIN)
    tebo_document = upload(official("regent", TEBO), code=TEBO).json()["id"]
    statements = [{"violation": violation.pk, "statement": "X", "evidence": [tebo_document]}]
    response = post(official("regent", MERANGIN), f"{URL}remediation/", {"statements": statements})
    assert response.status_code == 422
    assert response.json()["errors"] == {"evidence": [f"unknown_document:{tebo_document}"]}


def test_remediation_with_malformed_statements_is_invalid_input():
    h.flag(MERANGIN)
    response = post(
        official("regent", MERANGIN), f"{URL}remediation/", {"statements": [{"violation": "x"}]}
    )
    assert response.status_code == 400
    assert "statements" in response.json()["errors"]


def test_remediation_of_a_compliant_regency_is_a_conflict():
    statements = [{"violation": 1, "statement": "Tidak ada pelanggaran", "evidence": [1]}]
    response = post(official("regent", MERANGIN), f"{URL}remediation/", {"statements": statements})
    assert response.status_code == 409


# --- reject remediation, reconnect, clear ---------------------------------------------------


def test_rejecting_a_remediation_returns_a_suspended_regency_to_suspended():
    h.suspend(MERANGIN)
    h.remediate(MERANGIN)
    officer = official("ministry_officer")
    missing = post(officer, f"{URL}reject-remediation/", {"reason": ""})
    assert missing.status_code == 400
    assert missing.json()["errors"] == {"reason": ["required"]}

    response = post(officer, f"{URL}reject-remediation/", {"reason": "Bukti tidak sah"})
    assert response.status_code == 200
    log = response.json()
    assert (log["transition"], log["from_state"], log["to_state"]) == (
        "reject_remediation",
        "remediated",
        "suspended",
    )
    assert log["reason"] == "Bukti tidak sah"
    violations = h.client_for(officer).get(URL).json()["open_case"]["open_violations"]
    assert len(violations) == 1  # open again, to be answered anew


def test_rejecting_a_remediation_without_suspension_returns_to_flagged():
    h.flag(MERANGIN)
    h.remediate(MERANGIN)
    response = post(official("ministry_officer"), f"{URL}reject-remediation/", {"reason": "Kurang"})
    assert response.status_code == 200
    assert response.json()["to_state"] == "flagged"


def test_reject_remediation_when_none_was_submitted_is_a_conflict():
    h.flag(MERANGIN)
    response = post(official("ministry_officer"), f"{URL}reject-remediation/", {"reason": "X"})
    assert response.status_code == 409


def test_reconnect_orders_the_restoration_and_its_confirmation_closes_the_period():
    with time_machine.travel(dt.datetime(2017, 5, 17, 10, 0, tzinfo=WIB), tick=False) as clock:
        director, operator = official("ministry_director"), official("network_operator")
        h.suspend(MERANGIN)
        clock.shift(dt.timedelta(days=20))
        h.remediate(MERANGIN)
        clock.shift(dt.timedelta(days=1))
        response = post(director, f"{URL}reconnection/", {"reason": "Kadis sesuai aturan"})
        assert response.status_code == 200
        order = response.json()
        assert (order["regency"], order["kind"], order["state"]) == (MERANGIN, "restore", "issued")
        assert order["reason"] == "Kadis sesuai aturan"
        assert order["issued_at"] == "2017-06-07T10:00:00+07:00"
        # Still cut off until the operators confirm the restoration.
        detail = h.client_for(director).get(URL).json()
        assert detail["state"] == "remediated"
        assert detail["open_suspension"] is not None
        assert detail["issued_order"]["id"] == order["id"]

        clock.shift(dt.timedelta(days=1))
        executed = post(operator, f"/api/v1/access-orders/{order['id']}/execute/")
        assert executed.status_code == 200
        assert executed.json()["executed_at"] == "2017-06-08T10:00:00+07:00"
        clock.shift(dt.timedelta(days=5))
        detail = h.client_for(director).get(URL).json()
    assert detail["state"] == "reconnected"
    assert (detail["open_suspension"], detail["issued_order"]) == (None, None)
    assert detail["downtime_days"] == 22.0  # from the confirmed cut to the confirmed restoration
    period = SuspensionPeriod.objects.get(regency__code=MERANGIN)
    assert period.ended_at == dt.datetime(2017, 6, 8, 10, 0, tzinfo=WIB)


def test_a_second_reconnection_while_the_restoration_waits_is_a_conflict():
    h.suspend(MERANGIN)
    h.remediate(MERANGIN)
    director = official("ministry_director")
    assert post(director, f"{URL}reconnection/").status_code == 200
    before = h.snapshot(MERANGIN)
    response = post(director, f"{URL}reconnection/")
    assert response.status_code == 409
    assert h.snapshot(MERANGIN) == before


def test_reconnect_of_a_regency_that_was_never_cut_is_a_conflict():
    h.flag(MERANGIN)
    h.remediate(MERANGIN)
    before = h.snapshot(MERANGIN)
    response = post(official("ministry_director"), f"{URL}reconnection/")
    assert response.status_code == 409
    assert h.snapshot(MERANGIN) == before


def test_reconnect_before_remediation_is_a_conflict():
    h.suspend(MERANGIN)
    response = post(official("ministry_director"), f"{URL}reconnection/")
    assert response.status_code == 409
    assert h.regency(MERANGIN).state == "suspended"


def test_clear_closes_the_case():
    h.suspend(MERANGIN)
    h.remediate(MERANGIN)
    h.reconnect(MERANGIN)
    officer = official("ministry_officer")
    response = post(officer, f"{URL}clear/", {"reason": "Masa percobaan dipersingkat"})
    assert response.status_code == 200
    assert response.json()["to_state"] == "compliant"
    detail = h.client_for(officer).get(URL).json()
    assert detail["state"] == "compliant"
    assert detail["open_case"] is None
    assert ComplianceCase.objects.get(regency__code=MERANGIN).closed_at is not None


def test_clear_of_a_flagged_regency_is_a_conflict():
    h.flag(MERANGIN)
    response = post(official("ministry_officer"), f"{URL}clear/")
    assert response.status_code == 409
    assert response.json()["title"] == "Konflik status / State conflict"


def test_clear_of_a_remediated_regency_still_cut_off_is_a_conflict():
    h.suspend(MERANGIN)
    h.remediate(MERANGIN)
    response = post(official("ministry_officer"), f"{URL}clear/")
    assert response.status_code == 409
    assert h.regency(MERANGIN).state == "remediated"


# --- history --------------------------------------------------------------------------


def test_history_lists_the_transitions_oldest_first_with_actor_and_office():
    start = dt.datetime(2017, 5, 2, 9, 0, tzinfo=WIB)
    with time_machine.travel(start, tick=False) as clock:
        officer, director = official("ministry_officer"), official("ministry_director")
        head = official("regency_dukcapil_head", MERANGIN)
        operator = official("network_operator")
        h.flag(MERANGIN, actor=officer)
        clock.shift(dt.timedelta(days=13))
        request = h.request_suspension(MERANGIN, actor=officer)
        clock.shift(dt.timedelta(days=2))
        cut = h.services.approve_suspension(request=request, actor=director, reason="Setuju")
        clock.shift(dt.timedelta(hours=3))
        carry_out(cut, at=timezone.now(), operator=operator, reference="CHG-0517")
        clock.shift(dt.timedelta(days=80))
        h.remediate(MERANGIN, actor=head)
        clock.shift(dt.timedelta(days=7))
        h.reconnect(MERANGIN)
        body = h.client_for(official("auditor")).get(f"{URL}history/").json()

    rows = body["results"]
    # The approval itself is no transition: the regency is suspended by the confirmed cut.
    assert [(r["transition"], r["from_state"], r["to_state"]) for r in rows] == [
        ("flag", "compliant", "flagged"),
        ("suspend", "flagged", "suspended"),
        ("submit_remediation", "suspended", "remediated"),
        ("reconnect", "remediated", "reconnected"),
    ]
    assert [r["at"] for r in rows] == [
        "2017-05-02T09:00:00+07:00",
        "2017-05-17T12:00:00+07:00",
        "2017-08-05T12:00:00+07:00",
        "2017-08-12T12:00:00+07:00",
    ]
    assert rows[0]["actor"] == officer.username
    assert rows[1]["actor"] == operator.username
    assert rows[1]["office"] == (
        "Operator Jaringan Direktorat Jenderal Kependudukan dan Pencatatan Sipil "
        f"({operator.username})"
    )
    assert rows[1]["reason"] == "Setuju"
    # Who decided the cut, and the order the operator carried out.
    assert rows[1]["payload"]["request"] == request.pk
    assert rows[1]["payload"]["access_order"] == cut.pk
    assert rows[1]["payload"]["decided_by"] == director.pk
    assert rows[1]["payload"]["reference"] == "CHG-0517"
    assert rows[2]["office"] == "Kepala Dinas Kependudukan dan Pencatatan Sipil Kabupaten Merangin"
    assert set(rows[0]) == {
        "id",
        "regency",
        "at",
        "transition",
        "from_state",
        "to_state",
        "actor",
        "office",
        "reason",
        "payload",
    }


def test_history_outside_the_jurisdiction_is_not_found():
    h.flag(MERANGIN)
    response = h.client_for(official("regent", TEBO)).get(f"{URL}history/")
    assert response.status_code == 404
