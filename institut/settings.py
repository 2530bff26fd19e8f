"""Settings of the platform: one module, every machine-specific value from the environment.

Development defaults need no server (SQLite, local-memory cache, console e-mail, eager Celery).
Production sets DJANGO_DEBUG=false and the variables listed in .env.example.
"""

from __future__ import annotations

from datetime import date as _date
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

import csp.constants as csp
import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from institut.lib.env import Env

BASE_DIR = Path(__file__).resolve().parent.parent
env = Env()

# --- Core -------------------------------------------------------------------------------------

DEBUG = env.bool("DJANGO_DEBUG", default=True)

SECRET_KEY = env.str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false "
            '(generate one with: python -c "import secrets; print(secrets.token_urlsafe(50))").'
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"]
)
SITE_URL = env.url("SITE_URL", default="http://127.0.0.1:8000", schemes=("http", "https")).rstrip(
    "/"
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "institut",
    "home",
    "courses",
    "supervision",
    "certification",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "institut.apps.InstitutUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    # Content translation: segment by segment, translation memory, PO export/import (README,
    # *Translations*); its Locales admin replaces wagtail.locales.
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # The API's docs page (/api/v1/docs): ninja's Swagger UI template and its static files.
    "ninja",
    # Accounts
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Django's form templates, found by the TemplatesSetting renderer below.
    "django.forms",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "csp",
    # PostgreSQL triggers declared in models' Meta (permanent records), installed by migrations.
    "pgtrigger",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (with the admin's relaxations) and Permissions-Policy headers.
    "institut.csp.PolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # The API answers in the caller's Accept-Language (its addresses carry no language).
    "institut.middleware.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # GET on an address that only takes a form's POST: a page of the site, not an empty 405.
    "institut.middleware.MethodNotAllowedPageMiddleware",
    # A body over REQUEST_MAX_BODY_SIZE is refused with a page that says so, before it is read.
    "institut.limits.RequestSizeMiddleware",
    # An address with a NUL byte is refused with a page that says so, before a view reads it.
    "institut.limits.NulAddressMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Anonymous visitors' cached pages (institut/page_cache.py) are answered from here on.
    "institut.page_cache.AnonymousPageCacheMiddleware",
    "institut.middleware.AfterResponseMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Signed-in people without admin access get a clear 403 page for /admin/, not a login loop.
    "institut.admin_access.AdminAccessMiddleware",
    "institut.middleware.UserTimezoneMiddleware",
    "institut.middleware.SecondFactorMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "institut.urls"
WSGI_APPLICATION = "institut.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "institut.context_processors.site",
                "home.context_processors.institut_details",
            ],
            # Tag libraries of sub-domain packages (an app's own templatetags/ is found alone).
            "libraries": {"payments_tags": "courses.payments.templatetags.payments_tags"},
            # The `date` filter in the language of the page (« 1er décembre », no d/m/Y in English).
            "builtins": ["institut.templatetags.dates", "institut.templatetags.durations"],
        },
    },
]

# Forms render through TEMPLATES, so that templates/django/forms/field.html is every field's
# template (label, required mark, help and errors tied to the input).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database, cache ----------------------------------------------------------------------------

DATABASE_URL = env.url(
    "DATABASE_URL",
    default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
    schemes=("sqlite", "postgres", "postgresql", "pgsql"),
)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env.int("DATABASE_CONN_MAX_AGE", default=0, minimum=0)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait rather than fail when two requests write at once (the dev server is threaded).
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.url("REDIS_URL", schemes=("redis", "rediss", "unix"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="institut"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery ------------------------------------------------------------------------------------

CELERY_BROKER_URL = env.url("CELERY_BROKER_URL", schemes=("redis", "rediss", "amqp", "memory"))
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
# Acknowledged on receipt by default: each idempotent task says acks_late=True and
# reject_on_worker_lost=True itself, so that it runs again after a crash; others run at most once.
CELERY_TASK_ACKS_LATE = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Seconds after which the broker gives a task that a worker took but never acknowledged (the worker
# was killed, its machine lost) to another worker. It must exceed the longest countdown of any task
# (a retry waits up to 600 s, its message unacknowledged meanwhile) and the longest run of an
# acks_late task, otherwise that task runs twice; a system check compares it with the tasks' own.
_visibility_timeout = env.int("CELERY_VISIBILITY_TIMEOUT", default=1200, minimum=1)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": _visibility_timeout,
    # Every worker looks for such abandoned tasks every 10 s (kombu alone looks every ~100 s).
    "unacked_restore_interval": min(10, _visibility_timeout),
    "unacked_restore_throttle": 1,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Europe/Paris"
CELERY_BEAT_SCHEDULE: dict = {
    "supervision-send-due-reminders": {
        "task": "supervision.tasks.send_due_reminders",
        "schedule": 15 * 60,  # seconds; each reminder is sent once whatever the overlap
    },
    "certification-daily-renewal-run": {
        "task": "certification.tasks.daily_renewal_run",
        "schedule": crontab(hour=6, minute=15),  # Europe/Paris; safe to run twice a day
    },
    "institut-retention-schedule": {
        "task": "institut.privacy.tasks.apply_retention_schedule",
        "schedule": crontab(hour=3, minute=40),  # Europe/Paris; finds nothing the second time
    },
    "certification-daily-audit-run": {
        # The monthly draw of renewal audits happens on the first run of each month (a run
        # missed on the 1st is made up the next day); reminders and proposals daily.
        "task": "certification.tasks.daily_audit_run",
        "schedule": crontab(hour=6, minute=30),
    },
    "payments-daily-reconciliation": {
        # Checkout Sessions completed in Stripe whose webhook never came, applied once.
        "task": "courses.payments.tasks.reconcile_checkout_sessions",
        "schedule": crontab(hour=4, minute=20),
    },
    "institut-retry-due-emails": {
        "task": "institut.outbox.tasks.retry_due_emails",
        "schedule": 60,  # seconds: the outbox's due retries and the e-mails a crash left sending
    },
    "institut-notification-digest": {
        "task": "institut.notifications.tasks.send_daily_digest",
        "schedule": crontab(hour=7, minute=0),  # Europe/Paris; one digest per person per day
    },
    "training-send-due-mail": {
        "task": "courses.training.tasks.send_due_mail",
        "schedule": 60 * 60,  # hourly: convocation reminders and à froid questionnaires, once each
    },
}

# --- Accounts ----------------------------------------------------------------------------------

AUTH_USER_MODEL = "institut.User"
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's backends, loading the person's roles with the person.
    "institut.backends.ModelBackend",
    "institut.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_ADAPTER = "institut.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "institut.forms.SignupForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
# allauth adds no prefix of its own: the outbox adds OUTBOX_SUBJECT_PREFIX to every e-mail.
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, with the login attempts per address made explicit.
    "login": env.str("ACCOUNT_RATE_LIMIT_LOGIN", default="30/m/ip"),
    "login_failed": env.str("ACCOUNT_RATE_LIMIT_LOGIN_FAILED", default="10/m/ip,5/5m/key"),
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    # E-mailed links that allow a first second factor (institut/second_factor/).
    "second_factor_link": "3/10m/user",
}
# Second factor (see README, "Double authentification"): an authenticator app (TOTP) or a passkey
# (WebAuthn), with recovery codes. Trainers, the committee, editors and staff must complete one
# in the session before certifying anything (institut/second_factor/).
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = "Institut Charles Rojzman"
# A passkey alone signs in (it is itself two factors: the device and its PIN or biometrics).
MFA_PASSKEY_LOGIN_ENABLED = env.bool("MFA_PASSKEY_LOGIN_ENABLED", default=True)
# Passkeys need HTTPS, except on http://localhost-style development servers.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env.bool("MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", default=DEBUG)
# Seconds during which the e-mailed link that allows a first enrolment can be followed.
SECOND_FACTOR_LINK_MAX_AGE = env.int("SECOND_FACTOR_LINK_MAX_AGE", default=30 * 60, minimum=60)

# --- Internationalisation ----------------------------------------------------------------------

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates as the English pages write them (« 6 December 2026 », « 14:30 »).
FORMAT_MODULE_PATH = ["institut.locale_formats"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

# --- Static and media files --------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    # Media on S3-compatible object storage; django-storages reads the AWS_* variables itself.
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME") or None
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True
# Where the browser fetches media from (for the Content-Security-Policy): the bucket's endpoint,
# in its path and virtual-host styles.
bucket_origins: list[str] = []
if AWS_STORAGE_BUCKET_NAME:
    endpoint = urlsplit(
        AWS_S3_ENDPOINT_URL or f"https://s3.{AWS_S3_REGION_NAME or 'us-east-1'}.amazonaws.com"
    )
    bucket_origins = [
        f"{endpoint.scheme}://{endpoint.netloc}",
        f"{endpoint.scheme}://{AWS_STORAGE_BUCKET_NAME}.{endpoint.netloc}",
    ]

# --- E-mail ------------------------------------------------------------------------------------

DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Institut Charles Rojzman <noreply@institut-charlesrojzman.test>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Whatever sends through Django's mail API (Wagtail's moderation notices, the admin's password
# reset…) owes the e-mail to the outbox in its transaction; the outbox sends it with
# OUTBOX_EMAIL_BACKEND: the provider's SMTP server, or the console without one.
EMAIL_BACKEND = "institut.outbox.email_backend.OutboxEmailBackend"
EMAIL_HOST = env.str("EMAIL_HOST")
if EMAIL_HOST:
    OUTBOX_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env.int("EMAIL_PORT", default=587, minimum=1)
    EMAIL_HOST_USER = env.str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
    EMAIL_TIMEOUT = 20
else:
    OUTBOX_EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# The outbox (institut/outbox/): attempts before an e-mail is marked failed and staff alerted; the
# first wait between attempts (doubling each time, at most a day); how long an e-mail may stay
# "sending" before it counts as left by a crash and is sent once more (with its Message-ID).
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=6, minimum=1)
OUTBOX_RETRY_SECONDS = env.int("OUTBOX_RETRY_SECONDS", default=60, minimum=1)
OUTBOX_SENDING_TIMEOUT = env.int("OUTBOX_SENDING_TIMEOUT", default=600, minimum=60)
# Who is told when an e-mail failed for good (comma-separated); empty: the active superusers.
OUTBOX_ALERT_EMAILS = env.list("OUTBOX_ALERT_EMAILS")
# Days after which a sent (or failed) e-mail keeps only its kind, dates and status: its content,
# and the address of a recipient without an account, are removed by the retention job.
OUTBOX_RETENTION_DAYS = env.int("OUTBOX_RETENTION_DAYS", default=180, minimum=7)
# Every e-mail's subject starts with this and a space, once: the outbox adds it as it sends, so
# that no sender (nor allauth, nor Django's mail_admins: EMAIL_SUBJECT_PREFIX) adds one of its own.
OUTBOX_SUBJECT_PREFIX = env.str("OUTBOX_SUBJECT_PREFIX", default="[Institut Charles Rojzman]")
EMAIL_SUBJECT_PREFIX = ""

# --- Wagtail -----------------------------------------------------------------------------------

WAGTAIL_SITE_NAME = "Institut Charles Rojzman"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "pptx", "odp", "xlsx", "ods", "txt"]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_IMAGE_MODEL = "wagtailimages.Image"
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Page addresses in plain ASCII, as the demo's: « prevenir-la-violence-a-lecole », not
# « prévenir-la-violence-à-lécole », which e-mails and shared links carry as %C3%A9.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# Passwords are reset and changed through allauth only (its rate limits, its notices, the second
# factor): the admin's own reset and change pages answer 404.
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
# No avatar fetched from Gravatar: the admin calls no third party with staff's e-mail hashes.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAILEMBEDS_FINDERS = [{"class": "wagtail.embeds.finders.oembed"}]

# --- Security (production) ---------------------------------------------------------------------

SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # Wagtail's preview views set SAMEORIGIN themselves
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
if env.bool("DJANGO_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
# How many proxies append to X-Forwarded-For: rate limits (allauth's, the registry's) then count
# requests per visitor rather than per proxy.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int(
    "DJANGO_TRUSTED_PROXY_COUNT",
    default=1 if env.bool("DJANGO_BEHIND_PROXY", default=False) else 0,
    minimum=0,
)
SILENCED_SYSTEM_CHECKS: list[str] = []

# --- Request limits ----------------------------------------------------------------------------

# What a request may carry: the text of a form (files aside), the number of its fields, and the
# whole body with its files. Over these the visitor gets a page that says so (institut/limits.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int(
    "DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE", default=2 * 1024 * 1024, minimum=1024
)
# Wagtail's page editor posts one field per block property: 10,000 is its documented setting.
DATA_UPLOAD_MAX_NUMBER_FIELDS = env.int(
    "DJANGO_DATA_UPLOAD_MAX_NUMBER_FIELDS", default=10_000, minimum=100
)
# An uploaded file larger than this is written to a temporary file rather than kept in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int(
    "DJANGO_FILE_UPLOAD_MAX_MEMORY_SIZE", default=2 * 1024 * 1024, minimum=0
)
# The whole body, files included (an application takes up to 5 PDFs of 5 MB each).
REQUEST_MAX_BODY_SIZE = env.int(
    "DJANGO_REQUEST_MAX_BODY_SIZE", default=30 * 1024 * 1024, minimum=1024 * 1024
)

# --- Content-Security-Policy and Permissions-Policy ----------------------------------------------

# Scripts, styles, fonts and forms come from the site itself (no inline script or style in the
# templates); images also from data: URIs (QR codes) and from the media bucket; videos embedded
# in lessons from these players. The Wagtail admin gets its own relaxations (institut/csp.py).
CSP_FRAME_SOURCES = [
    "https://www.youtube.com",
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
]
CSP_MEDIA_SOURCES = [*bucket_origins, *env.list("CSP_MEDIA_SOURCES")]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF],
        "img-src": [csp.SELF, "data:", *CSP_MEDIA_SOURCES],
        "media-src": [csp.SELF, *CSP_MEDIA_SOURCES],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "frame-src": CSP_FRAME_SOURCES,
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        # Paid enrolment posts to the site, which answers with a redirect to Stripe Checkout.
        "form-action": [csp.SELF, "https://checkout.stripe.com"],
        "frame-ancestors": [csp.NONE],
    }
}
if not DEBUG:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True
# Browser features no page of the site uses are switched off for it and for what it embeds.
# Passkeys (WebAuthn) stay allowed on the site itself; fullscreen also for the video players.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    "accelerometer": [],
    "autoplay": [],
    "browsing-topics": [],
    "camera": [],
    "display-capture": [],
    "encrypted-media": [],
    "fullscreen": ["self", *CSP_FRAME_SOURCES],
    "geolocation": [],
    "gyroscope": [],
    "hid": [],
    "idle-detection": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "publickey-credentials-create": ["self"],
    "publickey-credentials-get": ["self"],
    "screen-wake-lock": [],
    "serial": [],
    "usb": [],
    "xr-spatial-tracking": [],
}

# Who is e-mailed each server error (a 500) in production, through the outbox, comma-separated;
# empty: nobody (the logs, and Sentry when SENTRY_DSN is set). The report carries no request
# values, cookies or addresses (institut/error_mail.py).
ADMINS = [(address, address) for address in env.emails("DJANGO_ADMINS")]
# Django's debug page reads the traceback's source files as UTF-8 too, as the e-mailed report.
DEFAULT_EXCEPTION_REPORTER = "institut.error_mail.SourceExceptionReporter"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "class": "institut.error_mail.AdminEmailHandler",
        },
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's errors (a 500, a failed security check) reach the root's console and ADMINS.
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        # A request for a host we do not serve is a robot's, not our error: logged, not e-mailed.
        "django.security.DisallowedHost": {"handlers": ["console"], "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "modelsearch": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Callers of /health/ that send this value in the X-Health-Token header (monitoring) see each
# service's state; everyone else sees only the overall status. Empty: staff only.
HEALTH_TOKEN = env.str("HEALTH_TOKEN")

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# How long an anonymous visitor's copy of a site page (home, catalogue, course) stays cached; any
# publication, move or deletion of a page, or a change of the site settings, clears them at once.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300, minimum=0)
# Signed-in pages (institut/person_cache.py): the person with their roles, course outlines per
# publication, lessons done, practice totals; each cleared by the write that changes it, and kept
# this long at most. 0 turns them off.
PERSONAL_CACHE_SECONDS = env.int("PERSONAL_CACHE_SECONDS", default=600, minimum=0)
# Whole signed-in pages (institut/personal_pages.py), made again after any write that may change
# them; this long at most (what time alone changes: "upcoming" sessions). 0 turns them off.
PERSONAL_PAGE_SECONDS = env.int("PERSONAL_PAGE_SECONDS", default=60, minimum=0)
# With a cache shared by every process (Redis), sessions are read from it and written to both: no
# query per request, and a Redis outage signs nobody out (Django falls back to the database).
# institut.sessions is Django's cached_db engine that reads the person with the session.
if REDIS_URL:
    SESSION_ENGINE = "institut.sessions"

# --- Error reports ------------------------------------------------------------------------------

# Errors of the web and Celery processes go to Sentry when a DSN is set, without personal data
# (institut/sentry.py); without one, the SDK is not started at all.
SENTRY_DSN = env.url("SENTRY_DSN", schemes=("http", "https"))
if SENTRY_DSN:
    from institut.sentry import sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="development" if DEBUG else "production"),
        release=env.str("SENTRY_RELEASE") or None,
    )

# --- Supervision -------------------------------------------------------------------------------

# A booking cancelled less than this many hours before its session is recorded as late.
SUPERVISION_CANCELLATION_WINDOW_HOURS = env.int(
    "SUPERVISION_CANCELLATION_WINDOW_HOURS", default=24, minimum=0
)
# The longest a supervision session may last; no attendance credits more than its session lasted,
# nor more than this.
SUPERVISION_SESSION_MAX_HOURS = env.int("SUPERVISION_SESSION_MAX_HOURS", default=8, minimum=1)

# Days an external supervisor's co-signing link for a logbook period stays valid (single use).
LOGBOOK_COSIGN_LINK_DAYS = env.int("LOGBOOK_COSIGN_LINK_DAYS", default=14, minimum=1)
# The earliest date a logbook entry may bear, for every trainee (ISO, "2024-09-01"), e.g. to let
# people who practised before the platform opened log it; empty: each trainee's account creation.
LOGBOOK_EARLIEST_DATE = env.str("LOGBOOK_EARLIEST_DATE", default="")
try:
    _date.fromisoformat(LOGBOOK_EARLIEST_DATE or "2000-01-01")
except ValueError as error:
    raise ImproperlyConfigured(
        f"LOGBOOK_EARLIEST_DATE={LOGBOOK_EARLIEST_DATE!r}: expected a date like 2024-09-01"
    ) from error

# --- Public registry ---------------------------------------------------------------------------

# Public lookups (registry searches, verifications of certificates, attestations and certificats
# de réalisation, API calls) per client address ("60/m": 60 a minute; also /s, /h, /d, or
# "100/10m"), over which they answer 429 (institut/ratelimit.py).
REGISTRY_RATE_LIMIT = env.str("REGISTRY_RATE_LIMIT", default="60/m")
# Messages sent through the registry's contact form, per client address.
REGISTRY_CONTACT_RATE_LIMIT = env.str("REGISTRY_CONTACT_RATE_LIMIT", default="5/h")
# How long an anonymous visitor's registry page stays cached (any change clears it at once).
REGISTRY_CACHE_SECONDS = env.int("REGISTRY_CACHE_SECONDS", default=300, minimum=0)

# --- Signed credentials (Open Badges 3.0) -------------------------------------------------------

# The Ed25519 key that signs credentials and status lists, as a secret Multikey (z3u2…), or the
# path of a file holding it; `make run` writes a development key to var/. Rotation: see README.
CREDENTIALS_SIGNING_KEY = env.str("CREDENTIALS_SIGNING_KEY")
CREDENTIALS_SIGNING_KEY_FILE = env.str(
    "CREDENTIALS_SIGNING_KEY_FILE",
    default=str(BASE_DIR / "var" / "credentials-signing-key") if DEBUG else "",
)
# Public Multikeys (z6Mk…) of retired keys that stay in the DID document (comma-separated).
CREDENTIALS_PUBLISHED_KEYS = env.list("CREDENTIALS_PUBLISHED_KEYS")
# The issuer's e-mail in its profile when the site settings have none.
CREDENTIALS_ISSUER_EMAIL = env.str(
    "CREDENTIALS_ISSUER_EMAIL", default=parseaddr(DEFAULT_FROM_EMAIL)[1]
)
# How long verifiers may keep a status list before reading it again (seconds).
CREDENTIALS_STATUS_LIST_MAX_AGE = env.int("CREDENTIALS_STATUS_LIST_MAX_AGE", default=300, minimum=0)
# Largest credential file the public verification accepts (bytes).
CREDENTIALS_VERIFY_MAX_BYTES = env.int("CREDENTIALS_VERIFY_MAX_BYTES", default=65_536, minimum=4096)

# --- Payments and invoices ---------------------------------------------------------------------

# Stripe keys (test keys start with sk_test_ / pk_test_); without a secret key, online payment is
# switched off and paid courses say so. The webhook secret (whsec_...) verifies /stripe/webhook/.
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY")
STRIPE_PUBLISHABLE_KEY = env.str("STRIPE_PUBLISHABLE_KEY")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET")
# Only to point the Stripe client at a local stand-in (tests); empty means Stripe's own API.
STRIPE_API_BASE = env.url("STRIPE_API_BASE", schemes=("http", "https")).rstrip("/")
# Where alerts about payments go (money other than asked, a refund that failed), comma-separated;
# empty: every active person who may read payments in the admin.
PAYMENTS_ALERT_EMAILS = env.list("PAYMENTS_ALERT_EMAILS")
# The daily reconciliation reads the Checkout Sessions of the last hours from Stripe's API.
STRIPE_RECONCILE_HOURS = env.int("STRIPE_RECONCILE_HOURS", default=72, minimum=1)
# Printed on every invoice: training bodies are usually exempt from VAT.
INVOICE_VAT_MENTION = env.str(
    "INVOICE_VAT_MENTION", default="TVA non applicable, art. 261-4-4° du CGI"
)
# Invoice and credit note numbers look like F-2026-000001 (one continuous sequence).
INVOICE_NUMBER_PREFIX = env.str("INVOICE_NUMBER_PREFIX", default="F")
CELERY_IMPORTS = (
    "courses.payments.tasks",
    "courses.training.tasks",
    "institut.privacy.tasks",
    "institut.outbox.tasks",
    "institut.notifications.tasks",
)

# --- Personal data (docs/data-protection.md) ---------------------------------------------------

# Accounts whose e-mail address was never confirmed are deleted after this many days.
PRIVACY_UNVERIFIED_ACCOUNT_DAYS = env.int("PRIVACY_UNVERIFIED_ACCOUNT_DAYS", default=30, minimum=1)
# Invoices and credit notes are kept as issued this many years (Code de commerce, L123-22), then
# the retention job removes the names of erased people from them.
INVOICE_RETENTION_YEARS = env.int("INVOICE_RETENTION_YEARS", default=10, minimum=10)

# --- In-person training ------------------------------------------------------------------------

# The convocation is sent again, as a reminder, this many days before the first half-day.
TRAINING_CONVOCATION_REMINDER_DAYS = env.int(
    "TRAINING_CONVOCATION_REMINDER_DAYS", default=7, minimum=1
)
# The à froid satisfaction questionnaire goes out this many months after a session's last day.
TRAINING_COLD_SURVEY_MONTHS = env.int("TRAINING_COLD_SURVEY_MONTHS", default=3, minimum=1)
# Trainees may sign a half-day's sheet from this many minutes before its start until its end.
TRAINING_SIGNING_EARLY_MINUTES = env.int("TRAINING_SIGNING_EARLY_MINUTES", default=15, minimum=0)
