"""The default after-commit path through a real Celery worker (subprocess, Redis,
PostgreSQL): a transition's commit wakes a task and the worker makes workflow follow the
transition log (workflow.log_consumer); the committing process does no more than publish."""

import pytest

from compliance.models import Event
from tests.compliance import scenario
from workflow.models import Assignment

from .delivery_rig import Worker, broker, new_prefix, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(postgres, regions, log_flushable, redis_url, tmp_path, settings):
    settings.AFTER_COMMIT_WORK = "celery"  # the default, which the suite otherwise runs inline
    prefix = new_prefix()
    with broker(redis_url, prefix):
        w = Worker(
            broker_url=redis_url,
            prefix=prefix,
            mail_url="smtp://127.0.0.1:1",  # no e-mail is awaited here
            log_path=tmp_path / "worker.log",
            queues="default",
        )
        yield w
        w.stop()


def remediation_states(regency):
    rows = Assignment.objects.filter(
        directive__origin_key__startswith="remediation:", directive__scope_regions=[regency.code]
    )
    return list(rows.values_list("state", flat=True))


def test_a_commit_wakes_the_worker_which_follows_the_log(worker):
    cast = scenario.Cast.of(scenario.MERANGIN)
    scenario.flag(cast)  # committed: the wake-up waits in Redis, no worker yet
    assert remediation_states(cast.regency) == []
    assert Event.objects.filter(type="regency.flag", position__isnull=True).exists()

    worker.start()
    wait_for(lambda: remediation_states(cast.regency) == ["issued"], 45, worker.log)
    assert not Event.objects.filter(type="regency.flag", position__isnull=True).exists()

    scenario.remediate(cast)  # the worker is running: it follows at once
    wait_for(lambda: remediation_states(cast.regency) == ["submitted"], 45, worker.log)
