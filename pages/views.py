"""Sign-in lands here; each user goes to the page of the office they hold."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from compliance.models import MINISTRY_KINDS, OfficeKind

from .common import user_offices

REGENCY_KINDS = {OfficeKind.REGENT, OfficeKind.MAYOR, OfficeKind.REGENCY_DUKCAPIL_HEAD}
PROVINCE_KINDS = {OfficeKind.GOVERNOR, OfficeKind.PROVINCIAL_DUKCAPIL_HEAD}
RECIPIENT_KINDS = REGENCY_KINDS | PROVINCE_KINDS  # the offices directives reach


@login_required
def home(request):
    kinds = {o.kind for o in user_offices(request)}
    if kinds & MINISTRY_KINDS:
        return redirect("console:country")
    if kinds & PROVINCE_KINDS:
        return redirect("console:country")  # the console narrows itself to the province
    if kinds & REGENCY_KINDS:
        return redirect("inbox:assignments")
    if OfficeKind.NETWORK_OPERATOR in kinds:
        return redirect("access:orders")  # the access orders to carry out
    if OfficeKind.AUDITOR in kinds:
        return redirect("audit:index")
    return render(request, "pages/no_office.html", status=403)
