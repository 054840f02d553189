"""What the composer shows beside the form while it is being filled: who will receive the
directive (workflow.services.recipient_offices, the rule the fan-out itself uses), the
deadline in each time zone the scope covers, and the e-mail a sample recipient gets
(rendered by the notification templates that will send it)."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from compliance.models import TimeZone
from workflow.calendar import due_instant
from workflow.models import Assignment, Notification
from workflow.notifications.render import render_parts
from workflow.services import DOCUMENT_BY_OFFICE, recipient_offices

from .tracking import end_of_day_text


@dataclass
class Deadline:
    zone: str  # WIB, WITA, WIT
    instant: dt.datetime  # aware, in that zone

    @property
    def local_text(self):
        return end_of_day_text(self.instant, self.instant.tzinfo)

    @property
    def utc(self):
        return self.instant.astimezone(dt.UTC).isoformat()


@dataclass
class EmailPreview:
    recipient: object  # the sample Office
    subject: str
    text: str
    html: str


@dataclass
class ScopeSummary:
    count: int = 0
    deadlines: list = field(default_factory=list)
    preview: EmailPreview | None = None


def summarise(directive, *, due_date=None, title="", document_kind=None, issuer=None):
    """The summary for an unsaved directive carrying a scope; empty without one.
    `document_kind` and `issuer` (the composer's office) name the document and its sender
    in the e-mail preview."""
    if directive is None:
        return ScopeSummary()
    offices = recipient_offices(directive)
    count = offices.count()
    if not count:
        return ScopeSummary()
    zones = set(offices.order_by().values_list("province__time_zone", flat=True).distinct())
    deadlines = []
    if due_date:
        deadlines = [
            Deadline(zone.name, due_instant(due_date, zoneinfo.ZoneInfo(zone.value)))
            for zone in TimeZone
            if zone.value in zones
        ]
    sample = offices.order_by("province__code", "regency__code", "title").first()
    sample_preview = preview(
        sample, due_date=due_date, title=title, document_kind=document_kind, issuer=issuer
    )
    return ScopeSummary(count, deadlines, sample_preview)


def preview(office, *, due_date, title, document_kind=None, issuer=None):
    """The directive_issued e-mail as `office` would receive it (in its language), sent
    today by `issuer` as `document_kind` (by default the kind its office writes). The
    acknowledgement button points nowhere yet: there is no assignment before issuing."""
    assignment = Assignment(office=office, province=office.province)
    if not document_kind and issuer is not None:
        document_kind = DOCUMENT_BY_OFFICE.get(issuer.kind)
    context = {
        "title": title or "…",
        "office": office.title,
        "document_kind": document_kind,
        "issuing_office": issuer,
    }
    if due_date:
        due = due_instant(due_date, office.province.zoneinfo)
        context["due_at"] = due.astimezone(dt.UTC).isoformat()
    notice = Notification(
        template="directive_issued",
        recipient_office=office,
        recipient_email=office.email,
        language=office.language,
        context=context,
        assignment=assignment,
    )
    subject, text, html = render_parts(notice)
    return EmailPreview(office, subject, text, html)
