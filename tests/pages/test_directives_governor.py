"""A governor's composer: he is offered only his province's regencies and cities (the
province fixed) or a list of codes, the live count follows; issuing reaches his eleven
regents and mayors; a forged wider scope is refused by the service with its reason shown
and nothing written. The list and the tracking page offer Issue and Withdraw for his own
directives only. A regent still composes nothing."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from tests.factories import PSN_BASIS, official
from tests.pages.confirming import press_confirm
from tests.pages.directives_fixtures import DUE, client_for, issue, marked_text
from workflow.models import Assignment, Directive, DirectiveState

pytestmark = pytest.mark.django_db
COMPOSE = reverse("directives:compose")
RECIPIENTS = reverse("directives:recipients")
LIST = reverse("directives:list")
GOVERNOR_ONLY = "A governor issues directives only to the regencies and cities of his own province"


@pytest.fixture
def governor():
    return official("governor", "15")


@pytest.fixture
def governor_client(governor):
    return client_for(governor)


def form(**overrides):
    data = {
        "title": "Percepatan perekaman KTP-el di Jambi",
        "body": "Selesaikan perekaman KTP-el penduduk wajib KTP-el.",
        "legal_basis": "UU 23/2014 Pasal 67",
        "due_date": DUE.isoformat(),
        "priority": "normal",
        "policy": "program-strategis-nasional",
        "programme_basis": PSN_BASIS,
        "scope_kind": "province",
        "regions": "",
        "action": "issue",
    }
    return data | overrides


def scope_choices(html):
    return re.findall(r'name="scope_kind" value="([a-z_]+)"', html)


def test_the_composer_offers_a_governor_only_his_province_preselected(governor_client):
    response = governor_client.get(COMPOSE)
    html = response.content.decode()
    assert response.status_code == 200
    assert scope_choices(html) == ["province", "regions"]
    assert "The regencies and cities of my province" in html
    assert re.search(r'<select name="province"[^>]*disabled', html)
    assert re.findall(r'<option value="(\d+)"', html) == ["15"]
    assert marked_text(response, "recipient-count") == "11"  # before anything is typed


def test_the_live_count_is_his_province_whatever_province_is_sent(governor_client):
    for province in ("15", "32", ""):
        response = governor_client.get(RECIPIENTS, {"scope_kind": "province", "province": province})
        assert marked_text(response, "recipient-count") == "11"
    response = governor_client.get(RECIPIENTS, {"scope_kind": "regions", "regions": "15.02 15.71"})
    assert marked_text(response, "recipient-count") == "2"


def test_issuing_to_his_province_reaches_eleven_offices(governor_client, governor):
    asked = governor_client.post(COMPOSE, form())
    assert "11 regional heads will receive" in asked.content.decode()
    response = press_confirm(governor_client, asked, follow=True)
    assert "The directive was issued." in response.content.decode()
    directive = Directive.objects.select_related("issuing_office").get()
    assert (directive.state, directive.issuing_office.kind) == (DirectiveState.ISSUED, "governor")
    assert directive.issuing_office.province.code == "15"
    assert Assignment.objects.filter(directive=directive).count() == 11


@pytest.mark.parametrize(
    "forged",
    [
        {"scope_kind": "all_regencies"},
        {"scope_kind": "all_provinces"},
        {"scope_kind": "regions", "regions": "32.01"},
    ],
)
def test_a_forged_wider_scope_is_refused_with_the_reason_and_nothing_written(
    governor_client, forged
):
    response = governor_client.post(COMPOSE, form(**forged))
    assert response.status_code == 200  # the form again, with the service's reason
    errors = re.search(r'data-testid="error-summary".*?</div>', response.content.decode(), re.S)
    assert GOVERNOR_ONLY in errors.group(0)
    assert not Directive.objects.exists()


def test_a_forged_province_is_ignored_the_province_is_his(governor_client):
    press_confirm(governor_client, governor_client.post(COMPOSE, form(province="32")))
    assert Directive.objects.get().scope_province.code == "15"


def test_he_may_issue_and_withdraw_his_own_but_not_the_ministrys(governor_client, governor):
    governor_client.post(COMPOSE, form(action="draft"))
    own = Directive.objects.get()
    ministrys = issue(official("ministry_officer"), {"province": "15"})

    html = governor_client.get(LIST).content.decode()
    assert f'data-testid="issue-{own.pk}"' in html

    own_page = governor_client.get(reverse("directives:detail", args=[own.pk])).content.decode()
    assert reverse("directives:issue", args=[own.pk]) in own_page
    assert reverse("directives:withdraw", args=[own.pk]) in own_page
    page = governor_client.get(reverse("directives:detail", args=[ministrys.pk])).content
    assert reverse("directives:withdraw", args=[ministrys.pk]) not in page.decode()

    press_confirm(governor_client, governor_client.post(reverse("directives:issue", args=[own.pk])))
    assert Assignment.objects.filter(directive=own).count() == 11
    governor_client.post(reverse("directives:withdraw", args=[own.pk]), {"reason": "Keliru"})
    own.refresh_from_db()
    assert own.state == DirectiveState.WITHDRAWN

    response = governor_client.post(reverse("directives:withdraw", args=[ministrys.pk]))
    assert response.status_code == 403
    ministrys.refresh_from_db()
    assert ministrys.state == DirectiveState.ISSUED


def test_the_menu_offers_him_a_new_directive(governor_client):
    assert 'id="nav-compose"' in governor_client.get(LIST).content.decode()


def test_a_regent_still_gets_403(db):
    client = client_for(official("regent", "15.02"))
    assert client.get(COMPOSE).status_code == 403
    response = client.post(COMPOSE, form())
    assert response.status_code == 403
    assert not Directive.objects.exists()
    assert 'id="nav-compose"' not in client.get(LIST).content.decode()


def test_the_preview_is_the_governors_letter(governor_client):
    wib = dt.timezone(dt.timedelta(hours=7))
    with time_machine.travel(dt.datetime(2026, 11, 2, 10, 0, tzinfo=wib), tick=False):
        governor_client.get(RECIPIENTS, {"scope_kind": "regions", "regions": "15.09", "title": "X"})
        html = " ".join(
            governor_client.get(reverse("directives:email-preview")).content.decode().split()
        )

    assert "Gubernur Jambi menyampaikan Surat Gubernur tanggal 2 November 2026 perihal X" in html
