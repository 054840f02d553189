"""Shared setup for the API tests: clients for officials, and regencies brought into a
state through the service functions (never by assigning the state)."""

import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from compliance import services
from compliance.models import (
    EvidenceDocument,
    Regency,
    Remediation,
    RequestStatus,
    SuspensionPeriod,
    SuspensionRequest,
    TransitionLog,
    Violation,
)
from tests.factories import carry_out, official

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
_names = itertools.count(1)


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def pdf(name="bukti.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def regency(code):
    return Regency.objects.select_related("province").get(code=code)


def local_official(code):
    """A Dukcapil head of the regency: may upload evidence and submit remediation."""
    return official("regency_dukcapil_head", code)


def flag(code, *, kind="hr", actor=None):
    return services.flag_regency(
        regency=regency(code),
        actor=actor or official("ministry_officer"),
        kind=kind,
        description=f"Pelanggaran uji {next(_names)}",
        legal_basis="UU 24/2013 Pasal 83A",
    )


def request_suspension(code, *, actor=None):
    return services.request_suspension(
        regency=regency(code),
        actor=actor or official("ministry_officer"),
        reason="Tidak kooperatif",
    )


def suspend(code):
    if regency(code).state != "flagged":
        flag(code)
    request = request_suspension(code)
    order = services.approve_suspension(request=request, actor=official("ministry_director"))
    return carry_out(order).period


def remediate(code, *, actor=None):
    actor = actor or local_official(code)
    target = regency(code)
    document = services.upload_evidence(regency=target, actor=actor, file=pdf())
    open_violations = Violation.objects.filter(
        case__regency=target, case__closed_at__isnull=True, remediated_at__isnull=True
    )
    statements = [
        {"violation": v.pk, "statement": "Sudah diperbaiki", "evidence": [document.pk]}
        for v in open_violations
    ]
    return services.submit_remediation(regency=target, actor=actor, statements=statements)


def reconnect(code):
    order = services.reconnect_regency(regency=regency(code), actor=official("ministry_director"))
    return carry_out(order)


def snapshot(code):
    """Everything a refused request must leave as it was."""
    target = regency(code)
    return {
        "state": target.state,
        "logs": TransitionLog.objects.filter(regency=target).count(),
        "violations": Violation.objects.filter(case__regency=target).count(),
        "requests": sorted(
            SuspensionRequest.objects.filter(regency=target).values_list("pk", "status")
        ),
        "pending": SuspensionRequest.objects.filter(
            regency=target, status=RequestStatus.PENDING
        ).count(),
        "periods": sorted(
            SuspensionPeriod.objects.filter(regency=target).values_list("pk", "ended_at")
        ),
        "evidence": EvidenceDocument.objects.filter(regency=target).count(),
        "remediations": sorted(
            Remediation.objects.filter(case__regency=target).values_list("pk", "status")
        ),
    }
