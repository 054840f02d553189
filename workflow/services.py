"""The workflow's use cases in one place, for the callers that name them through
`workflow.services` (views, the API, admin, other apps, tests). Each lives in the module
named for what it changes: directives, assignments, extensions, authority, scopes."""

from .assignments import (
    acknowledge_assignment,
    acknowledge_by_link,
    return_assignment,
    start_assignment,
    submit_assignment,
    verify_assignment,
)
from .authority import (
    DIRECTIVE_ISSUER_KINDS,
    issuing_office,
    managing_office,
    offices_acted_for,
    visible_assignments,
)
from .directives import (
    DOCUMENT_BY_OFFICE,
    create_directive,
    issue_directive,
    issue_system_directive,
    require_programme_basis,
    withdraw_directive,
)
from .extensions import approve_extension, reject_extension, request_extension
from .scopes import HEADS_OF_REGENCY, recipient_offices

__all__ = [
    "DIRECTIVE_ISSUER_KINDS",
    "DOCUMENT_BY_OFFICE",
    "HEADS_OF_REGENCY",
    "acknowledge_assignment",
    "acknowledge_by_link",
    "approve_extension",
    "create_directive",
    "issue_directive",
    "issue_system_directive",
    "issuing_office",
    "managing_office",
    "offices_acted_for",
    "recipient_offices",
    "reject_extension",
    "request_extension",
    "require_programme_basis",
    "return_assignment",
    "start_assignment",
    "submit_assignment",
    "verify_assignment",
    "visible_assignments",
    "withdraw_directive",
]
