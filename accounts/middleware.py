"""A session whose user must use a second factor reaches nothing but the second-factor
pages until he has given his code: pages and the admin redirect there, the API (signed in
by session) answers 403 problem+json. Requests carrying a token (Authorization header) are
the token's business (accounts.authentication)."""

import datetime as dt

from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from compliance.problem_details import problem_json

from .second_factor import asks_second_factor, authenticator

SESSION_KEY = "second_factor_required"
# Whether the user needs a second factor is decided at sign-in and checked again this
# often, so that someone appointed (or made Plt.) during his session is asked for it soon.
RECHECK = dt.timedelta(minutes=5)
ALWAYS_OPEN = ("/static/", "/i18n/", "/healthz", "/readyz", "/favicon.ico", "/ack/")


def remember(request, user):
    """At sign-in (user_logged_in): note whether this session needs a second factor."""
    request.session[SESSION_KEY] = {
        "required": asks_second_factor(user),
        "checked": timezone.now().isoformat(),
    }


def _required(request):
    noted = request.session.get(SESSION_KEY)
    if noted is not None:
        checked = dt.datetime.fromisoformat(noted["checked"])
        if noted["required"] or timezone.now() - checked < RECHECK:
            return noted["required"]
    remember(request, request.user)
    return request.session[SESSION_KEY]["required"]


class SecondFactorRequired:
    def __init__(self, get_response):
        self.get_response = get_response
        self._open = None

    def __call__(self, request):
        if self._must_verify(request):
            return self._refuse(request)
        return self.get_response(request)

    def _open_paths(self):
        if self._open is None:
            self._open = ALWAYS_OPEN + (
                reverse("login"),  # /masuk/ and the second-factor pages under it
                reverse("logout"),
                reverse("rest_framework:logout"),
            )
        return self._open

    def _must_verify(self, request):
        if request.path.startswith(self._open_paths()):
            return False
        if request.path.startswith("/api/") and request.headers.get("Authorization"):
            return False
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return False
        return _required(request)

    def _refuse(self, request):
        if request.path.startswith("/api/"):
            return problem_json(
                request,
                status=403,
                slug="second-factor-required",
                title="Faktor kedua diperlukan / Second factor required",
                detail="Masukkan kode dari aplikasi autentikator di /masuk/kode/, atau pakai "
                "token API / enter your authenticator code at /masuk/kode/, or use an API token",
            )
        page = "second-factor" if authenticator(request.user) else "second-factor-enrol"
        return redirect(f"{reverse(page)}?{urlencode({'next': request.get_full_path()})}")
