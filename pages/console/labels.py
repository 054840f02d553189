"""What the console calls states and actions, in English msgids for the catalogue (the
models' own choice labels are Indonesian text and are not translated)."""

from django.utils.translation import gettext_lazy as _

STATE_LABELS = {
    "compliant": _("Compliant"),
    "flagged": _("Flagged for a violation"),
    "suspended": _("SIAK access cut"),
    "remediated": _("Remediation submitted"),
    "reconnected": _("Reconnected (probation)"),
}
STATES = tuple(STATE_LABELS)

# Transition names (compliance.models.Regency) as they label the state diagram's arrows.
TRANSITION_LABELS = {
    "flag": _("flag"),
    "approve_suspension": _("approve suspension"),  # before access orders (old logs)
    "suspend": _("cut carried out"),  # the operator confirmed the ordered cut
    "submit_remediation": _("submit remediation"),
    "reject_remediation": _("reject remediation"),
    "reconnect": _("reconnect"),
    "clear": _("clear"),
}

# Actions (compliance.permissions.ACTIONS) as they label the buttons.
ACTION_LABELS = {
    "flag": _("Flag a violation"),
    "request_suspension": _("Request suspension of SIAK access"),
    "approve_suspension": _("Approve the suspension"),
    "reject_suspension": _("Reject the suspension request"),
    "reject_remediation": _("Reject the remediation"),
    "reconnect": _("Reconnect SIAK access"),
    "clear": _("Clear the regency"),
    "upload_evidence": _("Upload evidence"),
    "submit_remediation": _("Submit remediation"),
}

VIOLATION_KIND_LABELS = {
    "hr": _("Human resources (Dukcapil officials appointed or moved without approval)"),
    "organisational": _("Organisational (Dukcapil office structure or type)"),
}
