"""Escalation policies, directives, assignments, the notification outbox, written
warnings and the log reader's position: one module each, every name re-exported here
(migrations and other apps import them from workflow.models)."""

from .assignments import (
    ESCALATION_STOPPED,
    A,
    Assignment,
    AssignmentEvent,
    AssignmentState,
    ExtensionRequest,
    ExtensionStatus,
    StepEvent,
)
from .directives import (
    Directive,
    DirectiveState,
    DocumentKind,
    Priority,
    ScopeKind,
    _default_policy,  # migration 0003 names it as workflow.models._default_policy
)
from .log_consumer import LogConsumer
from .notifications import Notification, NotificationState
from .policies import (
    Anchor,
    ClosureDay,
    EnglishName,
    EscalationPolicy,
    EscalationStep,
    OffsetUnit,
    StepAction,
    require_citation,
)
from .sanctions import Letter, LetterCounter, ProposalState, SanctionProposal

__all__ = [
    "ESCALATION_STOPPED",
    "A",
    "Anchor",
    "Assignment",
    "AssignmentEvent",
    "AssignmentState",
    "ClosureDay",
    "Directive",
    "DirectiveState",
    "DocumentKind",
    "EnglishName",
    "EscalationPolicy",
    "EscalationStep",
    "ExtensionRequest",
    "ExtensionStatus",
    "Letter",
    "LetterCounter",
    "LogConsumer",
    "Notification",
    "NotificationState",
    "OffsetUnit",
    "Priority",
    "ProposalState",
    "SanctionProposal",
    "ScopeKind",
    "StepAction",
    "StepEvent",
    "_default_policy",
    "require_citation",
]
