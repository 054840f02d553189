"""The confirmation step (pages.confirm) as a test client meets it: the page that names
the effect, and pressing its button (posting back the fields it carries)."""

import html
import re
import uuid

FORM = re.compile(
    r'data-testid="confirmation".*?<form method="post" action="([^"]+)">(.*?)</form>', re.S
)
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def confirmation(response):
    """(action, {name: [values]}, page text) of a confirmation page."""
    page = response.content.decode()
    match = FORM.search(page)
    assert match, "not a confirmation page"
    fields = {}
    for name, value in HIDDEN.findall(match.group(2)):
        if name != "csrfmiddlewaretoken":
            fields.setdefault(name, []).append(html.unescape(value))
    return html.unescape(match.group(1)), fields, page


def press_confirm(client, response, **kwargs):
    """Post the confirmation page's form, as its button does."""
    action, fields, _page = confirmation(response)
    return client.post(action, fields, **kwargs)


def confirmed(data=None):
    """Form data already confirmed, with a fresh one-time key."""
    return {**(data or {}), "confirmed": "1", "submission": uuid.uuid4().hex}
