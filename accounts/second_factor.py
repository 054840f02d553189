"""The second factor (TOTP, django-otp) and who must use it.

Ministry policy choice, following the powers in compliance/permissions.py and the letters'
signatories (workflow/letters.py): the offices that cut a regency from the central
network or reconnect it (approve_suspension, reconnect), that sign written warnings (the
governor for regents and mayors, the Minister for governors: PP 12/2017 Pasal 38), and
anyone who administers users (staff) sign in with a code from an authenticator app after
their password. Acting holders (Plt./Plh.) hold the same powers, so the same duty.

Recovery codes: ten single-use codes, shown once, for a lost phone."""

from django.db import transaction
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from compliance.models import OfficeHolding, OfficeKind
from compliance.permissions import ALLOWED_KINDS

SIGNATORY_KINDS = {OfficeKind.GOVERNOR, OfficeKind.MINISTER}
SECOND_FACTOR_KINDS = frozenset(
    ALLOWED_KINDS["approve_suspension"] | ALLOWED_KINDS["reconnect"] | SIGNATORY_KINDS
)
AUTHENTICATOR = "aplikasi-autentikator"
RECOVERY = "kode-pemulihan"
RECOVERY_CODES = 10


def asks_second_factor(user):
    """Sign-in asks for a code: the office requires it, or the user chose an authenticator."""
    return needs_second_factor(user) or authenticator(user) is not None


def needs_second_factor(user, at=None):
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return (
        OfficeHolding.objects.active(at)
        .filter(user=user, office__kind__in=SECOND_FACTOR_KINDS)
        .exists()
    )


def authenticator(user):
    """The user's confirmed authenticator (TOTP device), or None."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def pending_authenticator(user):
    """The authenticator being enrolled: one unconfirmed device, kept until confirmed so that
    reloading the enrolment page does not change the secret the phone has already read."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)
    return device


def confirm_enrolment(request, device, code):
    """True when `code` is the device's current code: the device becomes the user's
    authenticator, the session is verified and new recovery codes are made (returned)."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not device.verify_token(code):
            return None
        TOTPDevice.objects.devices_for_user(request.user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = new_recovery_codes(request.user)
    otp_login(request, device)
    return codes


def new_recovery_codes(user):
    """Ten fresh recovery codes for the user; the previous ones stop working."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def verify(request, code):
    """Check a code from the authenticator (six digits) or a recovery code; on success the
    session is verified. Returns (ok, wait_until): wait_until is set when the code was not
    even checked because of earlier wrong ones (django-otp's throttle: after each wrong code
    the next try waits twice as long)."""
    code = "".join(code.split()).lower()
    if code.isdigit():
        device = authenticator(request.user)
    else:
        device = StaticDevice.objects.devices_for_user(request.user, confirmed=True).first()
    if device is None:
        return False, None
    allowed, why = device.verify_is_allowed()
    if not allowed:
        return False, (why or {}).get("locked_until")
    verified = verify_token(request.user, device.persistent_id, code)
    if verified is None:
        return False, None
    otp_login(request, verified)
    return True, None


def used_recovery_code(request):
    return getattr(request.user, "otp_device", None) is not None and (
        request.user.otp_device.name == RECOVERY
    )


def reset(user):
    """Forget the user's authenticator and recovery codes (a lost phone): his next sign-in
    enrols a new one. Returns the number of devices removed."""
    with transaction.atomic():
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        static, _ = StaticDevice.objects.filter(user=user).delete()
    return removed + static
