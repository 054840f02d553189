"""No decision by accident (issue 15, item 4): cutting access, reconnecting, issuing to
several offices and issuing in bulk first show a page naming the effect, act only when it
is confirmed, and act once however often the confirmed form is sent (pages.confirm)."""

import re

import pytest
from django.urls import reverse

from compliance.models import AccessOrder, ComplianceState, RequestStatus, TransitionLog
from pages.models import Submission
from tests.compliance.scenario import Cast, flag, remediate, request_suspension, suspend
from tests.factories import carry_out, official, regency
from tests.pages.confirming import confirmation, press_confirm
from tests.pages.directives_fixtures import DUE, client_for
from workflow.models import Assignment, Directive, DirectiveState, Notification

pytestmark = pytest.mark.django_db

MERANGIN = "15.02"
COMPOSE = reverse("directives:compose")
ACCELERATE = reverse("console:issue_acceleration")


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def directive_form(**overrides):
    data = {
        "title": "Percepatan perekaman KTP-el",
        "body": "Selesaikan perekaman KTP-el penduduk wajib KTP-el.",
        "legal_basis": "UU 24/2013 Pasal 63",
        "due_date": DUE.isoformat(),
        "priority": "high",
        "policy": "hak-akses-siak",
        "scope_kind": "province",
        "province": "15",
        "regions": "",
        "action": "issue",
        "submission": "composer-key-1",
    }
    return data | overrides


# --- approving a suspension -------------------------------------------------------------


def test_approving_a_suspension_first_names_the_regency_whose_access_is_cut(regions):
    cast = Cast.of(MERANGIN)
    flag(cast)
    pending = request_suspension(cast, reason="Surat teguran tidak ditindaklanjuti")
    client = client_for(cast.director)
    url = reverse("console:decide_suspension", args=[pending.pk, "approve"])

    asked = client.post(url, {"approve_suspension-reason": "Sesuai aturan"})

    assert asked.status_code == 200
    page = text(asked)
    assert "Confirm: suspend 15.02 Kabupaten Merangin" in page
    assert "SIAK access of 15.02 Kabupaten Merangin will be cut" in page
    assert "Surat teguran tidak ditindaklanjuti" in page  # why it was asked
    action, fields, _ = confirmation(asked)
    assert action == url
    assert fields["approve_suspension-reason"] == ["Sesuai aturan"]  # carried to the decision
    assert regency(MERANGIN).state == ComplianceState.FLAGGED  # nothing done yet
    pending.refresh_from_db()
    assert pending.status == RequestStatus.PENDING


def test_in_indonesian_the_confirmation_says_the_same(regions):
    cast = Cast.of(MERANGIN)
    flag(cast)
    pending = request_suspension(cast)
    client = client_for(cast.director, language="id")
    asked = client.post(reverse("console:decide_suspension", args=[pending.pk, "approve"]), {})
    assert "Akses SIAK 15.02 Kabupaten Merangin akan diputus" in text(asked)


def test_a_confirmed_approval_sent_twice_decides_once(regions):
    cast = Cast.of(MERANGIN)
    flag(cast)
    pending = request_suspension(cast)
    client = client_for(cast.director)
    asked = client.post(reverse("console:decide_suspension", args=[pending.pk, "approve"]), {})

    first = press_confirm(client, asked)
    second = press_confirm(client, asked, follow=True)  # a double click, a reload

    assert first.url == reverse("console:approvals")
    assert second.redirect_chain[0][0] == first.url
    assert "it was not done a second time" in text(second)
    assert "could not" not in text(second).lower()  # no refusal: nothing was tried again
    [order] = AccessOrder.objects.filter(regency__code=MERANGIN)  # one cut ordered
    assert (order.kind, order.state, order.request) == ("cut", "issued", pending)
    assert regency(MERANGIN).state == ComplianceState.FLAGGED  # until the operators confirm
    assert Submission.objects.count() == 1
    carry_out(order)
    assert regency(MERANGIN).state == ComplianceState.SUSPENDED
    assert TransitionLog.objects.filter(transition="suspend").count() == 1


def test_a_refused_decision_needs_no_confirmation_and_keeps_no_key(regions):
    cast = Cast.of(MERANGIN)
    flag(cast)
    pending = request_suspension(cast)
    client = client_for(official("ministry_officer"))  # officers do not decide
    response = client.post(
        reverse("console:decide_suspension", args=[pending.pk, "approve"]), {}, follow=True
    )
    assert 'data-testid="confirmation"' not in response.content.decode()
    assert regency(MERANGIN).state == ComplianceState.FLAGGED
    assert not Submission.objects.exists()


# --- reconnecting -----------------------------------------------------------------------


def test_reconnecting_first_says_access_is_restored_then_acts_once(regions):
    cast = Cast.of(MERANGIN)
    flag(cast)
    suspend(cast)
    remediate(cast)
    client = client_for(cast.director)
    asked = client.post(reverse("console:act", args=[MERANGIN, "reconnect"]), {})

    assert "SIAK access of 15.02 Kabupaten Merangin will be restored" in text(asked)
    assert regency(MERANGIN).state == ComplianceState.REMEDIATED
    press_confirm(client, asked)
    press_confirm(client, asked)
    [order] = AccessOrder.objects.filter(regency__code=MERANGIN, kind="restore")  # ordered once
    assert order.state == "issued"
    assert regency(MERANGIN).state == ComplianceState.REMEDIATED  # until the operators confirm
    carry_out(order)
    assert regency(MERANGIN).state == ComplianceState.RECONNECTED
    assert TransitionLog.objects.filter(transition="reconnect").count() == 1


# --- issuing a directive to several offices ---------------------------------------------


def test_issuing_from_the_composer_names_the_count_of_regional_heads(officer):
    client = client_for(officer)
    asked = client.post(COMPOSE, directive_form())

    page = text(asked)
    assert "11 regional heads will receive the directive “Percepatan perekaman KTP-el”" in page
    assert "Yes, issue it to 11 offices" in page
    assert not Directive.objects.exists()  # the count came from a dry run, rolled back
    assert not Notification.objects.exists()


def test_in_indonesian_eleven_regional_heads_will_receive_it(officer):
    client = client_for(officer, language="id")
    asked = client.post(COMPOSE, directive_form())
    assert "11 kepala daerah akan menerima direktif" in text(asked)


def test_a_confirmed_issue_sent_twice_issues_one_directive(officer):
    client = client_for(officer)
    asked = client.post(COMPOSE, directive_form())

    first = press_confirm(client, asked)
    second = press_confirm(client, asked)

    directive = Directive.objects.get()
    assert directive.state == DirectiveState.ISSUED
    assert Assignment.objects.filter(directive=directive).count() == 11
    assert first.url == second.url == reverse("directives:detail", args=[directive.pk])


def test_a_draft_saved_twice_with_the_same_form_is_saved_once(officer):
    client = client_for(officer)
    data = directive_form(action="draft")
    client.post(COMPOSE, data)
    client.post(COMPOSE, data)
    assert Directive.objects.count() == 1


def test_the_composer_gives_each_form_its_own_key(officer):
    client = client_for(officer)
    keys = [
        re.search(r'name="submission" value="([^"]+)"', client.get(COMPOSE).content.decode())
        for _ in range(2)
    ]
    assert all(keys) and keys[0].group(1) != keys[1].group(1)


def test_a_refused_issue_shows_the_reason_on_the_form_not_a_confirmation(officer):
    client = client_for(officer)
    response = client.post(COMPOSE, directive_form(due_date="2017-01-02"))
    assert 'data-testid="confirmation"' not in response.content.decode()
    assert "due_date is in the past" in response.content.decode()
    assert not Directive.objects.exists()


def test_issuing_a_draft_from_its_page_asks_first(officer):
    client = client_for(officer)
    client.post(COMPOSE, directive_form(action="draft"))
    draft = Directive.objects.get()
    asked = client.post(reverse("directives:issue", args=[draft.pk]))
    assert "11 regional heads will receive" in text(asked)
    draft.refresh_from_db()
    assert draft.state == DirectiveState.DRAFT
    press_confirm(client, asked)
    press_confirm(client, asked)
    assert Assignment.objects.filter(directive=draft).count() == 11


# --- the acceleration directives, in bulk ---------------------------------------------


def test_the_bulk_acceleration_button_names_who_will_receive_what(client, jambi_reports):
    client.force_login(official("ministry_officer"))
    client.cookies["django_language"] = "en"
    asked = client.post(ACCELERATE, {"at": "2017-10-01"})

    page = text(asked)
    assert "1 regional head will receive an acceleration directive" in page
    assert "15.02 Kabupaten Merangin" in confirmation(asked)[2]
    assert "Figures as of 1 October 2017" in page
    assert not Directive.objects.filter(origin_key__startswith="acceleration:").exists()

    press_confirm(client, asked)
    again = press_confirm(client, asked, follow=True)
    assert Directive.objects.filter(origin_key__startswith="acceleration:").count() == 1
    assert "it was not done a second time" in text(again)
