"""The ministry console and the governor's view: who may open it, what it shows, and
that its forms run the compliance services with their rules and explain refusals."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from compliance import services
from compliance.models import AccessOrder, ComplianceState, SuspensionRequest
from tests.compliance.scenario import Cast, flag, remediate, request_suspension, suspend
from tests.factories import carry_out, official, regency
from tests.pages.confirming import confirmation, press_confirm
from tests.pages.inbox_fixtures import english
from workflow import services as workflow_services
from workflow.escalation import sweep
from workflow.models import Assignment

pytestmark = pytest.mark.django_db

MERANGIN, TEBO, KERINCI = "15.02", "15.09", "15.01"
BANDUNG = "32.04"  # Jawa Barat: outside a Jambi governor's province


def signed_in(client, user):
    client.force_login(user)
    return client


def html(response):
    return response.content.decode()


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- who may open it --------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        reverse("console:country"),
        reverse("console:province", args=["15"]),
        reverse("console:regency", args=[MERANGIN]),
        reverse("console:approvals"),
    ],
)
def test_a_regent_opening_the_console_is_refused_with_the_reason(client, regions, url):
    client = signed_in(client, official("regent", MERANGIN))
    response = client.get(url)
    assert response.status_code == 403
    reason = re.search(r'id="refusal-reason">(.*?)<', html(response)).group(1)
    assert reason == "Konsol ini untuk jabatan kementerian dan provinsi"


def test_the_console_asks_an_anonymous_visitor_to_sign_in(client, regions):
    response = client.get(reverse("console:country"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_governor_sees_his_province_as_the_console(client, regions):
    client = signed_in(client, official("governor", "15"))
    page = html(client.get(reverse("console:country")))
    assert 'data-province="15"' in page
    assert re.findall(r'<tr data-code="(\d\d)">', page) == ["15"]


def test_a_governor_gets_404_for_another_provinces_regency_and_province(client, regions):
    client = signed_in(client, official("governor", "15"))
    assert client.get(reverse("console:regency", args=[BANDUNG])).status_code == 404
    assert client.get(reverse("console:province", args=["32"])).status_code == 404
    assert client.get(reverse("console:regency", args=[MERANGIN])).status_code == 200


def test_a_governor_is_offered_no_action_and_a_forged_post_is_refused(client, regions):
    governor = official("governor", "15")
    client = signed_in(client, governor)
    page = html(client.get(reverse("console:regency", args=[MERANGIN])))
    assert 'data-testid="no-actions"' in page
    response = client.post(
        reverse("console:act", args=[MERANGIN, "flag"]),
        {"flag-kind": "hr", "flag-description": "x", "flag-legal_basis": "y"},
        follow=True,
    )
    assert regency(MERANGIN).state == ComplianceState.COMPLIANT
    assert any("flag" in m for m in messages_of(response))  # "Your office may not 'flag'"


# --- the country at a glance --------------------------------------------------------


def test_the_country_page_counts_regencies_by_state_per_province(client, regions):
    cast = Cast.of(MERANGIN)
    flag(cast)
    suspend(cast)
    flag(Cast.of(TEBO))
    client = signed_in(client, cast.officer)
    page = html(client.get(reverse("console:country")))
    jambi = re.search(r'<tr data-code="15">(.*?)</tr>', page, re.S).group(1)
    cells = dict(re.findall(r'data-state="(\w+)">(\d+)<', jambi))
    assert cells == {
        "compliant": "9",
        "flagged": "1",
        "suspended": "1",
        "remediated": "0",
        "reconnected": "0",
    }
    assert "<svg" in page and "states-by-province" in page
    suspended = re.search(r'data-testid="suspended">(.*?)</table>', page, re.S).group(1)
    assert 'data-code="15.02"' in suspended and 'data-code="15.09"' not in suspended


def test_overdue_assignments_are_counted_by_escalation_level(client, regions):
    officer = official("ministry_officer")
    now = timezone.now()
    directive = workflow_services.create_directive(
        actor=officer,
        title="Percepatan perekaman KTP-el",
        body="Selesaikan perekaman.",
        legal_basis="UU 24/2013 Pasal 63",
        due_date=(now - timedelta(days=40)).date(),
        scope={"regions": [MERANGIN, TEBO]},
    )
    workflow_services.issue_directive(directive=directive, actor=officer, at=now - timedelta(60))
    sweep(now=now)
    levels = set(Assignment.objects.values_list("escalation_level", flat=True))
    client = signed_in(client, officer)
    page = html(client.get(reverse("console:country")))
    table = re.search(r'data-testid="overdue-by-level">(.*?)</table>', page, re.S).group(1)
    rows = re.findall(r'data-level="(\d+)">.*?<td class="num">(\d+)</td></tr>', table, re.S)
    assert {int(level) for level, _ in rows} == levels
    assert sum(int(n) for _, n in rows) == 2
    assert 'data-testid="escalations-by-month"' in page


def test_without_recording_data_the_console_says_so(client, regions):
    client = signed_in(client, official("ministry_officer"))
    assert 'data-testid="no-recording-data"' in html(client.get(reverse("console:country")))
    province = html(client.get(reverse("console:province", args=["15"])))
    assert 'data-testid="no-recording-data"' in province


# --- a province ----------------------------------------------------------------------


def test_the_province_page_lists_its_regencies_with_state_and_downtime(client, regions):
    cast = Cast.of(MERANGIN)
    flag(cast)
    suspend(cast)
    client = signed_in(client, cast.officer)
    page = html(client.get(reverse("console:province", args=["15"])))
    table = re.search(r'data-testid="province-regencies">(.*?)</table>', page, re.S).group(1)
    codes = re.findall(r'<tr data-code="(15\.\d\d)">', table)
    assert len(codes) == 11 and codes == sorted(codes)
    merangin = re.search(r'<tr data-code="15.02">(.*?)</tr>', table, re.S).group(1)
    assert 'data-state="suspended"' in merangin


def test_a_long_province_paginates(client, regions):
    client = signed_in(client, official("ministry_officer"))
    first = html(client.get(reverse("console:province", args=["32"])))  # 27 regencies
    second = html(client.get(reverse("console:province", args=["32"]) + "?page=2"))
    assert len(re.findall(r'<tr data-code="32\.\d\d">', first)) == 25
    assert len(re.findall(r'<tr data-code="32\.\d\d">', second)) == 2


# --- a regency: the actions ----------------------------------------------------------


def test_an_officer_is_offered_flag_only_on_a_compliant_regency(client, regions):
    client = signed_in(client, official("ministry_officer"))
    page = html(client.get(reverse("console:regency", args=[KERINCI])))
    assert re.findall(r'data-testid="submit-(\w+)"', page) == ["flag"]
    assert 'data-state="compliant" aria-current="true"' in page  # highlighted in the diagram


def test_flagging_through_the_form_runs_the_service(client, regions):
    officer = official("ministry_officer")
    client = signed_in(client, officer)
    response = client.post(
        reverse("console:act", args=[KERINCI, "flag"]),
        {
            "flag-kind": "organisational",
            "flag-description": "Struktur Dinas Dukcapil tidak sesuai PP 18/2016",
            "flag-legal_basis": "PP 18/2016",
        },
    )
    assert response.status_code == 302
    assert regency(KERINCI).state == ComplianceState.FLAGGED
    page = html(client.get(response.url))
    assert 'id="regency-state" class="state state-flagged"' in page
    assert 'data-transition="flag"' in page  # on the timeline


@pytest.mark.parametrize(
    "language, done",
    [("id", "Pelanggaran telah dicatat."), ("en", "The violation is recorded.")],
)
def test_the_confirmation_speaks_the_readers_language(client, regions, language, done):
    client = signed_in(client, official("ministry_officer"))
    client.cookies.load({"django_language": language})
    response = client.post(
        reverse("console:act", args=[KERINCI, "flag"]),
        {"flag-kind": "hr", "flag-description": "Uji", "flag-legal_basis": "UU 24/2013"},
        follow=True,
    )
    assert messages_of(response) == [done]


def test_a_flag_without_description_is_refused_with_a_clear_message(client, regions):
    client = signed_in(client, official("ministry_officer"))
    client.cookies.load({"django_language": "en"})
    response = client.post(
        reverse("console:act", args=[KERINCI, "flag"]),
        {"flag-kind": "hr", "flag-description": "", "flag-legal_basis": "UU 24/2013"},
    )
    assert response.status_code == 400
    assert "This field is required." in html(response)
    assert regency(KERINCI).state == ComplianceState.COMPLIANT


def test_requesting_a_suspension_twice_explains_the_conflict(client, regions):
    cast = Cast.of(MERANGIN)
    flag(cast)
    request_suspension(cast)
    client = signed_in(client, cast.officer)
    english(client)
    response = client.post(
        reverse("console:act", args=[MERANGIN, "request_suspension"]),
        {"request_suspension-reason": "Lagi"},
        follow=True,
    )
    assert "A request is already pending" in " ".join(messages_of(response))
    assert SuspensionRequest.objects.filter(regency__code=MERANGIN).count() == 1


def test_a_director_reconnects_a_remediated_regency_from_the_approvals_queue(client, regions):
    cast = Cast.of(MERANGIN)
    flag(cast)
    suspend(cast)
    remediate(cast)
    client = signed_in(client, cast.director)
    queue = html(client.get(reverse("console:approvals")))
    assert 'data-testid="reconnect-15.02"' in queue
    asked = client.post(
        reverse("console:act", args=[MERANGIN, "reconnect"]),
        {"reconnect-reason": "Perbaikan diterima", "next": reverse("console:approvals")},
    )
    assert "15.02" in confirmation(asked)[2]
    assert regency(MERANGIN).state == ComplianceState.REMEDIATED  # asked, not done
    response = press_confirm(client, asked)
    assert response.url == reverse("console:approvals")
    # The director orders the restoration; the network operators carry it out.
    order = AccessOrder.objects.get(regency__code=MERANGIN, kind="restore")
    assert order.state == "issued"
    assert order.issued_by == cast.director
    assert regency(MERANGIN).state == ComplianceState.REMEDIATED
    carry_out(order)
    assert regency(MERANGIN).state == ComplianceState.RECONNECTED


def test_the_regency_page_shows_suspension_periods_and_letters_sections(client, regions):
    cast = Cast.of(TEBO)
    flag(cast)
    suspend(cast)
    client = signed_in(client, cast.officer)
    page = html(client.get(reverse("console:regency", args=[TEBO])))
    assert 'data-testid="suspension-periods"' in page
    assert 'data-transition="suspend"' in page  # the cut, as the operators carried it out
    assert 'data-testid="pending-suspension-request"' not in page


def timeline_rows(response, kind="transition"):
    """The cells of the timeline's rows of one kind, tags dropped, whitespace folded."""
    rows = re.findall(rf'<tr class="timeline-{kind}">(.*?)</tr>', html(response), re.S)
    return [
        [
            " ".join(re.sub(r"<[^>]+>", " ", c).split())
            for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in rows
    ]


PERSONS_NOTE = "SK Bupati diterima / lihat lampiran"


def cleared_after_probation(cast):
    flag(cast)
    suspend(cast)
    remediate(cast)
    carry_out(
        services.reconnect_regency(regency=cast.regency, actor=cast.director, reason=PERSONS_NOTE)
    )
    later = timezone.now() + timedelta(days=settings.PROBATION_DAYS + 1)
    assert services.clear_after_probation(now=later) == [cast.regency.code]


@pytest.mark.parametrize(
    ("language", "cleared", "half", "other_half"),
    [
        (
            "id",
            "Nyatakan patuh: Akses SIAK dipulihkan (masa percobaan) → Patuh",
            "Masa percobaan {days} hari berakhir tanpa pelanggaran baru",
            "Probation of",
        ),
        (
            "en",
            "Clear: Reconnected (probation) → Compliant",
            "Probation of {days} days passed without a new violation",
            "Masa percobaan",
        ),
    ],
)
def test_the_timeline_gives_the_systems_reason_in_the_readers_language(
    client, regions, language, cleared, half, other_half
):
    cast = Cast.of(TEBO)
    cleared_after_probation(cast)
    client = signed_in(client, cast.officer)
    client.cookies["django_language"] = language
    rows = timeline_rows(client.get(reverse("console:regency", args=[TEBO])))
    reconnected, last = rows[-2], rows[-1]
    assert last[1] == cleared
    assert last[3] == half.format(days=settings.PROBATION_DAYS)
    assert other_half not in last[3]
    assert reconnected[3] == PERSONS_NOTE  # a person's note is his, slash and all


def test_the_timeline_names_who_acted_without_repeating_the_username(client, regions):
    cast = Cast.of(TEBO)
    flag(cast)
    client = signed_in(english(client), cast.officer)
    [flagged] = timeline_rows(client.get(reverse("console:regency", args=[TEBO])))
    assert flagged[2].startswith(f"{cast.officer.username} · ")
    assert flagged[2].count(cast.officer.username) == 1


def test_the_pending_request_names_its_requester_once(client, regions):
    cast = Cast.of(MERANGIN)
    flag(cast)
    request_suspension(cast)
    page = html(signed_in(client, cast.director).get(reverse("console:regency", args=[MERANGIN])))
    card = re.search(r'data-testid="pending-suspension-request">(.*?)</article>', page, re.S)[1]
    assert f"{cast.officer.username} · " in card
    assert card.count(cast.officer.username) == 1


# --- approvals -----------------------------------------------------------------------


def test_the_approvals_queue_shows_who_asked_and_why(client, regions):
    cast = Cast.of(MERANGIN)
    flag(cast)
    services.request_suspension(
        regency=cast.regency, actor=cast.officer, reason="Teguran Dirjen diabaikan"
    )
    client = signed_in(client, cast.director)
    page = html(client.get(reverse("console:approvals")))
    card = re.search(r'data-testid="suspension-request-15.02">(.*?)</article>', page, re.S)
    assert 'data-testid="approve-suspension-15.02"' in card.group(1)
    # Who asked, before the case file (which names him again as the one who flagged).
    card = re.search(r'data-testid="suspension-request-15.02">(.*?)"case-file"', page, re.S)
    assert cast.officer.username in card.group(1)
    assert "Teguran Dirjen diabaikan" in card.group(1)
    assert f"{cast.officer.username} · " in card.group(1)
    assert card.group(1).count(cast.officer.username) == 1  # not again after his office


def test_a_director_approves_a_suspension_and_the_cut_goes_to_the_network_operators(
    client, regions
):
    cast = Cast.of(MERANGIN)
    flag(cast)
    pending = request_suspension(cast)
    client = signed_in(client, cast.director)
    asked = client.post(
        reverse("console:decide_suspension", args=[pending.pk, "approve"]),
        {"approve_suspension-reason": ""},
    )
    assert regency(MERANGIN).state == ComplianceState.FLAGGED  # asked, not done
    response = press_confirm(client, asked)
    assert response.url == reverse("console:approvals")
    # Approved: the cut is ordered, and the regency stays flagged until it is carried out.
    order = AccessOrder.objects.get(request=pending)
    assert (order.kind, order.state) == ("cut", "issued")
    assert regency(MERANGIN).state == ComplianceState.FLAGGED
    carry_out(order)
    assert regency(MERANGIN).state == ComplianceState.SUSPENDED


def test_rejecting_a_suspension_needs_a_reason(client, regions):
    cast = Cast.of(MERANGIN)
    flag(cast)
    pending = request_suspension(cast)
    client = signed_in(client, cast.director)
    english(client)
    response = client.post(
        reverse("console:decide_suspension", args=[pending.pk, "reject"]),
        {"reject_suspension-reason": ""},
    )
    assert response.status_code == 400  # the queue again, the error on the request's card
    card = re.search(r'data-testid="suspension-request-15.02".*?</article>', html(response), re.S)
    error = f'id="id_s{pending.pk}_reject_reject_suspension-reason_error">This field is required.'
    assert error in card.group(0)
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_the_director_general_cannot_decide_his_own_request(client, regions):
    cast = Cast.of(MERANGIN)
    flag(cast)
    director_general = official("director_general")  # may both request and approve
    pending = services.request_suspension(
        regency=cast.regency, actor=director_general, reason="Diusulkan Dirjen"
    )
    client = signed_in(client, director_general)
    english(client)
    page = html(client.get(reverse("console:approvals")))
    assert 'data-testid="approve-suspension-15.02"' not in page
    response = client.post(
        reverse("console:decide_suspension", args=[pending.pk, "approve"]),
        {},
        follow=True,
    )
    assert "You cannot decide a request you made yourself" in messages_of(response)
    assert regency(MERANGIN).state == ComplianceState.FLAGGED


def test_an_officer_cannot_approve_a_suspension(client, regions):
    cast = Cast.of(MERANGIN)
    flag(cast)
    pending = request_suspension(cast)
    other_officer = official("ministry_officer")
    client = signed_in(client, other_officer)
    response = client.post(
        reverse("console:decide_suspension", args=[pending.pk, "approve"]), {}, follow=True
    )
    assert messages_of(response)  # the service's reason, in the reader's language
    assert regency(MERANGIN).state == ComplianceState.FLAGGED


def _extension_request(officer, code=MERANGIN):
    directive = workflow_services.create_directive(
        actor=officer,
        title="Percepatan perekaman KTP-el",
        body="Selesaikan perekaman.",
        legal_basis="UU 24/2013 Pasal 63",
        due_date=timezone.localdate() + timedelta(days=10),
        scope={"regions": [code]},
    )
    workflow_services.issue_directive(directive=directive, actor=officer)
    assignment = Assignment.objects.get(directive=directive)
    regent = official("mayor" if regency(code).kind == "kota" else "regent", code)
    workflow_services.acknowledge_assignment(assignment=assignment, actor=regent)
    return workflow_services.request_extension(
        assignment=assignment,
        actor=regent,
        new_due_date=assignment.due_date + timedelta(days=14),
        reason="Alat perekaman rusak",
    )


def test_the_ministry_approves_an_extension_from_the_queue(client, regions):
    officer = official("ministry_officer")
    extension = _extension_request(officer)
    client = signed_in(client, official("ministry_director"))
    page = html(client.get(reverse("console:approvals")))
    assert f'data-testid="approve-extension-{extension.pk}"' in page
    assert "Alat perekaman rusak" in page
    client.post(reverse("console:decide_extension", args=[extension.pk, "approve"]), {})
    assignment = Assignment.objects.get(pk=extension.assignment_id)
    assert assignment.due_date == extension.new_due_date


def test_unknown_decisions_are_404(client, regions):
    cast = Cast.of(MERANGIN)
    flag(cast)
    pending = request_suspension(cast)
    client = signed_in(client, cast.director)
    url = reverse("console:decide_suspension", args=[pending.pk, "maybe"])
    assert client.post(url, {}).status_code == 404
    assert (
        client.get(reverse("console:decide_suspension", args=[pending.pk, "approve"])).status_code
        == 405
    )


def test_console_forms_need_the_csrf_token(regions):
    from django.test import Client

    cast = Cast.of(MERANGIN)
    flag(cast)
    pending = request_suspension(cast)
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.director)
    response = client.post(reverse("console:decide_suspension", args=[pending.pk, "approve"]), {})
    assert response.status_code == 403
    assert regency(MERANGIN).state == ComplianceState.FLAGGED
