"""The console's pages kept until what they show changes (workflow.kept: the data version,
the reader's scope, the minute; why and how stale at most).

A page's body (everything but the site's header, the form's CSRF token and the panel of
offices without an address) is rendered once per reader's scope, language, query string
and data version: officers of one office share it, a governor has his province's."""

from django.template.backends.utils import csrf_input
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from workflow.kept import kept as kept_value
from workflow.kept import scope_of

from ..common import user_offices

# Where the CSRF token goes in a kept body: each reader's own is put in when it is served.
CSRF_HOLE = mark_safe("<!--csrf-token-->")  # noqa: S308 (a constant, no user input)


def kept(request, page, render, *parts):
    """The dict `render()` returns (the page's title, body...), rendered when this reader's
    scope, language, query and the data's version have none kept yet; the body's CSRF hole
    filled with this request's token."""
    key = (
        page,
        parts,
        get_language(),
        scope_of(user_offices(request)),
        sorted(request.GET.lists()),
    )
    found = kept_value(f"console-{page}", key, render)
    body = found["body"].replace(CSRF_HOLE, csrf_input(request))
    return {**found, "body": mark_safe(body)}  # noqa: S308 (rendered by our templates)
