"""Remediation needs a statement and at least one of the regency's own evidence documents
for every open violation; rejecting it reopens what it covered."""

import pytest

from compliance import services
from compliance.errors import Conflict, InvalidInput, NotAllowed, NotFound
from compliance.models import (
    ComplianceState,
    Remediation,
    RemediationStatus,
    Violation,
    ViolationKind,
)
from tests.compliance import scenario
from tests.compliance.scenario import MERANGIN, TEBO, Cast, flag, log_of, state_of, upload
from tests.factories import official

S = ComplianceState
pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return Cast.of(MERANGIN)


@pytest.fixture
def two_violations(cast):
    return flag(cast), flag(cast, kind=ViolationKind.ORGANISATIONAL)


def submit(cast, statements, actor=None):
    return services.submit_remediation(
        regency=cast.regency, actor=actor or cast.regent, statements=statements
    )


def refused(cast, statements):
    """Submit, expect InvalidInput, check nothing changed, and return the field errors."""
    before, remediations = log_of(cast.regency), Remediation.objects.count()
    with pytest.raises(InvalidInput) as refusal:
        submit(cast, statements)
    assert state_of(cast.regency) == S.FLAGGED
    assert log_of(cast.regency) == before
    assert Remediation.objects.count() == remediations
    assert not Violation.objects.filter(remediated_at__isnull=False).exists()
    return refusal.value.errors


def test_refused_without_a_statement_for_every_open_violation(cast, two_violations):
    hr, org = two_violations
    doc = upload(cast)

    errors = refused(
        cast, [{"violation": hr.pk, "statement": "Dikembalikan", "evidence": [doc.pk]}]
    )

    assert errors == {f"violation {org.pk}": ["statement_missing"]}


def test_refused_with_no_statements_at_all_names_every_violation(cast, two_violations):
    hr, org = two_violations

    errors = refused(cast, [])

    assert errors == {
        f"violation {hr.pk}": ["statement_missing"],
        f"violation {org.pk}": ["statement_missing"],
    }


def test_refused_with_a_blank_statement(cast, two_violations):
    hr, org = two_violations
    doc = upload(cast)

    errors = refused(
        cast,
        [
            {"violation": hr.pk, "statement": "Dikembalikan", "evidence": [doc.pk]},
            {"violation": org.pk, "statement": "   ", "evidence": [doc.pk]},
        ],
    )

    assert errors == {"statements[1].statement": ["required"]}


def test_refused_without_evidence(cast, two_violations):
    hr, org = two_violations
    doc = upload(cast)

    errors = refused(
        cast,
        [
            {"violation": hr.pk, "statement": "Dikembalikan", "evidence": []},
            {"violation": org.pk, "statement": "Perda diubah", "evidence": [doc.pk]},
        ],
    )

    assert errors == {"statements[0].evidence": ["at_least_one_document"]}


def test_refused_with_another_regencys_document(cast):
    violation = flag(cast)
    tebo = Cast.of(TEBO)
    foreign = upload(tebo)

    errors = refused(
        cast, [{"violation": violation.pk, "statement": "Lihat bukti", "evidence": [foreign.pk]}]
    )

    assert errors == {"evidence": [f"unknown_document:{foreign.pk}"]}


def test_refused_for_a_violation_that_is_not_open_here(cast):
    violation = flag(cast)
    tebo = Cast.of(TEBO)
    elsewhere = flag(tebo)
    doc = upload(cast)

    errors = refused(
        cast,
        [
            {"violation": violation.pk, "statement": "Dikembalikan", "evidence": [doc.pk]},
            {"violation": elsewhere.pk, "statement": "Bukan milik kami", "evidence": [doc.pk]},
        ],
    )

    assert errors == {"statements[1].violation": ["not_an_open_violation"]}


def test_accepted_marks_every_open_violation_remediated(cast, two_violations):
    doc = upload(cast)
    statements = scenario.statements_for(cast, [doc])

    remediation = submit(cast, statements)

    assert state_of(cast.regency) == S.REMEDIATED
    assert remediation.status == RemediationStatus.SUBMITTED
    assert (remediation.submitted_by, remediation.submitted_office.kind) == (cast.regent, "regent")
    for violation in two_violations:
        violation.refresh_from_db()
        assert violation.remediated_at is not None
        assert not violation.is_open
    recorded = {s.violation_id: s for s in remediation.statements.all()}
    assert set(recorded) == {v.pk for v in two_violations}
    assert all(list(s.evidence.all()) == [doc] for s in recorded.values())


def test_the_regency_dukcapil_head_may_submit_too(cast):
    flag(cast)
    head = official("regency_dukcapil_head", MERANGIN)

    submit(cast, scenario.statements_for(cast), actor=head)

    assert state_of(cast.regency) == S.REMEDIATED


def test_another_regencys_regent_cannot_submit(cast):
    flag(cast)
    statements = scenario.statements_for(cast)

    with pytest.raises(NotFound):
        submit(cast, statements, actor=official("regent", TEBO))
    with pytest.raises(NotAllowed):
        submit(cast, statements, actor=official("governor", "15"))

    assert state_of(cast.regency) == S.FLAGGED


def test_reject_restores_the_covered_violations_as_open(cast, two_violations):
    remediation = submit(cast, scenario.statements_for(cast))

    services.reject_remediation(regency=cast.regency, actor=cast.officer, reason="SK belum sah")

    remediation.refresh_from_db()
    assert remediation.status == RemediationStatus.REJECTED
    assert remediation.decision_reason == "SK belum sah"
    assert remediation.decided_at is not None
    for violation in two_violations:
        violation.refresh_from_db()
        assert violation.remediated_at is None
        assert violation.is_open
    assert state_of(cast.regency) == S.FLAGGED


def test_after_a_rejection_the_next_remediation_must_answer_every_violation_again(cast):
    first = flag(cast)
    submit(cast, scenario.statements_for(cast))
    services.reject_remediation(regency=cast.regency, actor=cast.officer, reason="Kurang")
    second = flag(cast, kind=ViolationKind.ORGANISATIONAL)

    errors = refused(cast, [])

    assert set(errors) == {f"violation {first.pk}", f"violation {second.pk}"}


def test_a_remediation_under_review_cannot_be_submitted_twice(cast):
    flag(cast)
    submit(cast, scenario.statements_for(cast))

    with pytest.raises(Conflict):
        submit(cast, [])

    assert Remediation.objects.count() == 1
