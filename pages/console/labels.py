"""What the console calls states and actions, in English msgids for the catalogue (the
models' own choice labels are Indonesian text and are not translated)."""

from django.utils.translation import gettext_lazy as _

# The states and transitions as the state diagram names them (one list, the diagram's).
from compliance.state_diagram import STATE_LABELS as STATE_LABELS
from compliance.state_diagram import STATES as STATES
from compliance.state_diagram import TRANSITION_LABELS as TRANSITION_LABELS

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
