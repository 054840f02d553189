"""Production settings refuse insecure values at start and name the variable."""

import pytest

from .helpers import run_python

GOOD_KEY = "k7#Vq2!pZ9rT4xW8mB3nL6yH1sD5fG0jK-eU_aC@oI^wQ&zR*Yt3uN8vX"
START = "import django; django.setup(); print('started')"


def start(tmp_path, **env):
    return run_python(START, VAR_DIR=tmp_path, **env)


def test_production_starts_with_secure_values(tmp_path):
    result = start(tmp_path, DEBUG="0", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="ektp.kemendagri.go.id")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "started"


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"ALLOWED_HOSTS": "ektp.kemendagri.go.id"}, "SECRET_KEY"),
        ({"SECRET_KEY": "short", "ALLOWED_HOSTS": "ektp.kemendagri.go.id"}, "SECRET_KEY"),
        (
            {"SECRET_KEY": "insecure-dev-key-do-not-use-in-production", "ALLOWED_HOSTS": "a"},
            "SECRET_KEY",
        ),
        ({"SECRET_KEY": GOOD_KEY}, "ALLOWED_HOSTS"),
        ({"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
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
