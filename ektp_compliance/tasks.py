import logging

from celery import shared_task
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task(name="ektp_compliance.tasks.heartbeat")
def heartbeat():
    """Proves that beat schedules and a worker runs; the return value is its instant."""
    now = timezone.now().isoformat()
    logger.info("heartbeat %s", now)
    return now
