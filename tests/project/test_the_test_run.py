"""The suite's own switches: --today moves the clock of the run and of the processes it
starts; --no-skips turns a skipped test into a failure (CI's run with every service)."""

import subprocess
import sys

from tests.project.helpers import ROOT, child_env


def run_probe(*options):
    return subprocess.run(
        [sys.executable, "-m", "pytest", "tests/project/clock_probe.py", "-p", "no:xdist"]
        + ["-p", "no:cacheprovider", "-q", "-rA", *options],
        cwd=ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_today_and_no_skips():
    result = run_probe("--today=2031-05-05T03:00", "--no-skips")

    assert (
        "PASSED tests/project/clock_probe.py::test_this_process_and_its_children" in result.stdout
    )
    assert "skipped under --no-skips: not here" in result.stdout
    assert "1 failed, 1 passed" in result.stdout, result.stdout[-3000:]


def test_without_no_skips_a_skip_is_a_skip():
    result = run_probe("--today=2031-05-05T03:00")

    assert "1 passed, 1 skipped" in result.stdout, result.stdout[-3000:]


def test_a_bad_date_is_refused_by_name():
    result = run_probe("--today=5/5/2031")

    assert result.returncode == 4  # usage error
    assert "--today=5/5/2031: expected YYYY-MM-DD" in result.stderr
