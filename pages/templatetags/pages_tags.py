"""Filters the pages share: who did something, and the console's words for the compliance
states and transitions (pages.console.labels), so that every page names them alike."""

import datetime as dt

from django import template
from django.forms import BaseForm

from pages.common import row_reason, shown_reason
from pages.console.labels import STATE_LABELS, TRANSITION_LABELS
from pages.directives.labels import ASSIGNMENT_STATES

register = template.Library()


@register.filter
def who(person, office=None):
    """A person with the office he acted through: "full name (else username) · office".
    The titles of ministry officers', directors' and auditors' offices end with their
    holder's username (compliance.offices); that is not said twice. No person: the office
    alone."""
    title = office.title if office else ""
    if person is None:
        return title
    suffix = f" ({person.username})"
    if title.endswith(suffix):
        title = title[: -len(suffix)]
    name = person.get_full_name() or person.username
    return " · ".join(part for part in (name, title) if part)


@register.filter
def state_label(code):
    return STATE_LABELS.get(code, code)


@register.filter
def assignment_state_label(code):
    """An assignment's state in the reader's language (the model's label is Indonesian)."""
    return ASSIGNMENT_STATES.get(code, code)


@register.filter
def transition_label(name):
    return TRANSITION_LABELS.get(name, name)


@register.filter
def iso_date(value):
    """A date stored as ISO text (an event's payload) as a date, for |date; None if not one."""
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


@register.filter
def reason_by(reason, author):
    """{{ request.reason|reason_by:request.requested_by_id }}: pages.common.shown_reason."""
    return shown_reason(reason, by=author)


@register.filter
def reason_of(row, author):
    """{{ request|reason_of:request.requested_by_id }}: the row's reason, with the code and
    parameters the system stores beside its own (pages.common.row_reason)."""
    return row_reason(row, by=author)


@register.filter
def cancel_reason_of(order):
    """{{ order|cancel_reason_of }}: why the system cancelled an access order."""
    return row_reason(order, "cancel_reason")


def _has_errors(value, depth=0):
    if isinstance(value, BaseForm):
        return value.is_bound and bool(value.errors)
    if depth < 2 and isinstance(value, (list, tuple)):
        return any(_has_errors(item, depth + 1) for item in value)
    if depth < 2 and isinstance(value, dict):
        return any(_has_errors(item, depth + 1) for item in value.values())
    return False


@register.simple_tag(takes_context=True)
def page_errors(context):
    """Whether a form the page shows came back with errors (base.html then starts the
    title with "Galat:" / "Error:"). Looks at the context's forms, and at forms in its
    lists, tuples and dicts (the regency page's actions), never deeper."""
    return any(_has_errors(value) for value in context.flatten().values())
