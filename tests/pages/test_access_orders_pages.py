"""Access orders on the pages (issue 19, item 3): a director's decision to cut or restore a
regency's SIAK access waits in the network operators' queue at /akses/, the most overdue
first; an operator confirms its execution (asked first, done once) and only then does the
regency's state change, from the time he gives (WIB). The ministry, the auditors and the
governors read the same orders without the form; the regency's page says what waits."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from compliance import services
from compliance.models import (
    AccessOrder,
    AccessOrderState,
    ComplianceState,
    SuspensionPeriod,
    TransitionLog,
)
from pages.common import user_offices
from pages.models import Submission
from pages.nav import NavCounts
from tests.compliance.scenario import Cast, flag, remediate, request_suspension
from tests.factories import official, regency
from tests.pages.confirming import confirmation, press_confirm
from tests.pages.conftest import NOW
from tests.pages.directives_fixtures import client_for

pytestmark = pytest.mark.django_db

MERANGIN, TEBO, KERINCI = "15.02", "15.09", "15.01"
QUEUE, DONE = reverse("access:orders"), reverse("access:done")
WIB = dt.timezone(dt.timedelta(hours=7))


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def order_cut(cast, *, hours_ago, reason="Disetujui Direktur"):
    """The regency flagged, its suspension requested and approved `hours_ago` before NOW:
    an order to cut its access, issued then."""
    issued = NOW - dt.timedelta(hours=hours_ago)
    flag(cast)
    pending = request_suspension(cast, reason="Surat teguran tidak ditindaklanjuti")
    return services.approve_suspension(
        request=pending, actor=cast.director, reason=reason, at=issued
    )


def execute_url(order):
    return reverse("access:execute", args=[order.pk])


@pytest.fixture
def operator(regions):
    return official("network_operator", username="operator.uji")


# --- the operator's queue ---------------------------------------------------------------


def test_the_operator_sees_the_orders_waiting_most_overdue_first_with_their_count(
    operator, django_assert_max_num_queries
):
    late = order_cut(Cast.of(TEBO), hours_ago=30, reason="Tidak menindaklanjuti teguran")
    fresh = order_cut(Cast.of(MERANGIN), hours_ago=2)
    client = client_for(operator)

    with django_assert_max_num_queries(20):
        page = client.get(QUEUE)

    assert page.status_code == 200
    html = page.content.decode()
    assert re.findall(r'data-testid="access-order" data-order="(\d+)"', html) == [
        str(late.pk),
        str(fresh.pk),
    ]
    assert re.search(r'id="nav-access-orders-count" data-count="2"', html)
    shown = text(page)
    assert "Kabupaten Tebo (15.09)" in shown and "Kabupaten Merangin (15.02)" in shown
    assert "Tidak menindaklanjuti teguran" in shown  # why
    due = (late.due_at.astimezone(WIB)).strftime("%-d %b %Y, %H:%M")
    assert f"{due} WIB" in shown  # the due time in the ministry's zone
    assert html.count('data-testid="overdue"') == 1  # only the one past its time
    assert html.count('type="datetime-local"') == 2  # a form on each


def test_in_indonesian_the_queue_names_the_kind_and_the_overdue(operator):
    order_cut(Cast.of(TEBO), hours_ago=30)
    page = text(client_for(operator, language="id").get(QUEUE))
    assert "Putus akses SIAK" in page
    assert "Lewat batas waktu" in page
    assert "Perintah akses" in page  # the menu and the heading


def test_more_orders_do_not_cost_more_queries(operator, django_assert_max_num_queries):
    order_cut(Cast.of(TEBO), hours_ago=3)
    client = client_for(operator)
    client.get(QUEUE)  # warm: sessions, second factor
    with django_assert_max_num_queries(20) as one:
        client.get(QUEUE)
    for code in (MERANGIN, KERINCI):
        order_cut(Cast.of(code), hours_ago=2)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(QUEUE)


def test_the_menu_counts_the_orders_waiting_in_one_query(operator, django_assert_num_queries):
    from django.test import RequestFactory

    order_cut(Cast.of(TEBO), hours_ago=3)
    order_cut(Cast.of(MERANGIN), hours_ago=1)
    request = RequestFactory().get("/")
    request.user = operator
    user_offices(request)
    with django_assert_num_queries(1):
        assert NavCounts(request).access_orders == 2


def test_nothing_to_do(operator):
    page = client_for(operator).get(QUEUE)
    assert page.status_code == 200
    assert 'data-testid="no-access-orders"' in page.content.decode()
    assert 'id="nav-access-orders-count"' not in page.content.decode()  # no zero badge


def test_an_operator_lands_on_his_work_queue_which_lists_the_orders(operator):
    order_cut(Cast.of(TEBO), hours_ago=3)
    client = client_for(operator)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("work:queue")  # pages.work: every office lands there
    assert f'href="{reverse("access:order", args=[AccessOrder.objects.get().pk])}"' in (
        client.get(response.url).content.decode()
    )


# --- confirming the execution -----------------------------------------------------------


def test_the_operator_confirms_the_cut_and_the_period_starts_at_the_time_he_gives(operator):
    cast = Cast.of(MERANGIN)
    order = order_cut(cast, hours_ago=5)
    client = client_for(operator)
    cut_at = (NOW - dt.timedelta(hours=3)).astimezone(WIB)
    form = {
        "executed_at": cut_at.strftime("%Y-%m-%dT%H:%M"),
        "reference": "CHG-2026-0042",
        "next": QUEUE,
    }

    asked = client.post(execute_url(order), form)

    assert asked.status_code == 200
    action, fields, page = confirmation(asked)
    assert action == execute_url(order)
    assert "SIAK access of 15.02 Kabupaten Merangin was cut at" in text(asked)
    assert "CHG-2026-0042" in text(asked)
    assert regency(MERANGIN).state == ComplianceState.FLAGGED  # nothing yet

    done = press_confirm(client, asked, follow=True)
    again = press_confirm(client, asked, follow=True)  # a double click

    assert done.redirect_chain[-1][0] == QUEUE
    assert "Execution confirmed" in text(done)
    assert "it was not done a second time" in text(again)
    merangin = regency(MERANGIN)
    assert merangin.state == ComplianceState.SUSPENDED
    period = SuspensionPeriod.objects.get(regency=merangin)
    assert period.started_at == cut_at.replace(second=0, microsecond=0)
    order.refresh_from_db()
    assert order.state == AccessOrderState.EXECUTED
    assert order.reference == "CHG-2026-0042"
    assert TransitionLog.objects.filter(regency=merangin, transition="suspend").count() == 1
    assert Submission.objects.count() == 1
    assert 'data-testid="no-access-orders"' in done.content.decode()

    finished = client.get(DONE)
    assert f'data-order="{order.pk}" data-state="executed"' in finished.content.decode()


def test_without_a_time_the_execution_is_now(operator):
    order = order_cut(Cast.of(MERANGIN), hours_ago=5)
    client = client_for(operator)
    asked = client.post(execute_url(order), {"executed_at": "", "reference": ""})
    assert "the moment you confirm" in text(asked)
    press_confirm(client, asked)
    period = SuspensionPeriod.objects.get(regency__code=MERANGIN)
    assert abs(period.started_at - NOW) < dt.timedelta(minutes=5)  # the clock ticks


def test_a_time_in_the_future_is_refused_on_its_field_and_nothing_changes(operator):
    order = order_cut(Cast.of(MERANGIN), hours_ago=5)
    later = (NOW + dt.timedelta(hours=2)).astimezone(WIB).strftime("%Y-%m-%dT%H:%M")

    response = client_for(operator).post(execute_url(order), {"executed_at": later, "next": QUEUE})

    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="error-summary"' in html
    assert f'href="#id_o{order.pk}_executed_at"' in html  # the summary leads to the field
    assert "cannot be in the future" in text(response)
    assert 'data-testid="confirmation"' not in html
    assert regency(MERANGIN).state == ComplianceState.FLAGGED
    order.refresh_from_db()
    assert order.state == AccessOrderState.ISSUED
    assert not Submission.objects.exists()


def test_a_time_before_the_order_is_refused_on_the_orders_page(operator):
    order = order_cut(Cast.of(MERANGIN), hours_ago=5)
    before = (NOW - dt.timedelta(hours=6)).astimezone(WIB).strftime("%Y-%m-%dT%H:%M")
    detail = reverse("access:order", args=[order.pk])

    response = client_for(operator).post(
        execute_url(order), {"executed_at": before, "next": detail}
    )

    assert response.status_code == 400
    assert "before the order was issued" in text(response)
    assert 'data-testid="order-state"' in response.content.decode()  # the order's own page
    assert regency(MERANGIN).state == ComplianceState.FLAGGED


def test_a_cancelled_order_is_refused_with_the_services_reason(operator):
    cast = Cast.of(MERANGIN)
    order = order_cut(cast, hours_ago=5)
    remediate(cast)  # the regency answers before the cut is carried out; the case closes
    services.clear_regency(regency=cast.regency, actor=cast.officer, reason="Sudah diperbaiki")
    order.refresh_from_db()
    assert order.state == AccessOrderState.CANCELLED

    response = client_for(operator).post(execute_url(order), {"next": QUEUE})

    assert response.status_code == 409
    assert 'data-testid="error-summary"' in response.content.decode()
    assert "cancelled" in text(response)
    assert not SuspensionPeriod.objects.filter(regency__code=MERANGIN).exists()


def test_the_operator_confirms_a_restoration_and_the_regency_is_reconnected(operator):
    cast = Cast.of(TEBO)
    cut = order_cut(cast, hours_ago=48)
    services.execute_access_order(order=cut, actor=operator, at=NOW - dt.timedelta(hours=47))
    remediate(cast)
    restore = services.reconnect_regency(
        regency=regency(TEBO), actor=cast.director, at=NOW - dt.timedelta(hours=2)
    )
    client = client_for(operator)
    restored_at = (NOW - dt.timedelta(hours=1)).astimezone(WIB)

    asked = client.post(
        execute_url(restore), {"executed_at": restored_at.strftime("%Y-%m-%dT%H:%M")}
    )
    assert "SIAK access of 15.09 Kabupaten Tebo was restored at" in text(asked)
    press_confirm(client, asked)

    assert regency(TEBO).state == ComplianceState.RECONNECTED
    period = SuspensionPeriod.objects.get(regency__code=TEBO)
    assert period.ended_at == restored_at.replace(second=0, microsecond=0)


# --- who reads, who acts ----------------------------------------------------------------


def test_a_director_reads_the_queue_without_the_form_and_may_not_confirm(regions):
    cast = Cast.of(MERANGIN)
    order = order_cut(cast, hours_ago=2)
    client = client_for(cast.director)

    page = client.get(QUEUE)
    detail = client.get(reverse("access:order", args=[order.pk]))
    posted = client.post(execute_url(order), {"next": QUEUE})

    assert page.status_code == 200
    assert f'data-order="{order.pk}"' in page.content.decode()
    assert 'type="datetime-local"' not in page.content.decode()
    assert 'data-testid="read-only"' in detail.content.decode()
    assert posted.status_code == 403
    assert regency(MERANGIN).state == ComplianceState.FLAGGED
    assert not Submission.objects.exists()


def test_a_governor_reads_the_orders_of_his_province_only(regions):
    order_cut(Cast.of(MERANGIN), hours_ago=2)  # Jambi
    bandung = order_cut(Cast.of("32.04"), hours_ago=2)  # West Java
    client = client_for(official("governor", "15"))

    page = client.get(QUEUE).content.decode()

    assert "Kabupaten Merangin" in page and "Kabupaten Bandung" not in page
    assert client.get(reverse("access:order", args=[bandung.pk])).status_code == 404


def test_a_regent_has_no_access_orders_page(regions):
    order_cut(Cast.of(MERANGIN), hours_ago=2)
    response = client_for(official("regent", MERANGIN)).get(QUEUE)
    assert response.status_code == 403


def test_the_orders_page_shows_the_request_and_the_violations_it_answers(operator):
    order = order_cut(Cast.of(MERANGIN), hours_ago=2)
    page = text(client_for(operator).get(reverse("access:order", args=[order.pk])))
    assert "Surat teguran tidak ditindaklanjuti" in page  # why it was asked
    assert "Kepala Dinas Dukcapil dimutasi tanpa persetujuan Menteri" in page  # the violation


# --- the regency's page and the director's messages ---------------------------------------


def test_the_regency_page_says_the_cut_waits_for_the_operators(regions):
    cast = Cast.of(MERANGIN)
    order_cut(cast, hours_ago=30)  # past its due time
    page = client_for(cast.officer).get(reverse("console:regency", args=[MERANGIN]))
    html = page.content.decode()
    assert 'data-testid="issued-access-order" data-kind="cut" data-overdue="1"' in html
    assert "An order to cut SIAK access was issued on" in text(page)
    assert "waits for the network operators" in text(page)
    indonesian = client_for(cast.officer, language="id").get(
        reverse("console:regency", args=[MERANGIN])
    )
    assert "Perintah pemutusan akses SIAK diterbitkan" in text(indonesian)


def test_approving_says_the_order_went_to_the_operators(regions):
    cast = Cast.of(MERANGIN)
    flag(cast)
    pending = request_suspension(cast)
    client = client_for(cast.director)
    asked = client.post(reverse("console:decide_suspension", args=[pending.pk, "approve"]), {})

    done = press_confirm(client, asked, follow=True)

    assert "order to cut SIAK access is sent to the network operators" in text(done)
    assert regency(MERANGIN).state == ComplianceState.FLAGGED
    assert AccessOrder.objects.filter(regency__code=MERANGIN, state="issued").exists()


def test_an_ordered_restoration_leaves_the_directors_reconnection_queue(operator):
    cast = Cast.of(TEBO)
    cut = order_cut(cast, hours_ago=48)
    services.execute_access_order(order=cut, actor=operator, at=NOW - dt.timedelta(hours=47))
    remediate(cast)
    client = client_for(cast.director)
    asked = client.post(
        reverse("console:act", args=[TEBO, "reconnect"]),
        {"reconnect-reason": "", "next": reverse("console:approvals")},
    )

    done = press_confirm(client, asked, follow=True)

    assert "order to restore SIAK access is sent to the network operators" in text(done)
    assert 'data-testid="reconnection-15.09"' not in done.content.decode()
    assert regency(TEBO).state == ComplianceState.REMEDIATED
