"""Settings come from the environment (django-environ); every default is the demo's.

Production mode (DJANGO_PRODUCTION=1) requires a real SECRET_KEY, ALLOWED_HOSTS and
SECRETS_KEYS and turns on every security default `manage.py check --deploy` asks for.
"""
from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("CONNECTOR_VAR_DIR", str(BASE_DIR / "var")))

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

PRODUCTION = env.bool("DJANGO_PRODUCTION", default=False)
DEBUG = env.bool("DJANGO_DEBUG", default=not PRODUCTION)

# Demo-only defaults: production refuses to start without its own values.
_DEMO_SECRET_KEY = "demo-insecure-secret-key-not-for-production"
_DEMO_FERNET_KEY = "ZGVtby1rZXktZm9yLWxvY2FsLXNhbmRib3gtb25seSE="

SECRET_KEY = env.str("DJANGO_SECRET_KEY") if PRODUCTION else env.str("DJANGO_SECRET_KEY", _DEMO_SECRET_KEY)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[] if PRODUCTION else ["*"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# Fernet keys that encrypt secrets at rest; the first one encrypts, all decrypt (rotation).
SECRETS_KEYS = env.list("SECRETS_KEYS") if PRODUCTION else env.list("SECRETS_KEYS", default=[_DEMO_FERNET_KEY])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "axes",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",  # Swagger UI and Redoc assets served by the app itself (no CDN)
    "tenants",
    "connector",
    "lightspeed",
    # Every package under channels/ is a channel (CHANNEL_APPS narrows the list, e.g. "channels.a,channels.b").
    *env.list("CHANNEL_APPS",
              default=sorted(f"channels.{p.parent.name}" for p in (BASE_DIR / "channels").glob("*/apps.py"))),
]

MIDDLEWARE = [
    "connector.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "connector.middleware.RejectNulMiddleware",  # a NUL byte anywhere in the request: 400
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tenants.middleware.CurrentTenantMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out sign-in into connector.security.login_locked_out
]

ROOT_URLCONF = "connector.urls"
WSGI_APPLICATION = "connector.wsgi.application"

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
                "tenants.context_processors.current_tenant",
                "connector.context_processors.channel_nav",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'demo.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60 if PRODUCTION else 0)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The demo's web, worker and beat share one file: wait for locks, let readers run beside a writer.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;",
                                       "transaction_mode": "IMMEDIATE"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis serves the shared rate limiter and the cache; without it (demo) both stay in-process.
REDIS_URL = env.str("REDIS_URL", default="")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://localhost//")
if CELERY_BROKER_URL.startswith("filesystem:"):
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "tenants.tokens.RevokeApiTokensOnPasswordChange"},  # a new password ends every API token
]
AUTHENTICATION_BACKENDS = [
    "connector.security.LoginLimitBackend",  # django-axes: refuses sign-ins while an account or address is locked out
    "django.contrib.auth.backends.ModelBackend",
]
# Brute-force limits on every sign-in (/login/, /admin/login/, /api/token/): after AXES_FAILURE_LIMIT
# failures for one account, or from one address, sign-ins are refused with 429 for AXES_COOLOFF_TIME.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one locks: per account and per address
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "connector.security.login_locked_out"
AXES_CLIENT_IP_CALLABLE = "connector.security.client_ip"
AXES_DISABLE_ACCESS_LOG = True  # failures are kept (AccessAttempt, in admin); successes are not
AXES_VERBOSE = False
# Proxies in front of gunicorn that append to X-Forwarded-For (0: trust REMOTE_ADDR only).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Pre-rendered channel files (a channel's product feed). Production with several web hosts: a shared store,
    # e.g. FEED_STORAGE_BACKEND=storages.backends.s3.S3Storage (django-storages), configured by its own env.
    "feeds": {
        "BACKEND": env.str("FEED_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"),
        "OPTIONS": {} if env.str("FEED_STORAGE_BACKEND", default="") else {"location": str(VAR_DIR / "feeds")},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Outside production (demo, tests) WhiteNoise serves static files straight from the apps, no collectstatic.
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=not PRODUCTION)

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
if env.str("EMAIL_URL", default=""):  # e.g. smtp+tls://user:password@smtp.example.com:587
    vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="connector@localhost")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "tenants.tokens.ApiTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "connector.schema.OwnerAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "connector.paginators.CappedLimitOffsetPagination",
    "DEFAULT_PARSER_CLASSES": [
        "connector.parsers.SafeJSONParser",  # depth-limited, NUL-free JSON
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Lightspeed Connector API",
    "DESCRIPTION": "What a store owner can do: connection, channel settings, schedules, runs, orders.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# Content-Security-Policy (django-csp): scripts and styles from this site's files only, never inline.
# No form-action: "Connect Lightspeed" posts here and is redirected on to Lightspeed's OAuth host.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
    }
}

# External APIs. Every base URL is a setting: the sandboxes in the demo, the real hosts in production. Each
# channel (Lightspeed too) declares its own in `base_urls` (channel.py); the environment wins.
LIGHTSPEED_CLIENT_ID = env.str("LIGHTSPEED_CLIENT_ID", default="demo-client")
LIGHTSPEED_CLIENT_SECRET = env.str("LIGHTSPEED_CLIENT_SECRET", default="demo-secret")
LIGHTSPEED_REDIRECT_URI = env.str("LIGHTSPEED_REDIRECT_URI", default="http://127.0.0.1:8000/lightspeed/callback/")
LIGHTSPEED_SCOPES = env.str("LIGHTSPEED_SCOPES", default="employee:register employee:inventory employee:customers")
# Where this connector is reached from outside: a channel's checks fetch what the channel fetches there (the feed).
# Production default: https:// and the first allowed host.
PUBLIC_URL = env.str("PUBLIC_URL", default=f"https://{ALLOWED_HOSTS[0]}" if PRODUCTION and ALLOWED_HOSTS and
                     ALLOWED_HOSTS[0] != "*" else "http://127.0.0.1:8000")
# A channel's own base URLs are declared in its package (Channel.base_urls) and read from the environment the same way.
HTTP_TIMEOUT_SECONDS = env.float("HTTP_TIMEOUT_SECONDS", default=30.0)
# The most one external call may take in all: every attempt, retry wait and slow body included.
HTTP_DEADLINE_SECONDS = env.float("HTTP_DEADLINE_SECONDS", default=120.0)

# A run whose heartbeat is older than this is taken as abandoned (its worker died).
RUN_STALE_AFTER_SECONDS = env.int("RUN_STALE_AFTER_SECONDS", default=900)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "connector.redact.RedactingFilter"},
                "redact_urls": {"()": "connector.logs.UrlRedactingFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"httpx": {"level": "WARNING"}, "httpcore": {"level": "WARNING"},
                # "Unauthorized: /channels/<key>/feed/<token>.tsv" loses its token before any handler sees it.
                "django.request": {"filters": ["redact_urls"]}},
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SESSION_COOKIE_HTTPONLY = True
    X_FRAME_OPTIONS = "DENY"
