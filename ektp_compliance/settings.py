"""One settings module, driven by the environment (see .env.example).

With nothing set it runs on the embedded default: SQLite, Celery over kombu's
filesystem transport and e-mail written to files, all under var/. In production
(DEBUG off) it refuses to start on insecure values and names the variable.
"""

import datetime as dt
import ipaddress
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .conf.api import *  # noqa: F403
from .conf.celery import *  # noqa: F403
from .conf.environment import BASE_DIR, DEBUG, VAR_DIR, env
from .conf.logging import *  # noqa: F403

_DEV_SECRET_KEY = "insecure-dev-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])


def _refuse_insecure_production_settings():
    """Fail at start, naming the variable, rather than run production insecurely."""
    if DEBUG:
        return
    if SECRET_KEY == _DEV_SECRET_KEY or not SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY is missing or is the development key; set SECRET_KEY."
        )
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "SECRET_KEY is insecure: use at least 50 random characters (SECRET_KEY)."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS is empty; set ALLOWED_HOSTS with DEBUG off.")


_refuse_insecure_production_settings()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_fsm",
    "django_htmx",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "compliance",
    "workflow",
    "equipment",
    "pages",
    "accounts",
    "webhooks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ektp_compliance.middleware.IndonesianUnlessChosen",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified()
    # A session that owes its second factor reaches only the pages that take it.
    "accounts.middleware.SecondFactorRequired",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into ektp_compliance/lockout.py's answer.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp): scripts and styles only from our own files, no
# inline code; a page that injected one would have it refused by the browser.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

ROOT_URLCONF = "ektp_compliance.urls"
WSGI_APPLICATION = "ektp_compliance.wsgi.application"
ASGI_APPLICATION = "ektp_compliance.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pages.context.menu",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one SQLite file: WAL lets readers run beside the
    # writer, IMMEDIATE takes the write lock at BEGIN (no lock upgrade deadlock),
    # and the timeout waits for the lock instead of failing "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    # Parameters bound by the server, and a statement a connection has run five times
    # prepared: PostgreSQL then plans it once per connection instead of on every request
    # (the assignment detail's query: 3.5 ms planned each time, 0.5 ms prepared). Django
    # leaves psycopg's preparing off (prepare_threshold None) unless OPTIONS asks for it;
    # binding alone plans every time. Off behind a pooler in transaction mode that cannot
    # keep prepared statements (PgBouncer < 1.21).
    if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options.setdefault("server_side_binding", True)
        options.setdefault("prepare_threshold", 5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------
# Holds the API's throttle counters and what many people read, kept per data version
# (workflow/kept.py: the console's pages, the directives' counts). The default is per
# process: with several web processes each counts and keeps alone, so in production point
# CACHE_URL at Redis (redis://host:6379/1; Django's own Redis backend, the redis package
# Celery brings).
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = (
        "ektp_compliance.cache.RedisCache"  # one client, not one per call
    )

# --- Sign-in lockout (django-axes) ----------------------------------------------------
# Every password sign-in (/masuk/, the admin, the API's session login) goes through
# authenticate(request=...): axes refuses a locked-out account before its password is
# checked. Tokens (the API's Authorization header) are not passwords and not counted.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Locked per account, never per IP address alone: a whole ministry office or regency
# signs in from behind one NAT address, and one person's typos must not lock them all out.
# The username-and-address pair is the combination axes' own check (axes.W006) asks for; at
# the same limit the account's count reaches it first, so the account lock is what bites.
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
# A refused attempt during the lock starts the cool-off again: guessing never resumes
# while someone keeps trying.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failure kept for the auditors (admin, read-only)
AXES_LOCKOUT_CALLABLE = "ektp_compliance.lockout.locked_out"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False  # no banner on every manage.py command and worker start

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language and time --------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on a missing folder
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Evidence is private: it is never served from MEDIA_URL, only through views that
# check the caller's jurisdiction.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
# Files are limited while they are received (ektp_compliance/uploads.py), then stored.
FILE_UPLOAD_HANDLERS = [
    "ektp_compliance.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

# --- E-mail -------------------------------------------------------------------
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
_email = env.email("EMAIL_URL", default="filemail://")
if _email["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend":
    _email["EMAIL_FILE_PATH"] = _email.get("EMAIL_FILE_PATH") or EMAIL_FILE_PATH
vars().update(_email)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Dukcapil Kemendagri <noreply@dukcapil.localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery: ektp_compliance/conf/celery.py (queues, routes, the beat schedule) -------
CELERY_TIMEZONE = TIME_ZONE

# --- Notifications (workflow/notifications/, docs/notifications.md) ---------------
# Absolute links in e-mails (the one-click acknowledgement) start with this: the address
# recipients open, so in production the public https:// address, never a loopback one.
# `make run` serves on PORT (default 8000) and links follow it.
PORT = env.int("PORT", default=8000)
SITE_URL = env.str("SITE_URL", default=f"http://127.0.0.1:{PORT}" if DEBUG else "")


def _is_loopback(host):
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback or ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def _refuse_unreachable_site_url():
    """Every link in every e-mail starts with SITE_URL: with DEBUG off, refuse to start on
    one that no recipient can open (missing, not http(s), or this machine's loopback)."""
    if DEBUG:
        return
    parts = urlsplit(SITE_URL)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ImproperlyConfigured(
            "SITE_URL is missing or not an http(s) address; set SITE_URL to the public "
            "address officials open (e.g. https://ektp.kemendagri.go.id)."
        )
    if _is_loopback(parts.hostname):
        raise ImproperlyConfigured(
            f"SITE_URL={SITE_URL} points to this machine (loopback): e-mail links would be "
            "dead for every recipient; set SITE_URL to the public address."
        )


_refuse_unreachable_site_url()
MESSAGE_ID_DOMAIN = env.str("MESSAGE_ID_DOMAIN", default="")  # empty: DEFAULT_FROM_EMAIL's
NOTIFICATION_BATCH_SIZE = env.int("NOTIFICATION_BATCH_SIZE", default=50)  # mails per task
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=8)
NOTIFICATION_RETRY_BASE_SECONDS = env.float("NOTIFICATION_RETRY_BASE_SECONDS", default=60.0)
NOTIFICATION_RETRY_MAX_SECONDS = env.float("NOTIFICATION_RETRY_MAX_SECONDS", default=6 * 3600.0)
# A row claimed longer ago than this is presumed abandoned (its worker died) and is sent
# again; it must exceed the longest batch send (CELERY_TASK_TIME_LIMIT).
NOTIFICATION_SENDING_TIMEOUT_SECONDS = env.int("NOTIFICATION_SENDING_TIMEOUT_SECONDS", default=600)
# Rows younger than this are still being handed over on commit: not re-dispatched yet.
NOTIFICATION_REDISPATCH_GRACE_SECONDS = env.int("NOTIFICATION_REDISPATCH_GRACE_SECONDS", default=60)
NOTIFICATION_REDISPATCH_LIMIT = env.int("NOTIFICATION_REDISPATCH_LIMIT", default=10000)
ACK_LINK_MAX_AGE_DAYS = env.int("ACK_LINK_MAX_AGE_DAYS", default=14)
# Every sent row is committed before the next mail goes (a worker killed re-sends at most
# the mail in flight). Above 1, on PostgreSQL only every g-th of these commits waits for
# the disk, so a crash of the database server itself may re-send up to g mails: an
# operator's choice (docs/notifications.md); the default keeps every failure at one.
NOTIFICATION_OUTCOME_GROUP = env.int("NOTIFICATION_OUTCOME_GROUP", default=1)

# --- Compliance rules ---------------------------------------------------------
PROBATION_DAYS = env.int("PROBATION_DAYS", default=30)
# Days a regent or mayor gets to remediate after a flag or a suspension (Dukcapil practice:
# a warning letter with a 10-day deadline).
REMEDIATION_DUE_DAYS = env.int("REMEDIATION_DUE_DAYS", default=10)
# Hours the network operators get to carry out an access order (cut or restore SIAK
# access) before it escalates to the director who decided it: a ministry policy choice (no
# instrument sets a time for carrying out the cut). Clock hours: the network runs round
# the clock.
ACCESS_ORDER_DUE_HOURS = env.int("ACCESS_ORDER_DUE_HOURS", default=24)
# Days a regent or mayor gets to repair a device reported broken (equipment app).
DEVICE_REPAIR_DUE_DAYS = env.int("DEVICE_REPAIR_DUE_DAYS", default=14)
# Laggards (compliance/laggards.py): a regency lags when its e-KTP recording realisation is
# below LAGGARD_FLOOR_PERCENT and, at the same time, more than LAGGARD_TOLERANCE_POINTS
# below the straight path from its level on 1 January to 100 % on 31 December. Both
# figures are a ministry policy choice (Ditjen Dukcapil), not set by any regulation.
LAGGARD_TOLERANCE_POINTS = env.float("LAGGARD_TOLERANCE_POINTS", default=5.0)
LAGGARD_FLOOR_PERCENT = env.float("LAGGARD_FLOOR_PERCENT", default=80.0)
# Days a lagging regency's regent or mayor gets to answer an acceleration directive.
ACCELERATION_DUE_DAYS = env.int("ACCELERATION_DUE_DAYS", default=14)
# Where escalation steps addressed to "the ministry" go (Dukcapil pusat's monitoring desk).
MINISTRY_EMAIL = env.str("MINISTRY_EMAIL", default="pemantauan.dukcapil@kemendagri.example.go.id")
# Head-of-region offices get an official address <office>.<region>@OFFICE_EMAIL_DOMAIN
# when regions are loaded (e.g. bupati.merangin@...), until add_official sets another.
OFFICE_EMAIL_DOMAIN = env.str("OFFICE_EMAIL_DOMAIN", default="pemda.example.go.id")
# When offices open, local time: a step that falls on a non-working day moves to this hour
# of the next working day (ministry policy; Perpres 21/2023 leaves the hour to each office).
OFFICE_DAY_START = env.str("OFFICE_DAY_START", default="08:00")
# Webhooks (docs/webhooks.md): receivers must be https:// on public addresses unless this
# allows private ones (tests, an internal network); never in a public deployment.
WEBHOOK_ALLOW_PRIVATE = env.bool("WEBHOOK_ALLOW_PRIVATE", default=False)
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10.0)
WEBHOOK_BATCH = env.int("WEBHOOK_BATCH", default=100)  # events per delivery task
# A subscription failing this long is disabled and its owner e-mailed (ministry policy).
WEBHOOK_DISABLE_AFTER_DAYS = env.int("WEBHOOK_DISABLE_AFTER_DAYS", default=3)
WEBHOOK_SECRET_OVERLAP_HOURS = env.int("WEBHOOK_SECRET_OVERLAP_HOURS", default=24)
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
# Recording report files (CSV/XLSX) uploaded in the console or the API; a national year of
# daily reports is about 110 MB of CSV.
RECORDING_IMPORT_MAX_BYTES = env.int("RECORDING_IMPORT_MAX_BYTES", default=256 * 1024 * 1024)
# Bad rows listed in an import's report (all of them are counted).
RECORDING_IMPORT_MAX_LISTED_ERRORS = env.int("RECORDING_IMPORT_MAX_LISTED_ERRORS", default=1000)

# --- API: ektp_compliance/conf/api.py (REST framework, tokens, the OpenAPI schema) ----

# --- Production hardening (check --deploy) ------------------------------------
if not DEBUG:
    # No SECURE_PROXY_SSL_HEADER: Django would believe X-Forwarded-Proto from any client.
    # gunicorn sets the scheme from it only for requests from FORWARDED_ALLOW_IPS (default
    # 127.0.0.1: a TLS proxy on the same machine; in docker-compose.yml, Caddy).
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    # HSTS preload is a one-way commitment for the whole domain; the operator opts in.
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# --- Logging: ektp_compliance/conf/logging.py -----------------------------------------

# --- Pages --------------------------------------------------------------------
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Electronic signatures (workflow/signing.py, docs/signatures.md) ------------------------
# One PKCS#12 key per signatory office: menteri.p12, gubernur-<province code>.p12.
SIGNING_KEYS_DIR = Path(env.str("SIGNING_KEYS_DIR", default=str(VAR_DIR / "signing")))
# Empty: the demo keys' published password (never for real keys).
SIGNING_KEY_PASSWORD = env.str("SIGNING_KEY_PASSWORD", default="")
# PEM file of the root certificates a signature must chain to; empty: the demo CA's
# certificate, SIGNING_KEYS_DIR/ca-demo.pem.
SIGNING_TRUST_ROOTS = env.str("SIGNING_TRUST_ROOTS", default="")
# A missing key is made by the demo CA on first use (the embedded default, the tests);
# off in production (DEBUG=0), where a missing key is an error the signatory sees.
SIGNING_DEMO_KEYS = env.bool("SIGNING_DEMO_KEYS", default=DEBUG)

# What a commit's follow-up work runs in: the feed's positions, workflow following the
# transition log (docs/workflow.md, "Workflow follows the transition log") and the outbox's
# hand-off of new notices. "celery": the committing request only asks a thread of its
# process to publish (workflow.wake_ups) and returns; "inline": the committing thread
# does it after commit (the test suite, where no worker runs; a one-process setup).
AFTER_COMMIT_WORK = env.str("AFTER_COMMIT_WORK", default="celery")
if AFTER_COMMIT_WORK not in ("celery", "inline"):
    raise ImproperlyConfigured(
        f"AFTER_COMMIT_WORK must be celery or inline, not {AFTER_COMMIT_WORK!r}"
    )
