import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from compliance import services
from compliance.models import (
    AccessOrder,
    AccessOrderKind,
    AccessOrderState,
    ComplianceState,
    Office,
    OfficeKind,
    Regency,
    SuspensionRequest,
    TransitionLog,
)
from tests.compliance.reconnection import People, flag, reconnected, remediate, suspend
from tests.factories import carry_out, official, regency

pytestmark = pytest.mark.django_db


def staff(kind, region=None):
    user = official(kind, region)
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def client_for(client, user):
    client.force_login(user)
    return client


def changelist(model):
    return reverse(f"admin:compliance_{model._meta.model_name}_changelist")


def run_action(client, model, action, objects, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [o.pk for o in objects], "index": 0}
    return client.post(changelist(model), {**data, **extra}, follow=True)


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


COMPLIANCE_MODELS = [m for m in admin.site._registry if m._meta.app_label == "compliance"]


@pytest.mark.parametrize("model", COMPLIANCE_MODELS, ids=lambda m: m.__name__)
def test_every_compliance_page_opens(client, model):
    people = reconnected("15.02")
    client_for(client, staff("ministry_officer"))

    response = client.get(changelist(model))
    assert response.status_code == 200
    instance = model.objects.first()
    if instance is not None:
        url = reverse(f"admin:compliance_{model._meta.model_name}_change", args=[instance.pk])
        assert client.get(url).status_code == 200
    assert people.regency.state == ComplianceState.RECONNECTED


def test_all_lifecycle_models_are_registered():
    expected = {
        "Office",
        "Regency",
        "Province",
        "District",
        "ComplianceCase",
        "SuspensionRequest",
        "SuspensionPeriod",
        "Remediation",
        "EvidenceDocument",
        "TransitionLog",
    }
    assert expected <= {m.__name__ for m in COMPLIANCE_MODELS}


def test_regency_list_shows_and_filters_by_state(client):
    flag(People.of("15.02"))
    client_for(client, staff("auditor"))

    response = client.get(changelist(Regency), {"state__exact": "flagged"})

    assert [r.code for r in response.context["cl"].result_list] == ["15.02"]
    assert "Ditandai pelanggaran" in response.content.decode()


@pytest.mark.parametrize(("q", "code"), [("15.09", "15.09"), ("Merangin", "15.02")])
def test_regencies_are_searchable_by_code_and_name(client, q, code):
    client_for(client, staff("auditor"))

    response = client.get(changelist(Regency), {"q": q})

    assert code in [r.code for r in response.context["cl"].result_list]


def test_offices_are_searchable_by_region_code_and_show_their_holders(client):
    client_for(client, staff("auditor"))
    bupati = official("regent", "15.09", username="bupati.tebo")

    response = client.get(changelist(Office), {"q": "15.09"})
    titles = [o.title for o in response.context["cl"].result_list]
    assert "Bupati Tebo" in titles

    seat = Office.objects.get(kind=OfficeKind.REGENT, regency__code="15.09")
    page = client.get(reverse("admin:compliance_office_change", args=[seat.pk]))
    assert page.status_code == 200
    assert bupati.username in page.content.decode()


def test_the_state_cannot_be_edited_in_the_regency_form(client):
    client_for(client, staff("ministry_officer"))
    merangin = regency("15.02")
    url = reverse("admin:compliance_regency_change", args=[merangin.pk])

    form = client.get(url).context["adminform"].form
    assert "state" not in form.fields
    client.post(
        url,
        {
            "code": "15.02",
            "name": merangin.name,
            "kind": merangin.kind,
            "province": merangin.province_id,
            "state": "suspended",
        },
    )

    assert regency("15.02").state == ComplianceState.COMPLIANT


def test_the_state_diagram_is_shown_on_the_regency_list(client):
    client_for(client, staff("auditor"))

    page = client.get(changelist(Regency)).content.decode()

    # compliance.state_diagram's file, the one the console shows: Indonesian, the default
    assert page.count('<svg class="chart state-diagram" data-layout="wide"') == 1
    assert '<title id="state-diagram-t">Siklus kepatuhan</title>' in page
    assert ">Akses SIAK diputus</text>" in page and "> pulihkan akses </text>" in page
    assert "current" not in page.split('data-layout="wide"')[1].split("</svg>")[0]
    assert "<?xml" not in page


def test_clear_action_clears_through_the_service_and_reports_each_refusal(client):
    people = reconnected("15.02")
    officer = staff("ministry_officer")
    client_for(client, officer)

    response = run_action(client, Regency, "clear", [people.regency, regency("15.09")])

    assert regency("15.02").state == ComplianceState.COMPLIANT
    row = TransitionLog.objects.filter(regency__code="15.02").last()
    assert (row.transition, row.actor) == ("clear", officer)
    texts = messages_of(response)
    assert any(t.startswith("15.09 Kabupaten Tebo:") and "clear" in t for t in texts)
    assert any(t.endswith(": 1") for t in texts)
    assert regency("15.09").state == ComplianceState.COMPLIANT
    assert not TransitionLog.objects.filter(regency__code="15.09").exists()


def test_a_superuser_without_the_office_is_refused_by_the_service(client):
    people = reconnected("15.02")
    client_for(client, staff("ministry_director"))

    response = run_action(client, Regency, "clear", [people.regency])

    assert regency("15.02").state == ComplianceState.RECONNECTED
    assert any("15.02" in t and "clear" in t for t in messages_of(response))


def test_reconnect_action_is_for_directors(client):
    people = People.of("15.09")
    flag(people)
    suspend(people)
    remediate(people)
    director = staff("ministry_director")
    client_for(client, director)

    response = run_action(client, Regency, "reconnect", [people.regency])

    # The director accepts the remediation and orders the access restored; the regency is
    # reconnected only when the network operators confirm the restoration.
    order = AccessOrder.objects.get(regency__code="15.09", kind=AccessOrderKind.RESTORE)
    assert (order.state, order.issued_by) == (AccessOrderState.ISSUED, director)
    assert regency("15.09").state == ComplianceState.REMEDIATED
    assert any(t.endswith(": 1") for t in messages_of(response))

    operator = official("network_operator")
    carry_out(order, operator=operator)

    assert regency("15.09").state == ComplianceState.RECONNECTED
    row = TransitionLog.objects.filter(regency__code="15.09").last()
    assert (row.transition, row.actor) == ("reconnect", operator)


def pending_request(code, requester=None):
    people = People.of(code)
    flag(people)
    request = services.request_suspension(
        regency=people.regency, actor=requester or people.requester, reason="Teguran diabaikan"
    )
    return people, request


def test_approve_action_orders_the_cut_but_not_for_the_requester(client):
    director_general = staff("director_general")  # may both request and approve
    _, request = pending_request("15.02", requester=director_general)
    client_for(client, director_general)

    response = run_action(client, SuspensionRequest, "approve", [request])
    assert regency("15.02").state == ComplianceState.FLAGGED
    assert any("permintaan Anda sendiri" in t for t in messages_of(response))

    assert not AccessOrder.objects.exists()

    director = staff("ministry_director")
    client_for(client, director)
    run_action(client, SuspensionRequest, "approve", [request])
    request.refresh_from_db()
    assert request.status == "approved"
    # The approval issues the cut order; the regency stays flagged until it is carried out.
    order = AccessOrder.objects.get(request=request)
    assert (order.kind, order.state, order.issued_by) == (
        AccessOrderKind.CUT,
        AccessOrderState.ISSUED,
        director,
    )
    assert regency("15.02").state == ComplianceState.FLAGGED

    carry_out(order)
    assert regency("15.02").state == ComplianceState.SUSPENDED


def test_reject_action_asks_for_a_reason_first(client):
    _, request = pending_request("15.09")
    client_for(client, staff("ministry_director"))

    page = run_action(client, SuspensionRequest, "reject", [request])
    assert 'name="reason"' in page.content.decode()
    request.refresh_from_db()
    assert request.status == "pending"

    data = {"action": "reject", ACTION_CHECKBOX_NAME: [request.pk], "reason": "Belum cukup bukti"}
    client.post(changelist(SuspensionRequest), data, follow=True)
    request.refresh_from_db()
    assert (request.status, request.decision_reason) == ("rejected", "Belum cukup bukti")
    assert regency("15.09").state == ComplianceState.FLAGGED


def test_the_transition_log_is_read_only_in_the_admin(client):
    reconnected("15.02")
    client_for(client, staff("ministry_officer"))
    row = TransitionLog.objects.first()
    original = row.reason
    change = reverse("admin:compliance_transitionlog_change", args=[row.pk])

    assert client.get(reverse("admin:compliance_transitionlog_add")).status_code == 403
    assert client.post(change, {"reason": "rewritten"}).status_code == 403
    delete = reverse("admin:compliance_transitionlog_delete", args=[row.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert "delete_selected" not in client.get(changelist(TransitionLog)).content.decode()
    row.refresh_from_db()
    assert row.reason == original
    model_admin = admin.site._registry[TransitionLog]
    assert not model_admin.has_add_permission(None)
    assert not model_admin.has_change_permission(None, row)
    assert not model_admin.has_delete_permission(None, row)
