"""Forms of the inbox. They collect what the services need; the services decide. When a
service refuses, the refusal is put back on the form, field by field where it says which."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from pages.common import localise


def refuse(form, exc):
    """Show a service's InvalidInput on the form: its message above the fields."""
    form.add_error(None, localise(exc))


class SubmitForm(forms.Form):
    note = forms.CharField(
        label=_("Report on what was done"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    evidence = forms.FileField(
        label=_("Evidence file (optional: PDF, image or office document)"), required=False
    )

    def __init__(self, *args, with_evidence=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_evidence:
            # Evidence belongs to a regency's compliance file; a province's report is text.
            del self.fields["evidence"]


class ExtensionForm(forms.Form):
    new_due_date = forms.DateField(
        label=_("New due date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label=_("Reason for the extension"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence file (PDF, image or office document)"))
    description = forms.CharField(label=_("Description"), max_length=500, required=False)


_STATEMENT_ERROR = re.compile(r"statements\[(\d+)\]\.(statement|evidence)")


class RemediationForm(forms.Form):
    """A statement and the evidence documents for every open violation."""

    def __init__(self, *args, violations, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.violations = list(violations)
        choices = [(d.pk, d.original_name) for d in documents]
        for number, v in enumerate(self.violations, start=1):
            self.fields[f"statement_{v.pk}"] = forms.CharField(
                label=_("Statement for violation %(number)s") % {"number": number},
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields[f"evidence_{v.pk}"] = forms.TypedMultipleChoiceField(
                label=_("Evidence for violation %(number)s") % {"number": number},
                choices=choices,
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            # The evidence travels with the statement: a file chosen here is uploaded in
            # the same request, and counts for this violation.
            self.fields[f"file_{v.pk}"] = forms.FileField(
                label=_("Attach an evidence file for violation %(number)s") % {"number": number},
                help_text=_("PDF, image or office document; uploaded when you submit."),
                required=False,
            )

    def rows(self):
        """(violation, its statement field, its evidence field, its new file field)."""
        return [
            (v, self[f"statement_{v.pk}"], self[f"evidence_{v.pk}"], self[f"file_{v.pk}"])
            for v in self.violations
        ]

    def new_files(self):
        """{violation id: the file sent with its statement}."""
        return {
            v.pk: self.cleaned_data[f"file_{v.pk}"]
            for v in self.violations
            if self.cleaned_data.get(f"file_{v.pk}")
        }

    def statements(self):
        """The service's input: one entry per open violation, in order, even when empty,
        so that the service's refusal names the violation by its position."""
        data = self.cleaned_data
        return [
            {
                "violation": v.pk,
                "statement": data.get(f"statement_{v.pk}", ""),
                "evidence": data.get(f"evidence_{v.pk}", []),
            }
            for v in self.violations
        ]

    def refuse(self, exc):
        """Put submit_remediation's refusal on the fields it names."""
        refuse(self, exc)
        for key in exc.errors:
            match = _STATEMENT_ERROR.fullmatch(key)
            if not match or int(match[1]) >= len(self.violations):
                continue
            violation = self.violations[int(match[1])]
            if match[2] == "statement":
                self.add_error(
                    f"statement_{violation.pk}", _("Write a statement for this violation.")
                )
            else:
                self.add_error(
                    f"evidence_{violation.pk}",
                    _("Pick at least one evidence document for this violation."),
                )
