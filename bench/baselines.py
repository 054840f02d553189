"""What the scripts that compare a figure with its baseline print alike: the load average
(the machine is shared; other load moves the rates more than the ratios), the verdict
against the target, and a Celery producer on a real Redis under the benchmark's own key
prefix."""

import os
import uuid


def load_average():
    """The load average over 1, 5 and 15 minutes, with the number of CPUs."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} ({os.cpu_count()} CPUs)"


def verdict(ratio, target, *, at_most):
    """(met, text): the ratio against a target that is a ceiling (`at_most`) or a floor."""
    met = ratio <= target if at_most else ratio >= target
    sign = "<=" if at_most else ">="
    return met, f"{ratio:.2f}x, target {sign} {target}x: {'met' if met else 'NOT MET'}"


def redis_broker(url):
    """Point the Celery app at the Redis `url` under a key prefix of the benchmark's own;
    returns (redis client, prefix, purge), purge() deleting every key under the prefix."""
    import redis

    from ektp_compliance.celery import app

    prefix = f"bench-b-{uuid.uuid4().hex[:8]}:"
    app.conf.broker_url = app.conf.broker_write_url = url
    app.conf.broker_transport_options = {"visibility_timeout": 3600, "global_keyprefix": prefix}
    client = redis.Redis.from_url(url)

    def purge():
        keys = list(client.scan_iter(f"{prefix}*"))
        if keys:
            client.delete(*keys)
        return len(keys)

    return client, prefix, purge


def runs_line(label, ratios):
    """Every repetition's ratio, and their median beside the medians' ratio the verdict
    takes (under uneven load the two can differ)."""
    import statistics

    return (
        f"all runs, {label}: {[round(r, 2) for r in ratios]} (their median "
        f"{statistics.median(ratios):.2f}x; the verdict takes the medians' ratio)"
    )
