"""The project's settings for bench/bench_http.py: its URLs plus the baseline view, served
over plain HTTP on 127.0.0.1.

The benchmark has no TLS proxy in front of gunicorn, so the cookies marked Secure in
production (DEBUG off) would never travel back from wrk or locust; the redirect to HTTPS
would answer every request with a 301. Nothing else differs from production."""

from ektp_compliance.settings import *  # noqa: F403

ROOT_URLCONF = "bench.http_site.urls"
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
