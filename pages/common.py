"""Small helpers every page area uses."""

from django.utils.translation import get_language

from compliance.offices import remember_offices


def user_offices(request):
    """The user's active offices, read once per request: the services this request calls
    with request.user find them too (compliance.offices.remember_offices)."""
    if not hasattr(request, "_offices"):
        request._offices = remember_offices(request.user)
    return request._offices


def localise(message):
    """Service errors carry 'Bahasa Indonesia / English' in one string (the API shows
    both); a page shows the half in the reader's language."""
    text = str(message)
    if " / " not in text:
        return text
    indonesian, english = text.split(" / ", 1)
    return english if (get_language() or "id").startswith("en") else indonesian


def shown_reason(reason, *, by):
    """The reason as the reader should see it. The system writes its reasons in both
    languages ("Bahasa Indonesia / English") and the reader gets his half; a person's note
    is kept whole (a slash in it is his). `by`: who wrote it (a user or an id), None for
    the system."""
    return localise(reason) if by is None else reason
