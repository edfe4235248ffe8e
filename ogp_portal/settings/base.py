"""Settings read from the environment.

With nothing set the portal runs embedded: SQLite in the project folder,
Celery tasks in-process, local-memory cache, e-mail to the console.
`DATABASE_URL` and `REDIS_URL` switch it to PostgreSQL and Redis.
`PORTAL_DEMO=1` (what `make demo` sets) serves a demonstration from a database of its
own, never the real one, with a banner on every page.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

INSECURE_SECRET_KEY = "django-insecure-estado-abierto-development-only"  # noqa: S105


def env_bool(name, default=False):
    value = os.getenv(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


DATABASE_URL = os.getenv("DATABASE_URL", "")
REDIS_URL = os.getenv("REDIS_URL", "")
EMBEDDED = not DATABASE_URL
# Demo mode: synthetic data on a separate database (see "Database" below), a banner on
# every page and a header on every response (demo.context_processors, demo.middleware).
PORTAL_DEMO = env_bool("PORTAL_DEMO")

# Debug is on by default only in the embedded mode a newcomer starts with, and in the
# demo that `make demo` serves with runserver.
DEBUG = env_bool("DEBUG", default=EMBEDDED or PORTAL_DEMO)
SECRET_KEY = os.getenv("SECRET_KEY", INSECURE_SECRET_KEY)
if not DEBUG and SECRET_KEY == INSECURE_SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a long random value when DEBUG is off "
        "(production refuses to start with the development key)."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "simple_history",
    "accounts",
    "commitments",
    "states",
    "coordination",
    "indicators",
    "api",
    "reviews",
    "demo",
    "search",
    "imports",
    "ogp_data",
    # Project-wide commands: backup_portal, restore_portal.
    "ogp_portal",
]

MIDDLEWARE = [
    # First: gives a plainly anonymous cached API answer again, whole, as the stack below
    # gave it (api/v1/replay.py); everything else passes through.
    "api.v1.replay.replay_cached_api_answers",
    # So that every response says it comes from the demo when it does.
    "demo.middleware.demo_header",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before CommonMiddleware: no redirect, no URL pattern for a path with a newline.
    "ogp_portal.middleware.refuse_paths_with_control_characters",
    "django.middleware.common.CommonMiddleware",
    # Before CommonMiddleware sets Content-Length: pages lose control and bidi-override
    # characters that escaping leaves in people's text (issue 15).
    "ogp_portal.middleware.strip_unsafe_characters_from_pages",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Records the acting user on history rows written by the admin.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ogp_portal.urls"
WSGI_APPLICATION = "ogp_portal.wsgi.application"
ASGI_APPLICATION = "ogp_portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "demo.context_processors.demo_mode",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=int(os.getenv("CONN_MAX_AGE", "60")), conn_health_checks=True
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": Path(os.getenv("SQLITE_PATH", BASE_DIR / "db.sqlite3")),
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }
# The API's computed reads as server-side prepared statements on PostgreSQL
# (ogp_portal.prepared); off behind a pooler in transaction mode (PgBouncer).
DATABASE_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", default=True)


def demo_database_name(database, *, embedded):
    """The demo's database beside the real one: demo.sqlite3 when embedded, else the
    same server with ``_demo`` added to the name (or the SQLite file's stem)."""
    if embedded:
        return Path(os.getenv("DEMO_SQLITE_PATH", BASE_DIR / "demo.sqlite3"))
    if database["ENGINE"].endswith("sqlite3"):
        path = Path(database["NAME"])
        return path.with_name(f"{path.stem}_demo{path.suffix}")
    return f"{database['NAME']}_demo"


REAL_DATABASE_NAME = DATABASES["default"]["NAME"]
if PORTAL_DEMO:
    DATABASES["default"]["NAME"] = demo_database_name(DATABASES["default"], embedded=EMBEDDED)
    if str(DATABASES["default"]["NAME"]) == str(REAL_DATABASE_NAME):
        raise ImproperlyConfigured("The demo database must not be the real database.")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------
if REDIS_URL:
    # Redis is optional at run time: a read misses and a write is dropped when it is down
    # or slower than the socket timeout (ogp_portal/cache.py, ogp_portal/resilience.py).
    REDIS_SOCKET_TIMEOUT = float(os.getenv("REDIS_SOCKET_TIMEOUT", "0.5"))
    CACHES = {
        "default": {
            "BACKEND": "ogp_portal.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            # The demo shares Redis but none of the real portal's cached pages or counters.
            "KEY_PREFIX": "ogp-demo" if PORTAL_DEMO else "ogp",
            "OPTIONS": {
                "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery ---------------------------------------------------------------
# Embedded mode runs tasks in-process so that nothing but Python is needed. So does the
# demo: a real worker would run its tasks against the real database.
CELERY_BROKER_URL = "memory://" if PORTAL_DEMO else (REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = PORTAL_DEMO or env_bool(
    "CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL
)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "America/Mexico_City"
# delay() must not hang a web request when Redis is down, or up but not answering (a
# hung server, a dropped connection): socket timeouts bound both; the worker's BRPOP
# waits brpop_timeout (1 s), below them. A failed enqueue is left to the sweep.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "socket_connect_timeout": 1,
    "socket_timeout": float(os.getenv("CELERY_BROKER_SOCKET_TIMEOUT", "1.5")),
}
# One queue name for web, worker and beat; two stacks sharing one Redis use two names.
CELERY_TASK_DEFAULT_QUEUE = os.getenv("CELERY_QUEUE", "celery")
CELERY_BEAT_SCHEDULE = {
    "sweep-pending-recomputes": {
        "task": "indicators.tasks.sweep_pending_recomputes",
        "schedule": float(os.getenv("RECOMPUTE_SWEEP_SECONDS", "300")),
    },
    "nightly-recompute": {
        "task": "indicators.tasks.recompute_everything",
        "schedule": crontab(hour=3, minute=15),
    },
    "daily-open-data-package": {
        "task": "api.tasks.build_open_data",
        "schedule": crontab(hour=4, minute=30),
    },
    # Notices whose after-commit enqueue was lost are mailed by this sweep.
    "send-pending-notifications": {
        "task": "reviews.tasks.send_notifications",
        "schedule": 300.0,
    },
    # Invitations whose after-commit enqueue was lost are mailed by this sweep.
    "send-pending-invitations": {
        "task": "accounts.tasks.send_invitations",
        "schedule": 300.0,
    },
    "daily-notification-digest": {
        "task": "reviews.tasks.send_daily_digest",
        "schedule": crontab(hour=7, minute=0),
    },
    # Reporting rounds (issue 14): one digest a person a day; later runs mail what the
    # day's first run could not (each person still gets at most one e-mail a day).
    "reporting-round-reminders": {
        "task": "coordination.tasks.send_round_reminders",
        "schedule": crontab(hour="8,14", minute=0),
    },
}

# --- E-mail ---------------------------------------------------------------
# EMAIL_URL: smtp://user:password@host:port (smtp+tls:// for STARTTLS, smtps:// for TLS).
# Unset, mail goes to the console while debugging and to a local MTA in production.
EMAIL_URL = os.getenv("EMAIL_URL", "" if DEBUG else "smtp://localhost:25")
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "Estado Abierto <no-responder@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL


def mailer_from_url(url):
    if not url:
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps", "smtp+tls"}:
        raise ImproperlyConfigured("EMAIL_URL must start with smtp://, smtp+tls:// or smtps://")
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": parts.hostname or "localhost",
            "port": parts.port or (465 if parts.scheme == "smtps" else 587),
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_ssl": parts.scheme == "smtps",
            "use_tls": parts.scheme == "smtp+tls",
            "timeout": 10,
        },
    }


# The demo's accounts are made up: its mail only ever goes to the console.
MAILERS = {"default": mailer_from_url("" if PORTAL_DEMO else EMAIL_URL)}

# Links in e-mails point here (no request to build them from in a worker).
PORTAL_BASE_URL = os.getenv(
    "PORTAL_BASE_URL", "http://localhost:8001" if PORTAL_DEMO else "http://localhost:8000"
)

# --- Civil-society review (issue 4) ---------------------------------------
# Authors may change a comment for this long after publishing it.
COMMENT_EDIT_WINDOW_SECONDS = int(os.getenv("COMMENT_EDIT_WINDOW_MINUTES", "15")) * 60
# Per user: (how many, per how many seconds). Counters live in the cache (Redis in production).
REVIEW_RATE_LIMITS = {
    "comment": (int(os.getenv("COMMENT_RATE_LIMIT", "10")), 600),
    "flag": (int(os.getenv("FLAG_RATE_LIMIT", "20")), 3600),
}
# Invitation links for organisation members stop working after this long.
INVITATION_MAX_AGE_SECONDS = int(os.getenv("INVITATION_MAX_AGE_DAYS", "7")) * 24 * 3600

# --- Auth -----------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out account or address is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed logins (accounts/lockout.py; counters in the database so every web process sees
# them): AXES_FAILURE_LIMIT failures lock the (username, address) pair for the cool-off;
# the account accepts at most LOGIN_ACCOUNT_FAILURE_LIMIT failed checks per window from
# addresses it never logged in from (ASVS V2.2.1: at most 100 per hour); one address at
# most LOGIN_ADDRESS_FAILURE_LIMIT over all accounts. A password reset lifts them.
AXES_FAILURE_LIMIT = int(os.getenv("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.getenv("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Refused attempts during a lock do not extend it: failures expire.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_HANDLER = "accounts.lockout.LockoutHandler"
LOGIN_FAILURE_WINDOW = timedelta(minutes=int(os.getenv("LOGIN_FAILURE_WINDOW_MINUTES", "60")))
LOGIN_ACCOUNT_FAILURE_LIMIT = int(os.getenv("LOGIN_ACCOUNT_FAILURE_LIMIT", "20"))
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.getenv("LOGIN_ADDRESS_FAILURE_LIMIT", "100"))
AXES_VERBOSE = False
# Behind a reverse proxy every request comes from the proxy's address: count the
# trusted proxies so axes takes the client's address from X-Forwarded-For instead,
# otherwise five failures from anyone would lock out everyone.
TRUSTED_PROXY_COUNT = int(os.getenv("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "accounts.client_ip.client_ip"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# --- Language and time ----------------------------------------------------
LANGUAGE_CODE = "es-mx"
LANGUAGES = [("es-mx", _("Español (México)")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Mexico_City"
USE_I18N = True
USE_TZ = True

# --- Static and media files ----------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", BASE_DIR / "media"))
if PORTAL_DEMO:
    # Evidence uploaded in the demo stays out of the real portal's files.
    MEDIA_ROOT = Path(os.getenv("DEMO_MEDIA_ROOT", BASE_DIR / "demo-media"))
# Evidence uploads: larger files are refused with a form error.
EVIDENCE_MAX_UPLOAD_BYTES = int(os.getenv("EVIDENCE_MAX_UPLOAD_MB", "10")) * 1024 * 1024
# Spreadsheet imports (imports app): the largest file, the most rows, and the size from
# which the dry run and the apply run as a Celery task with a progress bar.
IMPORT_MAX_UPLOAD_BYTES = int(os.getenv("IMPORT_MAX_UPLOAD_MB", "50")) * 1024 * 1024
IMPORT_MAX_ROWS = int(os.getenv("IMPORT_MAX_ROWS", "200000"))
IMPORT_BACKGROUND_FROM_BYTES = int(os.getenv("IMPORT_BACKGROUND_FROM_KB", "256")) * 1024
FILE_UPLOAD_PERMISSIONS = 0o640
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- API ------------------------------------------------------------------
# Reads are public; writes (issue 3) will use session or token auth and the
# project's permission module. Throttles are for fairness, not security.
REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # Token first, so that an anonymous write gets 401 (with WWW-Authenticate), not 403.
    # Session authentication enforces CSRF on writes.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.v1.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON that the database can store or a 400 (no lone surrogates, NaN or 1e999).
    "DEFAULT_PARSER_CLASSES": [
        "api.v1.parsers.StrictJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Services' refusals (ogp_portal.service_errors) become status codes in one place.
    "EXCEPTION_HANDLER": "api.v1.service_errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "api.v1.throttling.AnonRateThrottle",
        "api.v1.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.getenv("API_THROTTLE_ANON", "120/minute"),
        "user": os.getenv("API_THROTTLE_USER", "600/minute"),
    },
    "COERCE_DECIMAL_TO_STRING": False,
    "URL_FORMAT_OVERRIDE": "format",
}
# Rendered API responses are cached this long (per data generation, see
# api/v1/response_cache.py): the most a write that skips ogp_portal.outbox.data_changed()
# stays unseen. 0 turns the cache off.
API_RESPONSE_CACHE_SECONDS = int(os.getenv("API_RESPONSE_CACHE_SECONDS", "60"))
SPECTACULAR_SETTINGS = {
    "TITLE": "API de Estado Abierto",
    "DESCRIPTION": (
        "Datos públicos de los planes de acción de gobierno abierto de México, nacional y "
        "estatales: compromisos, hitos, avance, instituciones y coordinación. Lectura "
        "pública; listas paginadas (`page`, `page_size` hasta 100), filtrables, ordenables "
        "y descargables en CSV con `?format=csv`; respuestas con ETag y Last-Modified."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.describe_path_parameters",
        "api.schema.refuse_empty_query_values",
        "api.schema.state_filter_bounds",
        "api.schema.bound_path_ids",
        "api.schema.exclusive_targets",
    ],
    "ENUM_NAME_OVERRIDES": {
        "CompletionLevelEnum": "indicators.models.CompletionLevel",
        "PlanStatusEnum": "commitments.models.PlanStatus",
        "MilestoneStatusEnum": "commitments.models.MilestoneStatus",
        "IrmReportKindEnum": "commitments.models.IrmReportKind",
        "ParticipationStatusEnum": "states.models.ParticipationStatus",
        "InstitutionKindEnum": "commitments.models.InstitutionKind",
        "ScopeEnum": "commitments.models.PlanScope",
        "RoundScopeEnum": "coordination.round_models.RoundScope",
    },
}

# --- Security -------------------------------------------------------------
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The language cookie is set like the session cookie (no page script reads it).
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = SESSION_COOKIE_SAMESITE
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.getenv("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
}
