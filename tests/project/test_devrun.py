"""`make run`'s process manager (ektp_compliance/devrun.py): every process gets the web
server's SITE_URL from PORT, and Ctrl-C stops them all cleanly, leaving a worker the time
to finish its task, then ends without an error."""

import signal
import subprocess
import sys

import pytest

from tests.project.helpers import ROOT, child_env

pytestmark = pytest.mark.slow

# A stand-in for each process type: says its PORT and SITE_URL, then waits for a signal;
# the "worker" takes 7 s to stop, longer than the 5 s after which honcho's own `start`
# kills (the time is what the test is about, so it is a real wait).
PROCFILE = """\
web: python -u -c 'import os, signal; print("web", os.environ["PORT"], os.environ["SITE_URL"]); signal.pause()'
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
signal.pause()
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
    started = []
    while len([line for line in started if " | web " in line or " | worker " in line]) < 2:
        started.append(run.stdout.readline())  # bounded by pytest-timeout
    run.send_signal(signal.SIGINT)  # what Ctrl-C sends, once both are up
    output, _ = run.communicate(timeout=60)
    output = "".join(started) + output

    assert "web 8101 http://127.0.0.1:8101" in output
    assert "worker http://127.0.0.1:8101" in output  # not honcho's 8201 for the worker
    assert "worker finished its task" in output
    assert "SIGKILL" not in output
    assert run.returncode == 0, output
