"""Griffie settings, read from the environment (see `.env.example`).

With no environment at all the app runs on an SQLite file with Celery tasks
executed in-process, so `make run` works on a bare machine. `DATABASE_URL` and
`REDIS_URL` switch to PostgreSQL and a real broker (production, CI, tests).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def load_dotenv(path: Path) -> None:
    """Read KEY=value lines from .env; the real environment wins over the file."""
    if not path.is_file():
        return
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            os.environ.setdefault(key.strip(), value.strip())


load_dotenv(BASE_DIR / ".env")


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


DEBUG = env_bool("DEBUG", default=False)
# The fallback key only exists so the quick start runs; production must set SECRET_KEY.
SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-development-key-set-SECRET_KEY-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    # Swagger UI's files as static files of our own: the API's docs page loads nothing from a CDN.
    "drf_spectacular_sidecar",
    "core",
    "dossiers",
    "letters",
    "questions",
    "deadlines",
    # The clerk's actions (upload and import, correct, enter by hand): above the four domain apps.
    "intake",
    # The REST API (/api/v1/) and its personal tokens: above intake, whose use cases it calls.
    "api",
    "csp",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Anonymous users see nothing but the login page (and token-authenticated links).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Pages behind the login are never stored by the browser or a proxy (shared office machines).
    "core.middleware.PrivatePagesMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during authentication into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
    {
        # The components every list of letters draws (rows, badges, timeline, search results),
        # rendered into the pages above by letters' template tags; see README "Benchmarks".
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "config.jinja2.environment", "extensions": ["jinja2.ext.i18n"]},
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'griffie.sqlite3'}",
        # Each web and Celery worker keeps its connection for a minute instead of connecting per
        # request; checked before reuse, so a database restart costs no failed request.
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if IS_POSTGRES:
    # PostgreSQL compiles a statement its planner thinks expensive (a sort or join over the whole
    # archive, even under a LIMIT of 50) to machine code first: a quarter of a second per request,
    # repaid only by long reports. No page here is one.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The quick start imports in a thread beside the web server: with a write-ahead log, pages
    # still read while an import writes, and a writer waits for the other instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes refuses logins after too many failures, counted per username and per client address
# (either locks), until the cool-off has passed or an admin resets it (admin, `manage.py axes_reset`).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("GRIFFIE_LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("GRIFFIE_LOGIN_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "core.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "core.clientip.client_ip"
AXES_VERBOSE = False  # no banner on every manage.py command; failures and lockouts are still logged
# How many reverse proxies in front of gunicorn append to X-Forwarded-For (1 in docker-compose.yml).
# 0 trusts no header: with a proxy in front, every login would then seem to come from the proxy.
GRIFFIE_TRUSTED_PROXIES = env_int("GRIFFIE_TRUSTED_PROXIES", 0)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# Dutch by default; English available through the language switcher.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]  # SHORT_DATE_FORMAT: the date in lists of letters
FILTERS_EMPTY_CHOICE_LABEL = _("All")  # a filter select's empty choice (django-filter)
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Uploads: a letter PDF is rarely over a few MB; 50 MB leaves room for scanned bundles.
GRIFFIE_MAX_UPLOAD_BYTES = env_int("GRIFFIE_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Import limits: PDF extraction runs in a forked child that may use this much memory on top of
# what the importing process already has, for at most this long.
GRIFFIE_IMPORT_MEMORY_MB = env_int("GRIFFIE_IMPORT_MEMORY_MB", 400)
GRIFFIE_IMPORT_TIMEOUT_SECONDS = env_int("GRIFFIE_IMPORT_TIMEOUT_SECONDS", 300)
GRIFFIE_IMPORT_MAX_PAGES = env_int("GRIFFIE_IMPORT_MAX_PAGES", 2000)
# A scanned page (no text layer) is read by OCR (Tesseract, Dutch); one read with a mean word
# confidence below this (0-100) is flagged for the clerk to check against the scan.
GRIFFIE_OCR_CONFIDENCE_FLOOR = env_int("GRIFFIE_OCR_CONFIDENCE_FLOOR", 60)
# A PDF of more than ten pages is extracted by this many children at once, each taking the next
# range of pages and each within the memory limit above (`letters.parser.extract.iter_document`).
GRIFFIE_IMPORT_PROCESSES = env_int("GRIFFIE_IMPORT_PROCESSES", 2)
# An import's claim is a lease: a document still "processing" this long after its worker last
# reported progress was abandoned (a killed worker, a lost connection) and is taken again.
GRIFFIE_IMPORT_LEASE_SECONDS = env_int("GRIFFIE_IMPORT_LEASE_SECONDS", 2 * GRIFFIE_IMPORT_TIMEOUT_SECONDS)

# Deadline rules (days). See deadlines/rules.py.
GRIFFIE_TERM_DAYS_EK = env_int("GRIFFIE_TERM_DAYS_EK", 28)
GRIFFIE_TERM_DAYS_TK = env_int("GRIFFIE_TERM_DAYS_TK", 21)
GRIFFIE_POSTPONEMENT_GRACE_DAYS_EK = env_int("GRIFFIE_POSTPONEMENT_GRACE_DAYS_EK", 28)
GRIFFIE_POSTPONEMENT_GRACE_DAYS_TK = env_int("GRIFFIE_POSTPONEMENT_GRACE_DAYS_TK", 21)
GRIFFIE_DUE_SOON_DAYS = env_int("GRIFFIE_DUE_SOON_DAYS", 7)
GRIFFIE_ALERT_DAYS_BEFORE = [int(d) for d in env_list("GRIFFIE_ALERT_DAYS_BEFORE", "7,1")]
GRIFFIE_OVERDUE_REMINDER_DAYS = env_int("GRIFFIE_OVERDUE_REMINDER_DAYS", 7)
# A verslag on a bill without an expected reply date is announced as still waiting every this many
# days counted from its date (rules.next_waiting_reminder).
GRIFFIE_WAITING_REMINDER_DAYS = env_int("GRIFFIE_WAITING_REMINDER_DAYS", 28)
# A number beside a menu entry: the entry's URL name -> the function (of the user) that counts it.
GRIFFIE_MENU_COUNTS = {"intake:upload": "intake.selectors.letters_to_confirm"}
# A postponement or answer that reaches Griffie more than this many days after its date (a backlog
# import) is recorded but not mailed: subscribers hear the present state, not old news.
GRIFFIE_NEWS_DAYS = env_int("GRIFFIE_NEWS_DAYS", 14)
# A calendar feed holds the pending deadlines due from this many days ago on (rules.calendar_since),
# at most GRIFFIE_CALENDAR_MAX_EVENTS of them, the earliest first.
GRIFFIE_CALENDAR_PAST_DAYS = env_int("GRIFFIE_CALENDAR_PAST_DAYS", 90)
GRIFFIE_CALENDAR_MAX_EVENTS = env_int("GRIFFIE_CALENDAR_MAX_EVENTS", 1000)
# An Atom feed (deadlines.feeds) holds the newest this many entries: a reader keeps what it has read.
GRIFFIE_FEED_ENTRIES = env_int("GRIFFIE_FEED_ENTRIES", 50)

# Celery: with no REDIS_URL the tasks run in-process (quick start, no broker needed).
REDIS_URL = os.environ.get("REDIS_URL", "")
# Without a broker, in DEBUG (the quick start), an upload's import runs in a thread of the web
# process: the upload answers at once and the review page shows progress, as with a worker.
GRIFFIE_IMPORT_IN_THREAD = env_bool("GRIFFIE_IMPORT_IN_THREAD", default=DEBUG and not REDIS_URL)
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = GRIFFIE_IMPORT_TIMEOUT_SECONDS + 60
CELERY_TIMEZONE = TIME_ZONE
# The database holds the work, not the broker: publishing gives up within seconds when the broker is
# down (the upload still succeeds, its document waits as "pending"), and the sweep below queues
# every document still waiting, once the broker is back or after a broker restart lost its queue.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
# A pending document queued this long ago and not started is queued again (its message was lost).
GRIFFIE_IMPORT_REQUEUE_SECONDS = env_int("GRIFFIE_IMPORT_REQUEUE_SECONDS", 600)
# The one place periodic jobs are defined.
CELERY_BEAT_SCHEDULE = {
    "refresh-deadlines": {
        "task": "deadlines.tasks.refresh_deadlines",
        "schedule": crontab(minute="*/15"),
    },
    "sweep-imports": {
        "task": "intake.tasks.sweep_imports",
        "schedule": crontab(minute="*"),
    },
    "deliver-alerts": {
        "task": "deadlines.tasks.deliver_alerts",
        "schedule": crontab(minute="5-59/15"),
    },
}

# The REST API (README "REST API"). Every list is paged by a cursor; every error is JSON with a
# message (api.exceptions); each token (or, without one, each user) has its own request budget.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ModelPermission"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.NewestFirstCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerTokenThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": os.environ.get("GRIFFIE_API_RATE", "1200/hour")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.json_exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Griffie API",
    "DESCRIPTION": "Letters, questions, answers and reply deadlines of parliamentary committees; "
    "the clerk's intake (upload, correct, confirm).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "kind" and a "status": each enum named after its choices.
    "ENUM_NAME_OVERRIDES": {
        "LetterKindEnum": "letters.choices.LetterKind",
        "ImportStatusEnum": "letters.choices.ImportStatus",
        "DeadlineStatusEnum": "deadlines.choices.DeadlineStatus",
        "LinkKindEnum": "questions.choices.LinkKind",
        "LinkSourceEnum": "questions.choices.LinkSource",
    },
}
# The throttle's counters: shared by every web worker through Redis when there is one, else per
# process. A cache that cannot be reached lets the request through (api.throttling).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "api": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "griffie-api",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api"}
    ),
}

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Griffie <griffie@localhost>")

if env_bool("SECURE", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True

# Scripts and styles only from our own files (no inline script, no inline event handler). Pages
# frame only our own original PDFs; the PDF response widens object-src and frame-ancestors for
# itself (letters.views.SourcePdfView).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "frame-src": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
