"""Every action × every office kind, in and out of jurisdiction, through the API.

The expected table is written out from the issue, not derived from the code:
officers flag, request suspension, reject remediation and clear; directors decide
suspension requests and order reconnection; the Minister and the Director General do
both; the regent, mayor or Dukcapil head of the regency (and no other) uploads evidence
and submits remediation; the network operators (and no other, not even the Minister)
confirm that an access order was carried out; governors, provincial heads and auditors
change nothing. A director's approval or reconnection only issues an access order: the
regency's state changes when an operator confirms it. Outside the caller's jurisdiction
everything is 404 (the network operators' office is national). A refused request changes
nothing, and issues no order.
"""

import pytest

from compliance.models import AccessOrder, AccessOrderState, Violation
from tests.compliance import api_helpers as h
from tests.factories import official

pytestmark = pytest.mark.django_db

MERANGIN, TEBO, KOTA_JAMBI = "15.02", "15.09", "15.71"

OFFICER = {"flag", "request_suspension", "reject_remediation", "clear"}
DIRECTOR = {"approve_suspension", "reject_suspension", "reconnect"}
LOCAL = {"upload_evidence", "submit_remediation"}
OPERATOR = {"execute_access_order"}
MAY = {
    "minister": OFFICER | DIRECTOR,
    "director_general": OFFICER | DIRECTOR,
    "ministry_officer": OFFICER,
    "ministry_director": DIRECTOR,
    "auditor": set(),
    "governor": set(),
    "provincial_dukcapil_head": set(),
    "regent": LOCAL,
    "mayor": LOCAL,
    "regency_dukcapil_head": LOCAL,
    "network_operator": OPERATOR,
}

# (office kind, the office's region, the regency acted on, inside the jurisdiction?)
CALLERS = [
    ("minister", None, MERANGIN, True),
    ("director_general", None, MERANGIN, True),
    ("ministry_officer", None, MERANGIN, True),
    ("ministry_director", None, MERANGIN, True),
    ("auditor", None, MERANGIN, True),
    ("governor", "15", MERANGIN, True),
    ("governor", "16", MERANGIN, False),
    ("provincial_dukcapil_head", "15", MERANGIN, True),
    ("provincial_dukcapil_head", "16", MERANGIN, False),
    ("regent", MERANGIN, MERANGIN, True),
    ("regent", TEBO, MERANGIN, False),
    ("mayor", KOTA_JAMBI, KOTA_JAMBI, True),  # Merangin is a kabupaten: no mayor
    ("mayor", KOTA_JAMBI, MERANGIN, False),
    ("regency_dukcapil_head", MERANGIN, MERANGIN, True),
    ("regency_dukcapil_head", TEBO, MERANGIN, False),
    ("network_operator", None, MERANGIN, True),
]


# Each setup brings the regency into the state the action needs and returns
# (url, data, format, success status, the state after success, the kind of the access
# order success leaves waiting for the network operators or None).
def setup_flag(code):
    data = {"kind": "hr", "description": "Kadis diangkat tanpa izin", "legal_basis": "Pasal 83A"}
    return f"/api/v1/regencies/{code}/flag/", data, "json", 201, "flagged", None


def setup_request_suspension(code):
    h.flag(code)
    data = {"reason": "Tidak kooperatif"}
    return f"/api/v1/regencies/{code}/suspension-requests/", data, "json", 201, "flagged", None


def setup_approve_suspension(code):
    h.flag(code)
    request = h.request_suspension(code)
    url = f"/api/v1/suspension-requests/{request.pk}/approve/"
    return url, {"reason": "Disetujui"}, "json", 200, "flagged", "cut"


def setup_reject_suspension(code):
    h.flag(code)
    request = h.request_suspension(code)
    url = f"/api/v1/suspension-requests/{request.pk}/reject/"
    return url, {"reason": "Beri waktu"}, "json", 200, "flagged", None


def setup_upload_evidence(code):
    h.flag(code)
    data = {"file": h.pdf(), "description": "Perbup struktur Dinas Dukcapil"}
    return f"/api/v1/regencies/{code}/evidence/", data, "multipart", 201, "flagged", None


def setup_submit_remediation(code):
    violation = h.flag(code)
    document = h.services.upload_evidence(
        regency=h.regency(code), actor=h.local_official(code), file=h.pdf()
    )
    statements = [{"violation": violation.pk, "statement": "Sudah", "evidence": [document.pk]}]
    url = f"/api/v1/regencies/{code}/remediation/"
    return url, {"statements": statements}, "json", 201, "remediated", None


def setup_reject_remediation(code):
    h.flag(code)
    h.remediate(code)
    url = f"/api/v1/regencies/{code}/reject-remediation/"
    return url, {"reason": "Bukti kurang"}, "json", 200, "flagged", None


def setup_reconnect(code):
    h.suspend(code)
    h.remediate(code)
    return f"/api/v1/regencies/{code}/reconnection/", {}, "json", 200, "remediated", "restore"


def setup_execute_access_order(code):
    h.flag(code)
    order = h.services.approve_suspension(
        request=h.request_suspension(code), actor=official("ministry_director")
    )
    url = f"/api/v1/access-orders/{order.pk}/execute/"
    return url, {"reference": "TIKET-1"}, "json", 200, "suspended", None


def setup_clear(code):
    h.suspend(code)
    h.remediate(code)
    h.reconnect(code)
    return f"/api/v1/regencies/{code}/clear/", {}, "json", 200, "compliant", None


SETUPS = {
    "flag": setup_flag,
    "request_suspension": setup_request_suspension,
    "approve_suspension": setup_approve_suspension,
    "reject_suspension": setup_reject_suspension,
    "upload_evidence": setup_upload_evidence,
    "submit_remediation": setup_submit_remediation,
    "reject_remediation": setup_reject_remediation,
    "reconnect": setup_reconnect,
    "execute_access_order": setup_execute_access_order,
    "clear": setup_clear,
}


def orders(code):
    """The regency's access orders as (kind, state), oldest first."""
    found = AccessOrder.objects.filter(regency__code=code).order_by("pk")
    return list(found.values_list("kind", "state"))


def _id(caller):
    kind, region, target, inside = caller
    return f"{kind}@{region or 'ID'}->{target}"


def test_the_matrix_covers_every_office_kind_in_and_out_of_jurisdiction():
    assert {kind for kind, *_ in CALLERS} == set(MAY)
    regional = {kind for kind, region, *_ in CALLERS if region}
    for kind in regional:
        assert {inside for k, _, _, inside in CALLERS if k == kind} == {True, False}


@pytest.mark.parametrize("caller", CALLERS, ids=_id)
@pytest.mark.parametrize("action", list(SETUPS))
def test_action_by_office(action, caller):
    kind, region, target, inside = caller
    url, data, fmt, success, state_after, issued = SETUPS[action](target)
    actor = official(kind, region)
    before, orders_before = h.snapshot(target), orders(target)

    response = h.client_for(actor).post(url, data, format=fmt)

    if not inside:
        expected = 404
    elif action in MAY[kind]:
        expected = success
    else:
        expected = 403
    assert response.status_code == expected, response.content
    waiting = [k for k, state in orders(target) if state == AccessOrderState.ISSUED]
    if expected == success:
        assert h.regency(target).state == state_after
        assert h.snapshot(target) != before
        assert waiting == ([issued] if issued else [])
    else:
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == expected
        assert h.snapshot(target) == before
        assert orders(target) == orders_before


@pytest.mark.parametrize("decision", ["approve", "reject"])
@pytest.mark.parametrize("kind", ["minister", "director_general"])
def test_nobody_decides_a_request_they_made(kind, decision):
    h.flag(MERANGIN)
    requester = official(kind)
    request = h.request_suspension(MERANGIN, actor=requester)
    before = h.snapshot(MERANGIN)

    response = h.client_for(requester).post(
        f"/api/v1/suspension-requests/{request.pk}/{decision}/", {"reason": "Saya"}, format="json"
    )

    assert response.status_code == 403
    assert h.snapshot(MERANGIN) == before


def test_flagging_a_flagged_regency_adds_a_violation_to_the_open_case():
    first = h.flag(MERANGIN)
    response = h.client_for(official("ministry_officer")).post(
        f"/api/v1/regencies/{MERANGIN}/flag/",
        {"kind": "organisational", "description": "Tipe dinas salah", "legal_basis": "PP 18/2016"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["case"] == first.case_id
    assert Violation.objects.filter(case=first.case).count() == 2
