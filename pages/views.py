"""Sign-in lands here; every office goes on to its work queue (/kerja/, pages.work): what
waits for it, with the console and the other pages one click away in the menu."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from compliance.models import OfficeKind

from .common import user_offices

REGENCY_KINDS = {OfficeKind.REGENT, OfficeKind.MAYOR, OfficeKind.REGENCY_DUKCAPIL_HEAD}
PROVINCE_KINDS = {OfficeKind.GOVERNOR, OfficeKind.PROVINCIAL_DUKCAPIL_HEAD}
RECIPIENT_KINDS = REGENCY_KINDS | PROVINCE_KINDS  # the offices directives reach


@login_required
def home(request):
    if not user_offices(request):
        return render(request, "pages/no_office.html", status=403)
    return redirect("work:queue")
