"""The console's pages are kept until what they show changes (pages.console.kept): readers
of one scope share a body, a change anyone makes shows on the next request, what moves with
the clock moves within a minute, and each reader's form carries his own CSRF token."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from compliance.models import ComplianceState, Regency
from tests.compliance.scenario import Cast, flag
from tests.factories import official
from workflow import services as workflow_services

from .test_console_read_model import KEPT

pytestmark = pytest.mark.django_db

COUNTRY = reverse("console:country")


def signed_in(user, **options):
    client = Client(**options)
    client.force_login(user)
    return client


def read(client, url=COUNTRY):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(captured)


def test_officers_of_one_scope_share_the_kept_page(regions):
    first = signed_in(official("ministry_officer"))
    second = signed_in(official("ministry_officer"))
    html, rendering = read(first)
    kept_html, kept = read(second)
    assert kept == KEPT < rendering
    assert kept_html.count('id="states-heading"') == 1
    assert _body(kept_html) == _body(html)


def test_a_governor_does_not_read_the_officers_page(regions):
    read(signed_in(official("ministry_officer")))
    html, queries = read(signed_in(official("governor", "15")))
    assert queries > KEPT  # rendered for his scope, not served from the officer's
    assert 'data-province="15"' in html


def flagged_in_jambi(html):
    row = re.search(r'<tr data-code="15">(.*?)</tr>', html, re.S).group(1)
    return int(re.search(r'data-state="flagged">(\d+)<', row).group(1))


def test_a_transition_shows_on_the_next_request(regions):
    officer = signed_in(official("ministry_officer"))
    cast = Cast.of("15.02")
    html, _ = read(officer)
    assert flagged_in_jambi(html) == 0
    flag(cast)  # its event in the feed is the data's new version
    html, queries = read(officer)
    assert queries > KEPT
    assert Regency.objects.get(code="15.02").state == ComplianceState.FLAGGED
    assert flagged_in_jambi(html) == 1


def test_what_moves_with_the_clock_moves_within_the_minute(regions):
    officer_user = official("ministry_officer")
    officer = signed_in(officer_user)
    now = timezone.now()
    directive = workflow_services.create_directive(
        actor=officer_user,
        title="Percepatan perekaman KTP-el",
        body="Selesaikan perekaman.",
        legal_basis="UU 24/2013 Pasal 63",
        due_date=now.date(),
        scope={"regions": ["15.02"]},
    )
    workflow_services.issue_directive(directive=directive, actor=officer_user, at=now)
    html, _ = read(officer)
    assert 'data-testid="overdue-none"' in html
    # No write since, only the clock: the due day ends, a minute passes.
    with time_machine.travel(now + timedelta(days=1, minutes=1), tick=False):
        html, queries = read(officer)
    assert queries > KEPT
    assert 'data-testid="overdue-by-level"' in html


def test_each_reader_gets_his_own_csrf_token(jambi_reports):
    first = signed_in(official("ministry_officer"), enforce_csrf_checks=True)
    second = signed_in(official("ministry_officer"), enforce_csrf_checks=True)
    url = COUNTRY + "?at=2017-10-01"
    read(first, url)
    html, queries = read(second, url)
    assert queries == KEPT
    form = re.search(r'data-testid="issue-acceleration">(.*?)</form>', html, re.S).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    answer = second.post(
        reverse("console:issue_acceleration"), {"at": "2017-10-01", "csrfmiddlewaretoken": token}
    )
    # Past the CSRF check (403 otherwise): the confirmation step asks before it issues.
    assert answer.status_code == 200
    assert "csrfmiddlewaretoken" in answer.content.decode()


def test_each_language_has_its_own_page(regions):
    officer = signed_in(official("ministry_officer"))
    indonesian, _ = read(officer)
    officer.cookies["django_language"] = "en"
    english, queries = read(officer)
    assert queries > KEPT
    assert "The country at a glance" in english
    assert "The country at a glance" not in indonesian


def _body(html):
    """The page's main part without its per-request tokens (the header names the reader)."""
    main = re.search(r'<main id="main".*?</main>', html, re.S).group(0)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", main)
