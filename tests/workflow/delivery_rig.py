"""Real parts for the delivery tests: an SMTP server (aiosmtpd, in this process), a Celery
worker subprocess on Redis, and this process's Celery app pointed at the same broker.

Each test gets its own Redis key prefix, so tests running side by side (pytest -n) never
consume each other's tasks."""

import asyncio
import email
import email.policy
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from aiosmtpd.controller import Controller
from django.db import connection
from kombu import pools as kombu_pools

from ektp_compliance.celery import app
from tests.project.helpers import ROOT, child_env


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MailHandler:
    """Records every message it accepts. `replies` answers RCPT for an address (e.g.
    '451 ...' or '550 ...'), `sender_reply` every MAIL; `hold` makes the first DATA for
    an address wait (after the message is recorded) until `release` is set, as a slow
    server would. `pipelining`: its EHLO answer offers PIPELINING (RFC 2920), as Postfix,
    Exim and Exchange do by default."""

    def __init__(self, *, pipelining=False):
        self.pipelining = pipelining
        self.messages = []
        self.replies = {}
        self.sender_reply = None
        self.hold = set()
        self.holding = threading.Event()
        self.release = threading.Event()
        self.sessions = 0
        self._lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with self._lock:
            self.sessions += 1
        session.host_name = hostname
        if self.pipelining:
            return [*responses[:-1], "250-PIPELINING", responses[-1]]
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.sender_reply:
            return self.sender_reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.replies.get(address)
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(msg)
            held = [a for a in envelope.rcpt_tos if a in self.hold]
            self.hold -= set(held)
        if held:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
        return "250 Message accepted for delivery"

    def to(self, address):
        return [m for m in self.messages if address in m["To"]]

    def message_ids(self):
        return [m["Message-ID"] for m in self.messages]


class MailServer:
    def __init__(self, port=None, handler=None):
        self.port = port or free_port()
        self.handler = handler or MailHandler()
        self.controller = None

    def start(self):
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self):
        if self.controller:
            self.handler.release.set()
            self.controller.stop()
            self.controller = None

    @property
    def url(self):
        return f"smtp://127.0.0.1:{self.port}"


class GroupingServer:
    """A minimal SMTP server that offers PIPELINING and answers none of a message's
    commands before it holds the message's whole envelope (MAIL, RCPT, DATA), waiting up
    to `patience` seconds for it: `groups` lists, per message, the commands it held when
    it first answered. A client that waits for each reply (smtplib) leaves ["MAIL"]."""

    def __init__(self, patience=2.0):
        self.patience, self.groups, self.messages = patience, [], []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def stop(self):
        self.listener.close()

    def _serve(self):
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:  # stopped
                return
            with conn:
                self._session(_Lines(conn))

    def _session(self, lines):
        lines.reply(b"220 grouping ESMTP")
        while (line := lines.next()) is not None:
            verb = line[:4].upper()
            if verb == b"EHLO":
                lines.reply(b"250-grouping\r\n250-PIPELINING\r\n250 SIZE 10240000")
            elif verb == b"MAIL":
                self._transaction(lines)
            elif verb == b"QUIT":
                lines.reply(b"221 Bye")
                return
            else:  # RSET, NOOP
                lines.reply(b"250 OK")

    def _transaction(self, lines):
        group, held = ["MAIL"], [b"250 OK"]
        while True:
            line = lines.next(self.patience if held is not None else None)
            if line is None and held is None:  # the client went away
                return
            if line is None:  # the client waits for an answer: give it
                self.groups.append(group)
                lines.reply(b"\r\n".join(held))
                held = None
                continue
            verb = line[:4].upper().decode()
            if held is not None:
                group.append(verb)
            answer = b"354 End data with <CR><LF>.<CR><LF>" if verb == "DATA" else b"250 OK"
            if held is None:
                lines.reply(answer)
            else:
                held.append(answer)
            if verb == "DATA":
                break
        if held is not None:
            self.groups.append(group)
            lines.reply(b"\r\n".join(held))
        data = []
        while (line := lines.next()) != b".\r\n":
            if line is None:  # the client went away before the end of data
                return
            data.append(line)
        self.messages.append(email.message_from_bytes(b"".join(data)))
        lines.reply(b"250 Message accepted for delivery")


class _Lines:
    """A connection's lines, read with an optional time limit (None when it passed)."""

    def __init__(self, conn):
        self.conn, self.buffer = conn, b""

    def next(self, timeout=None):
        self.conn.settimeout(timeout)
        while b"\r\n" not in self.buffer:
            try:
                chunk = self.conn.recv(65536)
            except TimeoutError:
                return None
            if not chunk:
                return None
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\r\n")
        return line + b"\r\n"

    def reply(self, text):
        self.conn.sendall(text + b"\r\n")


def database_url():
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def transport_options(prefix):
    return {"visibility_timeout": 3600, "global_keyprefix": prefix}


@contextmanager
def broker(url, prefix):
    """Point this process's Celery app at `url` (keys under `prefix`) for the block."""
    conf = app.conf
    saved = conf.broker_write_url, conf.broker_transport_options

    def reset():
        # kombu keeps connection and producer pools in process-wide registries keyed by
        # connection; closing only the app's pool left a closed pool registered, which
        # the next task sent from this process (a live server's request) then acquired.
        kombu_pools.reset()
        app._pool = None
        app.amqp._producer_pool = None

    reset()
    # broker_write_url: CELERY_BROKER_URL in the environment wins over conf.broker_url
    conf.broker_write_url, conf.broker_transport_options = url, transport_options(prefix)
    try:
        yield
    finally:
        reset()
        conf.broker_write_url, conf.broker_transport_options = saved


_WORKER = (
    "import os, sys\n"
    "from ektp_compliance.celery import app\n"
    "app.conf.broker_transport_options = {'visibility_timeout': 3600,"
    " 'global_keyprefix': os.environ['TEST_BROKER_PREFIX']}\n"
    "app.worker_main(sys.argv[1:])\n"
)


class Worker:
    def __init__(
        self,
        *,
        broker_url,
        prefix,
        mail_url,
        log_path,
        concurrency=1,
        queues="email,default",
        **env,
    ):
        self.env = child_env(
            DATABASE_URL=database_url(),
            CELERY_BROKER_URL=broker_url,
            TEST_BROKER_PREFIX=prefix,
            EMAIL_URL=mail_url,
            SITE_URL="http://testserver",
            VAR_DIR=Path(log_path).parent / "var",
            CONN_MAX_AGE=0,
            **env,
        )
        self.concurrency = concurrency
        self.queues = queues
        self.log_path = Path(log_path)
        self.proc = None

    def start(self):
        self._log = open(self.log_path, "a")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _WORKER, "worker", "--loglevel=INFO", "-Q", self.queues]
            + ["--pool=prefork", f"--concurrency={self.concurrency}", "--without-heartbeat"]
            + ["--without-mingle", "--without-gossip", f"--hostname=w{uuid.uuid4().hex[:8]}@%h"],
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(lambda: "ready." in self.log(), 60, self.log)
        return self

    def log(self):
        return self.log_path.read_text() if self.log_path.exists() else ""

    def children(self):
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return [int(p) for p in path.read_text().split()]

    def kill(self):
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        self._log.close()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
            self._log.close()


def wait_for(predicate, timeout, describe=lambda: ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s\n{str(describe())[-4000:]}")


def new_prefix():
    return f"test-{uuid.uuid4().hex[:12]}:"


def serving_mail(settings, handler=None):
    """A started MailServer that Django's SMTP backend sends to (for a fixture: stop it
    afterwards)."""
    server = MailServer(handler=handler).start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    return server
