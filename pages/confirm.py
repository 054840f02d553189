"""No decision by accident: the actions that cut access, reconnect, send to several
offices or issue in bulk ask first, on a page of their own that names the effect, and
act once per confirmation whatever number of times it is sent.

A view calls `ask(...)` while the POST is not `confirmed(request)`: the page repeats the
form's fields as hidden inputs and adds `confirmed=1` and a one-time key. The confirmed
POST runs through `once(request, act)`: the key is stored in the action's transaction;
a second POST with the same key acts no more and leads where the first one did."""

import secrets

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .models import Submission

CONFIRMED, KEY = "confirmed", "submission"
_NOT_REPEATED = ("csrfmiddlewaretoken", CONFIRMED, KEY)


def new_key():
    return secrets.token_urlsafe(24)


def confirmed(request):
    return request.POST.get(CONFIRMED) == "1" and bool(request.POST.get(KEY))


def ask(request, *, title, effects, button, cancel_url, details=()):
    """The confirmation page. `effects`: sentences naming what will happen (the first is
    the headline); `details`: lines listed under them (e.g. the regencies concerned)."""
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in _NOT_REPEATED
        for value in values
    ]
    context = {
        "title": title,
        "effects": effects,
        "details": details,
        "button": button,
        "cancel_url": cancel_url,
        "fields": fields,
        "key": request.POST.get(KEY) or new_key(),
        "action": request.get_full_path(),
    }
    return render(request, "pages/confirm.html", context)


def once(request, act, *, fallback):
    """Run `act()` -> (response, done) once per key. Not done (the service refused):
    the key is not kept, so the same confirmation may be sent again. A key already used
    leads to where its first use led (else `fallback`) and says nothing was repeated."""
    key = request.POST[KEY][:64]
    with transaction.atomic():
        try:
            with transaction.atomic():
                submission = Submission.objects.create(key=key, user=request.user)
        except IntegrityError:
            earlier = Submission.objects.filter(key=key, user=request.user).first()
            messages.info(request, _("This was already done: it was not done a second time."))
            return redirect(earlier.done_url if earlier and earlier.done_url else fallback)
        response, done = act()
        if not done:
            transaction.set_rollback(True)
            return response
        submission.done_url = response.get("Location", "")[:500]
        submission.save(update_fields=["done_url"])
    return response
