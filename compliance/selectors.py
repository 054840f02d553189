"""Compliance's reads, for the API, the pages and the other apps: downtime per regency,
province and country computed in the database; regencies with their case, suspension,
downtime and the actions open to the caller, in a constant number of queries whatever
their number; suspension requests, evidence and the transition log the caller may see."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta
from typing import Any, Literal, overload

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import compiled
from .availability import available_transitions
from .errors import NotFound
from .messages import Message
from .models import (
    AccessOrderState,
    ComplianceCase,
    ComplianceState,
    EvidenceDocument,
    Province,
    Regency,
    Remediation,
    RemediationStatus,
    RequestStatus,
    SuspensionPeriod,
    SuspensionRequest,
    TransitionLog,
    Violation,
)
from .offices import active_offices
from .permissions import coverage, get_visible_regency, possible_actions, visible_regencies
from .summary import residents_affected

DAY = timedelta(days=1)


def _downtime(periods: QuerySet[SuspensionPeriod], now: dt.datetime) -> QuerySet[SuspensionPeriod]:
    length = ExpressionWrapper(
        Coalesce(F("ended_at"), Value(now)) - F("started_at"), output_field=DurationField()
    )
    return periods.annotate(length=length)


@overload
def downtime_by(
    key: None,
    *,
    periods: QuerySet[SuspensionPeriod] | None = None,
    now: dt.datetime | None = None,
) -> timedelta: ...


@overload
def downtime_by(
    key: str,
    *,
    periods: QuerySet[SuspensionPeriod] | None = None,
    now: dt.datetime | None = None,
) -> dict[str, timedelta]: ...


def downtime_by(
    key: str | None,
    *,
    periods: QuerySet[SuspensionPeriod] | None = None,
    now: dt.datetime | None = None,
) -> timedelta | dict[str, timedelta]:
    """{key value: timedelta} of network downtime, summed over suspension periods.
    key: 'regency__code', 'regency__province__code' or None for the whole country."""
    now = now or timezone.now()
    periods = _downtime(periods if periods is not None else SuspensionPeriod.objects.all(), now)
    if key is None:
        return periods.aggregate(total=Sum("length"))["total"] or timedelta(0)
    rows = periods.values(key).annotate(total=Sum("length")).values_list(key, "total")
    return dict(rows)


def downtime_days(delta: timedelta) -> float:
    return round(delta / DAY, 2)


def regency_downtime(regency: Regency, now: dt.datetime | None = None) -> timedelta:
    return downtime_by(None, periods=SuspensionPeriod.objects.filter(regency=regency), now=now)


# --- what the console counts (pages.console) ----------------------------------------


def state_counts_by_province(user: User | AnonymousUser) -> list[dict[str, Any]]:
    """[{province, counts {state: n}, total}] over the user's jurisdiction, by code, in one
    query (the provinces' fields come with their counts)."""
    fields = ("province_id", "province__code", "province__name", "province__time_zone")
    rows = visible_regencies(user).order_by().values(*fields, "state").annotate(n=Count("id"))
    counts: defaultdict[int, dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(ComplianceState.values, 0)
    )
    provinces: dict[int, Province] = {}
    for row in rows:
        pk, code, name, zone = (row[f] for f in fields)
        provinces.setdefault(pk, Province(pk=pk, code=code, name=name, time_zone=zone))
        counts[pk][row["state"]] = row["n"]
    return [
        {"province": p, "counts": counts[p.pk], "total": sum(counts[p.pk].values())}
        for p in sorted(provinces.values(), key=lambda p: p.code)
    ]


# --- regencies, requests, evidence and the log, as the caller may see them -----------

_REQUEST_RELATIONS = (
    "regency",
    "requested_by",
    "requested_office",
    "decided_by",
    "decided_office",
    "period",
)


def _current() -> dict[str, FilteredRelation]:
    """The rows with_situations() joins to each regency: each is unique per regency (the
    models' partial unique constraints), so the join repeats no regency. (New objects each
    time: a query keeps and changes the ones it is given.)"""
    return {
        "current_case": FilteredRelation("cases", condition=Q(cases__closed_at__isnull=True)),
        "current_suspension": FilteredRelation(
            "suspension_periods", condition=Q(suspension_periods__ended_at__isnull=True)
        ),
        "current_order": FilteredRelation(
            "access_orders", condition=Q(access_orders__state=AccessOrderState.ISSUED)
        ),
        "current_request": FilteredRelation(
            "suspension_requests",
            condition=Q(suspension_requests__status=RequestStatus.PENDING),
        ),
    }


def with_situations(
    regencies: QuerySet[Regency], now: dt.datetime | None = None
) -> QuerySet[Regency]:
    """The regencies with what describe() reads of each in the same query: the open case,
    open suspension, issued order and pending suspension request joined (`current_*`,
    absent when none) and the summed downtime (`downtime_total`, None without periods).
    The pending request's five relations are read apart, for the regencies that have one:
    more joins made PostgreSQL's planner slower than a query."""
    periods = SuspensionPeriod.objects.filter(regency=OuterRef("pk")).order_by()
    summed = _downtime(periods, now or timezone.now()).values("regency")
    total = summed.annotate(total=Sum("length")).values("total")
    joined = _current()
    return regencies.annotate(**joined, downtime_total=Subquery(total)).select_related(*joined)


def visible_with_situation(user: User | AnonymousUser, code: str) -> Regency:
    """permissions.get_visible_regency() with the regency's situation read in the same
    query (with_situations()), and whether it ever had a case (`has_cases`: most never
    did, and case_file.latest_case() then looks for none), compiled once per shape of the
    user's jurisdiction (compliance.compiled); its NotFound when the user may not see it."""
    cover = coverage(user)

    def build(code: str, now: dt.datetime, *ids: int) -> QuerySet[Regency]:
        cases = ComplianceCase.objects.filter(regency=OuterRef("pk"))
        visible = cover.regencies(ids).select_related("province")
        return with_situations(visible, now).annotate(has_cases=Exists(cases)).filter(code=code)

    key = ("compliance.selectors.visible_with_situation", cover.shape)
    found = compiled.read(key, build, code, timezone.now(), *cover.ids)
    if not found:
        return get_visible_regency(user, code)  # raises its NotFound
    return found[0]


def _situations(regencies: list[Regency], now: dt.datetime) -> dict[int, Any]:
    """{pk: regency read by with_situations()}: the given ones if they were, else read."""
    found = {r.pk: r for r in regencies if "downtime_total" in r.__dict__}
    missing = [r.pk for r in regencies if r.pk not in found]
    if missing:
        read = with_situations(Regency.objects.filter(pk__in=missing), now).order_by()
        found.update((r.pk, r) for r in read)
    return found


def _pending_requests(ids: list[int]) -> dict[int, SuspensionRequest]:
    """{regency pk: its pending suspension request} (at most one each)."""
    padded = compiled.padded(ids)
    key = ("compliance.selectors.pending_requests", len(padded))
    return {q.regency_id: q for q in compiled.read(key, _pending, *padded)}


def _pending(*ids: int) -> QuerySet[SuspensionRequest]:
    pending = SuspensionRequest.objects.filter(regency_id__in=ids, status=RequestStatus.PENDING)
    relations = [name for name in _REQUEST_RELATIONS if name != "regency"]  # describe() sets it
    return pending.select_related(*relations).order_by()


def regencies_for(
    user: User | AnonymousUser, *, province: str | None = None, state: str | None = None
) -> QuerySet[Regency]:
    """The regencies the user's jurisdiction covers, optionally of one province or state."""
    return _filtered(visible_regencies(user), province=province, state=state)


def _filtered(
    regencies: QuerySet[Regency], *, province: str | None = None, state: str | None = None
) -> QuerySet[Regency]:
    regencies = regencies.select_related("province")
    if province:
        regencies = regencies.filter(province__code=province)
    if state:
        regencies = regencies.filter(state=state)
    return regencies.order_by("code")


def situations_page(
    user: User | AnonymousUser,
    bottom: int,
    top: int,
    *,
    province: str | None = None,
    state: str | None = None,
    now: dt.datetime | None = None,
) -> list[Regency]:
    """Rows `bottom` to `top` of regencies_for(user, province, state), read with their
    situations (with_situations()): a list's page, compiled once per shape of the user's
    jurisdiction, filters given and page (compliance.compiled: the ORM took longer to
    build and compile this query than PostgreSQL to run it)."""
    cover = coverage(user)
    given = {"province": province, "state": state}
    names = tuple(name for name, value in given.items() if value)

    def build(now: dt.datetime, *values: Any) -> QuerySet[Regency]:
        filters = dict(zip(names, values, strict=False))
        regencies = _filtered(cover.regencies(values[len(names) :]), **filters)
        return with_situations(regencies, now)[bottom:top]

    key = ("compliance.selectors.situations_page", cover.shape, names, bottom, top)
    filters = [given[name] for name in names]
    return compiled.read(key, build, now or timezone.now(), *filters, *cover.ids)


def describe(
    given: Iterable[Regency], user: User | AnonymousUser, *, now: dt.datetime | None = None
) -> list[Regency]:
    """Attach open_case, open_suspension, pending_suspension_request, issued_order,
    downtime_days, residents_affected and available_transitions to each regency, in four
    queries at most whatever their number: their situations (none for regencies read with
    with_situations(), whose `now` then counts the downtime), the pending requests with
    their relations (none when no regency has one), the residents (one more query when no
    figures are stored: compliance.summary), and the open cases' open violations (when
    there are open cases); one more when the user's offices are not read yet in this
    request.

    residents_affected: the regency's obliged population (wajib KTP-el) at each district's
    latest recording report, whatever its date; None without reports. Read from the
    realisation read model (compliance.summary) when it is stored."""
    # Any: the attributes attached here are the page's and the API's, not the model's
    regencies: list[Any] = list(given)
    if not regencies:
        return regencies
    now = now or timezone.now()
    found = _situations(regencies, now)
    # Most regencies have no pending request: its relations are read for those that do.
    pending = _pending_requests([pk for pk, row in found.items() if _has_pending(row)])
    residents = residents_affected(regencies, timezone.localdate(now))
    offices = active_offices(user)
    actions = possible_actions(offices)
    cases = [c for r in found.values() if (c := getattr(r, "current_case", None))]
    open_violations = Violation.objects.filter(remediated_at__isnull=True)
    prefetch_related_objects(
        cases, Prefetch("violations", queryset=open_violations, to_attr="open_violations")
    )
    for r in regencies:
        row = found[r.pk]
        r.open_case = _of(r, getattr(row, "current_case", None))
        r.open_suspension = _of(r, getattr(row, "current_suspension", None))
        r.pending_suspension_request = _of(r, pending.get(r.pk))
        r.issued_order = _of(r, getattr(row, "current_order", None))
        r.downtime_days = downtime_days(row.downtime_total or timedelta(0))
        r.residents_affected = residents.get(r.pk)
        r.available_transitions = available_transitions(
            user,
            r,
            offices=offices,
            has_open_suspension=r.open_suspension is not None,
            pending_request=r.pending_suspension_request,
            issued_order=r.issued_order,
            actions=actions,
        )
    return regencies


def _has_pending(row: Any) -> bool:
    return getattr(row, "current_request", None) is not None


def _of(regency: Regency, row: Any) -> Any:
    """The row (or None), pointing to the given regency instance: no query reads it."""
    if row is not None:
        row.regency = regency
    return row


def suspension_requests_for(
    user: User | AnonymousUser, *, status: str | None = None
) -> QuerySet[SuspensionRequest]:
    """The suspension requests of the regencies the user's jurisdiction covers, newest first."""
    requests = SuspensionRequest.objects.filter(regency__in=visible_regencies(user))
    if status:
        requests = requests.filter(status=status)
    return requests.select_related(*_REQUEST_RELATIONS).order_by("-requested_at", "-id")


def get_visible_suspension_request(user: User | AnonymousUser, pk: int | str) -> SuspensionRequest:
    try:
        return suspension_requests_for(user).get(pk=pk)
    except SuspensionRequest.DoesNotExist:
        raise NotFound(Message("suspension_request_not_found", pk=pk)) from None


def get_visible_evidence(user: User | AnonymousUser, pk: int | str) -> EvidenceDocument:
    try:
        return EvidenceDocument.objects.filter(regency__in=visible_regencies(user)).get(pk=pk)
    except EvidenceDocument.DoesNotExist:
        raise NotFound(Message("evidence_not_found", pk=pk)) from None


def history(regency: Regency) -> QuerySet[TransitionLog]:
    """The regency's transition log, oldest first."""
    logs = TransitionLog.objects.filter(regency=regency).select_related("actor", "office")
    return logs.order_by("at", "id")


def downtime_report(
    user: User | AnonymousUser,
    level: Literal["regency", "province", "country"],
    *,
    now: dt.datetime | None = None,
) -> list[dict[str, Any]]:
    """[{code, name, downtime_days}] per regency, province or the whole country, over the
    regencies the user's jurisdiction covers, summed in the database."""
    periods = SuspensionPeriod.objects.filter(regency__in=visible_regencies(user))
    if level == "country":
        total = downtime_by(None, periods=periods, now=now)
        return [{"code": None, "name": "Indonesia", "downtime_days": downtime_days(total)}]
    key, model = {
        "regency": ("regency__code", Regency),
        "province": ("regency__province__code", Province),
    }[level]
    totals = downtime_by(key, periods=periods, now=now)
    names = dict(model.objects.filter(code__in=totals).values_list("code", "name"))
    return [
        {"code": code, "name": names[code], "downtime_days": downtime_days(totals[code])}
        for code in sorted(totals)
    ]


def awaiting_reconnection(user: User | AnonymousUser) -> QuerySet[Regency]:
    """Remediated regencies whose network is still cut: a director's to reconnect (at most
    one open period per regency, so the join repeats none). Once he has ordered the
    restoration, the regency waits for the network operators (pages.access), not for him."""
    return (
        regencies_for(user, state=ComplianceState.REMEDIATED)
        .filter(suspension_periods__ended_at__isnull=True)
        .exclude(access_orders__state=AccessOrderState.ISSUED)
    )


def describe_reconnections(
    regencies: Iterable[Regency], user: User | AnonymousUser, *, now: dt.datetime | None = None
) -> list[Regency]:
    """describe() plus the remediation waiting (`pending_remediation`) of each."""
    described: list[Any] = describe(regencies, user, now=now)
    cases = [r.open_case.pk for r in described if r.open_case]
    submitted = (
        Remediation.objects.filter(case_id__in=cases, status=RemediationStatus.SUBMITTED)
        .select_related("submitted_by", "submitted_office")
        .order_by("case_id", "-submitted_at")
    )
    latest: dict[int, Remediation] = {}
    for remediation in submitted:
        latest.setdefault(remediation.case_id, remediation)
    for r in described:
        r.pending_remediation = latest.get(r.open_case.pk) if r.open_case else None
    return described
