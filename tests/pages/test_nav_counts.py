"""My work, counted (issue 15, item 2, the menu's part): beside "Approvals", "Inbox" and
"Proposed sanctions" the menu shows how much waits there for this user, the same number
the API lists for him, each counted in one query."""

import datetime as dt
import re

import pytest
from django.test import RequestFactory
from django.urls import reverse

from pages.common import user_offices
from pages.nav import NavCounts
from tests.compliance.scenario import Cast, flag, remediate, request_suspension, suspend
from tests.factories import official
from tests.pages.inbox_fixtures import MERANGIN, TEBO, assignment_url, english, issue, later
from tests.pages.test_console import _extension_request
from tests.pages.test_inbox_governor import DUE, ISSUED, to_governors
from workflow import services
from workflow.escalation import sweep
from workflow.models import (
    ESCALATION_STOPPED,
    AssignmentState,
    Directive,
    EscalationPolicy,
    ProposalState,
    SanctionProposal,
)

pytestmark = pytest.mark.django_db

OPEN_STATES = [s for s in AssignmentState.values if s not in ESCALATION_STOPPED]


def shown(page, name):
    """The count beside the menu's link `name`, None when none is shown."""
    match = re.search(rf'id="nav-{name}-count" data-count="(\d+)"', page)
    return int(match.group(1)) if match else None


def api_count(client, path, **params):
    response = client.get(f"/api/v1/{path}", params)
    assert response.status_code == 200, response.content
    return response.json()["count"]


def counted_alone(user, name, django_assert_num_queries):
    """The count, with the number of queries it costs once the page has read the offices."""
    request = RequestFactory().get("/")
    request.user = user
    user_offices(request)  # as every page does, for its menu
    with django_assert_num_queries(1):
        return getattr(NavCounts(request), name)


def test_a_directors_approvals_count_is_the_apis(client, regions, django_assert_num_queries):
    merangin, tebo, kerinci = Cast.of(MERANGIN), Cast.of(TEBO), Cast.of("15.01")
    flag(merangin)
    request_suspension(merangin)  # a suspension to decide
    flag(tebo)
    suspend(tebo)
    remediate(tebo)  # a regency to reconnect
    flag(kerinci)
    request_suspension(kerinci)
    _extension_request(merangin.officer, "15.71")  # an extension to decide
    director = merangin.director
    client.force_login(director)

    page = client.get(reverse("console:approvals")).content.decode()

    expected = (
        api_count(client, "suspension-requests/", status="pending")
        + api_count(client, "regencies/", state="remediated")
        + api_count(client, "extension-requests/", status="pending")
    )
    assert expected == 4
    assert shown(page, "approvals") == expected
    assert counted_alone(director, "approvals", django_assert_num_queries) == expected


def test_a_regents_inbox_count_is_his_open_assignments(client, officer, django_assert_num_queries):
    regent = official("regent", MERANGIN)
    issue(officer, due=later(5))
    issue(officer, due=later(9))
    submitted = issue(officer, due=later(12))[MERANGIN]
    issue(officer, due=later(7), regions=[TEBO])  # another regency's
    client.force_login(regent)
    english(client)
    client.post(assignment_url(submitted, "acknowledge"))
    client.post(assignment_url(submitted, "submit"), {"note": "Selesai"})

    page = client.get(reverse("inbox:assignments")).content.decode()

    expected = sum(
        api_count(client, "assignments/", mine="true", state=state) for state in OPEN_STATES
    )
    assert expected == 2
    assert shown(page, "inbox") == expected
    assert counted_alone(regent, "inbox", django_assert_num_queries) == expected
    assert re.search(
        r'id="nav-inbox-count"[^>]*>2<span class="visually-hidden"> waiting</span>', page
    )


def test_a_governors_counts_beside_inbox_and_proposed_sanctions(
    client, officer, django_assert_num_queries
):
    governor = official("governor", "15")
    directive = services.create_directive(
        actor=officer,
        title="Percepatan perekaman KTP-el",
        body="Selesaikan perekaman KTP-el penduduk wajib KTP-el.",
        legal_basis="UU 23/2014 Pasal 67-68",
        due_date=DUE,
        scope={"regions": [MERANGIN, TEBO]},
    )
    # The ladder with the written warnings (which the governor signs for his regents).
    Directive.objects.filter(pk=directive.pk).update(
        policy=EscalationPolicy.objects.get(slug="program-strategis-nasional")
    )
    directive.refresh_from_db()
    services.issue_directive(directive=directive, actor=officer, at=ISSUED)
    to_governors(officer, due=DUE, at=ISSUED)
    sweep(now=ISSUED + dt.timedelta(days=60))  # written warning I to both regents, proposed
    client.force_login(governor)

    page = client.get(reverse("proposals:queue")).content.decode()

    proposals = api_count(client, "sanction-proposals/", state="proposed")
    inbox = sum(
        api_count(client, "assignments/", mine="true", state=state) for state in OPEN_STATES
    )
    assert (
        proposals
        == SanctionProposal.objects.filter(
            signatory_office__kind="governor", state=ProposalState.PROPOSED
        ).count()
    )
    assert proposals >= 2 and inbox == 1
    assert shown(page, "proposals") == proposals
    assert shown(page, "inbox") == inbox
    assert shown(page, "approvals") is None  # nothing waits: no count, not a zero
    assert counted_alone(governor, "proposals", django_assert_num_queries) == proposals
    assert counted_alone(governor, "approvals", django_assert_num_queries) == 0


def test_nothing_waiting_shows_no_count(client, regions):
    client.force_login(official("ministry_director"))
    page = client.get(reverse("console:approvals")).content.decode()
    assert 'id="nav-approvals"' in page
    assert shown(page, "approvals") is None
