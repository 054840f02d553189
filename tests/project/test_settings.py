"""Production settings refuse insecure values at start and name the variable."""

import pytest

from .helpers import run_python

GOOD_KEY = "k7#Vq2!pZ9rT4xW8mB3nL6yH1sD5fG0jK-eU_aC@oI^wQ&zR*Yt3uN8vX"
START = "import django; django.setup(); print('started')"


def start(tmp_path, **env):
    return run_python(START, VAR_DIR=tmp_path, **env)


PUBLIC = {"ALLOWED_HOSTS": "ektp.kemendagri.go.id", "SITE_URL": "https://ektp.kemendagri.go.id"}


def test_production_starts_with_secure_values(tmp_path):
    result = start(tmp_path, DEBUG="0", SECRET_KEY=GOOD_KEY, **PUBLIC)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "started"


@pytest.mark.parametrize(
    ("env", "named"),
    [
        (PUBLIC, "SECRET_KEY"),
        ({"SECRET_KEY": "short", **PUBLIC}, "SECRET_KEY"),
        (
            {"SECRET_KEY": "insecure-dev-key-do-not-use-in-production", **PUBLIC},
            "SECRET_KEY",
        ),
        ({"SECRET_KEY": GOOD_KEY, "SITE_URL": PUBLIC["SITE_URL"]}, "ALLOWED_HOSTS"),
        ({"SECRET_KEY": GOOD_KEY, **PUBLIC, "ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        # every e-mail link starts with SITE_URL: none, or this machine, reaches no one
        ({"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "ektp.kemendagri.go.id"}, "SITE_URL"),
        ({"SECRET_KEY": GOOD_KEY, **PUBLIC, "SITE_URL": "ektp.kemendagri.go.id"}, "SITE_URL"),
        ({"SECRET_KEY": GOOD_KEY, **PUBLIC, "SITE_URL": "http://127.0.0.1:8000"}, "SITE_URL"),
        ({"SECRET_KEY": GOOD_KEY, **PUBLIC, "SITE_URL": "http://localhost"}, "SITE_URL"),
        ({"SECRET_KEY": GOOD_KEY, **PUBLIC, "SITE_URL": "http://[::1]:8000/"}, "SITE_URL"),
        ({"SECRET_KEY": GOOD_KEY, **PUBLIC, "SITE_URL": "http://0.0.0.0:8000"}, "SITE_URL"),
    ],
)
def test_production_refuses_insecure_values_naming_the_variable(tmp_path, env, named):
    result = start(tmp_path, DEBUG="0", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert named in result.stderr.splitlines()[-1]


def test_nothing_set_gives_the_embedded_default(tmp_path):
    result = run_python(
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.EMAIL_BACKEND)",
        VAR_DIR=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "filesystem://localhost//",
        "django.core.mail.backends.filebased.EmailBackend",
    ]
    assert (tmp_path / "broker" / "queue").is_dir()


def test_make_runs_port_moves_the_links_with_the_server(tmp_path):
    result = run_python(
        "import django; django.setup(); from django.conf import settings as s; print(s.SITE_URL)",
        VAR_DIR=tmp_path,
        PORT="8101",
    )
    assert result.stdout.strip() == "http://127.0.0.1:8101", result.stderr


def test_the_scheme_is_not_taken_from_a_clients_header(tmp_path):
    """Behind the TLS proxy gunicorn sets the scheme, for requests from the proxy only
    (FORWARDED_ALLOW_IPS); Django must not believe X-Forwarded-Proto from anyone."""
    code = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(getattr(s, 'SECURE_PROXY_SSL_HEADER', None), s.SECURE_SSL_REDIRECT)"
    )
    result = run_python(code, VAR_DIR=tmp_path, DEBUG="0", SECRET_KEY=GOOD_KEY, **PUBLIC)
    assert result.stdout.split() == ["None", "True"], result.stderr
