"""The directive composer: the live recipient count follows the fan-out's own rule, the
deadline is shown in every zone the scope covers, the e-mail is previewed, and what the
services refuse comes back as a message on the field it concerns."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.factories import PSN_BASIS, official
from tests.pages.confirming import press_confirm
from tests.pages.directives_fixtures import (
    DUE,
    client_for,
    marked_text,
)
from workflow.models import Assignment, Directive, DirectiveState

pytestmark = pytest.mark.django_db
COMPOSE = reverse("directives:compose")
RECIPIENTS = reverse("directives:recipients")
PREVIEW = reverse("directives:email-preview")
WIB = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def officer_client(officer):
    return client_for(officer)


def live_count(client, **scope):
    response = client.get(RECIPIENTS, scope)
    assert response.status_code == 200
    return int(marked_text(response, "recipient-count"))


def form(**overrides):
    data = {
        "title": "Percepatan perekaman KTP-el",
        "body": "Selesaikan perekaman KTP-el penduduk wajib KTP-el.",
        "legal_basis": "UU 24/2013 Pasal 63",
        "due_date": DUE.isoformat(),
        "priority": "high",
        "policy": "program-strategis-nasional",
        "programme_basis": PSN_BASIS,
        "scope_kind": "province",
        "province": "15",
        "regions": "",
        "action": "draft",
    }
    return data | overrides


@pytest.mark.parametrize(
    ("scope", "count"),
    [
        ({"scope_kind": "province", "province": "15"}, 11),  # Jambi's regents and mayors
        ({"scope_kind": "all_regencies"}, 514),
        ({"scope_kind": "all_provinces"}, 38),
        ({"scope_kind": "regions", "regions": "15.02, 15.09 91"}, 3),
        ({"scope_kind": "province"}, 0),  # no province chosen yet
    ],
)
def test_the_live_count_is_the_number_of_offices_the_directive_will_reach(
    officer_client, scope, count
):
    assert live_count(officer_client, **scope) == count


def test_the_live_count_agrees_with_the_fan_out(officer_client, officer):
    assert live_count(officer_client, scope_kind="regions", regions="15 15.02 51.71") == 3
    asked = officer_client.post(
        COMPOSE, form(scope_kind="regions", regions="15 15.02 51.71", action="issue")
    )
    assert "3 regional heads will receive" in asked.content.decode()
    press_confirm(officer_client, asked)
    assert Assignment.objects.filter(directive__created_by=officer).count() == 3


def test_the_deadline_is_shown_for_each_time_zone_the_scope_covers(officer_client):
    due = dt.date(2027, 1, 29)
    response = officer_client.get(
        RECIPIENTS,
        {"scope_kind": "regions", "regions": "15.02 51.71 91.71", "due_date": due.isoformat()},
    )
    html = response.content.decode()
    # The end of 29 January in Jambi (WIB), Denpasar (WITA) and Jayapura (WIT).
    assert "29 Jan 2027, 23:59 WIB" in html
    assert "29 Jan 2027, 23:59 WITA" in html
    assert "29 Jan 2027, 23:59 WIT<" in html
    # The same instants in UTC, readable, each with its machine-readable form.
    assert '<time datetime="2027-01-29T17:00:00+00:00">29 Jan 2027, 17:00 UTC</time>' in html
    assert '<time datetime="2027-01-29T16:00:00+00:00">29 Jan 2027, 16:00 UTC</time>' in html
    assert '<time datetime="2027-01-29T15:00:00+00:00">29 Jan 2027, 15:00 UTC</time>' in html


def test_the_utc_instant_is_written_in_the_readers_language(officer):
    client = client_for(officer, language="id")
    response = client.get(
        RECIPIENTS,
        {"scope_kind": "province", "province": "15", "due_date": "2027-08-17"},
    )
    html = response.content.decode()
    # 18 August 00:00 WIB is 17:00 UTC on the 17th; Agustus abbreviates to "Agu".
    assert '<time datetime="2027-08-17T17:00:00+00:00">17 Agu 2027, 17:00 UTC</time>' in html


def test_a_half_typed_date_leaves_the_count_in_place(officer_client):
    response = officer_client.get(
        RECIPIENTS, {"scope_kind": "province", "province": "15", "due_date": "2027-0"}
    )
    assert marked_text(response, "recipient-count") == "11"
    assert 'data-testid="deadlines"' not in response.content.decode()


def test_a_scope_in_one_zone_shows_only_that_zone(officer_client):
    response = officer_client.get(
        RECIPIENTS, {"scope_kind": "province", "province": "15", "due_date": "2027-01-29"}
    )
    html = response.content.decode()
    assert "WIB" in html
    assert "WITA" not in html
    assert "23:59 WIT<" not in html


def test_the_email_preview_is_the_issue_notice_a_sample_recipient_gets(officer_client):
    response = officer_client.get(
        RECIPIENTS,
        {
            "scope_kind": "province",
            "province": "15",
            "due_date": "2027-01-29",
            "title": "Percepatan perekaman KTP-el",
        },
    )
    assert marked_text(response, "preview-subject") == (
        "Direktif baru: Percepatan perekaman KTP-el"  # the office's language: Indonesian
    )
    assert f'src="{PREVIEW}?v=' in response.content.decode()  # its own frame
    html = officer_client.get(PREVIEW).content.decode()
    assert "Bupati Kerinci" in html  # the first of Jambi's recipients, by code
    assert "29 Januari 2027, 23:59 WIB" in html


def test_the_preview_names_the_sender_and_the_document_chosen(officer_client):
    scope = {"scope_kind": "regions", "regions": "15.02", "title": "Percepatan perekaman"}
    with time_machine.travel(dt.datetime(2026, 11, 2, 10, 0, tzinfo=WIB), tick=False):
        officer_client.get(RECIPIENTS, scope)  # an officer writes the Director General's
        dg_letter = " ".join(officer_client.get(PREVIEW).content.decode().split())
        officer_client.get(RECIPIENTS, scope | {"document_kind": "instruksi_menteri"})
        instruction = " ".join(officer_client.get(PREVIEW).content.decode().split())

    assert (
        "Direktur Jenderal Kependudukan dan Pencatatan Sipil menyampaikan Surat Direktur "
        "Jenderal tanggal 2 November 2026 perihal Percepatan perekaman kepada Bupati Merangin."
    ) in dg_letter
    assert (
        "Menteri Dalam Negeri menyampaikan Instruksi Menteri tanggal 2 November 2026 perihal "
    ) in instruction


def test_the_preview_cannot_inject_markup_into_the_page(officer_client):
    response = officer_client.get(
        RECIPIENTS, {"scope_kind": "province", "province": "15", "title": '"><script>x()</script>'}
    )
    assert "<script>x()" not in response.content.decode()
    preview = officer_client.get(PREVIEW)
    assert "<script>x()" not in preview.content.decode()
    assert "&lt;script&gt;x()" in preview.content.decode()


def test_the_preview_may_style_itself_inline_and_do_nothing_else(officer_client):
    """An e-mail's HTML carries inline styles (mail clients need them); its frame allows
    those and nothing else, while the page around it keeps the strict policy."""
    officer_client.get(RECIPIENTS, {"scope_kind": "province", "province": "15"})
    policy = officer_client.get(PREVIEW)["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "style-src 'unsafe-inline'" in policy
    assert "script-src" not in policy  # falls back to default-src 'none': no script at all
    assert "'unsafe-inline'" not in officer_client.get(COMPOSE)["Content-Security-Policy"]


def test_only_a_composer_sees_the_preview(client):
    client.force_login(official("regent", "15.02"))
    assert client.get(PREVIEW).status_code == 403


def test_saving_a_draft_creates_it_without_recipients(officer_client, officer):
    response = officer_client.post(COMPOSE, form())
    directive = Directive.objects.get(created_by=officer)
    assert response.status_code == 302
    assert response["Location"] == reverse("directives:detail", args=[directive.pk])
    assert directive.state == DirectiveState.DRAFT
    assert directive.priority == "high"
    assert directive.scope_province.code == "15"
    assert not directive.assignments.exists()


def test_issuing_from_the_composer_fans_out_at_once(officer_client, officer):
    asked = officer_client.post(COMPOSE, form(action="issue"))
    assert not Directive.objects.exists()  # asked first: nothing drafted, nothing sent
    press_confirm(officer_client, asked)
    directive = Directive.objects.get(created_by=officer)
    assert directive.state == DirectiveState.ISSUED
    assert directive.assignments.count() == 11


def test_the_default_escalation_policy_is_preselected(officer_client):
    html = officer_client.get(COMPOSE).content.decode()
    # The plain follow-up, without sanctions (the ladder is for national programmes only).
    assert '<option value="tindak-lanjut" selected>' in html
    # named in the reader's language (this client reads English)
    assert "Directive follow-up</option>" in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        ({"due_date": "29-01-2027"}, "due_date", "Enter a date such as 2017-12-29."),
        ({"province": ""}, "province", "Choose the province whose regencies receive it."),
        (
            {"scope_kind": "regions", "regions": ""},
            "regions",
            "Give at least one region code.",
        ),
        (
            {"scope_kind": "regions", "regions": "15.2, 15.09"},
            "regions",
            "Not a region code: 15.2 (write 15 for a province, 15.02 for a regency)",
        ),
        # Rules of the services come back on the field they concern.
        (
            {"scope_kind": "regions", "regions": "15.02 99.99"},
            "regions",
            "unknown region codes",
        ),
        (
            {"action": "issue", "due_date": "2017-01-02"},
            "due_date",
            "due_date is in the past",
        ),
    ],
)
def test_invalid_input_is_explained_on_its_field_and_nothing_is_saved(
    officer_client, overrides, field, message
):
    response = officer_client.post(COMPOSE, form(**overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert message in html
    assert f'aria-describedby="id_{field}_error' in html  # read out with the field
    assert not Directive.objects.exists()


def test_service_messages_are_in_the_readers_language(officer):
    client = client_for(officer, language="id")
    response = client.post(COMPOSE, form(action="issue", due_date="2017-01-02"))
    assert "Batas waktu sudah lewat" in response.content.decode()


def test_only_ministry_offices_and_governors_compose(db):
    # A governor's composer: tests/pages/test_directives_governor.py.
    client = client_for(official("regent", "15.02"))
    assert client.get(COMPOSE).status_code == 403
    assert client.get(RECIPIENTS, {"scope_kind": "all_regencies"}).status_code == 403
    response = client.post(COMPOSE, form(action="issue"))
    assert response.status_code == 403
    assert "Only ministry offices and governors compose directives." in response.content.decode()
    assert not Directive.objects.exists()


def test_the_composer_needs_a_csrf_token(officer):
    client = client_for(officer, enforce_csrf_checks=True)
    assert client.post(COMPOSE, form()).status_code == 403
    assert not Directive.objects.exists()


def test_the_composer_needs_a_signed_in_user(client):
    response = client.get(COMPOSE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_live_count_costs_the_same_whatever_the_scope(
    officer_client, django_assert_max_num_queries
):
    today = timezone.localdate().isoformat()
    for scope in ({"scope_kind": "province", "province": "15"}, {"scope_kind": "all_regencies"}):
        # 10, and one to keep the e-mail preview in the session for its frame
        with django_assert_max_num_queries(11):
            officer_client.get(RECIPIENTS, scope | {"due_date": today, "title": "x"})
