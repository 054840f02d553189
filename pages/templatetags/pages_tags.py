"""Filters the pages share: who did something, and the console's words for the compliance
states and transitions (pages.console.labels), so that every page names them alike."""

from django import template

from pages.common import shown_reason
from pages.console.labels import STATE_LABELS, TRANSITION_LABELS

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
def transition_label(name):
    return TRANSITION_LABELS.get(name, name)


@register.filter
def reason_by(reason, author):
    """{{ request.reason|reason_by:request.requested_by_id }}: pages.common.shown_reason."""
    return shown_reason(reason, by=author)
