"""motcua's only settings file.

Every value that differs between a laptop and production comes from an environment variable read
through the small helpers below; each variable is documented in the README. The defaults make
`make run` work on a fresh machine and are never safe for production (`HTTPS=1` turns on the
production hardening, and `check --deploy` in CI proves it).
"""

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Good for `make run` only: with DEBUG=0 and without DEMO=1 a system check refuses to start with it.
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-for-make-run-never-for-production-0123456789"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
# Former keys, still accepted while they are phased out: printed receipts' QR codes and claim codes stay
# valid after SECRET_KEY changes, as long as the old key is listed here.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Shown in absolute links (QR codes, messages); the request's host is used when empty.
SITE_URL = env_str("SITE_URL", "").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "motcua.periodic",  # before django_tasks_db: its db_worker outlives a database restart
    "django_tasks_db",
    "motcua.accounts",
    "motcua.agencies",
    "motcua.catalog",
    "motcua.workdays",
    "motcua.dossiers",
    "motcua.payments",
    "motcua.documents",
    "motcua.notifications",
    "motcua.nationalportal",
    "motcua.outreach",
    "motcua.stats",
    "motcua.feedback",
    "motcua.portal",
    "motcua.api",
]

# "...ForPages": the Django middleware of that name for every path but /api/, which the JSON API (bearer
# tokens only, never the session cookie) does without (motcua/middleware.py says what and why).
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "motcua.middleware.StaticFilesForPages",  # WhiteNoise
    "motcua.portal.compression.PageCompressionMiddleware",  # gzip pages; files streamed as they are
    "motcua.middleware.RefuseControlCharacters",  # before anything reads a cookie, a query or a form
    "motcua.middleware.SessionsForPages",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "motcua.middleware.CsrfForPages",
    "motcua.middleware.AuthenticationForPages",
    "motcua.middleware.MessagesForPages",
    "motcua.dossiers.middleware.KeepAnswersMiddleware",  # a form posted after the session ended is kept
    "motcua.accounts.access.PolicyMiddleware",  # the access table (motcua/policy.py), before any view
    "motcua.outreach.campaigns_middleware.CampaignTagMiddleware",  # what a tagged link brings, counted
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = env_str("ROOT_URLCONF", "motcua.urls")  # `make bench-dossiers` adds a raw-SQL reference
WSGI_APPLICATION = "motcua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "motcua" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "motcua.portal.context_processors.site",
            ],
            "builtins": ["motcua.portal.templatetags.motcua"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'motcua.sqlite3'}"),
        # Persistent connections: a new PostgreSQL connection costs ~5 ms (throughput.md).
        conn_max_age=None,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not memory, so that concurrency tests can open several connections to it.
    # One file per test process, so that two test runs on one machine never share it.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"motcua-test-{os.getpid()}.sqlite3")
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# argon2id with OWASP's parameters (motcua/accounts/hashers.py: 19 MiB, 2 passes, 1 lane, not Django's
# 100 MiB and 8 lanes); hashes made otherwise still verify and are re-hashed at the next sign-in.
PASSWORD_HASHERS = [
    "motcua.accounts.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/dang-nhap/"
LOGIN_REDIRECT_URL = "/"
AUTHENTICATION_BACKENDS = ["motcua.accounts.backends.PhoneOrUsernameBackend"]
# How long someone stays signed in (motcua/accounts/session_store.py): a citizen 30 days after their last
# visit (renewed at most once a day); an officer, or a citizen who ticked "Máy dùng chung", until the
# browser closes and at most SHORT_SESSION_AGE after the session last changed.
SESSION_ENGINE = "motcua.accounts.session_store"
SESSION_COOKIE_AGE = 30 * 24 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = False
SHORT_SESSION_AGE = 8 * 3600
# One household phone, several people (motcua/accounts/households.py): each their own account, at most this
# many on one number.
PEOPLE_PER_PHONE = 6

# Nothing shared lives in the cache (rate limits are counted in the database), so per-process is fine.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# django.tasks: the database backend and its `db_worker` by default; TASKS_BACKEND=immediate runs tasks in
# the request (no worker; retries then wait for the outbox sweep of `manage.py periodic`). Notifications
# use the "default" queue.
TASKS_BACKENDS = {
    "db": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
TASKS = {"default": {"BACKEND": TASKS_BACKENDS[env_str("TASKS_BACKEND", "db")], "QUEUES": ["default"]}}

# Notifications: each outside channel tries its providers in order (failover). `console` only writes the
# text to the log and the officers' outbox page (development: read sign-in codes there).
ESMS_URL = "https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/"
NOTIFICATIONS = {
    "CHANNELS": {
        "sms": env_list("SMS_PROVIDERS", "console"),  # e.g. "esms,esms_backup"
        "zalo": env_list("ZALO_PROVIDERS", ""),  # "zalo" once the OA's ZNS templates are approved
        "email": env_list("EMAIL_PROVIDERS", "email"),
    },
    "PROVIDERS": {
        "esms": {
            "BACKEND": "motcua.notifications.providers.EsmsProvider",
            "OPTIONS": {
                "url": env_str("SMS_API_URL", ESMS_URL),
                "api_key": env_str("SMS_API_KEY"),
                "secret": env_str("SMS_SECRET"),
                "brandname": env_str("SMS_BRANDNAME"),
                "sandbox": env_bool("SMS_SANDBOX", False),
            },
        },
        "esms_backup": {  # a second brandname account, tried when the first gives up
            "BACKEND": "motcua.notifications.providers.EsmsProvider",
            "OPTIONS": {
                "url": env_str("SMS_BACKUP_API_URL", ESMS_URL),
                "api_key": env_str("SMS_BACKUP_API_KEY"),
                "secret": env_str("SMS_BACKUP_SECRET"),
                "brandname": env_str("SMS_BACKUP_BRANDNAME"),
            },
        },
        "zalo": {
            "BACKEND": "motcua.notifications.providers.ZaloZnsProvider",
            "OPTIONS": {
                "url": env_str("ZALO_API_URL", "https://business.openapi.zalo.me/message/template"),
                "access_token": env_str("ZALO_ACCESS_TOKEN"),
                "mode": env_str("ZALO_MODE", ""),  # "development": only the OA's admins receive
            },
        },
    },
    # "dossier.received:251234,dossier.approved:251235": event kind -> approved ZNS template id
    "ZALO_TEMPLATES": dict(item.split(":", 1) for item in env_list("ZALO_TEMPLATES")),
    "SMS_MONTHLY_LIMIT": int(env_str("SMS_MONTHLY_LIMIT", "2000")),  # SMS parts per agency per month
    "SMS_PER_PHONE_PER_HOUR": int(env_str("SMS_PER_PHONE_PER_HOUR", "10")),  # dossier notices
    # Sign-in and registration codes (no agency): their monthly budget, the slice of it that codes to
    # numbers with no account may use, and their own per-phone hourly limit.
    "SMS_CODE_MONTHLY_LIMIT": int(env_str("SMS_CODE_MONTHLY_LIMIT", env_str("SMS_MONTHLY_LIMIT", "2000"))),
    "SMS_NEW_NUMBER_MONTHLY_LIMIT": int(env_str("SMS_NEW_NUMBER_MONTHLY_LIMIT", "500")),
    "SMS_CODES_PER_PHONE_PER_HOUR": int(env_str("SMS_CODES_PER_PHONE_PER_HOUR", "6")),
    # Seconds after which a message claimed by a worker that never finished is sent again (`make faults`
    # shortens it to see a killed worker's message delivered within the run).
    "STALE_AFTER": int(env_str("OUTBOX_STALE_AFTER", "600")),
}

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "motcua" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "motcua" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# What one person can store (each file is at most 10 MB): files and megabytes a dossier holds, and megabytes
# a citizen uploads in 30 days. Counted from the attachments themselves.
UPLOAD_DOSSIER_FILES = int(env_str("UPLOAD_DOSSIER_FILES", "30"))
UPLOAD_DOSSIER_MB = int(env_str("UPLOAD_DOSSIER_MB", "50"))
UPLOAD_CITIZEN_MB = int(env_str("UPLOAD_CITIZEN_MB", "200"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env_str("STATICFILES_STORAGE", "whitenoise.storage.CompressedManifestStaticFilesStorage")
    },
}
# Static files change only with a deploy, and their names carry a hash.
WHITENOISE_MAX_AGE = 31536000

if env_str("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("EMAIL_HOST"),
                "port": int(env_str("EMAIL_PORT", "587")),
                "username": env_str("EMAIL_USER"),
                "password": env_str("EMAIL_PASSWORD"),
                "use_tls": True,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "motcua@localhost")

# Content-Security-Policy: no inline script or style anywhere, so no nonce is needed.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Behind TLS (production): every hardening that `check --deploy` asks for.
if env_bool("HTTPS", False):
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    # /healthz is probed by the load balancer over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.server": {"level": "WARNING"}},
}

# The agency shown on the portal when a deployment serves several communes (QCVN 102 agency ID).
DEFAULT_AGENCY_ID = env_str("DEFAULT_AGENCY_ID", "")
# How long a process shows the site agency (name, address, phone in every page) without reading it again;
# the process that saves an agency forgets it at once, the others within this many seconds.
SITE_AGENCY_SECONDS = float(env_str("SITE_AGENCY_SECONDS", "30"))
# Payments (DESIGN.md): demo placeholders only with DEMO=1; production sets the real ones (a system check
# refuses to start with these outside DEMO=1 and DEBUG=1).
DEMO_PAYMENTS = {
    "VNPAY_TMN_CODE": "DEMO0001",
    "VNPAY_HASH_SECRET": "demo-vnpay-secret",
    "BANK_WEBHOOK_SECRET": "demo-bank-webhook-secret",
    "SEPAY_API_KEY": "demo-sepay-api-key",
    "CASSO_WEBHOOK_SECRET": "demo-casso-checksum-key",
}
# Under DEMO=1 the VNPay button goes to the stand-in this site serves (payments/standin.py, mounted only
# then): a demonstration never leaves the machine. A path is made absolute with the request's host.
VNPAY_STANDIN_PATH = "/thu-nghiem/vnpay/paymentv2/vpcpay.html"
VNPAY_URL = env_str(
    "VNPAY_URL",
    VNPAY_STANDIN_PATH if env_bool("DEMO") else "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html",
)
VNPAY_TMN_CODE = env_str("VNPAY_TMN_CODE", DEMO_PAYMENTS["VNPAY_TMN_CODE"] if env_bool("DEMO") else "")
VNPAY_HASH_SECRET = env_str(
    "VNPAY_HASH_SECRET", DEMO_PAYMENTS["VNPAY_HASH_SECRET"] if env_bool("DEMO") else ""
)
PAYGOV_URL = env_str("PAYGOV_URL")
PAYGOV_TOKEN = env_str("PAYGOV_TOKEN")
PAYGOV_PARTNER_CODE = env_str("PAYGOV_PARTNER_CODE")
PAYGOV_SECRET = env_str("PAYGOV_SECRET")
BANK_WEBHOOK_SECRET = env_str(
    "BANK_WEBHOOK_SECRET", DEMO_PAYMENTS["BANK_WEBHOOK_SECRET"] if env_bool("DEMO") else ""
)
# Bank-notification services (payments/banks.py); empty = that service's notices are refused (403).
SEPAY_API_KEY = env_str("SEPAY_API_KEY", DEMO_PAYMENTS["SEPAY_API_KEY"] if env_bool("DEMO") else "")
CASSO_WEBHOOK_SECRET = env_str(
    "CASSO_WEBHOOK_SECRET", DEMO_PAYMENTS["CASSO_WEBHOOK_SECRET"] if env_bool("DEMO") else ""
)
# Paying sends the browser from our form to the gateway's page, which CSP's form-action must allow.
SECURE_CSP["form-action"] += sorted(
    {"/".join(url.split("/", 3)[:3]) for url in (VNPAY_URL, PAYGOV_URL) if url.startswith("https://")}
)

# E-receipts for paid fees (payments/receipts.py): "" = none issued here, and what is printed after a payment
# is a confirmation of payment; "local" = the development stand-in (numbered and signed, marked "thử
# nghiệm — không có giá trị pháp lý"; refused outside DEMO=1 and DEBUG=1); else the dotted path of the
# adapter of an e-receipt service registered with the tax authority.
RECEIPT_ISSUER = env_str("RECEIPT_ISSUER", "local" if env_bool("DEMO") else "")

# The national public-service portal (Cổng DVCQG): every dossier change is queued as a DongBoHoSoMC record
# and sent by the worker through the portal's integration adapter. Empty SYNC_URL = not sent: the records
# are still kept (marked "chưa cấu hình") and go out once it is set. Both URLs are issued with the account.
NATIONAL_PORTAL = {
    "SYNC_URL": env_str("NATIONAL_PORTAL_SYNC_URL"),  # the adapter's integration endpoint
    "AUTH_URL": env_str("NATIONAL_PORTAL_AUTH_URL"),  # the adapter's sign-in endpoint (gives a session)
    "USERNAME": env_str("NATIONAL_PORTAL_USERNAME"),
    "PASSWORD": env_str("NATIONAL_PORTAL_PASSWORD"),
    "DSTCODE": env_str("NATIONAL_PORTAL_DSTCODE"),  # the destination code header of the adapter
    "UNIT_CODE": env_str("NATIONAL_PORTAL_UNIT_CODE"),  # madonvi; each dossier's agency ID when empty
}

# VNeID sign-in (OpenID Connect); empty = not offered. Its callback: SITE_URL + "/dang-nhap/vneid/ve/".
VNEID_ISSUER = env_str("VNEID_ISSUER")
VNEID_CLIENT_ID = env_str("VNEID_CLIENT_ID")
VNEID_CLIENT_SECRET = env_str("VNEID_CLIENT_SECRET")
VNEID_SCOPES = env_str("VNEID_SCOPES", "openid profile phone")

# Public lookups allowed per IP address in 10 minutes (the benchmark raises it).
LOOKUP_RATE_LIMIT = int(env_str("LOOKUP_RATE_LIMIT", "30"))
# The lookup's limit counts in each process's memory and writes the shared counter in batches: attempts
# older than this many seconds are written with the process's next lookup (motcua/ratelimit.py).
THROTTLE_FLUSH_SECONDS = float(env_str("THROTTLE_FLUSH_SECONDS", "1"))
# The public statistics (/thong-ke/, its exports, /api/v1/stats) are rebuilt at most this often (seconds).
STATS_PUBLIC_LAG = int(env_str("STATS_PUBLIC_LAG", "60"))
# How many proxies (load balancer, nginx) stand between the clients and motcua: the client's address is
# the X-Forwarded-For entry that many hops from the right; 0 = the connection's own address.
TRUSTED_PROXIES = int(env_str("TRUSTED_PROXIES", "0"))
# Passwords (sign-in page, API token, Django admin together), per 15 minutes: tries from one address,
# and failures from one address on one account (a stranger's guesses never lock the owner out).
PASSWORD_TRIES_PER_ADDRESS = int(env_str("PASSWORD_TRIES_PER_ADDRESS", "30"))
PASSWORD_FAILURES_PER_ACCOUNT_AND_ADDRESS = int(env_str("PASSWORD_FAILURES_PER_ACCOUNT_AND_ADDRESS", "10"))
# Requests for codes that may reach a number with no account (registration, claiming a dossier), per
# hour: for the whole site, and per network (/24 IPv4, /64 IPv6).
CODE_REQUESTS_PER_HOUR = int(env_str("CODE_REQUESTS_PER_HOUR", "60"))
CODE_REQUESTS_PER_NETWORK_PER_HOUR = int(env_str("CODE_REQUESTS_PER_NETWORK_PER_HOUR", "20"))
# Makes the demo logins and demo gateway placeholders loadable; never set in production.
DEMO = env_bool("DEMO", False)

# Loudspeaker bulletins (outreach): espeak-ng's Vietnamese voice ("vi" northern, "vi-vn-x-central",
# "vi-vn-x-south"), its speed in words a minute and the gap between words (10 ms units); the largest
# recording an officer may upload instead.
BULLETIN_VOICE = {
    "voice": env_str("BULLETIN_VOICE", "vi"),
    "speed": int(env_str("BULLETIN_SPEED", "130")),
    "gap": int(env_str("BULLETIN_WORD_GAP", "2")),
}
BULLETIN_UPLOAD_MB = int(env_str("BULLETIN_UPLOAD_MB", "20"))

# --- operations (issue 15): object storage, readiness, metrics, logs --------------------------------------
from motcua.storage import storage_from_url  # noqa: E402  (imports no app)

# Uploaded and generated files: the folder MEDIA_ROOT when empty, else S3-compatible object storage with
# private objects, "s3://BUCKET[/PREFIX]?endpoint_url=...&region_name=...&addressing_style=path"
# (motcua/storage.py; keys in STORAGE_ACCESS_KEY and STORAGE_SECRET_KEY).
STORAGE_URL = env_str("STORAGE_URL")
STORAGES["default"] = storage_from_url(
    STORAGE_URL, access_key=env_str("STORAGE_ACCESS_KEY"), secret_key=env_str("STORAGE_SECRET_KEY")
)

# A request id on every request and log line, request metrics per route (motcua/observe.py); both first,
# so that every answer, a refusal by a later middleware included, is counted and carries the id.
MIDDLEWARE[:0] = ["motcua.observe.RequestId", "motcua.observe.RequestMetrics"]
# /metrics answers only with "Authorization: Bearer <METRICS_TOKEN>"; empty = /metrics is a 404.
METRICS_TOKEN = env_str("METRICS_TOKEN")
# /readyz: the worker must have run its heartbeat task within this many seconds (it does every minute).
READY_WORKER_SECONDS = int(env_str("READY_WORKER_SECONDS", "300"))
# LOG_FORMAT=json: one JSON object a line (time, level, logger, message, request_id, extra fields);
# LOG_REQUESTS=1: one line per request (method, route, status, milliseconds).
LOGGING["filters"] = {"request_id": {"()": "motcua.observe.RequestIdFilter"}}
LOGGING["formatters"] = {
    "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    "json": {"()": "motcua.observe.JsonFormatter"},
}
LOGGING["handlers"]["console"].update(
    formatter="json" if env_str("LOG_FORMAT", "text") == "json" else "text", filters=["request_id"]
)
LOGGING["loggers"]["motcua.request"] = {"level": "INFO" if env_bool("LOG_REQUESTS") else "WARNING"}

# The PostgreSQL advisory lock key `manage.py periodic` holds while it is the one scheduler
# (periodic/services.py).
# The tests give each test a key of its own, so that no other session of the test database decides for them.
PERIODIC_LOCK_KEY = 0x6D6F7463  # "motc"
# Django's security.W003 looks for the literal "django.middleware.csrf.CsrfViewMiddleware" in MIDDLEWARE; ours
# is that class for every path but the bearer-token /api/ (motcua.middleware.CsrfForPages, a subclass), and
# the pages' CSRF is tested (motcua/api/tests/test_lean_middleware.py: pages keep CSRF and sessions).
SILENCED_SYSTEM_CHECKS = ["security.W003"]
