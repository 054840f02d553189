"""docs/api.md's curl walk-through, run as pasted, so that the doc cannot drift.

The blocks marked `<!-- walkthrough ... -->` run in order in one `bash -euo pipefail`, from
the repository root, against the live server holding the demo (as `make run` does), with
BASE set to the server's address: a failing call (any 4xx or 5xx) stops the run.

The clock is the machine's (or --today's): every step of the walk-through happens now, so
its outcome does not depend on the day, and curl does not care about dates."""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from compliance import demo
from compliance.evidence import inspect_upload
from compliance.models import (
    AccessOrder,
    EvidenceDocument,
    Regency,
    SuspensionPeriod,
    TransitionLog,
)
from tests.conftest import missing_service

ROOT = Path(settings.BASE_DIR)
DOC = ROOT / "docs" / "api.md"
SAMPLE = ROOT / "docs" / "examples" / "surat-keputusan.pdf"
BLOCK = re.compile(r"^<!-- walkthrough\b.*?-->\n```sh\n(.*?)^```$", re.MULTILINE | re.DOTALL)
MERANGIN = "15.02"
# The director's approval and reconnection issue access orders; the regency's state
# changes when the network operator confirms them.
STEPS = [
    ("flag", "compliant", "flagged", "petugas1"),
    ("suspend", "flagged", "suspended", "operator.jaringan"),
    ("submit_remediation", "suspended", "remediated", "bupati.merangin"),
    ("reconnect", "remediated", "reconnected", "operator.jaringan"),
]
ORDERS = [
    ("cut", "executed", "direktur1", "operator.jaringan", "JAR-0001"),
    ("restore", "executed", "direktur1", "operator.jaringan", "JAR-0002"),
]


def walkthrough():
    blocks = BLOCK.findall(DOC.read_text(encoding="utf-8"))
    assert blocks, f"no ```sh block marked <!-- walkthrough --> in {DOC}"
    return "\n".join(blocks)


def run(script, base):
    # `python3` in the doc is this venv's, as under `make` (its PATH starts with .venv/bin).
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=ROOT,
        env={**os.environ, "BASE": base, "PATH": path},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def demo_server(live_server, regions, log_flushable):
    """The live server on the demo's data, loaded as `make run` loads it (seed_demo)."""
    if not shutil.which("curl"):
        missing_service("curl", "apt-get install curl")
    from workflow.default_policies import ensure_default_policies
    from workflow.models import EscalationPolicy, EscalationStep

    ensure_default_policies(EscalationPolicy, EscalationStep)  # flushed by earlier tests
    demo.load_demo()
    return live_server


@pytest.mark.slow
def test_the_walkthrough_runs_as_pasted_against_the_demo(demo_server):
    before = TransitionLog.objects.filter(regency__code=MERANGIN).count()
    orders_before = AccessOrder.objects.filter(regency__code=MERANGIN).count()
    assert Regency.objects.get(code=MERANGIN).state == "compliant"

    result = run(walkthrough(), demo_server.url)

    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    merangin = Regency.objects.get(code=MERANGIN)
    assert merangin.state == "reconnected"
    log = TransitionLog.objects.filter(regency=merangin).select_related("actor")
    new = list(log.order_by("at", "id")[before:])
    assert [(r.transition, r.from_state, r.to_state, r.actor.username) for r in new] == STEPS
    assert len({row.case_id for row in new}) == 1
    [period] = SuspensionPeriod.objects.filter(case=new[0].case)
    assert (period.started_at, period.ended_at) == (new[1].at, new[-1].at)
    orders = AccessOrder.objects.filter(regency=merangin).order_by("issued_at", "id")
    assert [
        (o.kind, o.state, o.issued_by.username, o.executed_by.username, o.reference)
        for o in orders[orders_before:]
    ] == ORDERS
    document = EvidenceDocument.objects.filter(regency=merangin).latest("uploaded_at", "id")
    assert document.uploaded_by.username == "bupati.merangin"
    assert (document.content_type, document.sha256) == (
        "application/pdf",
        hashlib.sha256(SAMPLE.read_bytes()).hexdigest(),
    )
    # What the reader sees: one JSON answer per call, ending with the history and downtime.
    *_, history, downtime = (json.loads(line) for line in result.stdout.splitlines())
    assert [row["transition"] for row in history["results"][-4:]] == [s[0] for s in STEPS]
    assert MERANGIN in {row["code"] for row in downtime}


def test_the_walkthrough_takes_its_address_from_base():
    script = walkthrough()
    assert script.startswith("BASE=${BASE:-http://127.0.0.1:8000}\n")
    assert script.count("127.0.0.1") == 1


def test_the_sample_evidence_is_a_small_pdf_that_uploads_accept():
    data = SAMPLE.read_bytes()
    assert len(data) < 5 * 1024
    mime, _ = inspect_upload(SimpleUploadedFile(SAMPLE.name, data))
    assert mime == "application/pdf"
    assert str(SAMPLE.relative_to(ROOT)) in walkthrough()
