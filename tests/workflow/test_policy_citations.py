"""Every rule cites its instrument or says it is a ministry policy choice, and who made
it (issue 14 item 2): each shipped policy and step, in the database as migrated and in
the docs' rules table; an instrument cited in letters is spelled out in full."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from compliance import instruments
from workflow.models import EscalationPolicy, EscalationStep

pytestmark = pytest.mark.django_db
DOCS = Path(__file__).resolve().parents[2] / "docs" / "workflow.md"


def test_every_shipped_policy_and_step_has_a_legal_basis_or_a_policy_marker():
    for policy in EscalationPolicy.objects.all():
        assert policy.legal_basis or policy.policy_choice, policy.slug
        for step in policy.steps.all():
            assert step.legal_basis or step.policy_choice, (policy.slug, step.slug)


def test_a_step_added_without_either_is_refused():
    policy = EscalationPolicy.objects.get(slug="tindak-lanjut")
    step = EscalationStep(
        policy=policy,
        order=9,
        slug="extra",
        name="Langkah tambahan",
        action="reminder",
        anchor="due",
        offset=1,
        unit="calendar_days",
    )
    with pytest.raises(ValidationError) as refused:
        step.full_clean()
    assert "policy_choice" in refused.value.message_dict
    step.policy_choice = "Ditjen Dukcapil: uji"
    step.full_clean()  # a marker is enough


def test_the_cited_instruments_are_known_and_spelled_out_in_full():
    for policy in EscalationPolicy.objects.all():
        for basis in [policy.legal_basis, *policy.steps.values_list("legal_basis", flat=True)]:
            for part in filter(None, (p.strip() for p in basis.split(";"))):
                assert instruments.cite(part) != part, f"{policy.slug}: {part} not in full"


def test_the_docs_rules_table_says_which_rule_is_law_and_which_is_policy():
    text = DOCS.read_text(encoding="utf-8")
    table = text[text.index("### Where each rule comes from") :]
    for step in EscalationStep.objects.select_related("policy"):
        row = next(
            (
                line
                for line in table.splitlines()
                if f"| {step.policy.slug} | {step.slug} |" in line
            ),
            None,
        )
        assert row is not None, (step.policy.slug, step.slug)
        if step.legal_basis:
            assert step.legal_basis in row
        if step.policy_choice:
            assert "policy:" in row
        assert re.search(r"\| (law|policy|law \+ policy) \|", row), row


def test_the_admin_refuses_the_sanction_ladder_without_its_programme_instrument(officer):
    from workflow import services
    from workflow.admin import DirectiveAdminForm

    directive = services.create_directive(
        actor=officer,
        title="Laporan capaian",
        body="Sampaikan laporan.",
        legal_basis="UU 24/2013 Pasal 63",
        due_date=dt.date(2026, 12, 31),
        scope={"province": "15"},
    )
    data = {
        f.name: getattr(directive, f.attname)
        for f in directive._meta.fields
        if f.name in DirectiveAdminForm.base_fields
    }
    data["policy"] = EscalationPolicy.objects.get(slug="program-strategis-nasional").pk
    form = DirectiveAdminForm(data=data, instance=directive)
    assert not form.is_valid()
    assert "programme_basis" in form.errors
    form = DirectiveAdminForm(
        data=data | {"programme_basis": "Perpres 26/2009"}, instance=directive
    )
    assert form.is_valid(), form.errors
