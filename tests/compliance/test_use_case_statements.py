"""What the compliance use cases cost in statements (issue 18, "full use cases"): an
event and its region rows written in one statement on PostgreSQL; after the row lock, the
open case, the order waiting and the open suspension period read in one."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from compliance import access, events, services
from compliance.errors import InvalidInput
from compliance.messages import Message
from compliance.models import (
    AccessOrder,
    Event,
    EventRegion,
    Regency,
    Remediation,
    TransitionLog,
    Violation,
)
from tests.compliance import scenario

pytestmark = pytest.mark.django_db
AT = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
POSTGRES = connection.vendor == "postgresql"


def sql_of(captured):
    return [q["sql"] for q in captured.captured_queries]


def codes(event):
    return sorted(EventRegion.objects.filter(event=event).values_list("code", flat=True))


def test_events_and_their_region_rows_are_written_in_one_statement_on_postgresql():
    items = [
        ("test.one", AT, ["15", "15.02"], {"a": 1}),
        ("test.two", AT, ["15", "15.09", "15"], {"b": ["x"]}),  # a code twice: one row
    ]
    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        written = events.record_many(items)
    writes = [s for s in sql_of(captured) if "compliance_event" in s]
    assert len(writes) == (1 if POSTGRES else 2)
    one, two = Event.objects.filter(type__startswith="test.").order_by("id")
    assert [e.pk for e in written] == [one.pk, two.pk]
    assert (one.type, one.at, one.regions, one.data) == ("test.one", AT, ["15", "15.02"], {"a": 1})
    assert (two.regions, two.data, two.position) == (["15", "15.09", "15"], {"b": ["x"]}, None)
    assert (codes(one), codes(two)) == (["15", "15.02"], ["15", "15.09"])


def test_no_events_write_nothing():
    with CaptureQueriesContext(connection) as captured:
        assert events.record_many([]) == []
    assert sql_of(captured) == []


def test_a_transition_writes_its_log_row_with_its_event_in_one_statement_on_postgresql():
    cast = scenario.Cast.of(scenario.MERANGIN)
    violation = scenario.flag(cast)
    regency = Regency.objects.select_related("province").get(pk=cast.regency.pk)
    office = cast.officer.office_holdings.get().office
    reason = Message("probation_passed", days=90)  # the system's: its code and parameters
    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        log = services._run_transition(
            services._locked(regency),
            "submit_remediation",
            actor=cast.officer,
            office=office,
            reason=reason,
            payload={"remediation": None, "violations": [violation.pk]},
            case=violation.case,
            at=AT,
        )
    writes = [s for s in sql_of(captured) if "compliance_transitionlog" in s]
    assert len(writes) == 1
    assert ("compliance_event" in writes[0]) == POSTGRES  # apart on SQLite
    written = TransitionLog.objects.get(pk=log.pk)
    assert (written.regency, written.case, written.actor, written.office, written.at) == (
        regency,
        violation.case,
        cast.officer,
        office,
        AT,
    )
    assert (written.transition, written.from_state, written.to_state) == (
        "submit_remediation",
        "flagged",
        "remediated",
    )
    assert (written.reason, written.reason_code, written.reason_params) == (
        str(reason),
        "probation_passed",
        {"days": 90},
    )
    assert written.payload == {"remediation": None, "violations": [violation.pk]}
    event = Event.objects.get(type="regency.submit_remediation")
    assert (event.at, event.regions, codes(event)) == (AT, ["15", "15.02"], ["15", "15.02"])
    assert event.data == {
        "regency": "15.02",
        "name": regency.name,
        "transition": "submit_remediation",
        "from_state": "flagged",
        "to_state": "remediated",
        "reason": str(reason),
        "office": office.title,
        "log": log.pk,
    }


def test_a_new_access_order_is_written_with_its_event_in_one_statement_on_postgresql():
    cast = scenario.Cast.of(scenario.MERANGIN)
    scenario.flag(cast)
    request = scenario.request_suspension(cast)
    with CaptureQueriesContext(connection) as captured:
        order = services.approve_suspension(request=request, actor=cast.director, at=AT)
    writes = [s for s in sql_of(captured) if "INSERT" in s and "compliance_accessorder" in s]
    assert len(writes) == 1
    assert ("compliance_event" in writes[0]) == POSTGRES  # apart on SQLite
    written = AccessOrder.objects.select_related("regency", "issued_office").get()
    assert (written.pk, written.state, written.kind, written.request) == (
        order.pk,
        "issued",
        "cut",
        request,
    )
    assert (written.issued_by, written.issued_at, written.reference) == (cast.director, AT, "")
    assert (written.reason, written.reason_code, written.escalated_at) == (request.reason, "", None)
    event = Event.objects.get(type="access_order.issued")
    assert event.data == access.describe(written)
    assert event.data["access_order"] == order.pk
    assert (event.at, codes(event)) == (AT, ["15", "15.02"])


def test_an_order_that_cannot_be_written_writes_no_event():
    cast = scenario.Cast.of(scenario.MERANGIN)
    scenario.flag(cast)
    order = services.approve_suspension(
        request=scenario.request_suspension(cast), actor=cast.director, at=AT
    )
    second = AccessOrder(
        **{
            f.attname: getattr(order, f.attname)
            for f in AccessOrder._meta.concrete_fields
            if not f.primary_key
        }
    )
    second.request_id = None
    before = Event.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():  # one issued order a regency
        events.record_with(
            second, "access_order.issued", key="access_order", at=AT, regions=["15"], data={}
        )
    assert (AccessOrder.objects.count(), Event.objects.count()) == (1, before)
    assert second.pk is None


def test_reconnect_reads_the_case_the_order_and_the_period_once_after_the_lock():
    cast = scenario.Cast.of(scenario.MERANGIN)
    scenario.flag(cast)
    period = scenario.suspend(cast)
    remediation = scenario.remediate(cast)
    with CaptureQueriesContext(connection) as captured:
        order = services.reconnect_regency(regency=cast.regency, actor=cast.director)
    assert (order.case_id, order.period_id) == (remediation.case_id, period.pk)
    reads = [  # the lock's own statement reads whether a period is open
        s
        for s in sql_of(captured)
        if s.lstrip().startswith("SELECT") and "has_open_suspension" not in s
    ]
    for table in ("compliancecase", "accessorder", "suspensionperiod"):
        assert sum(f"compliance_{table}" in s for s in reads) == 1, table
    # savepoint, who may act, lock, the reads, the remediation accepted, the order with
    # its event and their region rows (PostgreSQL: one statement; SQLite: three), the
    # operators' notices (workflow: the offices, then one INSERT ... ON CONFLICT DO
    # NOTHING for them all; on SQLite the keys already taken, then the insert), release
    assert len(captured) == (9 if POSTGRES else 12)
    notices = [s for s in sql_of(captured) if "workflow_notification" in s]
    assert len(notices) == (1 if POSTGRES else 2)


def test_submit_writes_the_remediation_its_statements_and_links_in_one_statement():
    cast = scenario.Cast.of(scenario.MERANGIN)
    scenario.flag(cast)
    scenario.flag(cast, kind="organisational", description="Kedua")  # two open
    documents = [scenario.upload(cast), scenario.upload(cast, name="lampiran.pdf")]
    statements = scenario.statements_for(cast, documents)
    statements[0]["evidence"].append(documents[0].pk)  # a document twice: one link
    with CaptureQueriesContext(connection) as captured:
        remediation = services.submit_remediation(
            regency=cast.regency, actor=cast.regent, statements=statements, at=AT
        )
    written = Remediation.objects.get()
    assert (remediation.pk, written.status, written.submitted_at) == (written.pk, "submitted", AT)
    assert (written.submitted_by, written.decided_at, written.decision_reason) == (
        cast.regent,
        None,
        "",
    )
    answers = {s.violation_id: s for s in written.statements.all()}
    assert sorted(answers) == sorted(s["violation"] for s in statements)
    for entry in statements:
        answer = answers[entry["violation"]]
        assert answer.statement == entry["statement"]
        assert sorted(answer.evidence.values_list("pk", flat=True)) == sorted(
            d.pk for d in documents
        )
    marked = Violation.objects.filter(case=written.case).values_list("remediated_at", flat=True)
    assert set(marked) == {AT}
    assert scenario.state_of(cast.regency) == "remediated"
    writes = [s for s in sql_of(captured) if "compliance_remediation" in s]
    # savepoint, lock, the open case, its open violations, the documents named, the
    # remediation with its statements, links and the violations marked (PostgreSQL: one
    # statement; SQLite: four), the state, the log row with its event and their region
    # rows (PostgreSQL: one statement; SQLite: three), release. (The regent's offices
    # were read at his upload.)
    assert len(writes) == (1 if POSTGRES else 3)
    assert len(captured) == (9 if POSTGRES else 14)


def test_a_document_of_another_regency_or_no_id_is_refused_and_nothing_written():
    cast = scenario.Cast.of(scenario.MERANGIN)
    other = scenario.Cast.of(scenario.TEBO)
    scenario.flag(cast)
    statements = scenario.statements_for(cast, [scenario.upload(other)])
    statements[0]["evidence"].append("x")
    with pytest.raises(InvalidInput) as refused:
        services.submit_remediation(regency=cast.regency, actor=cast.regent, statements=statements)
    unknown = refused.value.errors["evidence"]
    assert sorted(unknown) == sorted(
        [f"unknown_document:{statements[0]['evidence'][0]}", "unknown_document:x"]
    )
    assert not Remediation.objects.exists()
    assert not Violation.objects.filter(remediated_at__isnull=False).exists()
    assert scenario.state_of(cast.regency) == "flagged"
