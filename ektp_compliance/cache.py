"""Django's Redis cache backend with one redis-py client per connection pool.

Django's own client builds a `redis.Redis` for every cache operation (~0.1 ms of CPU: it
registers some two hundred reply callbacks each time), and every API request makes two
or three (the throttle's counter, what workflow.kept keeps). A `redis.Redis` holds no
connection of its own: its pool hands them out, so one per pool serves every operation of
the backend (Django gives each thread its own backend)."""

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
