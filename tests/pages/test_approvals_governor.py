"""A governor's approvals queue: only the extension requests under the directives his office
issued (no suspensions, no reconnections: those stay with ministry directors), which he
approves or rejects with the directors' forms. A request under the ministry's directive,
posted by its id, is refused by the service with its reason and nothing changes; another
province's request is 404. Regency offices are refused the page."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.compliance.scenario import Cast, flag, request_suspension
from tests.factories import official, regency
from workflow import services as workflow_services
from workflow.models import Assignment, ExtensionRequest

pytestmark = pytest.mark.django_db

APPROVALS = reverse("console:approvals")
MERANGIN, TEBO, KERINCI, KOTA_JAMBI, BANDUNG = "15.02", "15.09", "15.01", "15.71", "32.04"
MANAGER_ONLY = "Only the ministry or the governor who issued it may manage this directive"


def extension_under(issuer, code, reason="Alat perekaman rusak"):
    """A pending extension request of the head of `code` under a directive `issuer` issued."""
    directive = workflow_services.create_directive(
        actor=issuer,
        title=f"Percepatan perekaman KTP-el {code}",
        body="Selesaikan perekaman.",
        legal_basis="UU 24/2013 Pasal 63",
        due_date=timezone.localdate() + timedelta(days=10),
        scope={"regions": [code]},
    )
    workflow_services.issue_directive(directive=directive, actor=issuer)
    assignment = Assignment.objects.get(directive=directive)
    head = official("mayor" if regency(code).kind == "kota" else "regent", code)
    workflow_services.acknowledge_assignment(assignment=assignment, actor=head)
    return workflow_services.request_extension(
        assignment=assignment,
        actor=head,
        new_due_date=assignment.due_date + timedelta(days=14),
        reason=reason,
    )


def due_date(extension):
    return Assignment.objects.values_list("due_date", flat=True).get(pk=extension.assignment_id)


def listed(page):
    return [int(pk) for pk in re.findall(r'data-testid="extension-request-(\d+)"', page)]


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def governor(regions):
    return official("governor", "15")


@pytest.fixture
def governor_client(client, governor):
    client.force_login(governor)
    return client


def test_he_sees_only_the_requests_under_his_own_directives(governor_client, governor, officer):
    his = extension_under(governor, MERANGIN, reason="Blangko habis")
    ministrys = extension_under(officer, TEBO)  # addressed to his province all the same
    west_java = extension_under(official("governor", "32"), BANDUNG)
    cast = Cast.of(KERINCI)
    flag(cast)
    request_suspension(cast)  # pending in his province, but a director's to decide

    response = governor_client.get(APPROVALS)
    page = response.content.decode()
    assert response.status_code == 200
    assert listed(page) == [his.pk]
    assert ministrys.pk not in listed(page) and west_java.pk not in listed(page)
    assert 'data-testid="governor-approvals"' in page
    assert f'data-testid="approve-extension-{his.pk}"' in page
    assert f'data-testid="reject-extension-{his.pk}"' in page
    assert "Blangko habis" in page
    for section in ("suspensions-heading", "reconnections-heading", "suspension-request-"):
        assert section not in page


def test_the_menu_offers_him_the_queue(governor_client):
    page = governor_client.get(reverse("console:country")).content.decode()
    assert 'id="nav-approvals"' in page


def test_he_approves_one_and_the_due_date_moves(governor_client, governor):
    governor_client.cookies.load({"django_language": "en"})
    extension = extension_under(governor, MERANGIN)
    response = governor_client.post(
        reverse("console:decide_extension", args=[extension.pk, "approve"]),
        {"approve_extension-reason": "Wajar"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == APPROVALS
    assert "The new due date applies." in messages_of(response)
    extension.refresh_from_db()
    assert (extension.status, extension.decided_by) == ("approved", governor)
    assert extension.decided_office.kind == "governor"
    assert due_date(extension) == extension.new_due_date
    assert listed(response.content.decode()) == []  # decided: no longer waiting


def test_an_acting_governor_rejects_with_a_reason(client, governor):
    extension = extension_under(governor, KOTA_JAMBI)
    before = due_date(extension)
    client.force_login(official("governor", "15", acting=True))
    assert listed(client.get(APPROVALS).content.decode()) == [extension.pk]
    client.post(
        reverse("console:decide_extension", args=[extension.pk, "reject"]),
        {"reject_extension-reason": "Tidak cukup alasan"},
    )
    extension.refresh_from_db()
    assert (extension.status, extension.decision_reason) == ("rejected", "Tidak cukup alasan")
    assert due_date(extension) == before


def test_posting_the_id_of_a_ministry_directives_request_is_refused(governor_client, officer):
    governor_client.cookies.load({"django_language": "en"})
    extension = extension_under(officer, TEBO)
    before = due_date(extension)
    response = governor_client.post(
        reverse("console:decide_extension", args=[extension.pk, "approve"]),
        {"approve_extension-reason": ""},
        follow=True,
    )
    assert MANAGER_ONLY in messages_of(response)
    extension.refresh_from_db()
    assert (extension.status, extension.decided_by) == ("pending", None)
    assert due_date(extension) == before


def test_another_provinces_request_is_404(governor_client):
    extension = extension_under(official("governor", "32"), BANDUNG)
    url = reverse("console:decide_extension", args=[extension.pk, "approve"])
    assert governor_client.post(url, {}).status_code == 404
    assert ExtensionRequest.objects.get(pk=extension.pk).status == "pending"


def test_the_ministry_still_decides_under_a_governors_directive(client, governor):
    extension = extension_under(governor, MERANGIN)
    client.force_login(official("ministry_director"))
    page = client.get(APPROVALS).content.decode()
    assert 'id="suspensions-heading"' in page
    assert f'data-testid="approve-extension-{extension.pk}"' in page


@pytest.mark.parametrize(
    ("kind", "code"),
    [("regent", MERANGIN), ("mayor", KOTA_JAMBI), ("regency_dukcapil_head", MERANGIN)],
)
def test_regency_offices_are_refused_the_page(client, regions, kind, code):
    client.force_login(official(kind, code))
    response = client.get(APPROVALS)
    assert response.status_code == 403
    assert 'id="refusal-reason"' in response.content.decode()


def test_his_queue_needs_no_more_queries_with_more_rows(
    governor_client, governor, officer, django_assert_max_num_queries
):
    extension_under(governor, MERANGIN)
    extension_under(officer, TEBO)
    with CaptureQueriesContext(connection) as captured:
        assert governor_client.get(APPROVALS).status_code == 200
    few = len(captured)
    for code in (KERINCI, KOTA_JAMBI, "15.72", "15.03"):
        extension_under(governor, code)
    with django_assert_max_num_queries(few):
        page = governor_client.get(APPROVALS).content.decode()
    assert len(listed(page)) == 5
