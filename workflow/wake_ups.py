"""Hand-offs to the broker from a thread of the process's own, after commit.

A publish to Redis costs the committing thread about a millisecond, a quarter of a
transition's time (docs/benchmarks.md), and with the broker down kombu's connect timeout.
A `Waker` takes the hand-off off that thread: asking costs a lock and a list append, and a
burst of commits shares one publish (at most one per `interval`). Every request is followed
by a publish that starts after it, with everything asked before it. A process that dies
before publishing leaves the work to the beat entry that is its net (the log consumer's,
the outbox's re-dispatcher), as a publish lost to a broker down did before; a normal exit
flushes (atexit). Used by workflow.log_consumer (its wake-up) and the outbox (the ids of
the notices a commit wrote).
"""

import atexit
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

logger = logging.getLogger(__name__)

# Seconds a burst of commits shares one publish: the latency a hand-off may add.
WAKE_INTERVAL = 0.05
# This process's wakers (process_wide): flushed at its exit.
_PROCESS_WIDE: list["Waker"] = []


class Waker:
    """Calls `publish(items)` from its thread with every item asked since the last call,
    at most once per `interval`. `publish` should log its own failures; one it raises is
    logged here and the items are left to the net."""

    def __init__(
        self,
        name: str,
        publish: Callable[[list[Any]], object],
        interval: float = WAKE_INTERVAL,
    ) -> None:
        self._name, self._publish, self._interval = name, publish, interval
        self._reset()

    def _reset(self) -> None:
        # Also in a forked child: the thread stayed in the parent, the lock may be held.
        self._lock = threading.Condition()
        self._asked = self._published = 0
        self._items: list[Any] = []
        self._thread: threading.Thread | None = None

    def process_wide(self) -> "Waker":
        """Reset in a forked child, flushed (5 s at most) at a normal exit."""
        os.register_at_fork(after_in_child=self._reset)
        atexit.register(self.flush, 5.0)
        _PROCESS_WIDE.append(self)
        return self

    def ask(self, items: Iterable[Any] = ()) -> None:
        with self._lock:
            self._asked += 1
            self._items.extend(items)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()
            self._lock.notify_all()

    def flush(self, timeout: float | None) -> bool:
        """Wait until everything asked so far was published (or failed and was logged);
        False when `timeout` passed first."""
        with self._lock:
            wanted = self._asked
            return self._lock.wait_for(lambda: self._published >= wanted, timeout)

    def _run(self) -> None:
        while True:
            with self._lock:
                self._lock.wait_for(lambda: self._asked > self._published)
                covered, items, self._items = self._asked, self._items, []
            try:
                self._publish(items)
            except Exception:
                logger.exception("%s: hand-off failed; the beat entry catches up", self._name)
            with self._lock:
                self._published = covered
                self._lock.notify_all()
            time.sleep(self._interval)  # what is asked meanwhile shares the next publish


def flush_process_wide(timeout: float = 5.0) -> bool:
    """Flush every process-wide waker, `timeout` seconds at most each: for an exit that
    skips atexit (a Celery prefork child ends with os._exit; ektp_compliance.celery)."""
    flushed = [waker.flush(timeout) for waker in _PROCESS_WIDE]  # every one, even after a miss
    return all(flushed)
