"""What waits for the user, kind by kind (issue 15, item 2): the one place that says what
is each office's work. The menu's counts (pages.nav) and the work queue (/kerja/) both
read these, so the two always agree. Each kind is one query to list and one to count,
whatever the number of rows."""

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Max, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compliance.access import orders_for
from compliance.models import (
    AccessOrderState,
    ComplianceCase,
    ComplianceState,
    OfficeKind,
    Province,
    Remediation,
    RemediationStatus,
)
from compliance.permissions import ALLOWED_KINDS, visible_regencies
from workflow import proposals
from workflow.models import (
    ESCALATION_STOPPED,
    AssignmentState,
    ProposalState,
)
from workflow.selectors import ZONE_LABELS, assignments_for
from workflow.services import DIRECTIVE_ISSUER_KINDS

from ..common import user_offices
from ..console.queries import waiting_approval
from ..views import RECIPIENT_KINDS, REGENCY_KINDS

K = OfficeKind
# The office kinds of the menu's links (pages.context), restated here because the menu
# imports this module.
APPROVER_KINDS = {K.MINISTER, K.DIRECTOR_GENERAL, K.MINISTRY_DIRECTOR, K.GOVERNOR}
PROPOSAL_KINDS = {K.GOVERNOR, K.MINISTER, K.PROVINCIAL_DUKCAPIL_HEAD, K.DIRECTOR_GENERAL}
REVIEWER_KINDS = ALLOWED_KINDS["reject_remediation"]  # officers (and the Minister, the DG)

LIMIT = 100  # rows listed per kind; the counts count them all


# --- what waits, by kind ---------------------------------------------------------------


def open_assignments(user):
    """The assignments addressed to the user's offices that still wait for them (not
    submitted, verified or withdrawn): the inbox's work."""
    return assignments_for(user, mine=True).exclude(state__in=ESCALATION_STOPPED)


def waiting_proposals(user):
    """The written warnings waiting for the user's signature, or for his signatory's."""
    return proposals.visible_proposals(user).filter(state=ProposalState.PROPOSED)


def issued_orders(user):
    """The access orders waiting for the network operators."""
    return orders_for(user, state=AccessOrderState.ISSUED)


def approvals(user, offices):
    """The approvals queue's sections (pages.console.queries.waiting_approval), without the
    suspension requests the user made himself: another director decides those."""
    waiting = dict(waiting_approval(user, offices))
    if "suspensions" in waiting:
        waiting["suspensions"] = waiting["suspensions"].exclude(requested_by=user)
    return waiting


def approvals_count(user, offices):
    """The number of items in the approvals queue, in one query (a UNION ALL of ids)."""
    first, *rest = [qs.order_by().values_list("pk") for qs in approvals(user, offices).values()]
    return first.union(*rest, all=True).count() if rest else first.count()


def remediations_to_review(user):
    """Remediations submitted on open cases, to accept (clear) or reject."""
    return Remediation.objects.filter(
        status=RemediationStatus.SUBMITTED,
        case__closed_at__isnull=True,
        case__regency__in=visible_regencies(user),
    ).select_related("case__regency__province")


def reports_to_verify(user, offices):
    """Reports submitted under the directives the user's offices issued: his to verify or
    return."""
    return assignments_for(user, state=AssignmentState.SUBMITTED).filter(
        directive__issuing_office__in=[o.pk for o in offices]
    )


def late_orders(user, *, now=None):
    """Access orders past their execution deadline (read-only: the operators act)."""
    return issued_orders(user).filter(due_at__lt=now or timezone.now())


def open_remediations(offices):
    """The open cases of the user's regencies that wait for a remediation (flagged or
    suspended: nothing submitted yet)."""
    regencies = [o.regency_id for o in offices if o.kind in REGENCY_KINDS and o.regency_id]
    return ComplianceCase.objects.filter(
        regency_id__in=regencies,
        closed_at__isnull=True,
        regency__state__in=[ComplianceState.FLAGGED, ComplianceState.SUSPENDED],
    ).select_related("regency__province")


# --- the queue -------------------------------------------------------------------------


@dataclass
class Item:
    kind: str
    label: str
    subject: str
    url: str
    since: object
    due: object = None
    overdue: bool = False
    directive: str = ""
    pk: int = 0


# Each kind: its label, and the group (the menu link) whose count it belongs to (None: a
# group of its own, not in the menu).
KINDS = {
    "suspension": (_("Suspension request to decide"), "approvals"),
    "reconnection": (_("Remediated, awaiting reconnection"), "approvals"),
    "extension": (_("Extension request to decide"), "approvals"),
    "assignment": (_("Assignment"), "inbox"),
    "proposal": (_("Written warning to sign"), "proposals"),
    "access_order": (_("Access order to carry out"), "access_orders"),
    "remediation": (_("Remediation to review"), None),
    "report": (_("Report to verify"), None),
    "late_order": (_("Access order overdue"), None),
    "open_case": (_("Remediation of my regency"), None),
}
GROUPS = {
    "approvals": _("Approvals"),
    "inbox": _("Inbox"),
    "proposals": _("Proposed sanctions"),
    "access_orders": _("Access orders"),
    "remediation": _("Remediations to review"),
    "report": _("Reports to verify"),
    "late_order": _("Access orders overdue"),
    "open_case": _("My regency's remediation"),
}


def regency_label(r):
    return f"{r.name} ({r.code})"


class Work:
    """The user's work, by group for the kinds his offices have; the counts of the menu's
    groups are the menu's own (`counts`: this request's pages.nav.NavCounts)."""

    def __init__(self, request, counts, *, now=None):
        self.user = request.user
        self.offices = user_offices(request)
        self.kinds = {o.kind for o in self.offices}
        self.now = now or timezone.now()
        self.counts = counts  # NavCounts of this request

    def groups(self):
        """{group: (count, [listers])}: each a callable, the count of the group and the
        items of each of its kinds (one query each)."""
        user, offices, kinds, now = self.user, self.offices, self.kinds, self.now
        groups = {}
        if kinds & APPROVER_KINDS:
            waiting = approvals(user, offices)
            listers = []
            if "suspensions" in waiting:
                listers += [
                    lambda: self._suspensions(waiting["suspensions"]),
                    lambda: self._reconnections(waiting["reconnections"]),
                ]
            listers.append(lambda: self._extensions(waiting["extensions"]))
            groups["approvals"] = (lambda: self.counts.approvals, listers)
        if kinds & RECIPIENT_KINDS:
            groups["inbox"] = (lambda: self.counts.inbox, [self._assignments])
        if kinds & PROPOSAL_KINDS:
            groups["proposals"] = (lambda: self.counts.proposals, [self._proposals])
        if K.NETWORK_OPERATOR in kinds:
            groups["access_orders"] = (lambda: self.counts.access_orders, [self._orders])
        if kinds & REVIEWER_KINDS:
            qs = remediations_to_review(user)
            groups["remediation"] = (qs.count, [lambda qs=qs: self._remediations(qs)])
        if kinds & DIRECTIVE_ISSUER_KINDS:
            qs = reports_to_verify(user, offices)
            groups["report"] = (qs.count, [lambda qs=qs: self._reports(qs)])
        if K.MINISTRY_OFFICER in kinds:
            qs = late_orders(user, now=now)
            groups["late_order"] = (qs.count, [lambda qs=qs: self._late_orders(qs)])
        if kinds & REGENCY_KINDS:
            qs = open_remediations(offices)
            groups["open_case"] = (qs.count, [lambda qs=qs: self._open_cases(qs)])
        return groups

    def read(self):
        """(counts [(group, label, n)], items sorted most urgent first)."""
        counts, items = [], []
        for group, (count, listers) in self.groups().items():
            counts.append((group, GROUPS[group], count()))
            for lister in listers:
                items += lister()
        items.sort(key=urgency)
        zone = self.zone()
        for item in items:
            item.since_local = timezone.localtime(item.since, zone) if item.since else None
            item.due_local = timezone.localtime(item.due, zone) if item.due else None
        return counts, items

    def zone(self):
        """The user's zone: his (first) regional office's province's, else Jakarta's."""
        province = next((o.province_id for o in self.offices if o.province_id), None)
        time_zone = "Asia/Jakarta"
        if province is not None:
            time_zone = (
                Province.objects.filter(pk=province).values_list("time_zone", flat=True).first()
                or time_zone
            )
        self.zone_label = ZONE_LABELS.get(time_zone, time_zone)
        return ZoneInfo(time_zone)

    # --- rows, one query per kind ------------------------------------------------------

    def _item(self, kind, **fields):
        return Item(kind=kind, label=KINDS[kind][0], **fields)

    def _suspensions(self, qs):
        approvals_url = reverse("console:approvals")
        return [
            self._item(
                "suspension",
                subject=regency_label(r.regency),
                url=approvals_url,
                since=r.requested_at,
                pk=r.pk,
            )
            for r in qs.select_related("regency")[:LIMIT]
        ]

    def _reconnections(self, qs):
        approvals_url = reverse("console:approvals")
        rows = qs.annotate(
            since=Max(
                "cases__remediations__submitted_at",
                filter=Q(cases__remediations__status=RemediationStatus.SUBMITTED),
            )
        )
        return [
            self._item(
                "reconnection",
                subject=regency_label(r),
                url=approvals_url,
                since=r.since,
                pk=r.pk,
            )
            for r in rows[:LIMIT]
        ]

    def _extensions(self, qs):
        approvals_url = reverse("console:approvals")
        return [
            self._item(
                "extension",
                subject=regency_label(e.assignment.regency)
                if e.assignment.regency_id
                else e.assignment.office.title,
                directive=e.assignment.directive.title,
                url=approvals_url,
                since=e.requested_at,
                due=e.assignment.due_at,
                overdue=e.assignment.due_at < self.now,
                pk=e.pk,
            )
            for e in qs.select_related("assignment__regency")[:LIMIT]
        ]

    def _assignments(self):
        return [
            self._item(
                "assignment",
                subject=regency_label(a.regency) if a.regency_id else a.office.title,
                directive=a.directive.title,
                url=reverse("inbox:assignment", args=[a.pk]),
                since=a.issued_at,
                due=a.due_at,
                overdue=a.is_overdue,
                pk=a.pk,
            )
            for a in open_assignments(self.user)[:LIMIT]
        ]

    def _proposals(self):
        rows = waiting_proposals(self.user).order_by("proposed_at", "id")[:LIMIT]
        return [
            self._item(
                "proposal",
                subject=f"{p.step_event.step.display_name}: "
                + (
                    regency_label(p.assignment.regency)
                    if p.assignment.regency_id
                    else p.assignment.office.title
                ),
                directive=p.assignment.directive.title,
                url=reverse("proposals:detail", args=[p.pk]),
                since=p.proposed_at,
                pk=p.pk,
            )
            for p in rows
        ]

    def _order_items(self, kind, qs):
        return [
            self._item(
                kind,
                subject=f"{o.get_kind_display()}: {regency_label(o.regency)}",
                url=reverse("access:order", args=[o.pk]),
                since=o.issued_at,
                due=o.due_at,
                overdue=o.due_at < self.now,
                pk=o.pk,
            )
            for o in qs[:LIMIT]
        ]

    def _orders(self):
        return self._order_items("access_order", issued_orders(self.user))

    def _late_orders(self, qs):
        return self._order_items("late_order", qs)

    def _remediations(self, qs):
        return [
            self._item(
                "remediation",
                subject=regency_label(r.case.regency),
                url=reverse("console:regency", args=[r.case.regency.code]),
                since=r.submitted_at,
                pk=r.pk,
            )
            for r in qs.order_by("submitted_at", "id")[:LIMIT]
        ]

    def _reports(self, qs):
        return [
            self._item(
                "report",
                subject=regency_label(a.regency) if a.regency_id else a.office.title,
                directive=a.directive.title,
                url=report_url(a),
                since=a.submitted_at,
                pk=a.pk,
            )
            for a in qs.order_by("submitted_at", "id")[:LIMIT]
        ]

    def _open_cases(self, qs):
        return [
            self._item(
                "open_case",
                subject=regency_label(c.regency),
                url=reverse("inbox:regency", args=[c.regency.code]),
                since=c.opened_at,
                pk=c.pk,
            )
            for c in qs.order_by("opened_at", "id")[:LIMIT]
        ]


def report_url(assignment):
    """The recipient's report, where it is verified or returned (the directive's tracking
    page where that page is not there)."""
    try:
        return reverse("directives:report", args=[assignment.directive_id, assignment.pk])
    except NoReverseMatch:
        return reverse("directives:detail", args=[assignment.directive_id])


def urgency(item):
    """Overdue first, then by due instant (those without one after), then the oldest."""
    far = timezone.now().replace(year=9999)
    return (not item.overdue, item.due or far, item.since or far, item.kind, item.pk)
