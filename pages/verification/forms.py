from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class NumberForm(forms.Form):
    nomor = forms.CharField(label=_("Letter number"), max_length=100, strip=True)


class UploadForm(forms.Form):
    berkas = forms.FileField(
        label=_("The letter's PDF file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )

    def clean_berkas(self):
        upload = self.cleaned_data["berkas"]
        if upload.size > settings.EVIDENCE_MAX_BYTES:
            limit = settings.EVIDENCE_MAX_BYTES / (1024 * 1024)
            raise forms.ValidationError(_("The file is larger than %(mb)g MB.") % {"mb": limit})
        return upload
