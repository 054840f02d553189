"""Policies and steps are named in Indonesian; readers who chose English see the English
name where the ministry gave one (the shipped policies have theirs)."""

import pytest
from django.utils import translation

from workflow.models import EscalationPolicy, EscalationStep

pytestmark = pytest.mark.django_db


def test_the_shipped_policies_and_steps_all_have_an_english_name():
    assert not EscalationPolicy.objects.filter(name_en="").exists()
    assert not EscalationStep.objects.filter(name_en="").exists()


def test_the_name_follows_the_readers_language():
    step = EscalationStep.objects.get(
        policy__slug="program-strategis-nasional", slug="written-warning-1"
    )
    with translation.override("id"):
        assert step.display_name == "Teguran tertulis I"
    with translation.override("en"):
        assert step.display_name == "Written warning I"


def test_a_step_the_ministry_named_only_in_indonesian_shows_that_name_in_english_too():
    policy = EscalationPolicy.objects.get(slug="hak-akses-siak")
    policy.name_en = ""
    with translation.override("en"):
        assert policy.display_name == "Hak akses SIAK"
