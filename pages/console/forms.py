"""The forms of the console's actions: each asks for what its service needs and no more.
The services check the rules again; these give the reader clear messages first."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .labels import VIOLATION_KIND_LABELS

# One wording for a missing answer on every page: Django's own message, which our
# catalogue translates (it takes precedence over Django's), so that no page says it twice
# in two ways.
REQUIRED = {"required": _("This field is required.")}


class FlagForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of violation"),
        choices=list(VIOLATION_KIND_LABELS.items()),
        widget=forms.RadioSelect,
        error_messages=REQUIRED,
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=REQUIRED,
        help_text=_("What happened, who was appointed or how the office deviates."),
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=500,
        error_messages=REQUIRED,
        help_text=_("e.g. Law 24/2013 Article 83A; Permendagri 76/2015"),
    )


class ReasonForm(forms.Form):
    """A decision that must say why (request, reject)."""

    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=REQUIRED,
    )


class OptionalReasonForm(forms.Form):
    """A decision that may say why (approve, reconnect, clear)."""

    reason = forms.CharField(
        label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


# Which form each regency action asks, and whether it needs the pending request.
ACTION_FORMS = {
    "flag": FlagForm,
    "request_suspension": ReasonForm,
    "approve_suspension": OptionalReasonForm,
    "reject_suspension": ReasonForm,
    "reject_remediation": ReasonForm,
    "reconnect": OptionalReasonForm,
    "clear": OptionalReasonForm,
}


def form_for(action, *, data=None, prefix=None):
    return ACTION_FORMS[action](data=data, prefix=prefix or action)
