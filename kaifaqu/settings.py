"""Settings for kaifaqu, read from the environment.

Two modes:
- demo (the default when no ``SECRET_KEY`` is given): SQLite file under the data
  directory, a fixed development key, demo data and demo logins allowed;
- production: ``SECRET_KEY`` is required and ``KAIFAQU_DEMO`` is off, so demo users
  with their published password can never be created.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from kaifaqu.core.api_sections import TAGS as API_SECTIONS
from kaifaqu.core.env import env_bool, env_int, env_list, env_str
from kaifaqu.core.log_json import logging_config

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent


def _default_data_dir() -> Path:
    # A checkout keeps its database beside the code (var/); an installed package
    # keeps it in the user's data directory.
    if (REPO_DIR / "pyproject.toml").exists():
        return REPO_DIR / "var"
    return Path.home() / ".local" / "share" / "kaifaqu"


DATA_DIR = Path(env_str("KAIFAQU_DATA_DIR") or _default_data_dir())

DEMO = env_bool("KAIFAQU_DEMO", default=not env_str("SECRET_KEY"))
DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEMO:
        raise ImproperlyConfigured("生产模式必须设置环境变量 SECRET_KEY")
    SECRET_KEY = "kaifaqu-demo-only-key-not-for-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEMO or DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Behind a reverse proxy that sets X-Forwarded-For, the audit trail records the client's
# address from it; never trust the header when clients can reach the app directly.
KAIFAQU_TRUST_X_FORWARDED_FOR = env_bool("KAIFAQU_TRUST_X_FORWARDED_FOR", default=False)
# How many proxies of ours stand in front of the app (each appends one X-Forwarded-For entry):
# the client's address is the entry that many places from the right.
KAIFAQU_TRUSTED_PROXIES = max(1, env_int("KAIFAQU_TRUSTED_PROXIES", 1))

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
    "django_htmx",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "kaifaqu.core",
    "kaifaqu.audit",
    "kaifaqu.regions",
    "kaifaqu.zones",
    "kaifaqu.enterprises",
    "kaifaqu.projects",
    "kaifaqu.imports",
    "kaifaqu.campaigns",
    "kaifaqu.investment",
    "kaifaqu.chains",
    "kaifaqu.evaluation",
    "kaifaqu.land",
    "kaifaqu.dashboard",
    "kaifaqu.reports",
    "kaifaqu.indicators",
    "kaifaqu.services",
    "kaifaqu.notifications",
    "kaifaqu.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kaifaqu.core.middleware_limits.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kaifaqu.audit.middleware.AuditContextMiddleware",
    "kaifaqu.core.security.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "kaifaqu.urls"
WSGI_APPLICATION = "kaifaqu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kaifaqu.core.context_processors.site",
            ],
        },
    },
]


def _database() -> dict:
    url = env_str("DATABASE_URL")
    if not url:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{DATA_DIR / 'kaifaqu.sqlite3'}"
    config = dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the pages read while a long write runs; IMMEDIATE takes the write
        # lock at the start of a transaction instead of failing halfway through it.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
            "transaction_mode": "IMMEDIATE",
        }
        config["CONN_MAX_AGE"] = 0
        # Tests use a file, not Django's shared in-memory database: the browser tests'
        # live server answers from its own threads, each with its own connection.
        config["TEST"] = {"NAME": str(DATA_DIR / "test-kaifaqu.sqlite3")}
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "kaifaqu.core.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "kaifaqu.core.passwords.CharacterClassesValidator"},
]

# Login lockout (core.security.login_blocked): failed logins within the window, per account
# and address pair, per account from anywhere (higher, so one stranger cannot lock an office
# out of its own account) and per client address; the account counts start again after a
# successful login.
KAIFAQU_LOCKOUT_PER_USER_AND_IP = env_int("KAIFAQU_LOCKOUT_PER_USER_AND_IP", 5)
KAIFAQU_LOCKOUT_PER_USER = env_int("KAIFAQU_LOCKOUT_PER_USER", 20)
KAIFAQU_LOCKOUT_PER_IP = env_int("KAIFAQU_LOCKOUT_PER_IP", 20)
KAIFAQU_LOCKOUT_MINUTES = env_int("KAIFAQU_LOCKOUT_MINUTES", 15)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Uploaded attachments: served only through views that check the user's scope, never as public files.
MEDIA_ROOT = DATA_DIR / "media"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
if DEMO or DEBUG:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on a missing root
# Demo and development serve assets straight from the apps; production runs
# collectstatic once and serves the compressed, hashed copies.
WHITENOISE_USE_FINDERS = DEMO or DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
if not (DEMO or DEBUG):
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["kaifaqu.core.api_rights.AsksTheRules"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "kaifaqu.core.api.Pagination",
    "DEFAULT_SCHEMA_CLASS": "kaifaqu.core.api_schema.SchemaInChinese",
    "EXCEPTION_HANDLER": "kaifaqu.core.api.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "开发区调度平台 API",
    "DESCRIPTION": "kaifaqu 的 REST API：开发区、园区、企业、项目台账、阶段变更、节点与进展。金额单位为万元。",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema lists every endpoint and field: for signed-in users only (issue 18).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "TAGS": API_SECTIONS,
    "ENUM_NAME_OVERRIDES": {
        "StageEnum": "kaifaqu.projects.models.Stage",
        "PriorityLevelEnum": "kaifaqu.projects.models.PriorityLevel",
    },
}

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)  # a working day, then log in again
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# HTTPS (production default; the demo on 127.0.0.1 is plain HTTP). Behind a reverse
# proxy that terminates TLS, the proxy must set X-Forwarded-Proto (see README).
HTTPS = env_bool("KAIFAQU_HTTPS", default=not (DEMO or DEBUG))
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("KAIFAQU_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("KAIFAQU_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("KAIFAQU_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("KAIFAQU_HSTS_PRELOAD", default=True)

# Uploads (imports of Excel/CSV/Word): size limit per file and for a whole request.
KAIFAQU_UPLOAD_MAX_MB = env_int("KAIFAQU_UPLOAD_MAX_MB", 20)
# Background work (imports): threads in the web process; eager runs each task in the caller.
KAIFAQU_TASK_THREADS = env_int("KAIFAQU_TASK_THREADS", 2)
KAIFAQU_TASKS_EAGER = env_bool("KAIFAQU_TASKS_EAGER", default=False)
# Ledger exports of more rows than this are written in the background (a page shows progress).
KAIFAQU_EXPORT_INLINE_ROWS = env_int("KAIFAQU_EXPORT_INLINE_ROWS", 5000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # form fields other than files
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # larger files go to a temporary file
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
# A whole request body: refused from its Content-Length before anything reads it
# (Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not count files).
KAIFAQU_REQUEST_MAX_MB = env_int("KAIFAQU_REQUEST_MAX_MB", 50)
# Spreadsheets (ledger and 月调度 imports) are checked against these before being read.
KAIFAQU_IMPORT_MAX_ROWS = env_int("KAIFAQU_IMPORT_MAX_ROWS", 200_000)
KAIFAQU_IMPORT_MAX_COLUMNS = env_int("KAIFAQU_IMPORT_MAX_COLUMNS", 200)
KAIFAQU_IMPORT_MAX_CELL_CHARS = env_int("KAIFAQU_IMPORT_MAX_CELL_CHARS", 32767)  # Excel's own limit
KAIFAQU_IMPORT_MAX_UNCOMPRESSED_MB = env_int("KAIFAQU_IMPORT_MAX_UNCOMPRESSED_MB", 200)

# KAIFAQU_LOG_JSON=1: one JSON object a line, for a log collector.
LOGGING = logging_config(level=env_str("LOG_LEVEL", "WARNING"), json_lines=env_bool("KAIFAQU_LOG_JSON", False))

# Ledger list pages: rows per page.
KAIFAQU_PAGE_SIZE = env_int("KAIFAQU_PAGE_SIZE", 50)
# A project under way with no progress report for this many days counts as stalled (停滞) on the dashboard.
KAIFAQU_STALLED_DAYS = env_int("KAIFAQU_STALLED_DAYS", 30)
# Money sanity (亿元): above CONFIRM a project's amount is saved only when the user confirms it;
# above MAX it is refused everywhere (pages, API, imports): 万元 typed as 元 is the usual cause.
KAIFAQU_AMOUNT_CONFIRM_YI = env_int("KAIFAQU_AMOUNT_CONFIRM_YI", 1000)
KAIFAQU_AMOUNT_MAX_YI = env_int("KAIFAQU_AMOUNT_MAX_YI", 10000)
# A monthly figure that changes more than this (percent, year on year) is flagged for the reporter to confirm.
KAIFAQU_OUTLIER_PCT = env_int("KAIFAQU_OUTLIER_PCT", 50)
# 月调度: the day of the following month by which zones report, unless the office sets a date.
KAIFAQU_INDICATOR_DUE_DAY = env_int("KAIFAQU_INDICATOR_DUE_DAY", 10)

# Reminders by email: sent only when a mail server is configured (an intranet usually has one).
EMAIL_HOST = env_str("KAIFAQU_EMAIL_HOST")
EMAIL_PORT = env_int("KAIFAQU_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("KAIFAQU_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("KAIFAQU_EMAIL_PASSWORD")
EMAIL_USE_SSL = env_bool("KAIFAQU_EMAIL_SSL", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("KAIFAQU_EMAIL_FROM", "kaifaqu@localhost")
# Group robots are called with this timeout (seconds); a failed delivery is retried this many runs.
KAIFAQU_WEBHOOK_TIMEOUT = env_int("KAIFAQU_WEBHOOK_TIMEOUT", 10)
KAIFAQU_DELIVERY_ATTEMPTS = env_int("KAIFAQU_DELIVERY_ATTEMPTS", 5)
# Robots are called only at their vendor's own host over https (qyapi.weixin.qq.com, oapi.dingtalk.com,
# open.feishu.cn) or at the hosts an intranet's operators list here for a privately deployed one
# (comma-separated). Anything else would let a unit's administrator make the server call into its network.
KAIFAQU_WEBHOOK_HOSTS = env_list("KAIFAQU_WEBHOOK_HOSTS", [])
