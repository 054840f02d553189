from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.tokens import NAME


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "inputmode": "text"}
        ),
    )


class TokenForm(forms.Form):
    name = forms.RegexField(
        label=_("Name"),
        regex=NAME,
        max_length=100,
        help_text=_(
            "The system that will use it, e.g. siak-sinkron: lower-case letters, digits, "
            "dots, underscores or hyphens."
        ),
    )

    def __init__(self, *args, max_days, default_days, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"] = forms.IntegerField(
            label=_("Valid for (days)"), min_value=1, max_value=max_days, initial=default_days
        )
