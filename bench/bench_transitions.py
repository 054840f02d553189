"""Compliance transitions with their audit rows per second, and the full use cases that
submit a remediation and reconnect a regency, against a plain locked row update.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/bench_transitions.py [--transitions 2000] [--regencies 100]
        [--use-cases 400] [--broker redis://127.0.0.1:6379/0]

(a) transitions with their audit rows, through the services' own transition path
    (compliance.services._locked and _run_transition): the row lock (with what the
    lifecycle's conditions read), the django-fsm transition, the UPDATE that carries
    ConcurrentTransitionMixin's state check, the TransitionLog row, its event in the feed
    and the signal on commit; submit_remediation and reject_remediation in turn, one
    transaction each;
(b) the baseline: select_for_update() and .update(state=...) of the same rows, one
    transaction each, the same number of times;
(c) the full use cases the officials trigger, on regencies whose SIAK access is cut
    (suspended): services.submit_remediation by the regent or mayor (who may act, the
    lock, the statements checked against the open violations and the evidence, the
    remediation, its statements and evidence links, the violations marked, the
    transition with its log row, event and signal, and what workflow does on the
    signal), then services.reconnect_regency by a ministry director (who may act, the
    lock, no order pending, the lifecycle's check, the remediation accepted, the restore
    order written with its event and signal, and its e-mail notices in the outbox handed
    to Celery on commit). The regency is reconnected only when the network operators
    confirm the order:
(d) for information, services.execute_access_order by a network operator on that
    restore order (the order locked and marked executed, the `reconnect` transition
    with its log row, event and signal, the suspension period closed, notices), and
    the three together per use case (a reconnection carried out to the end).
    Between cycles, not timed, each regency is flagged again and cut off again (a new
    violation, a suspension request, its approval by another director, the cut
    confirmed), so that every cycle starts from a suspended regency.
Interleaved, the medians count. Targets: (a)/(b) >= 0.5x (issue 3, "transitions with
their audit rows") and (c)/(b) >= 0.3x (issue 18, "full use cases"); the exit code is 1
when either is not met. Notices go to Celery on a real Redis broker under a key prefix of
the benchmark's own, purged as it goes (no worker consumes them).

Transition log rows cannot be deleted (by design), so the benchmark runs in a
dedicated database on the server DATABASE_URL names (default `bench_ektp`, created
and migrated when missing). See bench/README.md.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from baselines import load_average, redis_broker, runs_line, verdict
from common import bench_database_url, setup_django

ROOT = Path(__file__).resolve().parents[1]
TARGET_RATIO = 0.5  # (a)/(b), issue 3
USE_CASE_TARGET = 0.3  # (c)/(b), issue 18


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--transitions", type=int, default=2000, help="per measurement")
    parser.add_argument("--regencies", type=int, default=100, help="rows the work is spread over")
    parser.add_argument(
        "--repeat", type=int, default=3, help="measurements of each; the median counts"
    )
    parser.add_argument("--database", default="bench_ektp", help="dedicated database to use")
    parser.add_argument(
        "--use-cases",
        type=int,
        default=400,
        help="submit_remediation and reconnect_regency calls per measurement of (c)",
    )
    parser.add_argument(
        "--broker",
        default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        help="Celery broker the notices are handed to (redis://... or memory://)",
    )
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


def cut_off_people():
    """The ministry director who approves cuts and orders reconnections, and the network
    operator who confirms the orders."""
    from compliance.offices import appoint_official

    director, _, _ = appoint_official(
        username="bench-director", kind="ministry_director", email="bench-director@bench.example"
    )
    operator, _, _ = appoint_official(
        username="bench-operator", kind="network_operator", email="bench-operator@bench.example"
    )
    return director, operator


def to_suspended(regency, officer, director, operator):
    """Bring the regency, by the use cases, to `suspended`: a violation open, its SIAK
    access cut (whatever state an earlier run, interrupted or not, left it in)."""
    from compliance import access, services
    from compliance.models import ComplianceState, RequestStatus

    S = ComplianceState
    for _ in range(8):
        regency.refresh_from_db()
        if regency.state == S.SUSPENDED:
            return
        order = access.issued_order(regency)
        if order is not None:
            services.execute_access_order(order=order, actor=operator)
        elif regency.state == S.REMEDIATED:
            services.reject_remediation(regency=regency, actor=officer, reason="bench reset")
        elif regency.state in (S.COMPLIANT, S.RECONNECTED):
            services.flag_regency(
                regency=regency,
                actor=officer,
                kind="hr",
                description="bench",
                legal_basis="UU 24/2013 Pasal 83A",
            )
        elif regency.state == S.FLAGGED:
            pending = regency.suspension_requests.filter(status=RequestStatus.PENDING).first()
            request = pending or services.request_suspension(
                regency=regency, actor=officer, reason="bench"
            )
            services.approve_suspension(request=request, actor=director, reason="bench")
        else:
            break
    sys.exit(f"{regency.code} is {regency.state}: use a dedicated, fresh --database")


def prepare_suspended(count, officer, director, operator):
    """`count` regencies after the ones of (a) and (b), each suspended with one evidence
    document, and their regents or mayors. Re-entrant."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from compliance import services
    from compliance.models import EvidenceDocument, Regency
    from compliance.offices import appoint_official

    work = []
    for regency in Regency.objects.select_related("province").order_by("code")[count : 2 * count]:
        head = "mayor" if regency.kind == "kota" else "regent"
        user = f"bench-{head}-{regency.code}"
        regent, _, _ = appoint_official(
            username=user, kind=head, region_code=regency.code, email=f"{user}@bench.example"
        )
        to_suspended(regency, officer, director, operator)
        document = EvidenceDocument.objects.filter(regency=regency, description="bench").first()
        if document is None:
            document = services.upload_evidence(
                regency=regency,
                actor=regent,
                file=SimpleUploadedFile("bench.pdf", b"%PDF-1.4\n%%EOF\n"),
                description="bench",
            )
        work.append((regency, regent, document))
    return work


def run_use_cases(officer, director, operator, work, count, purge):
    """submit_remediation then reconnect_regency, `count` calls in all, each followed by
    the operators' confirmation; each call timed on its own. The reset to `suspended`
    after each cycle is not timed. Returns {use case: [seconds, calls]}."""
    from compliance import services

    timings = {name: [0.0, 0] for name in ("submit", "reconnect", "execute")}

    def timed_call(name, fn, **kwargs):
        start = time.perf_counter()
        value = fn(**kwargs)
        timings[name][0] += time.perf_counter() - start
        timings[name][1] += 1
        return value

    done = 0
    while done < count:
        for regency, regent, document in work[: (count - done) // 2]:
            violations = regency.cases.get(closed_at__isnull=True).violations
            statements = [
                {"violation": pk, "statement": "bench", "evidence": [document.pk]}
                for pk in violations.filter(remediated_at=None).values_list("pk", flat=True)
            ]
            timed_call(
                "submit",
                services.submit_remediation,
                regency=regency,
                actor=regent,
                statements=statements,
            )
            order = timed_call(
                "reconnect", services.reconnect_regency, regency=regency, actor=director
            )
            timed_call("execute", services.execute_access_order, order=order, actor=operator)
            done += 2
            to_suspended(regency, officer, director, operator)
        purge()
    return timings


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
    if args.transitions < 2 or args.regencies < 1 or args.use_cases < 2:
        sys.exit("--transitions and --use-cases must be at least 2, --regencies at least 1")
    private_root = Path(tempfile.mkdtemp(prefix="bench-evidence-"))
    purge = None
    try:
        setup_django(
            bench_database_url(args.database, "bench_transitions"),
            PRIVATE_MEDIA_ROOT=private_root,
            CELERY_BROKER_URL=args.broker,
        )
        purge = redis_broker(args.broker)[2] if args.broker.startswith("redis") else lambda: 0
        from django.db import connection

        officer, work = prepare(args.regencies)
        director, operator = cut_off_people()
        cut_off = prepare_suspended(args.regencies, officer, director, operator)
        transitions = args.transitions - args.transitions % 2
        use_cases = args.use_cases - args.use_cases % 2
        # Warm up, not measured.
        run_transitions(officer, work, min(transitions, 2 * len(work)))
        run_baseline(work, min(transitions, 2 * len(work)))
        run_use_cases(officer, director, operator, cut_off, min(use_cases, 20), purge)
        transition_rates, baseline_rates, use_case_runs = [], [], []
        for _ in range(args.repeat):  # interleaved, so all see the same machine
            baseline_rates.append(timed(run_baseline, work, transitions))
            transition_rates.append(timed(run_transitions, officer, work, transitions))
            use_case_runs.append(
                run_use_cases(officer, director, operator, cut_off, use_cases, purge)
            )
        report(args, connection, transitions, len(work), use_cases, len(cut_off))
        return verdicts(transition_rates, baseline_rates, use_case_runs)
    finally:
        if purge is not None:
            purge()
        shutil.rmtree(private_root, ignore_errors=True)


def report(args, connection, transitions, regencies, use_cases, cut_off):
    server = connection.cursor().connection.info.server_version
    print(
        f"PostgreSQL {server // 10000}.{server % 10000}, database {args.database}, broker "
        f"{args.broker}; (a)/(b): {transitions} transitions over {regencies} regencies; (c): "
        f"{use_cases} use cases over {cut_off} suspended regencies; median of {args.repeat}; "
        f"{load_average()}"
    )


def verdicts(transition_rates, baseline_rates, use_case_runs):
    """Print the rates, the ratios and the verdicts; the exit code."""

    def rate(run, *names):
        return sum(run[n][1] for n in names) / sum(run[n][0] for n in names)

    median = statistics.median
    transition_rate, baseline_rate = median(transition_rates), median(baseline_rates)
    use_case_rates = [rate(run, "submit", "reconnect") for run in use_case_runs]
    use_case_rate = median(use_case_rates)
    print(f"(a) transitions with their audit rows:     {transition_rate:9.1f} transitions/s")
    print(f"(b) select_for_update + update baseline:   {baseline_rate:9.1f} updates/s")
    print(
        f"(c) full use cases submit_remediation + reconnect_regency: {use_case_rate:7.1f} "
        "use cases/s"
    )
    for name, label in (
        ("submit", "submit_remediation (regent: statements, transition)"),
        ("reconnect", "reconnect_regency (director: restore order issued)"),
        ("execute", "(d) execute_access_order (operator: reconnected)"),
    ):
        print(f"    {label:<55} {median(rate(run, name) for run in use_case_runs):7.1f}/s")
    full = median(rate(run, "submit", "reconnect", "execute") for run in use_case_runs)
    print(
        f"(d) the three together, a reconnection carried out: {full:7.1f} use cases/s "
        f"({full / baseline_rate:.2f}x (b), information)"
    )
    pairs = zip(transition_rates, baseline_rates, strict=True)
    print(runs_line("(a)/(b)", [x / y for x, y in pairs]))
    pairs = zip(use_case_rates, baseline_rates, strict=True)
    print(runs_line("(c)/(b)", [x / y for x, y in pairs]))
    met_a, text = verdict(transition_rate / baseline_rate, TARGET_RATIO, at_most=False)
    print(f"ratio (a)/(b), transitions with their audit rows: {text}")
    met_c, text = verdict(use_case_rate / baseline_rate, USE_CASE_TARGET, at_most=False)
    print(f"ratio (c)/(b), full use cases:                    {text}")
    print(f"at the end: {load_average()}")
    return 0 if met_a and met_c else 1


if __name__ == "__main__":
    sys.exit(main())
