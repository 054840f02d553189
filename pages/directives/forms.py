"""Forms of the directive pages: the composer, its live summary and the tracking filters.
The composer's form only parses what the user typed; what is required to
draft and to issue, and who may, is workflow.services' business (its InvalidInput errors
are put back on the fields they name)."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from compliance.models import Province
from workflow.models import Directive, DocumentKind, EscalationPolicy, Priority, ScopeKind
from workflow.scopes import Scope

from .labels import ASSIGNMENT_STATES

REGION_CODE = re.compile(r"^\d{2}(\.\d{2})?$")
PRIORITY_LABELS = {
    Priority.LOW: _("Low"),
    Priority.NORMAL: _("Normal"),
    Priority.HIGH: _("High"),
    Priority.URGENT: _("Urgent"),
}
SCOPE_LABELS = {
    ScopeKind.ALL_REGENCIES: _("All regencies and cities (regents and mayors)"),
    ScopeKind.ALL_PROVINCES: _("All provinces (governors)"),
    ScopeKind.PROVINCE: _("The regencies and cities of one province"),
    ScopeKind.REGIONS: _("An explicit list of region codes"),
}
# What a governor may address: his own province's regencies and cities, nothing wider.
GOVERNOR_SCOPE_LABELS = {
    ScopeKind.PROVINCE: _("The regencies and cities of my province"),
    ScopeKind.REGIONS: _("A list of codes"),
}
# Service error keys -> form fields.
SERVICE_FIELDS = {
    "scope": "scope_kind",
    "scope.province": "province",
    "scope.regions": "regions",
    "policy": "policy",
}


class PolicyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name  # in the reader's language where the policy has an English name


class DirectiveForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    body = forms.CharField(label=_("Body"), widget=forms.Textarea(attrs={"rows": 5}))
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=500,
        help_text=_("The instrument, e.g. Law 24/2013 Article 63; Law 23/2014 Article 67"),
    )
    due_date = forms.DateField(
        label=_("Due date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The deadline is the end of this day in each recipient's own time zone."),
        error_messages={"invalid": _("Enter a date such as 2017-12-29.")},
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=list(PRIORITY_LABELS.items()), initial=Priority.NORMAL
    )
    document_kind = forms.ChoiceField(
        label=_("Kind of official document"),
        choices=[("", _("As my office writes it"))] + list(DocumentKind.choices),
        required=False,
    )
    policy = PolicyChoiceField(
        label=_("Escalation policy"),
        queryset=EscalationPolicy.objects.order_by("name"),
        to_field_name="slug",
        empty_label=None,
        help_text=_(
            "Follow-up reminds and reports overdue assignments, without sanctions. The "
            "national strategic programme's ladder ends in written warnings and temporary "
            "dismissal, which the law (Law 23/2014 Articles 67-68) gives only for national "
            "strategic programmes."
        ),
    )
    programme_basis = forms.CharField(
        label=_("Instrument making it a national strategic programme"),
        max_length=500,
        required=False,
        help_text=_(
            "Required for the national strategic programme's ladder: the instrument that "
            "makes this directive's subject a national strategic programme, e.g. "
            "Perpres 26/2009."
        ),
    )
    scope_kind = forms.ChoiceField(
        label=_("Recipients"),
        choices=list(SCOPE_LABELS.items()),
        initial=ScopeKind.PROVINCE,
        widget=forms.RadioSelect,
    )
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.order_by("code"),
        to_field_name="code",
        required=False,
        empty_label=_("Choose a province"),
    )
    regions = forms.CharField(
        label=_("Region codes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Province codes (governors) or regency and city codes (regents and mayors), "
            "separated by commas or spaces, e.g. 15.02, 15.09, 91"
        ),
    )

    def __init__(self, *args, province=None, **kwargs):
        """`province`: a governor's, fixed; only the scopes inside it are offered."""
        super().__init__(*args, **kwargs)
        default = next((p for p in self.fields["policy"].queryset if p.is_default), None)
        if default is not None:
            self.fields["policy"].initial = default.slug
        if province is not None:
            self._fix_province(province)

    def _fix_province(self, province):
        # Only the offered choices are narrowed: a forged scope still reaches
        # workflow.services, whose refusal (and its reason) is the one shown.
        self.fields["scope_kind"].widget.choices = list(GOVERNOR_SCOPE_LABELS.items())
        field = self.fields["province"]
        field.queryset = Province.objects.filter(pk=province.pk)
        field.initial, field.disabled, field.empty_label = province.code, True, None
        self.fields["regions"].help_text = _(
            "Regency and city codes of your province, separated by commas or spaces, "
            "e.g. %(example)s"
        ) % {"example": f"{province.code}.01, {province.code}.02"}

    def full_clean(self):
        super().full_clean()
        self._describe_errors()

    def _describe_errors(self):
        # Screen readers announce a field's error with the field (Pico styles aria-invalid).
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                described = [f"id_{name}_error"]
                if self.fields[name].help_text:
                    described.append(f"id_{name}_helptext")
                attrs["aria-describedby"] = " ".join(described)
                attrs["aria-invalid"] = "true"

    def clean_regions(self):
        codes = sorted(set(re.split(r"[\s,;]+", self.cleaned_data["regions"].strip())) - {""})
        malformed = [c for c in codes if not REGION_CODE.match(c)]
        if malformed:
            raise forms.ValidationError(
                _("Not a region code: %(codes)s (write 15 for a province, 15.02 for a regency)"),
                params={"codes": ", ".join(malformed)},
            )
        return codes

    def clean(self):
        data = super().clean()
        kind = data.get("scope_kind")
        if kind == ScopeKind.PROVINCE and not data.get("province"):
            self.add_error("province", _("Choose the province whose regencies receive it."))
        if kind == ScopeKind.REGIONS and not data.get("regions") and "regions" not in self.errors:
            self.add_error("regions", _("Give at least one region code."))
        return data

    def scope(self):
        """The scope in the shape workflow.services.create_directive reads."""
        data = self.cleaned_data
        kind = data["scope_kind"]
        if kind == ScopeKind.PROVINCE:
            return {"province": data["province"].code}
        if kind == ScopeKind.REGIONS:
            return {"regions": data["regions"]}
        return {kind: True}

    def directive_arguments(self):
        data = self.cleaned_data
        return {
            "title": data["title"],
            "body": data["body"],
            "legal_basis": data["legal_basis"],
            "due_date": data["due_date"],
            "priority": data["priority"],
            "policy": data["policy"].slug,
            "document_kind": data["document_kind"] or None,
            "programme_basis": data["programme_basis"],
            "scope": self.scope(),
        }

    def add_service_errors(self, exc, message):
        """Put a service's InvalidInput back on the fields it names (else on the form)."""
        fields = [SERVICE_FIELDS.get(key, key) for key in exc.errors]
        fields = [f for f in fields if f in self.fields] or [None]
        for field in fields:
            self.add_error(field, message)
        self._describe_errors()


class ScopeForm(forms.Form):
    """The part of the composer the live recipient count reads: lenient, because it runs
    on every keystroke over a half-filled form."""

    scope_kind = forms.ChoiceField(choices=list(SCOPE_LABELS.items()), required=False)
    province = forms.ModelChoiceField(
        queryset=Province.objects.all(), to_field_name="code", required=False
    )
    regions = forms.CharField(required=False)
    due_date = forms.DateField(required=False)
    title = forms.CharField(required=False)
    document_kind = forms.ChoiceField(choices=DocumentKind.choices, required=False)
    policy = forms.ModelChoiceField(
        queryset=EscalationPolicy.objects.all(), to_field_name="slug", required=False
    )

    def unsaved_directive(self):
        """An unsaved directive carrying the scope, for workflow.services.recipient_offices;
        None while the scope is incomplete."""
        scope = self.scope()
        return None if scope is None else Directive(**scope.fields())

    def scope(self):
        """The scope the form gives (workflow.scopes.Scope); None while it is incomplete."""
        data = self.cleaned_data
        kind = data.get("scope_kind")
        if kind == ScopeKind.PROVINCE:
            province = data.get("province")
            return Scope(ScopeKind.PROVINCE, province.pk, province=province) if province else None
        if kind == ScopeKind.REGIONS:
            codes = re.split(r"[\s,;]+", (data.get("regions") or "").strip())
            codes = sorted({c for c in codes if REGION_CODE.match(c)})
            return Scope(ScopeKind.REGIONS, regions=tuple(codes)) if codes else None
        if kind in (ScopeKind.ALL_REGENCIES, ScopeKind.ALL_PROVINCES):
            return Scope(ScopeKind(kind))
        return None


class TrackingFilter(forms.Form):
    """The tracking page's filters, offered for the provinces and escalation steps the
    directive actually has."""

    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("Any state")), *ASSIGNMENT_STATES.items()],
    )
    province = forms.ChoiceField(label=_("Province"), required=False)
    overdue = forms.ChoiceField(
        label=_("Overdue"),
        required=False,
        choices=[
            ("", _("Overdue or not")),
            ("yes", _("Overdue only")),
            ("no", _("Not overdue")),
        ],
    )
    level = forms.TypedChoiceField(
        label=_("Escalation level"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, data, *, provinces, steps):
        super().__init__(data)
        self.fields["province"].choices = [
            ("", _("Every province")),
            *((p.code, f"{p.code} {p.name}") for p in provinces),
        ]
        self.fields["level"].choices = [
            ("", _("Any level")),
            ("0", _("0 · not escalated")),
            *((str(s.order), f"{s.order} · {s.display_name}") for s in steps),
        ]

    def filters(self):
        """The selector's filters; an invalid value filters nothing (and is shown)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        overdue = {"yes": True, "no": False}.get(data["overdue"])
        return {
            "state": data["state"],
            "province": data["province"],
            "overdue": overdue,
            "level": data["level"],
        }


class ReturnForm(forms.Form):
    """Returning a report for rework: the recipient is told why (required)."""

    prefix = "return"

    reason = forms.CharField(
        label=_("Why the report is returned"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The recipient reads it on the assignment and reworks the report."),
    )
