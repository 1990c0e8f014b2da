"""Amparo's settings: one module for every environment, read from the environment.

Defaults serve a developer's laptop (SQLite, console email, local-memory cache);
a deployment says everything else through environment variables, listed in the README.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_flag("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or ("dev-only-not-secret" if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 on a developer's machine)."
    )

# The canonical public address, used where a page is seen away from the request
# that made it: QR codes, feeds, the sitemap.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Files the running site writes for itself, such as the page served when the
# database is down. Each app server keeps its own copy.
STATE_DIR = Path(os.environ.get("DJANGO_STATE_DIR", BASE_DIR / "var"))

# Staff admin lives outside the language prefixes; its path is also the scope of
# the only cookies Amparo sets.
ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"


# Django's own settings, in alphabetical order.

# Staff log in through the admin; axes counts failed passwords per account.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else ""
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

REDIS_URL = os.environ.get("REDIS_URL", "")
# Whole pages are cached only in a cache every app server shares: with a per-process
# memory cache each worker would keep its own copy and miss the others' writes.
PAGE_CACHE = bool(REDIS_URL) and env_flag("DJANGO_PAGE_CACHE", default=True)
PAGE_CACHE_SECONDS = 600
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": REDIS_URL, "KEY_PREFIX": "amparo"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_PATH = "/" + ADMIN_URL
# Staff cookies travel over HTTPS only, except where `make serve` runs on plain HTTP.
SECURE_COOKIES = env_flag("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SECURE_COOKIES
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=600, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A search ranks the first matches the scan meets; scans that start where another
    # query's scan is (synchronized) or that run in parallel would meet them in another
    # order each time, and two visitors would get different pages for the same words.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = " ".join(filter(None, (
        _options.get("options", ""),
        "-c synchronize_seqscans=off -c max_parallel_workers_per_gather=0")))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock
    # at BEGIN, so two writers queue instead of failing with "database is locked".
    # The connection is kept (CONN_MAX_AGE above): opening one costs 2 ms a request.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "transaction_mode": "IMMEDIATE",
        "timeout": 5,
        "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;",
    })

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "modeltranslation",  # must come before the admin to patch its forms
    "config.apps.AmparoAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",  # before staticfiles, so runserver serves like production
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_totp",
    "phonenumber_field",
    "simple_history",
    "directory",
    "alerts",
    "api",
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]

# Warnings and errors only, never a visitor's address or query string: Django's
# request logger names the path alone, and gunicorn.conf.py keeps its access log off.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"django.server": {"level": "ERROR"}},
}

# Outgoing mail (password resets). A developer's machine prints it; a deployment
# sends it through SMTP, whose console or memory stand-ins `check --deploy` refuses.
if DEBUG and not os.environ.get("DJANGO_SMTP_HOST"):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    MAILERS = {"default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": os.environ.get("DJANGO_SMTP_HOST", "localhost"),
            "port": int(os.environ.get("DJANGO_SMTP_PORT", "587")),
            "username": os.environ.get("DJANGO_SMTP_USER", ""),
            "password": os.environ.get("DJANGO_SMTP_PASSWORD", ""),
            "use_tls": env_flag("DJANGO_SMTP_USE_TLS", default=True),
            "timeout": 10,
        },
    }}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "amparo@localhost")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as axes asks
]

# `make bench` adds a trivial view to measure the ceiling against (config/bench_urls.py).
ROOT_URLCONF = "config.bench_urls" if env_flag("DJANGO_BENCH") else "config.urls"

SECURE_CONTENT_TYPE_NOSNIFF = True
# Public pages use no inline script or style and no nonce, so they can be cached
# whole; the admin's own templates add a nonce where they need one.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_HSTS_SECONDS = 0 if DEBUG else int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# same-origin, not no-referrer: with no-referrer browsers send "Origin: null" and
# the admin's CSRF check refuses every form.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = env_flag("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)

# A staff session ends with the browser or after a working day, whichever is first.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_PATH = "/" + ADMIN_URL
SESSION_COOKIE_SECURE = SECURE_COOKIES
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

SILENCED_SYSTEM_CHECKS = [
    # axes would rather also lock by address; Amparo locks the account itself, from
    # wherever the attempts come, and so needs no record of anyone's address.
    "axes.W006",
]

STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

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
                "directory.context_processors.languages",
            ],
        },
    },
]

TIME_ZONE = "America/Denver"
USE_I18N = True
USE_TZ = True

WSGI_APPLICATION = "config.wsgi.application"

X_FRAME_OPTIONS = "DENY"


# Third-party settings.

# Five wrong passwords lock the account (not the network it came from) for an hour;
# `manage.py axes_reset_username <name>` unlocks it sooner.
AXES_COOLOFF_TIME = 1
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)

PHONENUMBER_DEFAULT_FORMAT = "NATIONAL"
PHONENUMBER_DEFAULT_REGION = "US"
