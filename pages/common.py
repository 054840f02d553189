"""Small helpers every page area uses."""

from compliance.errors import DomainError
from compliance.i18n import Message, shown, split_bilingual
from compliance.offices import remember_offices


def user_offices(request):
    """The user's active offices, read once per request: the services this request calls
    with request.user find them too (compliance.offices.remember_offices)."""
    if not hasattr(request, "_offices"):
        request._offices = remember_offices(request.user)
    return request._offices


def localise(message):
    """A service's refusal (compliance.errors.DomainError, or its Message) in the reader's
    language, rendered from its code and parameters. An error raised with a plain
    "Bahasa Indonesia / English" string (no code) gives the reader's half."""
    if isinstance(message, DomainError):
        message = message.message or message.detail
    if isinstance(message, Message):
        return message.render()
    return split_bilingual(str(message))


def shown_reason(reason, *, by, code="", params=None):
    """The reason as the reader should see it: the system's in the reader's language (from
    its code and parameters; a row written before issue 17 by splitting its
    "Bahasa Indonesia / English" text); a person's note kept whole (a slash in it is his).
    `by`: who wrote it (a user or an id), None for the system."""
    return shown(reason, code, params, by=by)


def row_reason(row, field="reason", *, by=None):
    """shown_reason of `row.<field>`, with the code and parameters stored beside it."""
    return shown_reason(
        getattr(row, field),
        by=by,
        code=getattr(row, f"{field}_code", ""),
        params=getattr(row, f"{field}_params", None),
    )
