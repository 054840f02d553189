"""`make run`'s process manager (ektp_compliance/devrun.py): every process gets the web
server's SITE_URL from PORT, and Ctrl-C stops them all cleanly, leaving a worker the time
to finish its task, then ends without an error."""

import signal
import subprocess
import sys
import time

import pytest

from tests.project.helpers import ROOT, child_env

pytestmark = pytest.mark.slow

# A stand-in for each process type: says its PORT and SITE_URL, then waits; the "worker"
# takes 7 s to stop (longer than honcho's own 5 s before it kills).
PROCFILE = """\
web: python -u -c 'import os, time; print("web", os.environ["PORT"], os.environ["SITE_URL"]); time.sleep(300)'
worker: exec python -u {worker}
"""
WORKER = """\
import os, signal, sys, time
def warm_shutdown(signum, frame):
    time.sleep(7)
    print("worker finished its task")
    sys.exit(0)
signal.signal(signal.SIGTERM, warm_shutdown)
print("worker", os.environ["SITE_URL"])
time.sleep(300)
"""


def test_ctrl_c_stops_everything_cleanly_and_links_follow_the_port(tmp_path):
    (tmp_path / "worker.py").write_text(WORKER)
    procfile = tmp_path / "Procfile"
    procfile.write_text(PROCFILE.format(worker=tmp_path / "worker.py"))
    env = child_env(PORT="8101")
    env.pop("SITE_URL", None)
    run = subprocess.Popen(
        [sys.executable, "-m", "ektp_compliance.devrun", str(procfile)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    time.sleep(3)
    run.send_signal(signal.SIGINT)  # what Ctrl-C sends
    output, _ = run.communicate(timeout=60)

    assert "web 8101 http://127.0.0.1:8101" in output
    assert "worker http://127.0.0.1:8101" in output  # not honcho's 8201 for the worker
    assert "worker finished its task" in output
    assert "SIGKILL" not in output
    assert run.returncode == 0, output
