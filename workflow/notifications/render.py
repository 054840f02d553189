"""The e-mail for one notification: subject, plain text and HTML from one template per
notification template name and language (workflow/templates/workflow/email/<lang>/),
with a generic fallback. Each template is rendered three times into three layouts."""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string, select_template
from django.utils import dateformat, translation

from workflow import letters
from workflow.models import AssignmentState, Letter

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


def template_for(notification):
    lang = language_of(notification)
    return select_template(
        [
            f"workflow/email/{lang}/{notification.template}.html",
            f"workflow/email/{lang}/generic.html",
        ]
    )


def context_for(notification):
    ctx = dict(notification.context)
    assignment = notification.assignment
    tz = assignment.province.zoneinfo if assignment else DEFAULT_TZ
    if ctx.get("due_at"):
        due = dt.datetime.fromisoformat(ctx["due_at"]).astimezone(tz)
        if due.time() == dt.time(0, 0):  # the end of the due day reads better as 23:59
            due -= dt.timedelta(minutes=1)
        ctx["due_text"] = f"{dateformat.format(due, 'j F Y, H:i')} {due.tzname()}"
    if ctx.get("date"):
        ctx["date_text"] = dateformat.format(dt.date.fromisoformat(ctx["date"]), "j F Y")
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


def render_parts(notification):
    """(subject, text, html) in the notification's language."""
    lang = language_of(notification)
    template = template_for(notification).template.name
    with translation.override(lang):
        ctx = context_for(notification)
        subject, text, html = (
            render_to_string(
                template,
                {
                    **ctx,
                    "layout": f"workflow/email/{lang}/{layout}",
                    "html": layout.endswith("html"),
                },
            )
            for layout in LAYOUTS
        )
    return " ".join(subject.split()), text.strip() + "\n", html


def message(notification, *, connection=None):
    subject, text, html = render_parts(notification)
    msg = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient_email],
        headers={
            "Message-ID": notification.message_id,
            "X-Ektp-Notification": notification.dedupe_key,
            "Content-Language": language_of(notification),
        },
        connection=connection,
    )
    msg.attach_alternative(html, "text/html")
    letter_id = notification.context.get("letter")
    if letter_id:  # a written warning: its formal letter, rendered on first delivery
        letter = Letter.objects.select_related(*LETTER_RELATED).get(pk=letter_id)
        msg.attach(letters.filename(letter), letters.pdf_for(letter), "application/pdf")
    return msg
