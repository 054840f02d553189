"""Top-level use cases run in a durable transaction (issue 17, item 6): when one returns,
its change is committed, never held in a caller's transaction that may still roll back.
Those a caller runs inside its own transaction (the demo loaders, the inbox, the one-time
key of a confirmed action) are not durable, and say so beside their decorator."""

import pytest
from django.db import transaction

from compliance import regions, services
from workflow import services as workflow_services

DURABLE = [
    services.reject_remediation,
    services.clear_regency,
    regions.load_regions,
    workflow_services.start_assignment,
    workflow_services.return_assignment,
    workflow_services.acknowledge_by_link,
    workflow_services.request_extension,
    workflow_services.withdraw_directive,
]
# run inside their callers' transactions (see the comment above each)
NOT_DURABLE = [
    services.flag_regency,
    services.submit_remediation,
    workflow_services.create_directive,
    workflow_services.submit_assignment,
    workflow_services.approve_extension,
]


@pytest.mark.django_db
@pytest.mark.parametrize("use_case", DURABLE, ids=lambda f: f.__name__)
def test_a_durable_use_case_refuses_to_run_inside_a_callers_transaction(use_case):
    # (the test's own transaction is allowed: Django relaxes the check inside TestCase)
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        use_case()  # refused on entering its transaction: no argument is looked at


@pytest.mark.django_db
@pytest.mark.parametrize("use_case", NOT_DURABLE, ids=lambda f: f.__name__)
def test_a_use_case_its_callers_wrap_runs_inside_their_transaction(use_case):
    with pytest.raises(TypeError), transaction.atomic():
        use_case()  # past its transaction's start: only the missing arguments stop it
