"""A regency taken through flag, suspension (the cut carried out by the network
operators) and remediation to reconnection with the real services (for the probation and admin tests)."""

from dataclasses import dataclass

from django.core.files.base import ContentFile

from compliance import services
from compliance.demo import evidence_pdf
from compliance.models import Regency
from tests.factories import carry_out, official, regency


@dataclass
class People:
    regency: Regency
    officer: object
    requester: object
    director: object
    regent: object

    @classmethod
    def of(cls, code):
        head = "mayor" if regency(code).kind == "kota" else "regent"
        return cls(
            regency=regency(code),
            officer=official("ministry_officer"),
            requester=official("ministry_officer"),
            director=official("ministry_director"),
            regent=official(head, code),
        )


def flag(people):
    return services.flag_regency(
        regency=people.regency,
        actor=people.officer,
        kind="hr",
        description="Kepala Dinas Dukcapil dipindahkan tanpa persetujuan Menteri",
        legal_basis="UU 24/2013 Pasal 83A; Permendagri 76/2015",
    )


def suspend(people):
    request = services.request_suspension(
        regency=people.regency, actor=people.requester, reason="Teguran Dirjen diabaikan"
    )
    order = services.approve_suspension(request=request, actor=people.director)
    return carry_out(order).period


def remediate(people):
    doc = services.upload_evidence(
        regency=people.regency,
        actor=people.regent,
        file=ContentFile(evidence_pdf("SK Bupati", people.regency), name="sk.pdf"),
    )
    statements = [
        {"violation": v.pk, "statement": "Sudah diperbaiki", "evidence": [doc.pk]}
        for v in people.regency.cases.get(closed_at=None).violations.filter(remediated_at=None)
    ]
    return services.submit_remediation(
        regency=people.regency, actor=people.regent, statements=statements
    )


def reconnected(code):
    """Flagged, suspended, remediated and reconnected now; returns the people involved."""
    people = People.of(code)
    flag(people)
    suspend(people)
    remediate(people)
    carry_out(services.reconnect_regency(regency=people.regency, actor=people.director))
    people.regency.refresh_from_db()
    return people
