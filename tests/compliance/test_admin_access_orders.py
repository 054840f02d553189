"""The access orders in the admin: read-only rows, and an action through which a network
operator confirms an execution (compliance.access.execute_access_order, as everywhere)."""

import datetime as dt

import pytest
import time_machine
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from compliance import services
from compliance.models import AccessOrder, ComplianceState, Regency, SuspensionRequest
from tests.compliance.scenario import MERANGIN, TEBO, Cast, flag, remediate, state_of
from tests.factories import official

S = ComplianceState
pytestmark = pytest.mark.django_db
WIB = dt.timezone(dt.timedelta(hours=7))
DECIDED = dt.datetime(2017, 5, 10, 9, 0, tzinfo=WIB)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(DECIDED, tick=False) as traveller:
        yield traveller


def staff(kind, region=None):
    user = official(kind, region)
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def changelist(model):
    return reverse(f"admin:compliance_{model._meta.model_name}_changelist")


def run_action(client, model, action, objects):
    data = {"action": action, ACTION_CHECKBOX_NAME: [o.pk for o in objects], "index": 0}
    return client.post(changelist(model), data, follow=True)


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def requested(cast):
    flag(cast)
    return services.request_suspension(regency=cast.regency, actor=cast.officer, reason="x")


def approved(cast):
    return services.approve_suspension(request=requested(cast), actor=cast.director)


@pytest.fixture
def merangin():
    return Cast.of(MERANGIN)


@pytest.fixture
def cut(merangin):
    return approved(merangin)


def test_the_orders_are_listed_filtered_and_searched(client, cut):
    tebo = approved(Cast.of(TEBO))
    services.execute_access_order(order=tebo, actor=official("network_operator"))
    client.force_login(staff("auditor"))

    def listed(**query):
        response = client.get(changelist(AccessOrder), query)
        assert response.status_code == 200
        return [o.pk for o in response.context["cl"].result_list]

    assert sorted(listed()) == sorted([cut.pk, tebo.pk])
    assert listed(state__exact="issued") == [cut.pk]
    assert listed(state__exact="executed", kind__exact="cut") == [tebo.pk]
    assert listed(kind__exact="restore") == []
    assert listed(q=TEBO) == [tebo.pk]
    assert listed(q="Merangin") == [cut.pk]
    page = client.get(reverse("admin:compliance_accessorder_change", args=[cut.pk]))
    assert page.status_code == 200


def test_an_order_is_never_added_edited_or_deleted_here(client, cut):
    client.force_login(staff("network_operator"))
    change = reverse("admin:compliance_accessorder_change", args=[cut.pk])

    assert client.get(reverse("admin:compliance_accessorder_add")).status_code == 403
    assert client.post(change, {"state": "executed"}).status_code == 403
    delete = reverse("admin:compliance_accessorder_delete", args=[cut.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert "delete_selected" not in client.get(changelist(AccessOrder)).content.decode()
    model_admin = admin.site._registry[AccessOrder]
    assert not model_admin.has_add_permission(None)
    assert not model_admin.has_delete_permission(None, cut)
    assert AccessOrder.objects.get(pk=cut.pk).state == "issued"


def test_an_operator_confirms_the_execution_with_the_action(client, cut, merangin, clock):
    operator = staff("network_operator")
    client.force_login(operator)
    clock.move_to(DECIDED + dt.timedelta(hours=2))

    response = run_action(client, AccessOrder, "execute", [cut])

    cut.refresh_from_db()
    assert (cut.state, cut.executed_by, cut.executed_at) == (
        "executed",
        operator,
        DECIDED + dt.timedelta(hours=2),
    )
    assert state_of(merangin.regency) == S.SUSPENDED
    assert any(t.endswith(": 1") for t in messages_of(response))


def test_a_director_is_refused_by_the_service_and_told_why(client, cut, merangin):
    client.force_login(staff("ministry_director"))

    response = run_action(client, AccessOrder, "execute", [cut])

    assert AccessOrder.objects.get(pk=cut.pk).state == "issued"
    assert state_of(merangin.regency) == S.FLAGGED
    texts = messages_of(response)
    assert any(t.startswith(f"{cut}:") for t in texts), texts
    assert not any(t.endswith(": 1") for t in texts)


def test_orders_no_longer_waiting_are_skipped_and_named(client, cut, merangin):
    operator = staff("network_operator")
    services.execute_access_order(order=cut, actor=operator)
    cut.refresh_from_db()
    tebo = approved(Cast.of(TEBO))
    client.force_login(operator)

    response = run_action(client, AccessOrder, "execute", [cut, tebo])

    texts = messages_of(response)
    assert any(t.startswith(f"{cut}:") and "dilewati" in t for t in texts), texts
    assert any(t.endswith(": 1") for t in texts)
    assert AccessOrder.objects.get(pk=tebo.pk).state == "executed"
    assert AccessOrder.objects.get(pk=cut.pk).executed_at == cut.executed_at


def test_approving_in_the_admin_issues_a_cut_order(client, merangin):
    request = requested(merangin)
    client.force_login(staff("ministry_director"))

    response = run_action(client, SuspensionRequest, "approve", [request])

    order = AccessOrder.objects.get(request=request)
    assert (order.kind, order.state) == ("cut", "issued")
    assert state_of(merangin.regency) == S.FLAGGED  # until the operators carry it out
    assert any("perintah pemutusan" in t and t.endswith(": 1") for t in messages_of(response))


def test_reconnecting_in_the_admin_issues_a_restore_order(client, cut, merangin):
    services.execute_access_order(order=cut, actor=official("network_operator"))
    remediate(merangin)
    client.force_login(staff("ministry_director"))

    response = run_action(client, Regency, "reconnect", [merangin.regency])

    order = AccessOrder.objects.get(regency=merangin.regency, kind="restore")
    assert order.state == "issued"
    assert state_of(merangin.regency) == S.REMEDIATED  # still cut off
    assert any("pemulihan" in t and t.endswith(": 1") for t in messages_of(response))
