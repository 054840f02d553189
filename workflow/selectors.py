"""Reads for the API and the pages: directives with their assignment counts, assignments
with filters, extension requests, an assignment's timeline and the written-warning
letters, always within the caller's
jurisdiction and in a constant number of queries whatever the number of rows."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from compliance import compiled
from compliance.errors import NotFound
from compliance.models import Office, Scope, TimeZone
from compliance.offices import active_offices
from compliance.permissions import coverage

from .authority import covered_assignments
from .kept import kept, scope_of
from .messages import Message
from .models import (
    ESCALATION_STOPPED,
    Assignment,
    AssignmentEvent,
    AssignmentState,
    Directive,
    EscalationPolicy,
    EscalationStep,
    ExtensionRequest,
    ExtensionStatus,
    Letter,
    Notification,
    StepEvent,
)
from .services import offices_acted_for, visible_assignments

ZONE_LABELS = {zone.value: zone.name for zone in TimeZone}  # Asia/Jakarta: WIB, ...


def overdue_q(now: dt.datetime) -> Q:
    """Overdue is a fact about time: past the due instant and still in the recipient's hands."""
    return Q(due_at__lt=now) & ~Q(state__in=ESCALATION_STOPPED)


# --- directives ---------------------------------------------------------------------


def visible_directives(user: User | AnonymousUser) -> QuerySet[Directive]:
    """Everything for national offices (ministry, auditors); for regional offices, the
    directives with at least one assignment in their jurisdiction and those they issued
    (a governor's provincial directive, also while it is a draft)."""
    directives = Directive.objects.all()
    offices = active_offices(user)
    if not any(o.scope == Scope.NATIONAL for o in offices):
        directives = directives.filter(
            Q(pk__in=visible_assignments(user).values("directive_id"))
            | Q(issuing_office__in=[o.pk for o in offices])
        )
    return directives


def directives_for(user: User | AnonymousUser, *, state: str | None = None) -> QuerySet[Directive]:
    directives = visible_directives(user).select_related(
        "issuing_office", "policy", "scope_province"
    )
    if state:
        directives = directives.filter(state=state)
    return directives.order_by("-created_at", "-id")


def get_visible_directive(user: User | AnonymousUser, pk: int) -> Directive:
    try:
        return directives_for(user).get(pk=pk)
    except Directive.DoesNotExist:
        raise NotFound(Message("directive_not_found", pk=pk)) from None


def _empty_counts(steps: list[EscalationStep]) -> dict[str, Any]:
    return {
        "total": 0,
        "by_state": dict.fromkeys(AssignmentState.values, 0),
        "overdue": 0,
        "levels": {0: 0} | {s.order: 0 for s in steps},
    }


def describe_directives(
    directives: Iterable[Directive], user: User | AnonymousUser, *, now: dt.datetime | None = None
) -> list[Directive]:
    """Attach `assignment_counts` to each directive: by state, overdue and by escalation
    level, over the assignments the user's jurisdiction covers. Three queries in all (the
    user's offices, the policies' steps, one grouped aggregate)."""
    directives = list(directives)
    if not directives:
        return directives
    now = now or timezone.now()
    asked = tuple((d.pk, d.policy_id) for d in directives)
    # Kept per page of directives, reader's scope and data version (workflow.kept): the
    # aggregate reads every assignment of the page's directives.
    counts = kept(
        "directive-counts",
        (asked, scope_of(active_offices(user))),
        lambda: _assignment_counts(asked, user, now),
        now=now,
    )
    for d in directives:
        d.assignment_counts = counts[d.pk]  # type: ignore[attr-defined]
    return directives


def _assignment_counts(
    asked: tuple[tuple[int, int | None], ...], user: User | AnonymousUser, now: dt.datetime
) -> dict[int, dict]:
    """{directive id: its counts} for (directive id, policy id) pairs."""
    steps_by_policy: defaultdict[int | None, list[EscalationStep]] = defaultdict(list)
    policies = {policy for _, policy in asked}
    for step in EscalationStep.objects.filter(policy_id__in=policies).order_by("order"):
        steps_by_policy[step.policy_id].append(step)
    counts = {pk: _empty_counts(steps_by_policy[policy]) for pk, policy in asked}
    rows = (
        visible_assignments(user)
        .filter(directive_id__in=counts)
        .order_by()
        .values("directive_id", "state", "escalation_level")
        .annotate(n=Count("id"), overdue=Count("id", filter=overdue_q(now)))
    )
    for row in rows:
        c = counts[row["directive_id"]]
        c["total"] += row["n"]
        c["by_state"][row["state"]] += row["n"]
        c["overdue"] += row["overdue"]
        level = row["escalation_level"]
        c["levels"][level] = c["levels"].get(level, 0) + row["n"]
    for pk, policy in asked:
        c = counts[pk]
        slugs = {s.order: s.slug for s in steps_by_policy[policy]}
        c["by_escalation_level"] = [
            {"level": level, "step": slugs.get(level), "count": n}
            for level, n in sorted(c.pop("levels").items())
        ]
    return counts


# --- assignments --------------------------------------------------------------------


def assignments_for(
    user: User | AnonymousUser,
    *,
    directive: int | None = None,
    state: str | None = None,
    overdue: bool | None = None,
    province: str | None = None,
    mine: bool = False,
    now: dt.datetime | None = None,
) -> QuerySet[Assignment]:
    """The assignments the user's jurisdiction covers (with `mine`, only those addressed
    to an office the user acts for: his own work, not all he watches), soonest deadline
    first, each with `is_overdue` annotated (computed at `now`)."""
    now = now or timezone.now()
    assignments = visible_assignments(user)
    if mine:
        assignments = assignments.filter(office__in=offices_acted_for(user))
    if directive is not None:
        assignments = assignments.filter(directive_id=directive)
    if state:
        assignments = assignments.filter(state=state)
    if overdue is not None:
        assignments = assignments.filter(overdue_q(now) if overdue else ~overdue_q(now))
    if province:
        assignments = assignments.filter(province__code=province)
    return _with_details(assignments, now)


def _with_details(assignments: QuerySet[Assignment], now: dt.datetime) -> QuerySet[Assignment]:
    late = ExpressionWrapper(overdue_q(now), output_field=BooleanField())
    related = assignments.select_related("directive", "office", "province", "regency", "next_step")
    return related.annotate(is_overdue=late).order_by("due_at", "id")


def get_visible_assignment(
    user: User | AnonymousUser, pk: int, *, now: dt.datetime | None = None
) -> Assignment:
    """assignments_for(user, now=now).get(pk=pk), compiled once per jurisdiction's shape
    (compliance.compiled); NotFound outside the user's jurisdiction."""
    cover = coverage(user)

    def build(pk: int, now: dt.datetime, *ids: int) -> QuerySet[Assignment]:
        return _with_details(covered_assignments(cover, ids), now).filter(pk=pk)

    key = ("workflow.selectors.get_visible_assignment", cover.shape)
    found = compiled.read(key, build, int(pk), now or timezone.now(), *cover.ids)
    if not found:
        raise NotFound(Message("assignment_not_found", pk=pk))
    return found[0]


def page_values(
    user: User | AnonymousUser,
    ids: Sequence[int],
    fields: tuple[str, ...],
    *,
    now: dt.datetime | None = None,
) -> dict[int, dict[str, Any]]:
    """{pk: its `fields`} for the assignments `ids` (a list's page, its rows already
    chosen) that the user's jurisdiction covers, with `is_overdue` at `now`; compiled once
    per jurisdiction's shape, fields and number of ids (padded: compliance.compiled)."""
    cover = coverage(user)
    pks = compiled.padded(ids)
    if not pks:
        return {}

    def build(now: dt.datetime, *values: int) -> QuerySet[Assignment, dict[str, Any]]:
        covered = covered_assignments(cover, values[: len(cover.ids)])
        chosen = covered.filter(pk__in=values[len(cover.ids) :])
        return _with_details(chosen, now).values(*fields)

    key = ("workflow.selectors.page_values", cover.shape, fields, len(pks))
    rows = compiled.read(key, build, now or timezone.now(), *cover.ids, *pks)
    return {row["pk"]: row for row in rows}


def zone_label(assignment: Assignment) -> str:
    return ZONE_LABELS[assignment.province.time_zone]


# --- extension requests ---------------------------------------------------------------


def extension_requests_for(
    user: User | AnonymousUser, *, status: str | None = None
) -> QuerySet[ExtensionRequest]:
    """Extension requests of the assignments the user's jurisdiction covers, newest first."""
    requests = ExtensionRequest.objects.filter(
        assignment__in=visible_assignments(user)
    ).select_related(
        "assignment__directive",
        "assignment__office",
        "requested_by",
        "requested_office",
        "decided_by",
        "decided_office",
    )
    if status:
        requests = requests.filter(status=status)
    return requests.order_by("-requested_at", "-id")


def get_visible_extension_request(user: User | AnonymousUser, pk: int) -> ExtensionRequest:
    try:
        return extension_requests_for(user).get(pk=pk)
    except ExtensionRequest.DoesNotExist:
        raise NotFound(Message("extension_request_not_found", pk=pk)) from None


# --- letters ----------------------------------------------------------------------------


def _letters() -> QuerySet[Letter]:
    return Letter.objects.select_related(
        "step_event__step",
        "step_event__assignment__directive",
        "step_event__assignment__regency",
        "signatory_office",
        "addressee_office",
    ).order_by("-date", "-id")


def letters_for(user: User | AnonymousUser) -> QuerySet[Letter]:
    """The formal letters addressed to the offices the user acts for."""
    return visible_letters(user, received=True)


def letters_signed_for(user: User | AnonymousUser) -> QuerySet[Letter]:
    """The letters issued in the name of an office the user acts for: a governor's (GWPP)
    written warnings to the regents and mayors of his province."""
    return visible_letters(user, signed=True)


def visible_letters(
    user: User | AnonymousUser,
    *,
    received: bool = False,
    signed: bool = False,
    year: int | None = None,
) -> QuerySet[Letter]:
    """The letters within the user's jurisdiction, newest first; `received` narrows them
    to those addressed to an office the user acts for, `signed` to those issued in the
    name of one, `year` to the letters numbered in that year."""
    letters = _letters()
    if received:
        letters = letters.filter(step_event__assignment__office__in=offices_acted_for(user))
    if signed:
        letters = letters.filter(signatory_office__in=offices_acted_for(user))
    if not (received or signed):  # both lie within the jurisdiction already
        letters = letters.filter(step_event__assignment__in=visible_assignments(user))
    if year is not None:
        letters = letters.filter(year=year)
    return letters


def get_visible_letter(user: User | AnonymousUser, pk: int) -> Letter:
    """A letter the user received or that went out in his office's name; any other letter
    within the user's jurisdiction too (the ministry, the auditor, a governor watching)."""
    try:
        return visible_letters(user).get(pk=pk)
    except Letter.DoesNotExist:
        raise NotFound(Message("letter_not_found", pk=pk)) from None


# --- timeline -------------------------------------------------------------------------

# When entries share an instant: a step, the notices (its own, or the issue notice), then
# what the recipient did (a regent acknowledging in the minute of issue answers the notice).
_KIND_ORDER = {"step": 0, "notification": 1, "state_change": 2}


def _entry(
    kind: str, at: dt.datetime, item: AssignmentEvent | StepEvent | Notification
) -> dict[str, Any]:
    return {"kind": kind, "at": at, **dict.fromkeys(_KIND_ORDER), kind: item}


def timeline(assignment: Assignment) -> list[dict[str, Any]]:
    """State changes, escalation steps and notifications of one assignment, in time order
    (three queries). A step is placed at its planned instant, and the notifications it
    wrote with it, so that a sweep run late (`escalate --at`) still reads in order."""
    events = assignment.events.select_related("actor", "office").order_by("at", "id")
    steps = StepEvent.objects.filter(assignment=assignment).select_related("step")
    steps = steps.order_by("planned_at", "id")
    notices = assignment.notifications.order_by("created_at", "id")
    entries = [_entry("state_change", e.at, e) for e in events]
    step_at: dict[str, dt.datetime] = {}
    for s in steps:
        step_at[s.step.slug] = s.planned_at
        entries.append(_entry("step", s.planned_at, s))
    for n in notices:
        entries.append(_entry("notification", step_at.get(n.context.get("step"), n.created_at), n))
    entries.sort(key=lambda e: (e["at"], _KIND_ORDER[e["kind"]]))  # stable: ids stay in order
    return entries


# --- what the console counts (pages.console) ----------------------------------------


def overdue_by_level(
    user: User | AnonymousUser, *, now: dt.datetime | None = None
) -> list[dict[str, Any]]:
    """[{policy, level, step, count}] of the overdue assignments the user sees, the policy's
    and the step's names in the reader's language (EnglishName.display_name)."""
    counted = (
        assignments_for(user, overdue=True, now=now)
        .order_by()
        .values("directive__policy_id", "escalation_level")
        .annotate(n=Count("id"))
        .order_by("directive__policy__name", "escalation_level")
    )
    rows = list(counted)
    policy_ids = {r["directive__policy_id"] for r in rows}
    policies = EscalationPolicy.objects.in_bulk(policy_ids)
    steps = {
        (s.policy_id, s.order): s.display_name
        for s in EscalationStep.objects.filter(policy_id__in=policy_ids)
    }
    return [
        {
            "policy": policies[r["directive__policy_id"]].display_name,
            "level": r["escalation_level"],
            "step": steps.get((r["directive__policy_id"], r["escalation_level"]), ""),
            "count": r["n"],
        }
        for r in rows
    ]


def escalations_by_month(
    user: User | AnonymousUser, *, year: int | None = None
) -> list[tuple[dt.date, dict[int, int]]]:
    """[(month, {level: n})]: escalation steps fired per month (in the server's zone), by
    the level each step raised its assignment to, over the assignments the user sees."""
    events = StepEvent.objects.filter(skipped=False, assignment__in=visible_assignments(user))
    if year:
        events = events.filter(planned_at__year=year)
    rows = (
        events.annotate(month=TruncMonth("planned_at"))
        .order_by()
        .values("month", "step__order")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    months: defaultdict[dt.date, dict[int, int]] = defaultdict(dict)
    for row in rows:
        months[row["month"].date()][row["step__order"]] = row["n"]
    return sorted(months.items())


def pending_extensions(
    user: User | AnonymousUser, issued_by: Iterable[Office] | None = None
) -> QuerySet[ExtensionRequest]:
    """Pending extension requests in the user's jurisdiction (only under directives
    `issued_by` these offices, when given)."""
    pending = extension_requests_for(user, status=ExtensionStatus.PENDING)
    if issued_by is not None:
        pending = pending.filter(assignment__directive__issuing_office__in=issued_by)
    return pending


def step_letters(assignments: Iterable[Assignment]) -> list[Letter]:
    """The letters of these assignments' escalation steps, oldest first."""
    return list(
        Letter.objects.filter(step_event__assignment__in=assignments)
        .select_related("signatory_office", "addressee_office", "step_event__step")
        .order_by("date", "id")
    )
