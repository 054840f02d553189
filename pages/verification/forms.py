from django import forms
from django.utils.translation import gettext_lazy as _


class NumberForm(forms.Form):
    nomor = forms.CharField(label=_("Letter number"), max_length=100, strip=True)


class UploadForm(forms.Form):
    berkas = forms.FileField(
        label=_("The letter's PDF file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )
