"""Django's Redis cache backend with one redis-py client per connection pool, and Lua
scripts run atomically on the server (`run_script`).

Django's own client builds a `redis.Redis` for every cache operation (~0.1 ms of CPU: it
registers some two hundred reply callbacks each time), and every API request makes one or
two (the throttle's window, what workflow.kept keeps). A `redis.Redis` holds no
connection of its own: its pool hands them out, so one per pool serves every operation of
the backend (Django gives each thread its own backend). The API's throttles keep their
windows with a script (compliance.api.throttling): read, decided and written in one round
trip, where Django's get and set would be two, with room for another call in between."""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _Client(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _Client
        self._scripts = {}

    def run_script(self, source, key, *args):
        """The reply of the Lua `source` run on the server that holds `key` (the cache's
        key for it: its prefix and version added) with `args` as ARGV: atomically, in one
        round trip (EVALSHA; redis-py sends the source again when a server lacks it)."""
        key = self.make_and_validate_key(key)
        client = self._cache.get_client(key, write=True)
        script = self._scripts.get(source)
        if script is None:
            script = self._scripts[source] = client.register_script(source)
        return script(keys=[key], args=args, client=client)
