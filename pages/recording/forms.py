from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Report file (CSV or XLSX)"),
        help_text=_("First line: district_code,date,obliged,recorded,printed"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
