"""The composer: the sanction ladder is offered only with the instrument that makes the
directive's subject a national strategic programme (UU 23/2014 Pasal 67-68); the kind of
official document is asked, by default the office's."""

import pytest
from django.urls import reverse

from tests.factories import PSN_BASIS
from tests.pages.directives_fixtures import DUE, client_for
from workflow.models import Directive

pytestmark = pytest.mark.django_db
COMPOSE = reverse("directives:compose")


def form(**overrides):
    return {
        "title": "Percepatan perekaman KTP-el",
        "body": "Selesaikan perekaman KTP-el penduduk wajib KTP-el.",
        "legal_basis": "UU 24/2013 Pasal 63",
        "due_date": DUE.isoformat(),
        "priority": "high",
        "policy": "program-strategis-nasional",
        "scope_kind": "province",
        "province": "15",
        "regions": "",
        "action": "draft",
    } | overrides


def test_the_sanction_ladder_without_its_instrument_is_refused_on_that_field(officer):
    response = client_for(officer, language="id").post(COMPOSE, form())
    html = response.content.decode()
    assert 'id="id_programme_basis_error"' in html
    assert "program strategis nasional" in html
    assert not Directive.objects.exists()


def test_with_its_instrument_the_draft_keeps_it_and_the_document_kind(officer):
    data = form(programme_basis=PSN_BASIS, document_kind="instruksi_menteri")
    response = client_for(officer).post(COMPOSE, data)
    assert response.status_code == 302
    directive = Directive.objects.get()
    assert (directive.policy.slug, directive.programme_basis) == (
        "program-strategis-nasional",
        PSN_BASIS,
    )
    assert directive.document_kind == "instruksi_menteri"


def test_the_default_is_the_plain_follow_up_and_the_offices_own_document(officer):
    page = client_for(officer).get(COMPOSE).content.decode()
    assert 'value="tindak-lanjut" selected' in page
    client_for(officer).post(COMPOSE, form(policy="tindak-lanjut"))
    directive = Directive.objects.get()
    assert directive.document_kind == "surat_direktur_jenderal"
    assert directive.programme_basis == ""
