"""The answer to a sign-in refused because its account is locked (django-axes).

The lock counts from the last refused attempt (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT),
so it ends one cool-off after this request. The API's session login answers problem+json;
the pages' and the admin's sign-in show a page saying until when, in Bahasa Indonesia first
and English second, whatever language the reader chose.
"""

import math
from zoneinfo import ZoneInfo

from axes.helpers import get_cool_off
from django.shortcuts import render
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from .problems import problem_json

WIB = ZoneInfo("Asia/Jakarta")  # the ministry's time, wherever the reader is

LOCKED = _(
    "This account is locked after too many wrong passwords. "
    "Try again after %(until)s (%(minutes)s minutes)."
)


def _message(until, minutes):
    """The lock message in one language: the time of its end in WIB, in that language's format."""
    local = timezone.localtime(until, WIB)
    when = f"{formats.date_format(local, 'DATETIME_FORMAT')} WIB"
    return LOCKED % {"until": when, "minutes": minutes}


def _bilingual(until, minutes):
    texts = []
    for language in ("id", "en"):
        with translation.override(language):
            texts.append(_message(until, minutes))
    return texts


def locked_out(request, original_response=None, credentials=None):
    cool_off = get_cool_off(request)
    until = request.axes_attempt_time + cool_off
    minutes = math.ceil(cool_off.total_seconds() / 60)
    retry_after = str(math.ceil(cool_off.total_seconds()))
    indonesian, english = _bilingual(until, minutes)
    if request.path.startswith("/api/"):
        response = problem_json(
            request,
            status=429,
            slug="account-locked",
            title="Akun dikunci / Account locked",
            detail=f"{indonesian} / {english}",
            locked_until=until.isoformat(),
        )
    else:
        response = render(
            request,
            "pages/registration/locked_out.html",
            {"indonesian": indonesian, "english": english, "locked_until": until},
            status=429,
        )
    response["Retry-After"] = retry_after
    return response
