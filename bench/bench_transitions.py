"""Compliance transitions with their audit rows per second, against a plain row update.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/bench_transitions.py [--transitions 2000] [--regencies 100]

(a) transitions with their audit rows, through the services' own transition path
    (compliance.services._locked and _run_transition): the row lock (with what the
    lifecycle's conditions read), the django-fsm transition, the UPDATE that carries
    ConcurrentTransitionMixin's state check, the TransitionLog row and the signal on
    commit; submit_remediation and reject_remediation in turn, one transaction each;
(b) the baseline: select_for_update() and .update(state=...) of the same rows, one
    transaction each, the same number of times;
(c) for information, the full use cases: services.submit_remediation and
    reject_remediation, which add who may act, the rule checks and the remediation
    records (statements, evidence, violations) to (a).
The verdict is (a)/(b) against the issue's target of 0.5x ("transitions with their
audit rows"); the exit code is 1 below it. (c)/(b) is printed beside it.

Transition log rows cannot be deleted (by design), so the benchmark runs in a
dedicated database on the server DATABASE_URL names (default `bench_ektp`, created
and migrated when missing). See bench/README.md.
"""

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import bench_database_url, setup_django

ROOT = Path(__file__).resolve().parents[1]
TARGET_RATIO = 0.5


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--transitions", type=int, default=2000, help="per measurement")
    parser.add_argument("--regencies", type=int, default=100, help="rows the work is spread over")
    parser.add_argument(
        "--repeat", type=int, default=3, help="measurements of each; the median counts"
    )
    parser.add_argument("--database", default="bench_ektp", help="dedicated database to use")
    return parser.parse_args()


def prepare(count):
    """`count` regencies, each flagged with one open violation and one evidence document,
    and the people who act on them. Re-entrant: a previous run leaves them flagged."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from compliance import services
    from compliance.models import ComplianceState, EvidenceDocument, Regency
    from compliance.offices import appoint_official

    S = ComplianceState
    officer, _, _ = appoint_official(
        username="bench-officer", kind="ministry_officer", email="bench-officer@bench.example"
    )
    work = []
    for regency in Regency.objects.select_related("province").order_by("code")[:count]:
        head = "mayor" if regency.kind == "kota" else "regent"
        user = f"bench-{head}-{regency.code}"
        regent, _, _ = appoint_official(
            username=user, kind=head, region_code=regency.code, email=f"{user}@bench.example"
        )
        if regency.state == S.REMEDIATED:
            services.reject_remediation(regency=regency, actor=officer, reason="bench reset")
        elif regency.state != S.FLAGGED:
            if regency.state != S.COMPLIANT:
                sys.exit(f"{regency.code} is {regency.state}: use a dedicated, fresh --database")
            services.flag_regency(
                regency=regency,
                actor=officer,
                kind="hr",
                description="bench",
                legal_basis="UU 24/2013 Pasal 83A",
            )
        regency.refresh_from_db()
        document = EvidenceDocument.objects.filter(regency=regency, description="bench").first()
        if document is None:
            document = services.upload_evidence(
                regency=regency,
                actor=regent,
                file=SimpleUploadedFile("bench.pdf", b"%PDF-1.4\n%%EOF\n"),
                description="bench",
            )
        violation = regency.cases.get(closed_at__isnull=True).violations.get(remediated_at=None)
        statements = [{"violation": violation.pk, "statement": "bench", "evidence": [document.pk]}]
        work.append((regency, regent, statements))
    return officer, work


def run_services(officer, work, transitions):
    """submit_remediation then reject_remediation on each regency, `transitions` calls."""
    from compliance import services

    done = 0
    while done < transitions:
        batch = work[: min(len(work), (transitions - done) // 2)]
        for regency, regent, statements in batch:
            services.submit_remediation(regency=regency, actor=regent, statements=statements)
        for regency, _, _ in batch:
            services.reject_remediation(regency=regency, actor=officer, reason="bench")
        done += 2 * len(batch)
    return done


def run_baseline(work, transitions):
    """The same state flips as plain locked updates, one transaction each."""
    from django.db import transaction

    from compliance.models import Regency

    def flip(pk, state):
        with transaction.atomic():
            Regency.objects.select_for_update().get(pk=pk)
            Regency.objects.filter(pk=pk).update(state=state)

    done = 0
    while done < transitions:
        batch = work[: min(len(work), (transitions - done) // 2)]
        for regency, _, _ in batch:
            flip(regency.pk, "remediated")
        for regency, _, _ in batch:
            flip(regency.pk, "flagged")
        done += 2 * len(batch)
    return done


def run_transitions(officer, work, transitions):
    """The services' transition path with its log row, no use-case checks or records."""
    from django.db import transaction

    from compliance import services

    office = officer.office_holdings.select_related("office").first().office

    def step(regency, name):
        with transaction.atomic():
            services._run_transition(
                services._locked(regency), name, actor=officer, office=office, reason="bench"
            )

    done = 0
    while done < transitions:
        batch = work[: min(len(work), (transitions - done) // 2)]
        for regency, _, _ in batch:
            step(regency, "submit_remediation")
        for regency, _, _ in batch:
            step(regency, "reject_remediation")
        done += 2 * len(batch)
    return done


def timed(fn, *args):
    start = time.perf_counter()
    count = fn(*args)
    return count / (time.perf_counter() - start)


def main():
    args = parse_args()
    if args.transitions < 2 or args.regencies < 1:
        sys.exit("--transitions must be at least 2 and --regencies at least 1")
    private_root = Path(tempfile.mkdtemp(prefix="bench-evidence-"))
    try:
        setup_django(
            bench_database_url(args.database, "bench_transitions"),
            PRIVATE_MEDIA_ROOT=private_root,
        )
        from django.db import connection

        officer, work = prepare(args.regencies)
        transitions = args.transitions - args.transitions % 2
        run_services(officer, work, min(transitions, 2 * len(work)))  # warm up
        run_baseline(work, min(transitions, 2 * len(work)))
        transition_rates, baseline_rates, services_rates = [], [], []
        for _ in range(args.repeat):  # interleaved, so all see the same machine
            baseline_rates.append(timed(run_baseline, work, transitions))
            transition_rates.append(timed(run_transitions, officer, work, transitions))
            services_rates.append(timed(run_services, officer, work, transitions))
        transition_rate = statistics.median(transition_rates)
        baseline_rate = statistics.median(baseline_rates)
        service_rate = statistics.median(services_rates)
        ratio = transition_rate / baseline_rate
        server = connection.cursor().connection.info.server_version
        print(
            f"PostgreSQL {server // 10000}.{server % 10000}, database {args.database}, "
            f"{transitions} transitions over {len(work)} regencies, median of {args.repeat}"
        )
        print(f"(a) transitions with their audit rows:     {transition_rate:9.1f} transitions/s")
        print(f"(b) select_for_update + update baseline:   {baseline_rate:9.1f} updates/s")
        print(
            f"(c) full use cases (information):          {service_rate:9.1f} transitions/s "
            f"({service_rate / baseline_rate:.2f}x the baseline)"
        )
        ratios = [round(x / y, 2) for x, y in zip(transition_rates, baseline_rates, strict=True)]
        print(f"all runs, (a)/(b): {ratios}")
        verdict = "meets" if ratio >= TARGET_RATIO else "BELOW"
        print(f"ratio (a)/(b): {ratio:.2f}x ({verdict} the target of >= {TARGET_RATIO}x)")
        return 0 if ratio >= TARGET_RATIO else 1
    finally:
        shutil.rmtree(private_root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
