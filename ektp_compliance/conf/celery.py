"""Celery: the broker, the task defaults, the named queues and their routes, and the beat
schedule (CELERY_TIMEZONE is set in settings.py, from TIME_ZONE)."""

from celery.schedules import crontab
from kombu import Queue

from .environment import VAR_DIR, env

# "localhost": the filesystem transport ignores it, but kombu warns at every start without one.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://localhost//")
_broker_dir = VAR_DIR / "broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    for sub in ("queue", "processed", "control"):
        (_broker_dir / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    # Redis: a task not acknowledged within the visibility timeout is redelivered;
    # it must exceed the longest task (hard time limit below).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=None) or None
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
CELERY_TASK_DEFAULT_QUEUE = "default"
# Named queues: e-mail delivery never waits behind a long sweep. A plain
# `celery -A ektp_compliance worker` consumes all of them (see celery.py).
# Each queue bound with its own routing key: Queue(name) alone binds every queue to the
# default exchange under the key "default", and Redis then copies each task into all three.
CELERY_TASK_QUEUES = [
    Queue(name, routing_key=name) for name in ("default", "email", "sweeps", "webhooks")
]
CELERY_TASK_ROUTES = {
    # Receivers answer at their own pace: never in the way of e-mail or sweeps.
    "webhooks.tasks.*": {"queue": "webhooks"},
    "workflow.tasks.deliver_*": {"queue": "email"},
    "workflow.tasks.dispatch_notifications": {"queue": "email"},
    "workflow.tasks.send_*": {"queue": "email"},
    "*.tasks.sweep_*": {"queue": "sweeps"},
    # A national file takes minutes: not on the queue of the nightly sweeps.
    "compliance.tasks.import_recording": {"queue": "default"},
    "compliance.tasks.*": {"queue": "sweeps"},
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The schedule is declared here, in code; the database scheduler syncs it.
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {
        "task": "ektp_compliance.tasks.heartbeat",
        "schedule": env.float("HEARTBEAT_SECONDS", default=60.0),
    },
    "escalation-sweep": {
        "task": "workflow.tasks.sweep_escalations",
        "schedule": env.float("ESCALATION_SWEEP_SECONDS", default=120.0),
    },
    # workflow follows compliance's transition log (workflow.log_consumer): each commit
    # wakes it; this is the net under a lost wake-up or a consumer that died.
    "follow-transition-log": {
        "task": "workflow.tasks.follow_transition_log",
        "schedule": 60.0,
    },
    "redispatch-notifications": {
        "task": "workflow.tasks.redispatch_notifications",
        "schedule": env.float("NOTIFICATION_REDISPATCH_SECONDS", default=60.0),
    },
    # Recording imports left queued (the broker was down) or running after a lost worker.
    # The event feed's positions for whatever committed without one (each commit sequences
    # its own at once; this is the net under a process that died in between).
    # Webhook subscriptions with events to deliver (webhooks/tasks.py): each its own task.
    "dispatch-webhooks": {
        "task": "webhooks.tasks.dispatch",
        "schedule": env.float("WEBHOOK_DISPATCH_SECONDS", default=5.0),
    },
    "sequence-events": {
        "task": "compliance.tasks.sequence_events",
        "schedule": 30.0,
    },
    "redispatch-recording-imports": {
        "task": "compliance.tasks.redispatch_imports",
        "schedule": 60.0,
    },
    # Access orders not carried out in time escalate to their director (compliance.access).
    "escalate-access-orders": {
        "task": "compliance.tasks.escalate_access_orders",
        "schedule": env.float("ACCESS_ORDER_SWEEP_SECONDS", default=300.0),
    },
    "clear-reconnected-after-probation": {
        "task": "compliance.tasks.sweep_probation",
        "schedule": crontab(minute=5, hour=0),  # 00:05 WIB daily
    },
    "governor-digests": {
        "task": "workflow.tasks.queue_governor_digests",
        "schedule": crontab(minute=0, hour=7),  # 07:00 WIB daily
    },
    "remind-signatories": {
        "task": "workflow.tasks.remind_signatories",
        "schedule": crontab(minute=0, hour=8),  # 08:00 WIB daily
    },
    "acceleration-directives": {
        "task": "workflow.tasks.issue_acceleration_directives",
        "schedule": crontab(minute=0, hour=6, day_of_week=1),  # Mondays 06:00 WIB
    },
}
