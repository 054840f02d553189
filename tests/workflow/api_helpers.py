"""Shared setup for the workflow API tests: officials, a clock pinned on Monday
2 November 2026 10:00 WIB, and directives drafted and issued through the API.

Under the default policy a directive issued then and due Friday 20 November climbs:
ack-reminder 4 Nov 10:00, due-reminder 18 Nov 00:00, overdue-notice 21 Nov 00:00 (the
end of the due day), written-warning-1 28 Nov 00:00, written-warning-2 12 Dec,
escalate-to-minister 26 Dec (all WIB, tests/workflow/test_policies.py)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tests.compliance.api_helpers import client_for  # noqa: F401
from tests.factories import PSN
from workflow.models import Assignment

WIB = ZoneInfo("Asia/Jakarta")
WIT = ZoneInfo("Asia/Jayapura")
ISSUED_AT = dt.datetime(2026, 11, 2, 10, 0, tzinfo=WIB)
DUE = "2026-11-20"
MERANGIN, TEBO, KOTA_JAMBI = "15.02", "15.09", "15.71"
JAMBI_REGENCIES = [
    "15.01",
    "15.02",
    "15.03",
    "15.04",
    "15.05",
    "15.06",
    "15.07",
    "15.08",
    "15.09",
    "15.71",
    "15.72",
]


def wib(*args):
    return dt.datetime(*args, tzinfo=WIB)


@pytest.fixture
def clock(time_machine):
    """The wall clock, standing still at the issue instant until moved."""
    time_machine.move_to(ISSUED_AT, tick=False)
    return time_machine


@pytest.fixture
def officer(clock, officer):
    """The API tests' ministry officer (tests/conftest.py); asking for him pins the clock."""
    return officer


def get(user, url, expect=200):
    response = client_for(user).get(url)
    assert response.status_code == expect, response.content
    return response.json()


def post(user, url, data=None, expect=200, fmt="json"):
    response = client_for(user).post(url, data or {}, format=fmt)
    assert response.status_code == expect, response.content
    return response.json()


def directive_input(scope, **extra):
    return {
        "title": "Percepatan perekaman KTP-el",
        "body": "Selesaikan perekaman KTP-el penduduk wajib KTP-el sebelum batas waktu.",
        "legal_basis": "UU 24/2013 Pasal 63; UU 23/2014 Pasal 67",
        "due_date": DUE,
        "scope": scope,
        # The ladder these tests climb is the national strategic programme's.
        **PSN,
        **extra,
    }


def draft(officer, scope=None, **extra):
    body = post(
        officer, "/api/v1/directives/", directive_input(scope or {"province": "15"}, **extra), 201
    )
    return body["id"]


def issue(officer, scope=None, **extra):
    """Draft and issue a directive through the API; its id."""
    pk = draft(officer, scope, **extra)
    post(officer, f"/api/v1/directives/{pk}/issue/")
    return pk


def assignment(directive, code):
    """The id of the assignment of the directive addressed to the head of region `code`."""
    found = Assignment.objects.filter(directive_id=directive)
    found = (
        found.filter(regency__code=code)
        if "." in code
        else found.filter(province__code=code, regency=None)
    )
    return found.values_list("pk", flat=True).get()


def url(pk, action=""):
    return f"/api/v1/assignments/{pk}/{action + '/' if action else ''}"
