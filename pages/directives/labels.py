"""English msgids for the workflow's states (the models' own labels are Indonesian text),
so that the pages read in the user's language."""

from django.utils.translation import gettext_lazy as _

from workflow.models import AssignmentState, DirectiveState

ASSIGNMENT_STATES = {
    AssignmentState.ISSUED: _("Issued"),
    AssignmentState.ACKNOWLEDGED: _("Acknowledged"),
    AssignmentState.IN_PROGRESS: _("In progress"),
    AssignmentState.SUBMITTED: _("Submitted"),
    AssignmentState.VERIFIED: _("Verified"),
    AssignmentState.RETURNED: _("Returned"),
    AssignmentState.WITHDRAWN: _("Withdrawn"),
}
DIRECTIVE_STATES = {
    DirectiveState.DRAFT: _("Draft"),
    DirectiveState.ISSUED: _("Issued"),
    DirectiveState.CLOSED: _("Closed"),
    DirectiveState.WITHDRAWN: _("Withdrawn"),
}
