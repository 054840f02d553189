"""Access orders (issue 19 item 3): a director decides to cut or restore a regency's SIAK
access; the network operators carry it out and confirm; the state, and the downtime, follow
the confirmation. An order not carried out in time escalates to the director who decided."""

import datetime as dt
import importlib

import pytest
import time_machine
from django.apps import apps
from django.db import transaction
from django.utils import timezone

from compliance import access, services, tasks
from compliance.errors import Conflict, InvalidInput, NotAllowed
from compliance.models import (
    AccessOrder,
    ComplianceState,
    Event,
    SuspensionPeriod,
    TransitionLog,
)
from compliance.selectors import regency_downtime
from tests.compliance.scenario import (
    MERANGIN,
    Cast,
    flag,
    remediate,
    request_suspension,
    state_of,
)
from tests.factories import official
from tests.workflow.delivery_rig import serving_mail
from workflow.models import Notification
from workflow.notifications import outbox

S = ComplianceState
pytestmark = pytest.mark.django_db
WIB = dt.timezone(dt.timedelta(hours=7))
DECIDED = dt.datetime(2027, 3, 1, 10, 0, tzinfo=WIB)  # a Monday
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def cast():
    c = Cast.of(MERANGIN)
    flag(c)
    return c


@pytest.fixture
def operator():
    return official("network_operator")


@pytest.fixture
def clock():
    with time_machine.travel(DECIDED, tick=False) as traveller:
        yield traveller


def approve(cast, at=DECIDED):
    request = request_suspension(cast)
    return services.approve_suspension(
        request=request, actor=cast.director, reason="Disetujui", at=at
    )


def execute(order, operator, at, **kwargs):
    return services.execute_access_order(order=order, actor=operator, at=at, **kwargs)


def notices(template):
    return Notification.objects.filter(template=template)


def events_of(type):
    return list(Event.objects.filter(type=type).order_by("id"))


# --- the cut -------------------------------------------------------------------------------
def test_the_decision_goes_to_every_operator_and_nothing_is_cut_yet(cast, operator, clock):
    second_operator = official("network_operator")

    order = approve(cast)

    assert (order.kind, order.state, order.due_at) == ("cut", "issued", DECIDED + 24 * HOUR)
    assert state_of(cast.regency) == S.FLAGGED
    assert not SuspensionPeriod.objects.exists()
    mailed = set(notices("access_order_issued").values_list("recipient_email", flat=True))
    assert mailed == {operator.email, second_operator.email}
    [issued] = events_of("access_order.issued")
    assert issued.data["kind"] == "cut" and issued.data["regency"] == MERANGIN
    assert set(issued.regions) >= {"15", MERANGIN}


def test_downtime_runs_from_the_confirmed_cut_to_the_confirmed_restoration(cast, operator):
    with time_machine.travel(DECIDED, tick=False):
        cut = approve(cast)
    cut_at = DECIDED + 5 * HOUR
    with time_machine.travel(cut_at + HOUR, tick=False):
        execute(cut, operator, cut_at, reference="CHG-77")
    assert state_of(cast.regency) == S.SUSPENDED
    remediate(cast)
    reconnected_at = DECIDED + dt.timedelta(days=30)
    with time_machine.travel(reconnected_at, tick=False):
        restore = services.reconnect_regency(regency=cast.regency, actor=cast.director)
    restored_at = reconnected_at + 3 * HOUR
    with time_machine.travel(restored_at, tick=False):
        execute(restore, operator, restored_at)

    period = SuspensionPeriod.objects.get()
    assert (period.started_at, period.ended_at) == (cut_at, restored_at)
    assert regency_downtime(cast.regency) == restored_at - cut_at
    assert state_of(cast.regency) == S.RECONNECTED
    assert [e.type for e in Event.objects.order_by("id") if e.type.startswith("access")] == [
        "access_order.issued",
        "access_order.executed",
        "access_order.issued",
        "access_order.executed",
    ]


def test_the_deciding_director_learns_the_cut_was_carried_out(cast, operator, clock):
    order = approve(cast)
    clock.move_to(DECIDED + 2 * HOUR)

    execute(order, operator, DECIDED + HOUR)

    [notice] = notices("access_order_executed")
    assert notice.recipient_office == order.issued_office


def test_only_a_network_operator_confirms_and_a_refusal_changes_nothing(cast, clock):
    order = approve(cast)

    for someone in (cast.director, cast.officer, cast.regent, official("minister")):
        with pytest.raises(NotAllowed):
            execute(order, someone, DECIDED)
    order.refresh_from_db()
    assert order.state == "issued"
    assert state_of(cast.regency) == S.FLAGGED


@pytest.mark.parametrize(
    ("offset", "code"),
    [(dt.timedelta(minutes=1), "in_future"), (-dt.timedelta(minutes=1), "before_issue")],
)
def test_an_impossible_execution_time_is_refused(cast, operator, offset, code):
    with time_machine.travel(DECIDED, tick=False):
        order = approve(cast)
        with pytest.raises(InvalidInput) as refused:
            execute(order, operator, DECIDED + offset)

    assert refused.value.errors == {"executed_at": [code]}
    order.refresh_from_db()
    assert (order.state, order.executed_at) == ("issued", None)
    assert not TransitionLog.objects.filter(transition="suspend").exists()


def test_confirming_twice_changes_nothing_the_second_time(cast, operator, clock):
    order = approve(cast)
    execute(order, operator, DECIDED, reference="CHG-1")
    logs, events = TransitionLog.objects.count(), Event.objects.count()

    again = execute(order, official("network_operator"), DECIDED, reference="CHG-2")

    assert (again.state, again.reference, again.executed_by) == ("executed", "CHG-1", operator)
    assert (TransitionLog.objects.count(), Event.objects.count()) == (logs, events)


def test_a_rolled_back_confirmation_leaves_no_trace(cast, operator, clock):
    order = approve(cast)
    events, mails = Event.objects.count(), Notification.objects.count()

    with pytest.raises(RuntimeError), transaction.atomic():
        execute(order, operator, DECIDED)
        raise RuntimeError("the database connection dropped before commit")

    order.refresh_from_db()
    assert order.state == "issued"
    assert state_of(cast.regency) == S.FLAGGED
    assert (Event.objects.count(), Notification.objects.count()) == (events, mails)


# --- while an order waits ------------------------------------------------------------------
def test_no_second_request_while_the_cut_waits(cast, clock):
    approve(cast)

    with pytest.raises(Conflict, match="menunggu pelaksanaan"):
        request_suspension(cast)


def test_a_remediation_submitted_before_the_cut_stays_under_review_after_it(cast, operator, clock):
    order = approve(cast)
    remediate(cast)
    assert state_of(cast.regency) == S.REMEDIATED

    execute(order, operator, DECIDED)

    assert state_of(cast.regency) == S.REMEDIATED  # cut off, the remediation still reviewed
    assert cast.regency.suspension_periods.filter(ended_at=None).exists()
    services.reject_remediation(regency=cast.regency, actor=cast.officer, reason="Bukti kurang")
    assert state_of(cast.regency) == S.SUSPENDED


def test_clearing_the_case_cancels_the_cut_and_tells_the_operators(cast, operator, clock):
    order = approve(cast)
    remediate(cast)

    services.clear_regency(regency=cast.regency, actor=cast.officer, reason="Diterima")

    order.refresh_from_db()
    assert (order.state, order.cancelled_at) == ("cancelled", DECIDED)
    assert notices("access_order_cancelled").get().recipient_email == operator.email
    with pytest.raises(Conflict, match="dibatalkan"):
        execute(order, operator, DECIDED)
    assert state_of(cast.regency) == S.COMPLIANT


def test_the_remediation_cannot_be_rejected_once_the_restoration_is_ordered(cast, operator, clock):
    execute(approve(cast), operator, DECIDED)
    remediate(cast)
    services.reconnect_regency(regency=cast.regency, actor=cast.director)

    with pytest.raises(Conflict, match="menunggu pelaksanaan"):
        services.reject_remediation(regency=cast.regency, actor=cast.officer, reason="Ragu")
    with pytest.raises(Conflict, match="menunggu pelaksanaan"):
        services.reconnect_regency(regency=cast.regency, actor=cast.other_director)
    assert state_of(cast.regency) == S.REMEDIATED
    remediation = cast.regency.cases.get(closed_at=None).remediations.get()
    assert remediation.status == "accepted"  # the director's decision


# --- escalation ----------------------------------------------------------------------------
def test_an_order_not_carried_out_in_time_escalates_once_to_its_director(cast, operator, settings):
    settings.ACCESS_ORDER_DUE_HOURS = 4
    with time_machine.travel(DECIDED, tick=False):
        order = approve(cast)

    with time_machine.travel(DECIDED + 4 * HOUR - dt.timedelta(seconds=1), tick=False):
        assert tasks.escalate_access_orders() == []
    with time_machine.travel(DECIDED + 4 * HOUR, tick=False):
        assert tasks.escalate_access_orders() == [order.pk]
    with time_machine.travel(DECIDED + 5 * HOUR, tick=False):
        assert tasks.escalate_access_orders() == []

    order.refresh_from_db()
    assert order.escalated_at == DECIDED + 4 * HOUR
    escalated = notices("access_order_escalated")
    assert set(escalated.values_list("recipient_office", flat=True)) == {
        order.issued_office_id,
        operator.office_holdings.get().office_id,
    }
    assert len(events_of("access_order.escalated")) == 1
    assert state_of(cast.regency) == S.FLAGGED  # never cut automatically


def test_an_order_carried_out_in_time_never_escalates(cast, operator, clock):
    order = approve(cast)
    clock.move_to(DECIDED + 2 * HOUR)
    execute(order, operator, DECIDED + HOUR)

    assert access.escalate_overdue(now=DECIDED + 48 * HOUR) == []


# --- e-mail, through a real SMTP server ------------------------------------------------------
@pytest.fixture
def mail_server(settings):
    server = serving_mail(settings)
    yield server
    server.stop()


def test_the_operator_gets_the_order_by_e_mail_with_its_link(cast, operator, mail_server, clock):
    order = approve(cast)

    ids = list(notices("access_order_issued").values_list("pk", flat=True))
    assert outbox.deliver(ids, token="t1")["sent"] == 1
    [message] = mail_server.handler.to(operator.email)
    assert "Putus akses SIAK Kabupaten Merangin" in message["Subject"]
    body = message.get_body(("plain",)).get_content()
    assert f"/akses/{order.pk}/" in body
    assert f"/api/v1/access-orders/{order.pk}/execute/" in body
    assert "2 Maret 2027, 10:00 WIB" in body  # due: 24 hours later, in the ministry's zone


# --- orders for the periods opened before orders existed (migration 0012) --------------------
def test_the_migration_gives_earlier_periods_the_orders_they_would_have_had(cast, operator, clock):
    execute(approve(cast), operator, DECIDED)
    remediate(cast)
    clock.move_to(DECIDED + dt.timedelta(days=20))
    execute(
        services.reconnect_regency(regency=cast.regency, actor=cast.director),
        operator,
        timezone.now(),
    )
    period = SuspensionPeriod.objects.get()
    AccessOrder.objects.all().delete()  # as before the migration

    migration = importlib.import_module("compliance.migrations.0012_access_orders")
    migration.orders_for_earlier_periods(apps, None)

    cut, restore = AccessOrder.objects.order_by("kind")
    assert (cut.kind, cut.state, cut.executed_at) == ("cut", "executed", period.started_at)
    assert (restore.kind, restore.executed_at) == ("restore", period.ended_at)
    assert cut.issued_by == cast.director
    assert cut.request == period.request
