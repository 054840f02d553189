"""The embedded default works end to end: a real worker and a real beat process
on the filesystem broker and SQLite, with beat sending a task the worker runs."""

import subprocess
import sys
import time

import pytest

from .helpers import ROOT, child_env

pytestmark = pytest.mark.slow


def _celery(kind, env, log):
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "ektp_compliance", kind, "--loglevel=INFO"]
        + (["--concurrency=1"] if kind == "worker" else []),
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def test_worker_and_beat_run_a_scheduled_task_on_the_filesystem_broker(tmp_path):
    env = child_env(VAR_DIR=tmp_path, HEARTBEAT_SECONDS="1")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=180,
    )
    log_path = tmp_path / "celery.log"
    with open(log_path, "w") as log:
        procs = [_celery("worker", env, log), _celery("beat", env, log)]
        try:
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                text = log_path.read_text()
                if "Task ektp_compliance.tasks.heartbeat" in text and "succeeded" in text:
                    break
                if any(p.poll() is not None for p in procs):
                    break
                time.sleep(0.5)
        finally:
            for p in procs:
                p.terminate()
            for p in procs:
                p.wait(timeout=30)
    text = log_path.read_text()
    assert "Task ektp_compliance.tasks.heartbeat" in text and "succeeded" in text, text[-3000:]
    assert "database is locked" not in text
    assert (tmp_path / "db.sqlite3").exists()
