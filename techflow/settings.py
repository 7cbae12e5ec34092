"""Settings for the TechFlow CMS: one module, machine-specific values from the environment."""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name, default=False):
    """Read a boolean; anything but a clear yes/no stops the start-up."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_list(name, default=()):
    """Read a comma-separated list, dropping blanks."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


DEBUG = env_bool("DJANGO_DEBUG", False)
# The test suite sets this itself, so a plain `pytest` run gets test settings too.
TESTING = env_bool("TECHFLOW_TESTING", "pytest" in sys.modules)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-local-development-key-never-used-in-production"
    else:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off.")

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS",
    ["127.0.0.1", "localhost", "[::1]", *(["testserver"] if TESTING else [])] if DEBUG or TESTING else [],
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "markdownx",
    "django_tasks_db",
    "axes",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions: a cached page for an anonymous reader costs no session, no query.
    "articles.cache.PageCacheMiddleware",
    # Also before sessions: a stored article page is one query and no other work.
    "articles.pages.StoredPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns lockouts raised during login into its response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "techflow.urls"
WSGI_APPLICATION = "techflow.wsgi.application"
ASGI_APPLICATION = "techflow.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.site",
            ],
        },
    },
]

# Database: SQLite with zero set-up, PostgreSQL when DATABASE_URL says so.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
DB_CONNECT_TIMEOUT = env_int("DB_CONNECT_TIMEOUT", 3)
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"].setdefault("OPTIONS", {})
        DATABASES["default"]["OPTIONS"]["connect_timeout"] = DB_CONNECT_TIMEOUT
        if env_bool("DB_POOL", not TESTING):
            DATABASES["default"]["OPTIONS"]["pool"] = {
                "min_size": 1,
                "max_size": env_int("DB_POOL_MAX_SIZE", 8),
                "timeout": DB_CONNECT_TIMEOUT,
            }
        else:
            DATABASES["default"]["CONN_MAX_AGE"] = 60
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {"timeout": 20},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("TECHFLOW_CACHE_PREFIX", "techflow"),
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
                # A cache that is down must slow the site, never break it.
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Full-page cache for anonymous readers (articles/cache.py); off under tests unless a test turns it on.
PAGE_CACHE_ENABLED = env_bool("TECHFLOW_PAGE_CACHE", not TESTING)
PAGE_CACHE_SECONDS = env_int("TECHFLOW_PAGE_CACHE_SECONDS", 86_400)
# Article pages rendered on write and stored in the database (articles/pages.py): one query per read.
STORED_PAGES_ENABLED = env_bool("TECHFLOW_STORED_PAGES", not TESTING)
PAGE_CACHE_BROWSER_MAX_AGE = env_int("TECHFLOW_BROWSER_MAX_AGE", 60)
PAGE_CACHE_SHARED_MAX_AGE = env_int("TECHFLOW_CDN_MAX_AGE", 3600)
# A reverse proxy or CDN to purge on publish (off when empty): METHOD <URL><path>, Host: the site's.
CACHE_PURGE_URL = os.environ.get("TECHFLOW_PURGE_URL", "")
CACHE_PURGE_METHOD = os.environ.get("TECHFLOW_PURGE_METHOD", "PURGE")
CACHE_PURGE_HOST = os.environ.get("TECHFLOW_PURGE_HOST", "")
CACHE_PURGE_TIMEOUT = float(os.environ.get("TECHFLOW_PURGE_TIMEOUT", "2"))
# The benchmark (bench/) adds its trivial view and an X-Query-Count header; never in production.
BENCH = env_bool("TECHFLOW_BENCH", False)
if BENCH:
    INSTALLED_APPS.append("bench")
    MIDDLEWARE.insert(0, "bench.middleware.QueryCountMiddleware")

SESSION_ENGINE = "django.contrib.sessions.backends.db"
if TESTING:
    # Real hashing costs ~0.3 s a login; tests log in hundreds of times.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Interface languages (gettext catalogues). Content may be in more languages.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
CONTENT_LANGUAGES = [
    ("fr", "Français"),
    ("en", "English"),
    ("es", "Español"),
    ("de", "Deutsch"),
    ("it", "Italiano"),
    ("pt", "Português"),
    ("zh-hans", "简体中文"),
    ("ja", "日本語"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploads: local disk, or an S3-compatible bucket once MEDIA_S3_BUCKET is set (then app servers keep no files).
MEDIA_S3_BUCKET = os.environ.get("MEDIA_S3_BUCKET", "").strip()
if MEDIA_S3_BUCKET:
    _s3_endpoint = os.environ.get("MEDIA_S3_ENDPOINT_URL", "").strip()
    if _s3_endpoint and not _s3_endpoint.startswith(("https://", "http://")):
        raise ImproperlyConfigured(f"MEDIA_S3_ENDPOINT_URL must start with https:// or http://, not {_s3_endpoint!r}.")
    _s3_domain = os.environ.get("MEDIA_S3_CUSTOM_DOMAIN", "").strip().rstrip("/")
    if "://" in _s3_domain:
        raise ImproperlyConfigured(f"MEDIA_S3_CUSTOM_DOMAIN is a host name without a scheme, not {_s3_domain!r}.")
    _s3_style = os.environ.get("MEDIA_S3_ADDRESSING_STYLE", "auto").strip() or "auto"
    if _s3_style not in ("auto", "path", "virtual"):
        raise ImproperlyConfigured(f"MEDIA_S3_ADDRESSING_STYLE must be auto, path or virtual, not {_s3_style!r}.")
    _s3_options = {
        "bucket_name": MEDIA_S3_BUCKET,
        "endpoint_url": _s3_endpoint or None,
        "region_name": os.environ.get("MEDIA_S3_REGION", "").strip() or None,
        "custom_domain": _s3_domain or None,
        "location": os.environ.get("MEDIA_S3_PREFIX", "").strip().strip("/"),
        "addressing_style": _s3_style,
        # Public media: plain URLs that browsers and CDNs can cache, not signatures that expire.
        "querystring_auth": False,
        # Upload names are random and unique (articles/editor_views.py): an object never changes once written,
        # and saving needs no existence check first (no HEAD request, no s3:ListBucket right).
        "object_parameters": {
            "CacheControl": os.environ.get("MEDIA_S3_CACHE_CONTROL", "public, max-age=31536000, immutable"),
        },
    }
    _s3_key_id = os.environ.get("MEDIA_S3_ACCESS_KEY_ID", "").strip()
    _s3_secret = os.environ.get("MEDIA_S3_SECRET_ACCESS_KEY", "").strip()
    if bool(_s3_key_id) != bool(_s3_secret):
        raise ImproperlyConfigured("Set both MEDIA_S3_ACCESS_KEY_ID and MEDIA_S3_SECRET_ACCESS_KEY, or neither.")
    if _s3_key_id:
        _s3_options.update(access_key=_s3_key_id, secret_key=_s3_secret)
    # Without keys boto3 finds its own credentials: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, an instance role.
    _media_storage = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3_options}
    # Where browsers will fetch uploaded images from: the Content-Security-Policy must allow it.
    if _s3_domain:
        MEDIA_ORIGINS = [f"https://{_s3_domain}"]
    elif _s3_endpoint:
        _scheme, _host = _s3_endpoint.split("://", 1)
        _host = _host.split("/", 1)[0]
        MEDIA_ORIGINS = [f"{_scheme}://{_host}", f"{_scheme}://{MEDIA_S3_BUCKET}.{_host}"]
    else:
        MEDIA_ORIGINS = [f"https://{MEDIA_S3_BUCKET}.s3.amazonaws.com", "https://*.amazonaws.com"]
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    MEDIA_ORIGINS = []
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
# WhiteNoise serves hashed names (what {% static %} emits) as immutable for ten years by itself;
# this is for the unhashed copies, which can change under the same name.
WHITENOISE_MAX_AGE = 0 if DEBUG else env_int("TECHFLOW_STATIC_MAX_AGE", 86_400)

# Markdown: markdownx previews through the same sanitising renderer readers see.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "articles.rendering.render_markdown"
MARKDOWNX_MEDIA_PATH = "uploads/"
# Editors' image uploads (articles/editor_views.py): the largest file and picture accepted.
UPLOAD_MAX_BYTES = env_int("TECHFLOW_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
UPLOAD_MAX_PIXELS = env_int("TECHFLOW_UPLOAD_MAX_PIXELS", 25_000_000)
MAX_BODY_CHARS = env_int("TECHFLOW_MAX_BODY_CHARS", 200_000)

# Content API (articles/api.py): requests per client; an X-API-Key raises the limit.
CONTENT_API_ANON_RATE = os.environ.get("TECHFLOW_API_ANON_RATE", "60/m")
CONTENT_API_KEY_RATE = os.environ.get("TECHFLOW_API_KEY_RATE", "1200/m")
# Proxies in front of the site that append to X-Forwarded-For; 0 trusts only the socket's address,
# so a client cannot dodge the anonymous limit by sending the header itself.
NINJA_NUM_PROXIES = env_int("TECHFLOW_PROXY_COUNT", 0)

# Webhooks (articles/webhooks.py): attempts per delivery, first retry delay (then ×4 each time).
WEBHOOK_MAX_ATTEMPTS = env_int("TECHFLOW_WEBHOOK_MAX_ATTEMPTS", 5)
WEBHOOK_RETRY_BASE_SECONDS = float(os.environ.get("TECHFLOW_WEBHOOK_RETRY_BASE_SECONDS", "30"))
WEBHOOK_INLINE_RETRY_MAX_SECONDS = 2.0
WEBHOOK_TIMEOUT_SECONDS = 10

PUBLICATION_NAME = os.environ.get("TECHFLOW_PUBLICATION_NAME", "TechFlow")
SITE_URL = os.environ.get("TECHFLOW_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Background work (email, webhooks) through django.tasks. "database" queues rows that
# `manage.py db_worker` runs; "immediate" runs them in-process (local work, tests).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate" if DEBUG or TESTING else "database")
if TASKS_BACKEND not in ("immediate", "database"):
    raise ImproperlyConfigured(f"TASKS_BACKEND must be 'immediate' or 'database', not {TASKS_BACKEND!r}.")
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if TASKS_BACKEND == "database"
        else "django.tasks.backends.immediate.ImmediateBackend",
    }
}

# Email: SMTP in production (the local MTA unless SMTP_HOST says otherwise); printed to the
# console in local work and tests unless an SMTP host is configured.
SMTP_HOST = os.environ.get("SMTP_HOST", "")
if SMTP_HOST or not (DEBUG or TESTING):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": SMTP_HOST or "localhost",
                "port": env_int("SMTP_PORT", 587 if SMTP_HOST else 25),
                "username": os.environ.get("SMTP_USER", ""),
                "password": os.environ.get("SMTP_PASSWORD", ""),
                "use_tls": env_bool("SMTP_USE_TLS", bool(SMTP_HOST)),
                "timeout": 10,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "TechFlow <noreply@localhost>")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workspace:home"
LOGOUT_REDIRECT_URL = "articles:home"

# Production hardening: on whenever debug is off, so check --deploy is clean.
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not TESTING)
    SESSION_COOKIE_SECURE = not TESTING
    CSRF_COOKIE_SECURE = not TESTING
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
# A strict policy on every response. Nonces appear only where a template asks for one (the
# admin's optional {% csp_nonce_attr %}), so public pages get one identical, cacheable header.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *MEDIA_ORIGINS, *env_list("CSP_IMG_SOURCES")],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Brute-force protection on every login form (the admin's and the workspace's): a few failures
# for one user from one address lock that pair out for a while, not forever.
# Off under tests (their client.login() has no request); the lockout tests switch it on.
AXES_ENABLED = not TESTING
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# Behind N trusted proxies the client is the Nth address from the right of X-Forwarded-For.
AXES_IPWARE_PROXY_COUNT = NINJA_NUM_PROXIES  # one TECHFLOW_PROXY_COUNT for every client-address use
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
