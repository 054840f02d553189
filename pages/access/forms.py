"""The operator's confirmation that an access order was carried out. The time is checked by
the service's own rule (compliance.access.check_execution_time), asked before the
confirmation page so that the reader sees the message on the field first."""

from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from compliance.access import check_execution_time
from compliance.errors import InvalidInput

# Access orders are the ministry's: their times are read and written in its zone.
WIB = ZoneInfo("Asia/Jakarta")
LOCAL_INPUT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends
TIME = "j M Y, H:i"  # as the pages show instants


class ExecuteForm(forms.Form):
    executed_at = forms.DateTimeField(
        label=_("Carried out at (WIB)"),
        required=False,
        input_formats=[LOCAL_INPUT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT),
        help_text=_("Leave empty for now. The suspension period starts (or ends) at this time."),
        error_messages={"invalid": _("Enter a date and time, e.g. 2026-12-07 09:30.")},
    )
    reference = forms.CharField(
        label=_("Reference number (optional)"),
        required=False,
        max_length=100,
        help_text=_("The network's change or ticket number, for the audit."),
    )

    def __init__(self, *args, order=None, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.order, self.now = order, now

    def clean_executed_at(self):
        """A time without zone is WIB, whatever zone the server runs in."""
        value = self.cleaned_data.get("executed_at")
        if value is None:
            return None
        value = timezone.make_aware(value.replace(tzinfo=None), WIB)
        if self.order is not None:
            try:
                check_execution_time(self.order, value, self.now or timezone.now())
            except InvalidInput as exc:
                [code] = exc.errors["executed_at"]
                raise forms.ValidationError(self._message(code), code) from None
        return value

    def _message(self, code):
        if code == "in_future":
            return _("The time cannot be in the future.")
        issued = date_format(timezone.localtime(self.order.issued_at, WIB), TIME)
        return _("The time is before the order was issued (%(issued)s WIB).") % {"issued": issued}
