"""Settings for WSOA Tracker, driven by environment variables.

DEBUG is off unless DJANGO_DEBUG=1; SECRET_KEY must then come from DJANGO_SECRET_KEY.
DATABASE_URL selects PostgreSQL (production); unset or empty means the SQLite file.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from .env import env_flag

BASE_DIR = Path(__file__).resolve().parent.parent


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_flag("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY: it is required when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-with-debug-on"
elif not DEBUG and (
    len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-")
):
    # Sessions, password-reset links and CSRF tokens are signed with it: a short key can be
    # guessed. The same rule as Django's deploy check (security.W009), made an error.
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is too weak: use at least 50 random characters, with at least 5 "
        "different ones (not Django's 'django-insecure-' placeholder), e.g. "
        "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1" if DEBUG else "")

INSTALLED_APPS = [
    # Django's admin, on a site that also asks for the second factor (wsoa_tracker.admin_site).
    "wsoa_tracker.admin_site.TrackerAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_forms_gds",
    "django_filters",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Single sign-on (wsoa_tracker/sso): allauth's social accounts and its OpenID Connect
    # provider only; local sign-in stays Django's own (wsoa_tracker/accounts.py).
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    # The read-only API (actions/api): DRF, its OpenAPI 3 schema, Swagger UI's static files.
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_q",  # the job runner (wsoa_tracker/job_settings.py)
    "wsoa_tracker",
    "reviews",
    "weaknesses",
    "actions",
]

MIDDLEWARE = [
    # First: every response gets its request id and its log line (wsoa_tracker.request_log).
    "wsoa_tracker.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the body: 413 on a Content-Length over the limit.
    "wsoa_tracker.uploads.RequestBodyLimitMiddleware",
    # 400 for a NUL in the query string, which PostgreSQL cannot take.
    "wsoa_tracker.request_input.RefuseNulInQueryMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session has given its second factor.
    "django_otp.middleware.OTPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wsoa_tracker.sessions.SessionLifetimeMiddleware",
    "wsoa_tracker.sessions.NoStoreMiddleware",
    "wsoa_tracker.sessions.PublicPagesFirstLoginRequiredMiddleware",
    # After the password, signed-in pages need the second factor (wsoa_tracker.second_factor).
    "wsoa_tracker.second_factor.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Around the view only: a GET's transaction takes no write lock on SQLite.
    "wsoa_tracker.transactions.ReadsTakeNoWriteLockMiddleware",
    # Last, as django-axes asks, so that it sees the outcome of every sign-in.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "wsoa_tracker.urls"

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
                "wsoa_tracker.sessions.session_timeout",
                "actions.context_processors.approvals_awaiting",
            ],
        },
    },
]

WSGI_APPLICATION = "wsoa_tracker.wsgi.application"

# SQLite is the zero-setup default. IMMEDIATE transactions, a busy timeout and WAL
# journaling keep concurrent writers from failing with "database is locked"; reads (GET
# and HEAD) begin DEFERRED instead and take no write lock (wsoa_tracker.transactions).
SQLITE_DATABASE = {
    "ENGINE": "django.db.backends.sqlite3",
    "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
    "OPTIONS": {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    },
}


def env_seconds(name, default, minimum, whole=False):
    value = os.environ.get(name, "").strip() or str(default)
    try:
        seconds = int(value) if whole else float(value)
    except ValueError:
        seconds = None
    if seconds is None or seconds < minimum:
        kind = "a whole number of seconds" if whole else "a number of seconds"
        raise ImproperlyConfigured(f"{name} must be {kind}, at least {minimum}, not {value!r}.")
    return seconds


# PostgreSQL that hangs rather than refusing (frozen, failing over, cut off) must not hang
# every page: give up connecting after DJANGO_DB_CONNECT_TIMEOUT (libpq counts whole
# seconds, 2 at least), have the server cancel any statement after
# DJANGO_DB_STATEMENT_TIMEOUT, and notice a vanished peer by TCP keepalives and a
# 15-second limit on unacknowledged data. The health check uses a shorter statement
# timeout of its own (DJANGO_DB_HEALTH_TIMEOUT). A failure is a 503 page; the next request
# connects again by itself.
DB_CONNECT_TIMEOUT = env_seconds("DJANGO_DB_CONNECT_TIMEOUT", 5, minimum=2, whole=True)
DB_STATEMENT_TIMEOUT = env_seconds("DJANGO_DB_STATEMENT_TIMEOUT", 30, minimum=1)
DB_HEALTH_TIMEOUT = env_seconds("DJANGO_DB_HEALTH_TIMEOUT", 2, minimum=0.1)
POSTGRESQL_OPTIONS = {
    "connect_timeout": DB_CONNECT_TIMEOUT,
    "options": f"-c statement_timeout={round(DB_STATEMENT_TIMEOUT * 1000)}",
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 5,
    "keepalives_count": 3,
    "tcp_user_timeout": 15000,
}
# An empty DATABASE_URL counts as unset (dj-database-url would return nothing).
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    if DATABASE_URL
    else SQLITE_DATABASE
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Options given in DATABASE_URL's query string (e.g. ?sslmode=require) come on top.
    DATABASES["default"]["OPTIONS"] = POSTGRESQL_OPTIONS | DATABASES["default"].get("OPTIONS", {})
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# No form but the plan workbook's upload takes a file, and none needs a large body
# (wsoa_tracker.uploads): bodies over 1 MB are refused unread with 413, and any file part is
# refused before it is written anywhere, except by the workbook upload's own handler, which
# takes one file of at most WORKBOOK_MAX_BYTES into memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 1
WORKBOOK_MAX_BYTES = 900 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 0
FILE_UPLOAD_HANDLERS = ["wsoa_tracker.uploads.RefuseFiles"]

# The cache is a database table (manage.py createcachetable), shared by every app server.
# It keeps made board packs.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "wsoa_cache",
    },
    # Rendered grid sections (actions.reports.page_cache), shared by every app server and
    # bounded: at most 200 entries of at most 2 MB; a quarter are culled when full.
    "pages": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "wsoa_page_cache",
        "OPTIONS": {"MAX_ENTRIES": 200, "CULL_FREQUENCY": 4},
    },
    # Password reset counts (wsoa_tracker.password_reset), apart from the board packs.
    "throttle": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "wsoa_throttle_cache",
        "OPTIONS": {"MAX_ENTRIES": 10000},
    },
    # The API's per-person request counts (actions.api.authentication.ApiUserThrottle): each
    # app server process's own memory, so that reading the API writes nothing to the
    # database; with several processes a person may make up to that many times the rate.
    "api_throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes checks for a lockout before Django checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "wsoa_tracker.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # read, and upgraded at sign-in
]

# At least 12 characters, common and all-digit passwords refused; no upper limit and no
# composition rules, so long passphrases (and pasting them) work.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# static/build/ holds GOV.UK Frontend as compiled by `make assets` (npm).
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

LOGIN_URL = "sign-in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "sign-in"

# Security. Behind the council's TLS-terminating proxy set DJANGO_BEHIND_PROXY=1: the proxy
# must set X-Forwarded-Proto (stripping the client's), and set or append to X-Forwarded-For.
BEHIND_PROXY = env_flag("DJANGO_BEHIND_PROXY")
# How many proxies of ours each add an X-Forwarded-For entry (the council's TLS proxy: 1).
_proxy_count = os.environ.get("DJANGO_PROXY_COUNT", "1").strip()
if not _proxy_count.isdigit() or int(_proxy_count) < 1:
    raise ImproperlyConfigured(
        f"DJANGO_PROXY_COUNT must be a whole number of proxies, 1 or more, not {_proxy_count!r}."
    )
PROXY_COUNT = int(_proxy_count)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SECURE_SSL_REDIRECT = not DEBUG
# The load balancer's health check may come over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = 0 if DEBUG else 365 * 24 * 60 * 60
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# Councils' gov.uk domains are on the browsers' HSTS preload list already.
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No inline script or style anywhere: every page's CSS and JavaScript are static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Sessions live in the database, so any app server can serve any request. They end after
# 30 minutes idle and 12 hours after sign-in (wsoa_tracker.sessions); Django gives a new
# session key at sign-in. A signed-in page renews the idle limit at most once a minute
# (SESSION_REFRESH_AFTER), so that reading pages does not write the session row each time.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_AFTER = timedelta(minutes=1)
SESSION_MAX_LIFETIME = timedelta(hours=12)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
# "__Host-" cookies are only sent back over HTTPS to this exact host.
if not DEBUG:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
CSRF_FAILURE_VIEW = "wsoa_tracker.errors.csrf_failure"

# Sign-in throttling (django-axes): ten failures lock that username from that address for
# 15 minutes. Never the address alone, which would lock out a whole office behind one NAT.
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_SENSITIVE_PARAMETERS = ["password"]
# Behind the proxy the address is the right-most X-Forwarded-For entry of each of our
# DJANGO_PROXY_COUNT proxies, never a client-written one; a sign-in whose address cannot be
# known is refused rather than counted with everyone else's (wsoa_tracker.client_address).
AXES_CLIENT_IP_CALLABLE = "wsoa_tracker.client_address.client_address"

# Email: printed to the console in development; SMTP (EMAIL_HOST...) otherwise.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "wsoa-tracker@localhost")
# Links in emails point here.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# How many board packs may be made at once across every app server (each takes
# WeasyPrint tens of seconds of one core); more requests are asked to come back.
BOARD_PACK_RENDERS = int(os.environ.get("BOARD_PACK_RENDERS", "1"))
# Board packs are made by the job runner, so that nobody waits for one (the tests make
# them at once), and the plan's default pack is made after each approval decision.
BOARD_PACK_IN_BACKGROUND = True
BOARD_PACK_PREPARE_ON_DECISION = True

# History is read-only in the admin: no "revert" (a revert would bypass the rating rules).
SIMPLE_HISTORY_REVERT_DISABLED = True

# The record of the local area: the folder the load_record command reads.
RECORD_DIR = BASE_DIR / "fixtures"

# The read-only API (wsoa_tracker/api_settings.py); the logs, one JSON line a record with
# a request id on each (wsoa_tracker/log_settings.py); sign-in beyond Django's own: single
# sign-on, two-factor, password reset and leavers (wsoa_tracker/sign_in_settings.py);
# notifications through GOV.UK Notify or SMTP (wsoa_tracker/notify_settings.py); the job
# runner (wsoa_tracker/job_settings.py).
from .api_settings import *  # noqa: E402, F403
from .job_settings import *  # noqa: E402, F403
from .log_settings import *  # noqa: E402, F403
from .notify_settings import *  # noqa: E402, F403
from .sign_in_settings import *  # noqa: E402, F403
