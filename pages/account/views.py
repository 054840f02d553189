"""The second factor in the browser (give the code, enrol an authenticator, recovery codes)
and the user's own account page (his second factor and his API tokens)."""

from base64 import b32encode
from zoneinfo import ZoneInfo

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import second_factor, tokens
from compliance.errors import DomainError

from ..common import localise
from .forms import CodeForm, TokenForm

WIB = ZoneInfo("Asia/Jakarta")
TEMPLATE = "pages/account/index.html"


def _next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def _with_next(name, target):
    return f"{reverse(name)}?{urlencode({'next': target})}"


def _wrong_code(wait_until=None):
    if wait_until is not None:
        until = timezone.localtime(wait_until, WIB)
        return _("Too many wrong codes. Try again after %(time)s WIB.") % {
            "time": formats.time_format(until, "H:i:s")
        }
    return _("Wrong code. Check your authenticator app's clock and try the newest code.")


@login_required
def verify(request):
    target = _next(request)
    if request.user.is_verified():
        return redirect(target)
    if second_factor.authenticator(request.user) is None:
        return redirect(_with_next("second-factor-enrol", target))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, wait_until = second_factor.verify(request, form.cleaned_data["code"])
        if ok:
            if second_factor.used_recovery_code(request):
                left = second_factor.recovery_codes_left(request.user)
                messages.warning(
                    request,
                    _(
                        "You signed in with a recovery code; %(left)s remain. Make new ones on your account page."
                    )
                    % {"left": left},
                )
            return redirect(target)
        form.add_error("code", _wrong_code(wait_until))
    return render(request, "pages/account/verify.html", {"form": form, "next": target})


@login_required
def enrol(request):
    """Set up an authenticator: the QR code (and the secret, for typing), then a code to
    prove the phone has it. Replacing one needs the session verified with the old one."""
    target = _next(request)
    current = second_factor.authenticator(request.user)
    if current is not None and not request.user.is_verified():
        return redirect(_with_next("second-factor", target))
    device = second_factor.pending_authenticator(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, why = device.verify_is_allowed()
        if not allowed:
            form.add_error("code", _wrong_code((why or {}).get("locked_until")))
        else:
            codes = second_factor.confirm_enrolment(request, device, form.cleaned_data["code"])
            if codes is not None:
                return _show_recovery_codes(request, codes, target)
            form.add_error("code", _wrong_code())
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "next": target,
        "replacing": current is not None,
        "qr": segno.make(device.config_url, error="m").svg_inline(scale=5, omitsize=False),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "issuer": settings.OTP_TOTP_ISSUER,
    }
    return render(request, "pages/account/enrol.html", context)


def _show_recovery_codes(request, codes, target):
    return render(request, "pages/account/recovery_codes.html", {"codes": codes, "next": target})


@login_required
@require_POST
def new_recovery_codes(request):
    if not request.user.is_verified():
        return redirect(_with_next("second-factor", reverse("account:index")))
    codes = second_factor.new_recovery_codes(request.user)
    return _show_recovery_codes(request, codes, reverse("account:index"))


@login_required
def index(request):
    user = request.user
    return render(request, TEMPLATE, _account(user, _token_form()))


def _token_form(data=None):
    return TokenForm(data, max_days=tokens.max_days(), default_days=settings.API_TOKEN_DAYS)


def _account(user, form, issued=None):
    now = timezone.now()
    live = [(t, t.state(now), tokens.days_left(t, now)) for t in tokens.live_tokens(user)]
    return {
        "required": second_factor.needs_second_factor(user),
        "authenticator": second_factor.authenticator(user),
        "recovery_left": second_factor.recovery_codes_left(user),
        "tokens": live,
        "form": form,
        "issued": issued,
    }


@login_required
@require_POST
def issue_token(request):
    """A token for the signed-in user, its key shown on this answer only."""
    form = _token_form(request.POST)
    if form.is_valid():
        try:
            token, key = tokens.issue(
                request.user,
                form.cleaned_data["name"],
                days=form.cleaned_data["days"],
                by=request.user,
            )
        except DomainError as e:
            form.add_error("name", localise(e))
        else:
            issued = {"token": token, "key": key}
            return render(request, TEMPLATE, _account(request.user, _token_form(), issued))
    return render(request, TEMPLATE, _account(request.user, form), status=400)


@login_required
@require_POST
def revoke_token(request, name):
    try:
        tokens.revoke(request.user, name, by=request.user)
        messages.success(request, _("Token %(name)s revoked: it no longer works.") % {"name": name})
    except DomainError as e:
        messages.error(request, localise(e))
    return redirect("account:index")
