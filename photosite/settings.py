"""Django settings, all from environment variables (documented in .env.example).

DEBUG on means local development; DEBUG off is production and refuses unsafe configurations.
"""

from __future__ import annotations

import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from photosite.production import production_problems

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A developer's .env fills in what the real environment leaves unset; it never overrides it.
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# Fixed at start-up: tests may turn DEBUG off later, but the process was started for local work.
PHOTOSITE_LOCAL_MODE = DEBUG
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])

if not DEBUG:
    _problems = production_problems(
        secret_key=SECRET_KEY, allowed_hosts=ALLOWED_HOSTS, environ=os.environ
    )
    if _problems:
        raise ImproperlyConfigured(
            "Refusing to start in production mode (DJANGO_DEBUG is off):\n- "
            + "\n- ".join(_problems)
        )
else:
    SECRET_KEY = SECRET_KEY or "local-development-only-" + "x" * 40
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "corsheaders",
    "storages",
    "photosite",
    "accounts",
    "gallery",
    "moderation",
]

MIDDLEWARE = [
    "photosite.middleware.RequestIdMiddleware",
    "photosite.middleware.HealthCheckMiddleware",  # before host checks: load balancers probe by IP
    "django.middleware.security.SecurityMiddleware",
    "photosite.csp.ContentSecurityPolicyMiddleware",  # the policy: photosite/csp.py
    # process_exception runs for every middleware below and the view: AWS outages become 503s.
    "core.outage.OutageMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # request.user from the Cognito claims in the session (refreshing the tokens when due) and
    # the user's standing in DynamoDB; after MessageMiddleware, so an ended session can say so.
    "accounts.middleware.CognitoAuthenticationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "photosite.middleware.ClientIPMiddleware",
    "gallery.middleware.ViewerTimezoneMiddleware",
    # Last, so the page it may render has its user, session and messages; its check still runs
    # before any view or process_view (CSRF's) reads the body it refuses.
    "gallery.middleware.ServerUploadLimitMiddleware",
]

ROOT_URLCONF = "photosite.urls"
WSGI_APPLICATION = "photosite.wsgi.application"

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
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# No SQL database: users are Cognito's, sessions, content and the audit trail live in DynamoDB.
# With no database configured Django uses its "dummy" backend, which refuses every query, so
# nothing can quietly start depending on SQL (production refuses DATABASE_URL as well).
DATABASES: dict[str, dict] = {}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = []  # Cognito owns passwords and their policy.
# The User Pool's password policy, as photosite.bootstrap and deploy/cloudformation.yaml set it:
# the sign-up and password pages state these rules before anyone chooses a password.
COGNITO_PASSWORD_POLICY = {
    "MinimumLength": 10,
    "RequireUppercase": True,
    "RequireLowercase": True,
    "RequireNumbers": True,
    "RequireSymbols": False,
}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
# Under photosite/, not the project root: a top-level "locale" folder would shadow Python's
# locale module where the project root is the first entry of sys.path (the Lambda package).
LOCALE_PATHS = [BASE_DIR / "photosite" / "locale"]
FORMAT_MODULE_PATH = ["photosite.formats"]
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# --- AWS --------------------------------------------------------------------------------------
# boto3 clients and PynamoDB read the same variables through core.aws; these copies exist
# for templates, checks and django-storages.
AWS_REGION = env.str("AWS_REGION", default="us-east-1")
AWS_ENDPOINT_URL = env.str("AWS_ENDPOINT_URL", default="") or None
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="photosite-local-photos")
DYNAMODB_TABLE_PREFIX = env.str("DYNAMODB_TABLE_PREFIX", default="photosite-")

STORAGES = {
    "default": {
        "BACKEND": "core.storage.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "region_name": AWS_REGION,
            "endpoint_url": AWS_ENDPOINT_URL,
            "default_acl": None,  # the bucket is private; objects inherit that
            "querystring_auth": True,
            "querystring_expire": env.int("PHOTOSITE_URL_EXPIRY", default=300),
            "file_overwrite": False,
            "addressing_style": "path" if AWS_ENDPOINT_URL else None,
            "signature_version": "s3v4",
        },
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}

COGNITO_USER_POOL_ID = env.str("COGNITO_USER_POOL_ID", default="")
COGNITO_APP_CLIENT_ID = env.str("COGNITO_APP_CLIENT_ID", default="")
COGNITO_APP_CLIENT_SECRET = env.str("COGNITO_APP_CLIENT_SECRET", default="")
COGNITO_IDENTITY_POOL_ID = env.str("COGNITO_IDENTITY_POOL_ID", default="")
# Local mode only (production refuses it): where the emulator publishes its signing keys.
COGNITO_JWKS_URL = env.str("COGNITO_JWKS_URL", default="")

# --- Accounts (sign-in, sessions, API tokens) ----------------------------------------------------
AUTHENTICATION_BACKENDS = ["accounts.backends.CognitoBackend"]
# Hosted UI / managed login domain, e.g. https://photosite.auth.eu-west-1.amazoncognito.com;
# empty turns the "sign in with the Hosted UI" option off.
COGNITO_DOMAIN = env.str("COGNITO_DOMAIN", default="").rstrip("/")
COGNITO_HOSTED_UI_SCOPES = env.list(
    "COGNITO_HOSTED_UI_SCOPES", default=["openid", "email", "profile"]
)
# Further app clients (mobile, CLI) whose access tokens the JSON API accepts.
COGNITO_API_CLIENT_IDS = env.list("COGNITO_API_CLIENT_IDS", default=[])
COGNITO_TOKEN_LEEWAY = env.int("COGNITO_TOKEN_LEEWAY", default=5)
# Refresh the session's tokens when fewer than this many seconds of validity remain.
COGNITO_REFRESH_MARGIN = env.int("COGNITO_REFRESH_MARGIN", default=300)
# The one mapping from Cognito groups to rights on this site (accounts.request_user reads it).
# A superuser has every permission, managing users (moderation.manage_cognito_user) included.
COGNITO_GROUP_RIGHTS: dict[str, dict] = {
    "admins": {
        "is_staff": True,
        "permissions": [
            "moderation.view_photoentry",
            "moderation.view_commententry",
            "moderation.view_sharelinkentry",
            "moderation.view_cognitouser",
            "moderation.view_moderationevent",
            "moderation.moderate_photo",
            "moderation.moderate_comment",
            "moderation.revoke_sharelink",
        ],
    },
    "superadmins": {"is_staff": True, "is_superuser": True, "permissions": []},
}
# Sign-in attempts allowed per window: per client IP (all attempts) and per account (failures).
PHOTOSITE_SIGNIN_IP_LIMIT = env.int("PHOTOSITE_SIGNIN_IP_LIMIT", default=30)
PHOTOSITE_SIGNIN_ACCOUNT_LIMIT = env.int("PHOTOSITE_SIGNIN_ACCOUNT_LIMIT", default=5)
PHOTOSITE_SIGNIN_WINDOW = env.int("PHOTOSITE_SIGNIN_WINDOW", default=900)
# Code e-mails (sign-up, resend, forgot password) allowed per client IP per window.
PHOTOSITE_EMAIL_IP_LIMIT = env.int("PHOTOSITE_EMAIL_IP_LIMIT", default=10)
# Sessions live in DynamoDB so every web instance and Lambda shares them (docs/accounts.md).
SESSION_ENGINE = env.str("DJANGO_SESSION_ENGINE", default="accounts.session_store")
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=14 * 24 * 3600)

# --- Web tier behind a load balancer ------------------------------------------------------------
# How many proxies in front of the site append to X-Forwarded-For (an ALB is one). Zero means
# trust only REMOTE_ADDR.
PHOTOSITE_TRUSTED_PROXY_COUNT = env.int("PHOTOSITE_TRUSTED_PROXY_COUNT", default=0)
if PHOTOSITE_TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = False

PHOTOSITE_SITE_ORIGIN = env.str("PHOTOSITE_SITE_ORIGIN", default="http://127.0.0.1:8000")
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Security (production) ----------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # A load balancer probes health over plain HTTP inside the VPC.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            # Production logs go to CloudWatch: one JSON object per line, with a request id.
            "formatter": env.str("DJANGO_LOG_FORMAT", default="plain" if DEBUG else "json"),
        }
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "botocore": {"level": "WARNING"},
        "werkzeug": {"level": "WARNING"},
        "pynamodb": {"level": "WARNING"},
    },
}

# --- Photos -------------------------------------------------------------------------------------
# The largest photo, sent straight to S3 with a presigned POST (browser and API clients alike).
PHOTOSITE_MAX_UPLOAD_BYTES = env.int("PHOTOSITE_MAX_UPLOAD_BYTES", default=25 * 1024 * 1024)
# The largest request body of an upload sent through the site itself (the form without
# JavaScript, POST /api/photos, the script's fallback): files, fields and multipart framing.
# On Lambda, API Gateway hands the request to the function inside a JSON event with the body
# base64-encoded (4 bytes per 3), and a synchronous invocation carries at most 6,291,456 bytes.
# 4 MiB of body is 5,592,408 bytes of base64, which leaves 699,048 bytes for the rest of the
# event: headers (twice, as headers and multiValueHeaders; API Gateway caps them at 10 KB) and
# requestContext take a few KB. tests/gallery/test_server_upload_limit.py builds that event.
# Larger photos take the direct path above; every tier refuses larger bodies with 413.
PHOTOSITE_SERVER_UPLOAD_MAX_BYTES = env.int(
    "PHOTOSITE_SERVER_UPLOAD_MAX_BYTES", default=4 * 1024 * 1024
)
PHOTOSITE_MAX_PIXELS = env.int("PHOTOSITE_MAX_PIXELS", default=60_000_000)
# Who sees uploader IPs: "full" (everyone), "masked" (others see the network only), "staff".
PHOTOSITE_IP_DISPLAY = env.str("PHOTOSITE_IP_DISPLAY", default="masked")
# How many days uploader and comment IPs are kept whole; after that only the network (IPv4 /24,
# IPv6 /48) remains (docs/gallery.md, IP retention).
PHOTOSITE_IP_RETENTION_DAYS = env.int("PHOTOSITE_IP_RETENTION_DAYS", default=30)
PHOTOSITE_URL_EXPIRY = STORAGES["default"]["OPTIONS"]["querystring_expire"]
# Browser uploads: how long the presigned POST is valid, and how long an uncompleted upload's
# pending record lives before DynamoDB's TTL may remove it.
PHOTOSITE_UPLOAD_URL_EXPIRY = env.int("PHOTOSITE_UPLOAD_URL_EXPIRY", default=900)
PHOTOSITE_PENDING_UPLOAD_TTL = env.int("PHOTOSITE_PENDING_UPLOAD_TTL", default=24 * 3600)
PHOTOSITE_COMMENT_MAX_CHARS = env.int("PHOTOSITE_COMMENT_MAX_CHARS", default=2000)
# At most this many comments per user in each window of this many seconds.
PHOTOSITE_COMMENT_RATE_LIMIT = env.int("PHOTOSITE_COMMENT_RATE_LIMIT", default=10)
PHOTOSITE_COMMENT_RATE_WINDOW = env.int("PHOTOSITE_COMMENT_RATE_WINDOW", default=60)
# What one user may cost the site: pixel memory of judging one upload (a 20 MP RGB PNG fits;
# JPEGs are judged at reduced scale), uploads per window of seconds, and stored bytes of
# originals (0: no quota).
PHOTOSITE_DECODE_MAX_BYTES = env.int("PHOTOSITE_DECODE_MAX_BYTES", default=128 * 1024 * 1024)
PHOTOSITE_UPLOAD_RATE_LIMIT = env.int("PHOTOSITE_UPLOAD_RATE_LIMIT", default=60)
PHOTOSITE_UPLOAD_RATE_WINDOW = env.int("PHOTOSITE_UPLOAD_RATE_WINDOW", default=3600)
PHOTOSITE_STORAGE_QUOTA_BYTES = env.int("PHOTOSITE_STORAGE_QUOTA_BYTES", default=2 * 1024**3)
# Local mode only: create demo accounts and photos (production refuses it).
PHOTOSITE_DEMO_USERS = env.bool("PHOTOSITE_DEMO_USERS", default=False)
PHOTOSITE_DEMO_ADMIN_EMAIL = env.str("PHOTOSITE_DEMO_ADMIN_EMAIL", default="admin@example.com")
PHOTOSITE_DEMO_ADMIN_PASSWORD = env.str("PHOTOSITE_DEMO_ADMIN_PASSWORD", default="Admin-pass-2026")
PHOTOSITE_DEMO_USER_EMAIL = env.str("PHOTOSITE_DEMO_USER_EMAIL", default="demo@example.com")
PHOTOSITE_DEMO_USER_PASSWORD = env.str("PHOTOSITE_DEMO_USER_PASSWORD", default="Demo-pass-2026")
# Reports of photos and comments (docs/gallery.md, Reports): at most this many per client IP and
# per signed-in user in each window of seconds; resolved reports are purged after this many days.
PHOTOSITE_REPORT_IP_LIMIT = env.int("PHOTOSITE_REPORT_IP_LIMIT", default=20)
PHOTOSITE_REPORT_USER_LIMIT = env.int("PHOTOSITE_REPORT_USER_LIMIT", default=10)
PHOTOSITE_REPORT_RATE_WINDOW = env.int("PHOTOSITE_REPORT_RATE_WINDOW", default=3600)
PHOTOSITE_REPORT_RETENTION_DAYS = env.int("PHOTOSITE_REPORT_RETENTION_DAYS", default=90)
# Originals and full size (gallery.services.originals): the pixel memory the full-resolution
# derivative may take (a 48 MP JPEG fits; a larger one is made at half scale), and how long a
# "Download original" link works (seconds).
PHOTOSITE_FULL_SIZE_DECODE_MAX_BYTES = env.int(
    "PHOTOSITE_FULL_SIZE_DECODE_MAX_BYTES", default=320 * 1024 * 1024
)
PHOTOSITE_ORIGINAL_URL_EXPIRY = env.int("PHOTOSITE_ORIGINAL_URL_EXPIRY", default=60)

# The trash (docs/gallery.md): how many days a deleted photo waits before DynamoDB's TTL and
# the bucket's lifecycle rule purge it. The stack passes its TrashDays parameter here, and
# gives the bucket's rule one day more (deploy/cloudformation.yaml).
PHOTOSITE_TRASH_DAYS = env.int("PHOTOSITE_TRASH_DAYS", default=30)
