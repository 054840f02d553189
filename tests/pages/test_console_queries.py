"""No console page's query count grows with the rows it shows: each page is measured
with few rows, then must not need more queries with several times as many."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from compliance import services
from tests.compliance.scenario import (
    Cast,
    flag,
    remediate,
    request_suspension,
    statements_for,
    suspend,
    upload,
)
from tests.factories import official
from workflow import services as workflow_services
from workflow.escalation import sweep

pytestmark = pytest.mark.django_db

JAMBI = ["15.01", "15.02", "15.03", "15.04", "15.05", "15.06", "15.07", "15.08"]


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def overdue_directive(officer, codes):
    now = timezone.now()
    directive = workflow_services.create_directive(
        actor=officer,
        title="Percepatan perekaman KTP-el",
        body="Selesaikan perekaman.",
        legal_basis="UU 24/2013 Pasal 63",
        due_date=(now - timedelta(days=40)).date(),
        scope={"regions": codes},
    )
    workflow_services.issue_directive(directive=directive, actor=officer, at=now - timedelta(60))
    sweep(now=now)


def grow(casts, step):
    for cast in casts:
        step(cast)


@pytest.fixture
def officer_client(client):
    officer = official("ministry_officer")
    client.force_login(officer)
    client.officer = officer
    return client


def test_the_country_page(officer_client, django_assert_max_num_queries, regions):
    casts = [Cast.of(code) for code in JAMBI]
    grow(casts[:1], lambda c: (flag(c), suspend(c)))
    overdue_directive(officer_client.officer, JAMBI[:1])
    few = queries_for(officer_client, reverse("console:country"))
    grow(casts[1:], lambda c: (flag(c), suspend(c)))
    overdue_directive(officer_client.officer, JAMBI)
    with django_assert_max_num_queries(few):
        officer_client.get(reverse("console:country"))


def test_the_province_page(officer_client, django_assert_max_num_queries, regions):
    casts = [Cast.of(code) for code in JAMBI]
    grow(casts[:1], lambda c: (flag(c), suspend(c)))
    few = queries_for(officer_client, reverse("console:province", args=["15"]))
    grow(casts[1:], lambda c: (flag(c), suspend(c)))
    with django_assert_max_num_queries(few):
        officer_client.get(reverse("console:province", args=["15"]))


def test_the_regency_page(officer_client, django_assert_max_num_queries, regions):
    cast = Cast.of("15.02")
    flag(cast)
    suspend(cast)
    remediate(cast)  # the case file: a remediation, its statement and its document
    overdue_directive(officer_client.officer, ["15.02"])
    few = queries_for(officer_client, reverse("console:regency", args=["15.02"]))
    services.reject_remediation(regency=cast.regency, actor=cast.officer, reason="Kurang")
    flag(cast)
    documents = [upload(cast) for _ in range(4)]
    services.submit_remediation(
        regency=cast.regency, actor=cast.regent, statements=statements_for(cast, documents)
    )
    overdue_directive(officer_client.officer, ["15.02"])
    overdue_directive(officer_client.officer, ["15.02"])
    with django_assert_max_num_queries(few):
        officer_client.get(reverse("console:regency", args=["15.02"]))


def _extension(officer, code):
    directive = workflow_services.create_directive(
        actor=officer,
        title="Perbaikan data",
        body="Perbaiki.",
        legal_basis="UU 24/2013",
        due_date=timezone.localdate() + timedelta(days=10),
        scope={"regions": [code]},
    )
    workflow_services.issue_directive(directive=directive, actor=officer)
    assignment = directive.assignments.get()
    head = official("mayor" if code.startswith("15.7") else "regent", code)
    workflow_services.acknowledge_assignment(assignment=assignment, actor=head)
    workflow_services.request_extension(
        assignment=assignment,
        actor=head,
        new_due_date=assignment.due_date + timedelta(days=7),
        reason="Alat rusak",
    )


def test_the_approvals_queue(client, django_assert_max_num_queries, regions):
    director = official("ministry_director")
    client.force_login(director)
    casts = [Cast.of(code) for code in JAMBI]
    officer = casts[0].officer
    grow(casts[:1], lambda c: (flag(c), request_suspension(c)))
    grow(casts[4:5], lambda c: (flag(c), suspend(c), remediate(c)))
    _extension(officer, "15.71")
    few = queries_for(client, reverse("console:approvals"))
    grow(casts[1:4], lambda c: (flag(c), request_suspension(c)))
    grow(casts[5:], lambda c: (flag(c), suspend(c), remediate(c)))
    _extension(officer, "15.72")
    _extension(officer, "15.09")
    with django_assert_max_num_queries(few):
        client.get(reverse("console:approvals"))
