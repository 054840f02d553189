"""Compliance events open and move remediation assignments; compliance imports nothing
from workflow, workflow follows compliance's transition log (workflow.log_consumer), woken
by compliance.signals.regency_transitioned."""

import datetime as dt

import pytest
import time_machine

from compliance import services
from compliance.models import TransitionLog
from tests.compliance import scenario
from tests.factories import carry_out
from workflow import log_consumer, remediation
from workflow.models import Assignment, Directive

pytestmark = pytest.mark.django_db
WIB = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def cast():
    return scenario.Cast.of(scenario.MERANGIN)


def remediation_assignments():
    return Assignment.objects.filter(directive__origin_key__startswith="remediation:")


@time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=WIB), tick=False)
def test_a_flag_opens_a_remediation_assignment_for_the_regent(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        scenario.flag(cast)
    assignment = remediation_assignments().get()
    assert assignment.office.title == "Bupati Merangin"
    assert assignment.state == "issued"
    assert assignment.due_date == dt.date(2026, 12, 11)  # REMEDIATION_DUE_DAYS = 10
    assert assignment.directive.issuing_office.kind == "ministry_officer"
    assert assignment.notifications.filter(template="directive_issued").count() == 1


def test_the_body_quotes_the_violation_as_one_sentence(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        scenario.flag(cast, description="Kepala Dinas dimutasi tanpa persetujuan Menteri.")
    body = remediation_assignments().get().directive.body
    assert "tanpa persetujuan Menteri. Sampaikan pernyataan perbaikan" in body
    assert ".." not in body


def test_the_cut_carried_out_opens_a_second_one_in_the_deciding_directors_name(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        scenario.flag(cast)
        request = scenario.request_suspension(cast)
        order = services.approve_suspension(request=request, actor=cast.director)
    # Approved but not yet carried out: the regency is not cut off, nothing more to ask.
    assert remediation_assignments().count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        carry_out(order)
    titles = sorted(remediation_assignments().values_list("directive__title", flat=True))
    assert titles == [
        "Pemulihan akses SIAK Kabupaten Merangin",
        "Perbaikan pelanggaran kepatuhan Kabupaten Merangin",
    ]
    second = remediation_assignments().get(directive__title__startswith="Pemulihan").directive
    assert (second.created_by, second.issuing_office) == (cast.director, order.issued_office)


def test_the_assignment_follows_remediation_rejection_and_clearing(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        scenario.flag(cast)
        scenario.remediate(cast)
    assignment = remediation_assignments().get()
    assert assignment.state == "submitted"

    with django_capture_on_commit_callbacks(execute=True):
        services.reject_remediation(regency=cast.regency, actor=cast.officer, reason="Bukti kurang")
    assignment.refresh_from_db()
    assert assignment.state == "returned"

    with django_capture_on_commit_callbacks(execute=True):
        scenario.remediate(cast)
        services.clear_regency(regency=cast.regency, actor=cast.officer)
    assignment.refresh_from_db()
    assert assignment.state == "verified"
    transitions = list(assignment.events.values_list("transition", flat=True))
    assert transitions == ["acknowledge", "submit", "return", "submit", "verify"]


def test_the_row_applied_again_never_opens_it_twice(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        scenario.flag(cast)
    log = TransitionLog.objects.get(transition="flag")
    assert remediation.open_remediation_directive(log) is None
    remediation.apply(log)
    assert log_consumer.consume() == 0
    assert Directive.objects.filter(origin_key__startswith="remediation:").count() == 1


def test_the_consumer_opens_what_a_lost_signal_missed(cast):
    scenario.flag(cast)  # on-commit callbacks never run here: the wake-up is "lost"
    assert not remediation_assignments().exists()
    assert log_consumer.consume() == 1
    assert remediation_assignments().get().office.title == "Bupati Merangin"
