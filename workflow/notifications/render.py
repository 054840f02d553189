"""The e-mail for one notification: subject, plain text and HTML from one template per
notification template name and language (workflow/templates/workflow/email/<lang>/),
with a generic fallback. Each template is rendered three times into three layouts.

A delivery batch renders through a `Batch`: what its notices share is worked out once
(the directives they name, in one query; each directive's document line per zone and
language; the compiled templates; each template's rendering per context its notices
share, each recipient's office and link put in), so a batch of a national directive's
notices costs one query and one rendering per zone and language, not one of each per
mail. The messages are the same, byte for byte, as without it."""

import datetime as dt
import email.utils
import json
import random
import re
import sys
import zoneinfo
from email.policy import Compat32

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import select_template
from django.utils import dateformat, timezone, translation
from django.utils.html import conditional_escape
from django.utils.translation import gettext

from compliance.models import OfficeKind
from workflow import letters
from workflow.models import AssignmentState, Directive, DocumentKind, Letter

from . import links

LANGUAGES = ("id", "en")
LAYOUTS = ("subject.txt", "layout.txt", "layout.html")
LETTER_RELATED = (
    "step_event__step",
    "step_event__assignment__directive",
    "step_event__assignment__province",
    "signatory_office__province",
    "addressee_office",
)
DEFAULT_TZ = zoneinfo.ZoneInfo(settings.TIME_ZONE)


def language_of(notification):
    return notification.language if notification.language in LANGUAGES else "id"


def template_for(notification, batch=None):
    lang = language_of(notification)
    if batch is not None:
        key = (lang, notification.template)
        if key not in batch.templates:
            batch.templates[key] = template_for(notification)
        return batch.templates[key]
    return select_template(
        [
            f"workflow/email/{lang}/{notification.template}.html",
            f"workflow/email/{lang}/generic.html",
        ]
    )


class Batch:
    """What the notices of one batch share, worked out once for all of them: the
    directives they name (`prefetch`, one query), a directive's document line per zone
    and language, the templates per language and template name, each template rendered
    once per context its notices share (`parts`). Lives for one batch:
    a directive edited meanwhile is read afresh by the next one."""

    def __init__(self, notifications=()):
        self.directives = {}
        self.documents = {}
        self.templates = {}
        self.rendered = {}
        self.prefetch(notifications)

    def prefetch(self, notifications):
        wanted = {
            n.context.get("directive")
            for n in notifications
            if n.template == "directive_issued" and isinstance(n.context, dict)
        }
        wanted = {pk for pk in wanted if isinstance(pk, int)} - set(self.directives)
        if wanted:
            found = Directive.objects.select_related("issuing_office__province").in_bulk(wanted)
            self.directives.update({pk: found.get(pk) for pk in wanted})
        return self

    def directive(self, pk):
        if pk not in self.directives:
            self.directives[pk] = _directive(pk)
        return self.directives[pk]

    def parts(self, template, name, ctx):
        """render_parts' (subject, text, html) for `ctx`: the template rendered once per
        shared context (PER_RECIPIENT marked), each recipient's values put in, escaped
        in the HTML part as the template's autoescaping would."""
        own = {f: ctx[f] for f in PER_RECIPIENT if ctx.get(f) and isinstance(ctx[f], str)}
        shared = {k: v for k, v in ctx.items() if k not in UNUSED_BY_TEMPLATES}
        shared.update({f: _MARK.format(f) for f in own})
        key = _shared_key(name, shared)
        if key is None:
            return _finished(*_rendered(template, name[0], ctx))
        if key not in self.rendered:
            self.rendered[key] = _rendered(template, name[0], shared)
        subject, text, html = self.rendered[key]
        for field, value in own.items():
            mark = _MARK.format(field)
            subject, text = subject.replace(mark, value), text.replace(mark, value)
            html = html.replace(mark, conditional_escape(value))
        return _finished(subject, text, html)


def local_text(instant, tz):
    """'29 Januari 2027, 23:59 WIB': an instant in the reader's zone, with its label."""
    local = instant.astimezone(tz)
    return f"{dateformat.format(local, 'j F Y, H:i')} {local.tzname()}"


def due_text(due_at, tz):
    """A deadline is the end of its due day (00:00 the next day); 23:59 reads better."""
    local = due_at.astimezone(tz)
    if local.time() == dt.time(0, 0):
        local -= dt.timedelta(minutes=1)
    return local_text(local, tz)


def zone_of(notification):
    assignment = notification.assignment
    return assignment.province.zoneinfo if assignment else DEFAULT_TZ


# Whose document each kind of directive is (tata naskah dinas): the official it names.
AUTHOR = {
    DocumentKind.INSTRUKSI_MENTERI: OfficeKind.MINISTER,
    DocumentKind.SURAT_EDARAN_MENTERI: OfficeKind.MINISTER,
    DocumentKind.SURAT_MENTERI: OfficeKind.MINISTER,
    DocumentKind.SURAT_DIREKTUR_JENDERAL: OfficeKind.DIRECTOR_GENERAL,
    DocumentKind.SURAT_GUBERNUR: OfficeKind.GOVERNOR,
}


def sender(document_kind, issuing_office):
    """The official who sends a directive, in the active language: the author its kind of
    document names (the Minister for his instructions, circulars and letters, the Director
    General for his letters, whoever in the Directorate General drafted and issued them),
    the governor of the issuing office's province for a governor's letter."""
    author = AUTHOR.get(document_kind, OfficeKind.DIRECTOR_GENERAL)
    province = getattr(issuing_office, "province", None)
    if author == OfficeKind.GOVERNOR and province is not None:
        return gettext("Gubernur %(province)s") % {"province": province.name}
    return str(OfficeKind(author).label)


def _directive(pk):
    return Directive.objects.select_related("issuing_office__province").filter(pk=pk).first()


def directive_context(ctx, tz, batch=None):
    """What a directive's notice says of its document: who sends it (`issuer`), what it
    is (`document`: Surat Direktur Jenderal...) and its date (`issued_text`, the day it
    was issued in the recipient's zone). From the directive named by the context, or, for
    a preview of one not yet saved, from the context's `document_kind`, `issuing_office`
    (an Office) and `issued_at`. With a `batch`, once per directive, zone and language."""
    directive = None
    if ctx.get("directive"):
        pk = ctx["directive"]
        directive = _directive(pk) if batch is None else batch.directive(pk)
    if directive is not None and batch is not None:
        key = (directive.pk, str(tz), translation.get_language())
        if key not in batch.documents:
            batch.documents[key] = _document(directive, tz)
        return dict(batch.documents[key])
    if directive is not None:
        return _document(directive, tz)
    kind = ctx.get("document_kind") or DocumentKind.SURAT_DIREKTUR_JENDERAL
    office, issued_at = ctx.get("issuing_office"), ctx.get("issued_at") or timezone.now()
    return _document_of(kind, office, issued_at, tz)


def _document(directive, tz):
    issued_at = directive.issued_at or directive.created_at
    return _document_of(directive.document_kind, directive.issuing_office, issued_at, tz)


def _document_of(kind, office, issued_at, tz):
    return {
        "issuer": sender(kind, office),
        "document": str(DocumentKind(kind).label),
        "issued_text": dateformat.format(issued_at.astimezone(tz), "j F Y"),
    }


def context_for(notification, batch=None):
    ctx = dict(notification.context)
    assignment = notification.assignment
    tz = zone_of(notification)
    if notification.template == "directive_issued":
        ctx.update(directive_context(ctx, tz, batch))
    if ctx.get("due_at"):
        ctx["due_text"] = due_text(dt.datetime.fromisoformat(ctx["due_at"]), tz)
    if ctx.get("date"):
        ctx["date_text"] = dateformat.format(dt.date.fromisoformat(ctx["date"]), "j F Y")
    if ctx.get("opened"):  # an acceleration track's opening day
        ctx["opened_text"] = dateformat.format(dt.date.fromisoformat(ctx["opened"]), "j F Y")
    ctx["role"] = ctx.get("role", "assignee")
    ctx["recipient_office"] = notification.recipient_office
    ctx["site_url"] = settings.SITE_URL.rstrip("/")
    if (
        assignment is not None
        and ctx["role"] == "assignee"
        and assignment.state == AssignmentState.ISSUED
    ):
        ctx["ack_url"] = links.absolute_url(assignment)
        ctx["ack_days"] = settings.ACK_LINK_MAX_AGE_DAYS
    return ctx


def render_parts(notification, batch=None):
    """(subject, text, html) in the notification's language."""
    lang = language_of(notification)
    template = template_for(notification, batch)
    with translation.override(lang):
        ctx = context_for(notification, batch)
        if batch is not None:
            return batch.parts(template, (lang, notification.template), ctx)
        return _finished(*_rendered(template, lang, ctx))


def _rendered(template, lang, ctx):
    return tuple(
        template.render(
            {**ctx, "layout": f"workflow/email/{lang}/{layout}", "html": layout.endswith("html")}
        )
        for layout in LAYOUTS
    )


def _finished(subject, text, html):
    return " ".join(subject.split()), text.strip() + "\n", html


# What differs from one recipient of a directive to the next, which every template prints
# as it is ({{ office }}, {{ ack_url }}; at most tested with {% if %}): a batch renders a
# template once for all the notices that share everything else (directive, zone,
# language, role) and puts each recipient's own in (`Batch.parts`), the same bytes as
# rendering each alone. tests/workflow/test_email_render.py holds the templates to it.
PER_RECIPIENT = ("office", "ack_url")
UNUSED_BY_TEMPLATES = ("recipient_office",)  # for code that renders a notice's context
_MARK = "\x00{}\x00"  # never in a rendered value (PostgreSQL text cannot hold NUL)


def _shared_key(name, ctx):
    """The rendering's identity: the template and every value it is given, or None when
    a value has no plain JSON form (rendered alone, as without a batch)."""
    try:
        return name, json.dumps(ctx, sort_keys=True)
    except (TypeError, ValueError):
        return None


def headers_for(notification, now):
    return {
        "Message-ID": notification.message_id,
        # Sent in the recipient's zone (+0700 WIB...), not "-0000" (no zone known).
        "Date": email.utils.format_datetime(now.astimezone(zone_of(notification))),
        # A notice from a system: no out-of-office or other automatic reply (RFC 3834;
        # X-Auto-Response-Suppress for Exchange, which many regional offices run).
        "Auto-Submitted": "auto-generated",
        "X-Auto-Response-Suppress": "All",
        "X-Ektp-Notification": notification.dedupe_key,
        "Content-Language": language_of(notification),
    }


# A header value that the email package's folding (compat32: `email.header.Header`)
# leaves as it is: printable ASCII words, single spaces between them.
_UNFOLDED = re.compile(r"[!-~]+(?: [!-~]+)*\Z")


class _Folding(Compat32):
    """Compat32, the policy Django's messages are flattened with, without its cost for a
    header that fits on its line as it is (`Header(...).encode()`: half of flattening a
    notice, 0.3-0.5 ms of CPU a mail, docs/benchmarks.md): the same line, built directly.
    Any other header (too long, non-ASCII, runs of spaces, line breaks) is folded by the
    library itself. The same bytes either way (tests/workflow/test_email_render.py)."""

    def _fits(self, name, value):
        limit = self.max_line_length
        return (
            isinstance(value, str)
            and (not limit or len(name) + 2 + len(value) <= limit)
            and _UNFOLDED.match(value) is not None
        )

    def fold(self, name, value):
        if self._fits(name, value):
            return f"{name}: {value}{self.linesep}"
        return super().fold(name, value)

    def fold_binary(self, name, value):
        if self._fits(name, value):
            return f"{name}: {value}{self.linesep}".encode("ascii")
        return super().fold_binary(name, value)


FOLDING = _Folding()


class _Message(EmailMultiAlternatives):
    """Django's message, flattened under `_Folding` (the generator takes the root's
    policy, with the backend's line separator, for every part), its multiparts' boundaries
    chosen before (`_boundary`)."""

    def message(self):
        msg = super().message()
        msg.policy = FOLDING
        parts = list(msg.walk())
        texts = [p.get_payload() for p in parts if not p.is_multipart()]
        for part in parts:
            if part.is_multipart() and part.get_boundary() is None:
                part.set_boundary(_boundary(texts))
        return msg


def _boundary(texts):
    """A boundary as the email package's generator makes one ('=' x 15, 19 random digits,
    '=='), found absent from the parts' texts by a substring search: the generator, left to
    choose, compiles a regular expression for each new boundary to check that, 0.05 ms of
    CPU a mail (docs/benchmarks.md). Absent as a substring is stricter than its check (no
    line starting with it)."""
    while True:
        boundary = f"{'=' * 15}{_random_digits.randrange(sys.maxsize):019d}=="
        if not any(boundary in text for text in texts if isinstance(text, str)):
            return boundary


_random_digits = random.Random()  # noqa: S311 (a boundary, not a secret: as the library)


def message(notification, *, connection=None, now=None, batch=None):
    subject, text, html = render_parts(notification, batch)
    msg = _Message(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient_email],
        headers=headers_for(notification, now or timezone.now()),
        connection=connection,
    )
    msg.attach_alternative(html, "text/html")
    letter_id = notification.context.get("letter")
    if letter_id:  # a written warning: its formal letter, rendered on first delivery
        letter = Letter.objects.select_related(*LETTER_RELATED).get(pk=letter_id)
        msg.attach(letters.filename(letter), letters.pdf_for(letter), "application/pdf")
    return msg
