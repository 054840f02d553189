"""The public verification page: anyone holding a written warning (or its number, from
its QR code) checks that it is genuine, without signing in. `?nomor=` answers at once:
that is the link in the QR code."""

from django.shortcuts import render
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from compliance.errors import InvalidInput, NotFound
from workflow.verification import is_signed, verify_number, verify_upload

from ..common import localise
from .forms import NumberForm, UploadForm

TEMPLATE = "pages/verification/verify.html"


def _answer(result):
    """The verification as the page shows it: the time as a datetime, and whether the
    file was signed at all (an unsigned letter is "not signed", not "forged")."""
    signed_at = parse_datetime(result["signed_at"]) if result["signed_at"] else None
    return {**result, "signed_at": signed_at, "signed": is_signed(result)}


def _by_number(form):
    try:
        return _answer(verify_number(form.cleaned_data["nomor"])), None
    except NotFound as e:
        return None, localise(e)


def verify(request):
    answer = unknown = None
    if request.method == "POST":
        number_form = NumberForm()
        upload_form = UploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            try:
                answer = _answer(verify_upload(upload_form.cleaned_data["berkas"]))
            except InvalidInput as e:  # too large
                upload_form.add_error("berkas", localise(e))
    else:
        number_form = NumberForm(request.GET if "nomor" in request.GET else None)
        upload_form = UploadForm()
        if number_form.is_bound and number_form.is_valid():
            answer, unknown = _by_number(number_form)
    context = {
        "number_form": number_form,
        "upload_form": upload_form,
        "answer": answer,
        "unknown": unknown,
        "asked": number_form.cleaned_data.get("nomor") if number_form.is_bound else None,
        "title": _("Verify a signed letter"),
    }
    return render(request, TEMPLATE, context)
