"""The one-click acknowledgement link: signed for one assignment and its office, expiring
after ACK_LINK_MAX_AGE_DAYS, and single use because the assignment can be acknowledged
only once (the view refuses the link after that)."""

import datetime as dt

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "workflow.ack-link"


class LinkExpired(Exception):
    pass


class LinkInvalid(Exception):
    pass


def token_for(assignment):
    return signing.TimestampSigner(salt=SALT).sign_object(
        {"a": assignment.pk, "o": assignment.office_id}
    )


def absolute_url(assignment):
    path = reverse("workflow:ack-link", kwargs={"token": token_for(assignment)})
    return settings.SITE_URL.rstrip("/") + path


def read(token):
    """(assignment id, office id) from a token, or LinkExpired / LinkInvalid."""
    max_age = dt.timedelta(days=settings.ACK_LINK_MAX_AGE_DAYS)
    try:
        data = signing.TimestampSigner(salt=SALT).unsign_object(token, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise LinkExpired from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise LinkInvalid from exc
    if not isinstance(data, dict) or not isinstance(data.get("a"), int):
        raise LinkInvalid
    return data["a"], data.get("o")
