"""Health checks of the compose services, run inside the image (python:3.11-slim has no
curl or pgrep): standard library only, and quick.

    python deploy/healthcheck.py web    # /readyz answers 200 (database and broker reachable)
    python deploy/healthcheck.py beat   # a celery beat process is running

The web check asks as the proxy would, with a Host from ALLOWED_HOSTS (a bare 127.0.0.1
is refused by Django as a disallowed host) and X-Forwarded-Proto: https (else the
production settings redirect to https)."""

import os
import sys
import urllib.error
import urllib.request
from pathlib import Path


def allowed_host():
    hosts = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
    named = [h.lstrip(".") for h in hosts if h != "*"]
    return (named or ["localhost"])[0].replace("*.", "")


def web():
    port = os.environ.get("PORT", "8000")
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/readyz",
        headers={"Host": allowed_host(), "X-Forwarded-Proto": "https"},
    )
    try:
        with urllib.request.urlopen(request, timeout=4) as response:  # noqa: S310 (fixed URL)
            return response.status == 200
    except (urllib.error.URLError, OSError) as exc:
        print(f"web not ready: {exc}", file=sys.stderr)
        return False


def beat():
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            words = cmdline.read_bytes().split(b"\0")
        except OSError:  # the process ended while we looked
            continue
        if b"celery" in b" ".join(words) and b"beat" in words:
            return True
    print("no celery beat process", file=sys.stderr)
    return False


if __name__ == "__main__":
    checks = {"web": web, "beat": beat}
    if len(sys.argv) != 2 or sys.argv[1] not in checks:
        sys.exit(f"usage: python {sys.argv[0]} {'|'.join(checks)}")
    sys.exit(0 if checks[sys.argv[1]]() else 1)
