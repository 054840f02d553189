"""The API's throttles: DRF's own (the same scopes, rates and answers), with each window
kept atomically in one round trip when the cache is Redis.

DRF keeps a throttle's window (the instants of the calls within its duration) with a
cache `get` and a `set`: two round trips a call, and two calls that overlap between them
each write back a window without the other's instant, so concurrent calls slip past the
rate (encode/django-rest-framework#5181; DRF's documentation, "A note on concurrency").
On Redis (ektp_compliance.cache) one script trims the window, counts it and, below the
rate, adds the call: every call is counted, in one round trip. What is decided is DRF's:
an instant leaves the window `duration` seconds after it (DRF drops `<= now - duration`),
a call is refused once the window holds `num_requests`, a refused call is not counted,
and DRF's `wait()` (Retry-After) reads the window the script returns with a refusal. On
any other cache (the embedded default's memory, one process) DRF's own path runs."""

import secrets

from rest_framework import throttling

# KEYS[1]: the window (a sorted set: one member per counted call, scored by its instant).
# ARGV: the call's instant, the instant at or before which calls have left the window,
# the rate's number of calls, the call's member, the window's lifetime in seconds.
WINDOW = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  return redis.call('ZREVRANGE', KEYS[1], 0, -1, 'WITHSCORES')
end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('EXPIRE', KEYS[1], ARGV[5])
return false
"""


class AtomicWindow(throttling.SimpleRateThrottle):
    """DRF's SimpleRateThrottle with its window kept by `WINDOW` where the cache can run
    scripts. Listed after a DRF throttle among its bases, so that the throttle's own
    allow_request (a scoped one finds its rate there) comes first."""

    def allow_request(self, request, view):
        run_script = getattr(self.cache, "run_script", None)
        if run_script is None or self.rate is None:
            return super().allow_request(request, view)
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        # Instants repeat (a coarse or stopped clock): the member is the call's own.
        call = f"{self.now!r}:{secrets.token_hex(6)}"
        left = self.now - self.duration
        # Not DRF's key: that one holds DRF's pickled list, of another Redis type.
        refused = run_script(
            WINDOW, f"{self.key}:window", self.now, left, self.num_requests, call, self.duration
        )
        if refused is None:  # counted
            return True
        # Newest first, as DRF keeps it: wait() reads the oldest at the end.
        self.history = [float(score) for score in refused[1::2]]
        return self.throttle_failure()


class UserRateThrottle(throttling.UserRateThrottle, AtomicWindow):
    """Per signed-in user (DRF's `user` scope)."""


class AnonRateThrottle(throttling.AnonRateThrottle, AtomicWindow):
    """Per address, for calls without a user (DRF's `anon` scope)."""


class ScopedRateThrottle(throttling.ScopedRateThrottle, AtomicWindow):
    """Per user and the view's `throttle_scope` (DRF's scoped rates)."""
