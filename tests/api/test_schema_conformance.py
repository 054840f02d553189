"""The API keeps its own schema: schemathesis reads /api/v1/schema/, generates requests
for every operation from it (valid ones and invalid ones), calls the app in-process and
checks every answer with all of its default checks: no server error, only documented
status codes, content types and headers, bodies that match their schema, invalid input
refused and valid input accepted. Once as a ministry officer, once as a regent.

Bounded and reproducible: a fixed number of examples per operation, derandomized.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import close_old_connections
from django.utils import timezone
from schemathesis.checks import load_all_checks
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import FailureGroup
from schemathesis.generation.feedback import FeedbackSources
from schemathesis.pytest._test_builder import build_operation_test
from schemathesis.python._constants.orchestrator import make_constants_value_source

from compliance import recording_jobs
from compliance import services as compliance
from ektp_compliance.wsgi import application
from equipment import services as equipment
from tests.api_tokens import token_header
from tests.compliance.api_helpers import PDF, regency
from tests.factories import PSN, official
from workflow import proposals
from workflow import services as workflow
from workflow.calendar import BusinessCalendar
from workflow.escalation import sweep
from workflow.models import SanctionProposal

pytestmark = pytest.mark.django_db

MERANGIN = "15.02"
WIB = ZoneInfo("Asia/Jakarta")
EXAMPLES = 10  # per operation in the fuzzing phase; the examples and coverage phases add theirs

# All of schemathesis' default checks, as configured by default but for one status: a
# request the schema describes may still be refused for a rule OpenAPI cannot state (a
# code that names no district, a due date already past, a file that is no PDF). The API
# answers those 422, documented per operation, and keeps 400 for what breaks the schema:
# valid data must never get a 400.
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": [
                    *["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"],  # the default
                    "422",
                ]
            }
        }
    }
)

# The schemathesis pytest plugin (schemathesis.pytest.from_fixture) needs pytest < 9 (it
# renames request.node._nodeid): each operation's Hypothesis test is built here instead,
# as the plugin builds it, and run in this test, in its database transaction.
SETTINGS = hypothesis.settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],  # no shrinking: a report
)


@pytest.fixture
def merangin():
    """Merangin flagged with a suspension requested, its regent's assignment under a
    directive with an extension requested, a written warning to him under an older one
    (proposed by the sweep, signed by the governor),
    evidence, a device and a recording import: so that the operations find something."""
    officer = official("ministry_officer")
    regent = official("regent", MERANGIN)
    governor = official("governor", "15")  # signs the written warnings to Jambi's regents
    compliance.flag_regency(
        regency=regency(MERANGIN),
        actor=officer,
        kind="hr",
        description="Kepala Dinas Dukcapil dimutasi tanpa persetujuan Menteri",
        legal_basis="UU 24/2013 Pasal 83A",
    )
    suspension = compliance.request_suspension(
        regency=regency(MERANGIN), actor=officer, reason="Tidak menindaklanjuti teguran"
    )
    # A directive of two months ago, long overdue: written warnings to the regent.
    issued = timezone.now() - dt.timedelta(days=60)
    old = to_merangin(officer, due=issued.astimezone(WIB).date() + dt.timedelta(days=18))
    _, [warned] = workflow.issue_directive(directive=old, actor=officer, at=issued)
    sweep(now=issued + dt.timedelta(days=30))
    proposal = SanctionProposal.objects.get(assignment=warned)
    # Signed on the first working day from its proposal (a letter is never dated on
    # another day; this data is built relative to today, which may be a Sunday).
    signed_at = BusinessCalendar.from_database().open_at(proposal.proposed_at, WIB)
    letter = proposals.sign(proposal_id=proposal.pk, actor=governor, at=signed_at)
    # And today's, with an extension requested.
    due = timezone.localdate() + dt.timedelta(days=30)
    directive = to_merangin(officer, due=due)
    _, [assignment] = workflow.issue_directive(directive=directive, actor=officer)
    extension = workflow.request_extension(
        assignment=assignment,
        actor=regent,
        new_due_date=due + dt.timedelta(days=14),
        reason="Alat perekaman rusak",
    )
    evidence = compliance.upload_evidence(
        regency=regency(MERANGIN),
        actor=regent,
        file=SimpleUploadedFile("sk.pdf", PDF, content_type="application/pdf"),
        description="SK pengembalian jabatan",
    )
    device = equipment.register_device(
        actor=officer,
        district_code="15.02.01",
        kind="recording",
        serial_number="REK-15-02-0001",
        funded_by="centre",
    )
    csv = b"district_code,date,obliged,recorded,printed\n15.02.01,2026-01-31,100,90,80\n"
    job = recording_jobs.create_import(
        actor=officer, file=SimpleUploadedFile("rekam.csv", csv, content_type="text/csv")
    )
    return {
        "officer": officer,
        "regent": regent,
        # /api/v1/<first segment>/{id}/...: the id of something there is
        "ids": {
            "suspension-requests": suspension.pk,
            "directives": directive.pk,
            "assignments": assignment.pk,
            "extension-requests": extension.pk,
            "letters": letter.pk,
            "sanction-proposals": proposal.pk,
            "evidence": evidence.pk,
            "devices": device.pk,
            "recording": job.pk,
        },
    }


def to_merangin(officer, *, due):
    return workflow.create_directive(
        actor=officer,
        title="Percepatan perekaman KTP-el",
        body="Selesaikan perekaman penduduk wajib KTP-el.",
        legal_basis="UU 24/2013 Pasal 63",
        due_date=due,
        scope={"regions": [MERANGIN]},
        **PSN,
    )


def aim_at_what_exists(case, ids):
    """A valid case names something that exists every other time (an even id, a code
    ending in an even digit), so that the operations get past 404. Invalid cases are
    left as generated."""
    if not case.meta.generation.mode.is_positive:
        return
    parameters = case.path_parameters or {}
    if isinstance(parameters.get("id"), int) and parameters["id"] % 2 == 0:
        segment = case.operation.path.removeprefix("/api/v1/").split("/")[0]
        parameters["id"] = ids.get(segment, parameters["id"])
    code = parameters.get("code")
    if isinstance(code, str) and code[-1:] in "02468":
        parameters["code"] = MERANGIN


@pytest.fixture
def in_this_transaction():
    """The app called as a WSGI server calls it, on this test's connection. Django's own
    handler closes a connection it finds inside a transaction at each request's start and
    end (close_old_connections), which would close the test's (PostgreSQL keeps it, SQLite
    in memory never closes); its test client unhooks it the same way."""
    hooks = (signals.request_started, signals.request_finished)
    for hook in hooks:
        hook.disconnect(close_old_connections)
    yield application
    for hook in hooks:
        hook.connect(close_old_connections)


@pytest.mark.parametrize("caller", ["officer", "regent"])
def test_every_operation_answers_as_its_schema_says(merangin, caller, in_this_transaction):
    headers = {"Authorization": token_header(merangin[caller])}
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/schema/", in_this_transaction, config=CONFIG, headers=headers
    )
    load_all_checks()
    feedback = FeedbackSources(constants_value_source=make_constants_value_source(schema))
    calls, failures = [], []

    def call_and_validate(case):
        aim_at_what_exists(case, merangin["ids"])
        cache.clear()  # the throttle's counters: this run is far over a user's hourly budget
        calls.append(case.operation.label)
        case.call_and_validate(headers=headers)  # checks: all of schemathesis' defaults

    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        test = build_operation_test(
            config=schema.config,
            operation=operation,
            test_func=call_and_validate,
            given_kwargs={},
            feedback=feedback,
            explicit_settings=SETTINGS,
        )
        try:
            test()
        except (Exception, FailureGroup) as failure:  # each operation's, reported together
            failures.append(f"{operation.label}: {failure}")

    assert len(operations) >= 42  # tests/compliance/test_api_schema.py: the contract's
    assert len(set(calls)) == len(operations)
    assert not failures, f"{len(failures)} of {len(operations)} operations fail:\n\n" + (
        "\n\n".join(failures)
    )
