"""Posting to a receiver, safely: https to public addresses only (unless
WEBHOOK_ALLOW_PRIVATE), the address resolved once and connected to as resolved (a DNS
answer that changes between the check and the connection cannot point the request at the
internal network), no redirects followed, bounded timeouts."""

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import urllib3
from django.conf import settings

from .messages import Message


class Refused(Exception):
    """A receiver address this engine will not post to; `message`: why (str(): both
    languages, as the delivery log keeps it)."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Answer:
    status: int | None
    latency_ms: int
    error: str = ""

    @property
    def ok(self):
        return self.status is not None and 200 <= self.status < 300


def check_url(url):
    """(scheme, host, port, path) of an acceptable receiver URL, or Refused."""
    parts = urlsplit(url)
    allowed = {"https", "http"} if settings.WEBHOOK_ALLOW_PRIVATE else {"https"}
    if parts.scheme not in allowed or not parts.hostname:
        raise Refused(Message("receiver_not_https", url=url))
    if parts.username or parts.password:
        raise Refused(Message("receiver_credentials"))
    port = parts.port or (443 if parts.scheme == "https" else 80)
    path = parts.path or "/"
    if parts.query:
        path += f"?{parts.query}"
    return parts.scheme, parts.hostname, port, path


def public_address(host, port):
    """The address to connect to: every address `host` resolves to must be public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as e:
        raise Refused(Message("receiver_unresolved", host=host, error=str(e))) from e
    addresses = [info[4][0] for info in infos]
    if not settings.WEBHOOK_ALLOW_PRIVATE:
        private = [a for a in addresses if not ipaddress.ip_address(a).is_global]
        if private:
            raise Refused(Message("receiver_not_public", host=host, address=private[0]))
    return addresses[0]


def post(url, body, headers):
    """POST `body` to `url` as checked above; an Answer (never raises for the receiver's
    failures: refused addresses, timeouts and errors are answers without a status)."""
    started = time.monotonic()
    try:
        scheme, host, port, path = check_url(url)
        address = public_address(host, port)
        timeout = urllib3.Timeout(connect=5.0, read=settings.WEBHOOK_TIMEOUT_SECONDS)
        if scheme == "https":
            pool = urllib3.HTTPSConnectionPool(
                address, port, server_hostname=host, assert_hostname=host, timeout=timeout
            )
        else:
            pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout)
        host_header = host if port in (80, 443) else f"{host}:{port}"
        response = pool.urlopen(
            "POST",
            path,
            body=body,
            headers={**headers, "Host": host_header},
            redirect=False,
            retries=False,
            preload_content=False,
        )
        response.read(64 * 1024, decode_content=False)  # the answer's start only
        response.release_conn()
        status = response.status
        error = "" if 200 <= status < 300 else f"HTTP {status}"
        return Answer(status, _ms(started), error)
    except Refused as e:
        return Answer(None, _ms(started), str(e))
    except (urllib3.exceptions.HTTPError, OSError) as e:
        return Answer(None, _ms(started), f"{type(e).__name__}: {e}")


def _ms(started):
    return int((time.monotonic() - started) * 1000)
