"""Run Django in a child process with its own environment, as a deployment would."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Variables the child must not inherit from the test run (CI sets some of them).
_PROJECT_VARS = (
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "EMAIL_URL",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "VAR_DIR",
    "DJANGO_SETTINGS_MODULE",
)


def child_env(**overrides):
    env = {k: v for k, v in os.environ.items() if k not in _PROJECT_VARS}
    env["READ_DOT_ENV"] = "0"
    env["DJANGO_SETTINGS_MODULE"] = "ektp_compliance.settings"
    env.update({k: str(v) for k, v in overrides.items()})
    return env


def run_python(code, **env):
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=child_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )
