"""The top menu: which areas the user's offices open (settings: TEMPLATES context processor
"pages.context.menu"). The offices are read once per request, shared with the page."""

from django.urls import NoReverseMatch, reverse

from compliance.models import MINISTRY_KINDS, OfficeKind
from workflow.services import DIRECTIVE_ISSUER_KINDS

from .common import user_offices
from .nav import NavCounts
from .views import PROVINCE_KINDS, RECIPIENT_KINDS, REGENCY_KINDS

K = OfficeKind
# Governors: the extension requests under the directives their office issued.
APPROVER_KINDS = {K.MINISTER, K.DIRECTOR_GENERAL, K.MINISTRY_DIRECTOR, K.GOVERNOR}
PROPOSAL_KINDS = {K.GOVERNOR, K.MINISTER, K.PROVINCIAL_DUKCAPIL_HEAD, K.DIRECTOR_GENERAL}


def menu(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    offices = user_offices(request)
    kinds = {o.kind for o in offices}
    return {
        # The office the user acts through, named in the header beside him.
        "acting_office": offices[0] if offices else None,
        "menu": {
            "console": bool(kinds & (MINISTRY_KINDS | PROVINCE_KINDS | {K.AUDITOR})),
            "approvals": bool(kinds & APPROVER_KINDS),
            "directives": bool(kinds & (MINISTRY_KINDS | PROVINCE_KINDS | {K.AUDITOR})),
            "compose": bool(kinds & DIRECTIVE_ISSUER_KINDS),  # ministry and governors
            "inbox": bool(kinds & RECIPIENT_KINDS),  # assignments and letters
            "regency": bool(kinds & REGENCY_KINDS),  # my regency's compliance case
            # /inbox/regency/ redirects to the regency's own page, under it.
            "regency_current": _under(request, "inbox:my_regency"),
            "audit": bool(kinds & (MINISTRY_KINDS | {K.AUDITOR})),  # as pages.audit allows
            "recording": bool(kinds & MINISTRY_KINDS),
            # Signatories of written warnings and those who prepare them (workflow.proposals).
            "proposals": bool(kinds & PROPOSAL_KINDS),
            # Access orders: the operators carry them out; the ministry and the auditors
            # follow them (governors reach them from the regency's page).
            "access_orders": bool(kinds & (MINISTRY_KINDS | {K.NETWORK_OPERATOR, K.AUDITOR})),
            "access_orders_count": K.NETWORK_OPERATOR in kinds,
        },
        # The work waiting behind the approvals, inbox, proposals and access orders links
        # (pages.nav).
        "nav_counts": NavCounts(request),
    }


def _under(request, name):
    try:
        return request.path.startswith(reverse(name))
    except NoReverseMatch:  # a page area not built yet
        return False
