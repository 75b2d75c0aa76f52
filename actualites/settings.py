"""Settings for Actualités Express, read from the environment with safe defaults.

Every variable is documented in README.md ("Configuration").
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from actualites.media_storage import media_origin, media_settings

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_float(name, default):
    value = os.environ.get(name)
    return float(value) if value not in (None, "") else default


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY est obligatoire quand DJANGO_DEBUG n’est pas activé."
        )
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105

# Behind a reverse proxy, the META key holding the visitor's address (HTTP_X_FORWARDED_FOR):
# rate limits and login lockouts count by it. Empty: REMOTE_ADDR. Anyone can send that header,
# so it is believed only from TRUSTED_PROXIES, addresses or networks (actualites/clientip.py).
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "")
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES : « {_proxy} » n’est ni une adresse IP ni un réseau (10.0.0.0/8)."
        ) from None
if CLIENT_IP_HEADER and not TRUSTED_PROXIES:
    raise ImproperlyConfigured(
        "CLIENT_IP_HEADER demande TRUSTED_PROXIES : les adresses du ou des proxys dont on croit "
        "l’en-tête (sinon n’importe quel visiteur pourrait s’y faire passer pour un autre)."
    )
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# Where the site lives publicly, for absolute links in emails, feeds and metadata.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = "Actualités Express"

# Demo accounts and their printed logins exist only when asked for.
DEMO_MODE = env_bool("DEMO_MODE", DEBUG)

INSTALLED_APPS = [
    "actualites.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "actualites.apps.TagsConfig",
    "django_ckeditor_5",
    "actualites.apps.BackgroundTasksConfig",
    "actualites.apps.LoginLockoutConfig",
    "django_otp",
    "actualites.apps.TwoFactorDevicesConfig",
    "newsroom",
    "desk",
    "photos",
    "articles",
    "comments",
    "newsletter",
    "public_cache",
    "alerts",
    "autosave",
    "api",
    "notes",
    "live",
    "planning",
    "edge",
    "mostread",
]

# Development tools (tools/: demo content, archive seeding, benchmark commands): loaded with
# DEBUG on (`make run`) or when asked for (`make test`, `make bench`); the production image,
# DEBUG off, never loads them.
DEV_TOOLS = env_bool("DJANGO_DEV_TOOLS", DEBUG)
if DEV_TOOLS:
    INSTALLED_APPS.append("tools")

MIDDLEWARE = [
    "actualites.logging.RequestIdMiddleware",
    # Whole public pages for anonymous readers, first but for the request id: a hit pays for no other middleware
    # (sessions, authentication, CSRF, messages, axes, two-factor…) and replays the headers,
    # security headers and CSP included, that the whole stack gave the stored page.
    "public_cache.pagecache.PageCacheMiddleware",
    # Before anything reads a request body: forms in another charset than UTF-8 get a 400.
    "actualites.middleware.FormCharsetMiddleware",
    # Before anything reads: which server this request reads from (only with a replica).
    "actualites.replica.ReplicaReadsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The public API: read-only, JSON errors, CORS on reads (outside the 304s, which carry it).
    "api.middleware.ReadOnlyApiMiddleware",
    # WhiteNoise; in development it also gzips (see the class).
    "actualites.middleware.StaticFilesMiddleware",
    "actualites.middleware.NewsroomCSPMiddleware",
    # 304s for pages the page cache does not hold (it answers its own hits' conditionals).
    "django.middleware.http.ConditionalGetMiddleware",
    # Inside the page cache, which keeps the keys' headers with the page (edge/keys.py).
    "edge.keys.SurrogateKeyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # 405 for methods a public view does not serve, before the CSRF check would say 403.
    "actualites.http.AllowedMethodsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(), then the administrators' two-factor requirement (README).
    "django_otp.middleware.OTPMiddleware",
    "newsroom.twofactor.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns lockouts into a 429 page.
    "axes.middleware.AxesMiddleware",
]
if DEBUG:
    # Innermost, so that the site's 404 it renders gets the headers of every other one.
    MIDDLEWARE.append("actualites.middleware.ReaderNotFoundMiddleware")

ROOT_URLCONF = "actualites.urls"
WSGI_APPLICATION = "actualites.wsgi.application"

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
                "articles.context_processors.site",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL points elsewhere.
GUNICORN_TIMEOUT = env_int("GUNICORN_TIMEOUT", 30)
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
DATABASE_POOL = env_bool("DATABASE_POOL", False)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A query must give up before gunicorn kills the worker running it.
    statement_timeout_ms = env_int("DATABASE_STATEMENT_TIMEOUT_MS", (GUNICORN_TIMEOUT - 5) * 1000)
    DATABASES["default"]["OPTIONS"] = {"options": f"-c statement_timeout={statement_timeout_ms}"}
    # Reconnect transparently after a database restart.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASE_POOL:
        # Django's psycopg pool requires CONN_MAX_AGE=0: the pool owns connection lifetime.
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": env_int("DATABASE_POOL_MIN", 2),
            "max_size": env_int("DATABASE_POOL_MAX", 10),
        }
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default must work on a fresh clone: make its folder.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# A PostgreSQL standby for anonymous public reads (actualites/replica.py); absent: one server.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    replica = dj_database_url.parse(DATABASE_REPLICA_URL)
    DATABASES["replica"] = {
        **DATABASES["default"],
        **{key: replica[key] for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT")},
        # Tests use the primary's test database under this name.
        "TEST": {"MIRROR": "default"},
    }
    # A standby that is down costs a page two seconds at most, then is left aside a while.
    DATABASES["replica"]["OPTIONS"] = {**DATABASES["default"]["OPTIONS"], "connect_timeout": 2}
    DATABASE_ROUTERS = ["actualites.replica.ReplicaRouter"]
# After a reader's own POST, their requests read from the primary this long (read-your-writes).
DATABASE_REPLICA_PIN_SECONDS = env_int("DATABASE_REPLICA_PIN_SECONDS", 15)
# Paths always read from the primary, whoever asks.
REPLICA_PRIMARY_PATH_PREFIXES = ("/admin/", "/apercu/", "/redaction/")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: local memory by default, Redis when REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")
REDIS_TIMEOUT_SECONDS = env_float("REDIS_TIMEOUT_SECONDS", 1.0)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "public_cache.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "ae"),
            # A stalled Redis costs a page this long at most: then it is a miss (cache.py).
            "OPTIONS": {
                "socket_connect_timeout": env_float("REDIS_TIMEOUT_SECONDS", 1.0),
                "socket_timeout": env_float("REDIS_TIMEOUT_SECONDS", 1.0),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login guessing: after a few failures for one username from one address, that pair waits.
# Locking the pair, not the address, keeps a newsroom behind one shared IP working.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_TEMPLATE = "newsroom/lockout.html"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "actualites.clientip.axes_client_ip"
# Lockout logs name clients by a keyed digest: no username (often an email) or IP in the logs.
AXES_CLIENT_STR_CALLABLE = "actualites.logging.axes_client_str"

# Staff sessions last a working day.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 9 * 3600)
# The article form sends its fields (when changed) and a presence heartbeat this often.
AUTOSAVE_INTERVAL_SECONDS = env_int("AUTOSAVE_INTERVAL_SECONDS", 20)

# French only, for every visitor: no LocaleMiddleware, so pages carry no
# "Vary: Accept-Language" and a shared cache keeps one copy whatever the browser's language.
LANGUAGE_CODE = "fr"
# Our wording of Django's and the libraries' admin texts (see actualites/admin_site.py).
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGES = [("fr", "Français")]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded photos: the local disk, or an S3-compatible bucket with MEDIA_STORAGE=s3 whose
# addresses (the bucket's or a CDN's, AWS_S3_CUSTOM_DOMAIN) are never the site's own host.
_MEDIA_STORAGE, MEDIA_URL = media_settings(os.environ, site_url=SITE_URL)
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Without a front web server, Django serves uploaded media itself (see actualites/urls.py);
# never when they are in a bucket.
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", True) and MEDIA_URL == "/media/"
STORAGES = {
    "default": _MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploads: what a photo may weigh and measure before we even try to decode it.
PHOTO_MAX_UPLOAD_BYTES = env_int("PHOTO_MAX_UPLOAD_MB", 15) * 1024 * 1024
PHOTO_MAX_PIXELS = env_int("PHOTO_MAX_PIXELS", 40_000_000)
PHOTO_RENDITION_WIDTHS = [480, 800, 1200, 1600]
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Email (actualites/mail.py): files to read under var/mail in development, any SMTP server in
# production.
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Actualités Express <redaction@actualites-express.example>"
)
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
if os.environ.get("SMTP_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["SMTP_HOST"],
                "port": env_int("SMTP_PORT", 587),
                "username": os.environ.get("SMTP_USER", ""),
                "password": os.environ.get("SMTP_PASSWORD", ""),
                "use_tls": env_bool("SMTP_USE_TLS", True),
                "timeout": env_int("SMTP_TIMEOUT", 20),
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "actualites.mail.ReadableFileBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
        }
    }

# Background work (newsletter sending) through Django's tasks API, stored in the database.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Public links shown in the header and footer.
SOCIAL_LINKS = [
    ("Facebook", os.environ.get("SOCIAL_FACEBOOK_URL", "https://www.facebook.com/")),
    ("X", os.environ.get("SOCIAL_X_URL", "https://x.com/")),
    ("YouTube", os.environ.get("SOCIAL_YOUTUBE_URL", "https://www.youtube.com/")),
    ("TikTok", os.environ.get("SOCIAL_TIKTOK_URL", "https://www.tiktok.com/")),
    ("LinkedIn", os.environ.get("SOCIAL_LINKEDIN_URL", "https://www.linkedin.com/")),
]

# Rich text editing. No source editing, no HTML embed: the body is sanitized on save anyway.
CK_EDITOR_5_UPLOAD_FILE_VIEW_NAME = "articles:editor-upload"
CKEDITOR_5_CONFIGS = {
    "article": {
        "licenseKey": "GPL",
        "language": "fr",
        "toolbar": {
            "items": [
                "heading",
                "|",
                "bold",
                "italic",
                "link",
                "|",
                "bulletedList",
                "numberedList",
                "blockQuote",
                "|",
                "imageUpload",
                "|",
                "undo",
                "redo",
            ],
        },
        "heading": {
            "options": [
                {"model": "paragraph", "title": "Paragraphe", "class": "ck-heading_paragraph"},
                {
                    "model": "heading2",
                    "view": "h2",
                    "title": "Intertitre",
                    "class": "ck-heading_heading2",
                },
                {
                    "model": "heading3",
                    "view": "h3",
                    "title": "Sous-intertitre",
                    "class": "ck-heading_heading3",
                },
                # Kept so that an <h4> already in a text survives the editor untouched.
                {
                    "model": "heading4",
                    "view": "h4",
                    "title": "Petit intertitre",
                    "class": "ck-heading_heading4",
                },
            ]
        },
        # A numbered list may start at any number, or count down; no per-list bullet styles
        # (they would be inline styles, which the sanitizer removes).
        "list": {"properties": {"styles": False, "startIndex": True, "reversed": True}},
        "image": {
            "toolbar": ["imageTextAlternative", "toggleImageCaption"],
        },
    },
}
CKEDITOR_5_FILE_UPLOAD_PERMISSION = "authenticated"

LOGIN_URL = "admin:login"
# Where a login with no (or an unsafe) "next" leads: staff only ever log in to the admin.
LOGIN_REDIRECT_URL = "admin:index"

# Structured logs on stdout; emails and IP addresses are never logged at INFO.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "actualites.logging.RequestIdFilter"},
        "forbidden_without_traceback": {"()": "actualites.logging.ForbiddenWithoutTraceback"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "actualites.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
            "level": os.environ.get("LOG_LEVEL", "INFO"),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's default console handler would print each of its lines a second time.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.request": {"filters": ["forbidden_without_traceback"]},
        "django.db.backends": {"level": "WARNING"},
    },
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    # Load balancers probe over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (Django's built-in support). Public pages carry no inline script or
# style at all, so they need no 'unsafe-inline' and no nonce (a cached nonce is no nonce).
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
# Photos in a bucket or behind a CDN are shown from there.
if media_origin(MEDIA_URL):
    SECURE_CSP["img-src"].append(media_origin(MEDIA_URL))
# CKEditor 5 writes inline styles and previews pasted images as blob: URLs.
SECURE_CSP_ADMIN = {
    **SECURE_CSP,
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": [*SECURE_CSP["img-src"], "blob:"],
}
ADMIN_CSP_PATH_PREFIXES = ("/admin/",)

TAGGIT_CASE_INSENSITIVE = True
TAGGIT_TAGS_FROM_STRING = "articles.tags.parse_tags"

# Whole-page cache for anonymous readers (public_cache/pagecache.py). It needs a cache shared by
# every process (Redis) to invalidate across gunicorn workers, hence its default.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", bool(REDIS_URL) or DEBUG)
PAGE_CACHE_ALIAS = "default"
# Fragments of public pages (article, comments, lists, navigation), kept with their keys.
FRAGMENT_CACHE_ENABLED = env_bool("FRAGMENT_CACHE_ENABLED", bool(REDIS_URL) or DEBUG)
# How many fragments each process also keeps in memory (a few MB: the hottest pages' parts).
FRAGMENT_CACHE_LOCAL_SIZE = env_int("FRAGMENT_CACHE_LOCAL_SIZE", 300)
PAGE_CACHE_LOCAL_SIZE = env_int("PAGE_CACHE_LOCAL_SIZE", 200)
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)
PAGE_CACHE_BROWSER_SECONDS = env_int("PAGE_CACHE_BROWSER_SECONDS", 60)
PAGE_CACHE_STALE_SECONDS = env_int("PAGE_CACHE_STALE_SECONDS", 60)
PAGE_CACHE_STALE_IF_ERROR_SECONDS = env_int("PAGE_CACHE_STALE_IF_ERROR_SECONDS", 86400)
# Besides scheduled publications, what changes public pages by itself at a set time: each
# function returns the next such moment (or None). Pages and fragments are never kept past it.
PAGE_CACHE_SCHEDULES = ["alerts.schedule.next_change"]

# « Les plus lus » (mostread/): reads counted in Redis when REDIS_URL is set; otherwise each
# process writes the reads it counted to the database this often.
MOST_READ_FLUSH_SECONDS = env_float("MOST_READ_FLUSH_SECONDS", 30)
# How often the block is computed again (pages in cache may show it this much longer).
MOST_READ_REFRESH_SECONDS = env_int("MOST_READ_REFRESH_SECONDS", 300)
PAGE_CACHE_VIEWS = {
    "articles:home",
    "articles:category",
    "articles:tag",
    "articles:author",
    "articles:detail",
    "articles:page",
    "articles:feed",
    "articles:feed-atom",
    "articles:category-feed",
    "articles:category-feed-atom",
    "articles:robots",
    "articles:sitemap",
    "articles:sitemap-news",
    "articles:sitemap-section",
    # The public API (api/): its answers follow the pages' rules and invalidation.
    "api:articles",
    "api:article",
    "api:categories",
    "api:category",
    "api:authors",
    "api:author",
    "api:tags",
    "api:tag",
    "api:openapi-json",
    "api:lives",
    "api:live",
    "api:live-entries",
    # Live coverage (live/): the poll endpoint of the page's script, the feed of entries.
    "live:poll",
    "live:feed",
}
# The query parameters a cached page may carry, with the values kept: a page number written as
# our links write it ("page-number": "2", never "02" nor "+2"), or a few fixed values (the notice
# after posting a comment). Other parameters and spellings bypass the cache, so random ones
# cannot flood it.
PAGE_CACHE_QUERY_PARAMS = {
    "page": "page-number",
    "commentaires": "page-number",
    "commentaire": {"en-attente", "publie"},
}
# Parameters for the readers' analytics, not for the page: the cached copy serves them.
PAGE_CACHE_IGNORED_PARAMS = {
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "fbclid",
    "gclid",
    "mc_cid",
    "mc_eid",
}

# Live coverage (live/): how often an open live page asks for new entries, in seconds.
LIVE_POLL_SECONDS = env_int("LIVE_POLL_SECONDS", 20)

# Shared caches in front of the site (edge/, README « Cache et CDN »): where the surrogate keys
# of what changed are sent after each change. Varnish: its purge listeners, such as
# http://varnish:6082/ (comma-separated). Fastly and Cloudflare: their purge-by-key APIs.
VARNISH_PURGE_URLS = env_list("VARNISH_PURGE_URLS")
FASTLY_SERVICE_ID = os.environ.get("FASTLY_SERVICE_ID", "")
FASTLY_API_TOKEN = os.environ.get("FASTLY_API_TOKEN", "")
FASTLY_API_URL = os.environ.get("FASTLY_API_URL", "https://api.fastly.com")
CLOUDFLARE_ZONE_ID = os.environ.get("CLOUDFLARE_ZONE_ID", "")
CLOUDFLARE_API_TOKEN = os.environ.get("CLOUDFLARE_API_TOKEN", "")
CLOUDFLARE_API_URL = os.environ.get("CLOUDFLARE_API_URL", "https://api.cloudflare.com")
for _service, _id, _token in (
    ("FASTLY", FASTLY_SERVICE_ID, FASTLY_API_TOKEN),
    ("CLOUDFLARE", CLOUDFLARE_ZONE_ID, CLOUDFLARE_API_TOKEN),
):
    if _id and not _token:
        raise ImproperlyConfigured(
            f"{_service}_API_TOKEN doit être défini pour purger ce CDN ({_service}_"
            f"{'SERVICE_ID' if _service == 'FASTLY' else 'ZONE_ID'} l’est)."
        )
# A purge a cache did not confirm is retried this many times (2, 4, 8… seconds apart, at most a
# minute), then given up: the pages expire by themselves (s-maxage).
EDGE_PURGE_ATTEMPTS = env_int("EDGE_PURGE_ATTEMPTS", 12)

# `make bench` only: a bare view returning a fixed 30 KB page, the ceiling pages are compared to.
BENCH_CEILING = env_bool("BENCH_CEILING", False)

# Reader comments (comments/). Documented in README.md, "Commentaires des lecteurs".
# Publish at once the comments of an email that already has an approved comment.
COMMENTS_AUTO_APPROVE_KNOWN = env_bool("COMMENTS_AUTO_APPROVE_KNOWN", True)
# More links than this and a comment always waits for a moderator.
COMMENTS_MAX_LINKS = env_int("COMMENTS_MAX_LINKS", 2)
# Threads shown per page under an article (a page of replies comes with its thread).
COMMENTS_PER_PAGE = env_int("COMMENTS_PER_PAGE", 50)
# Make links in comments clickable (rel="nofollow"); plain text otherwise.
COMMENTS_LINKIFY = env_bool("COMMENTS_LINKIFY", False)
# Close comments this many days after publication (0: never). The demo articles are dated
# summer 2025, so demo mode leaves them open for `make run`.
COMMENTS_CLOSE_AFTER_DAYS = env_int("COMMENTS_CLOSE_AFTER_DAYS", 0 if DEMO_MODE else 30)
# The form's signed token (public_forms/guard.py), asked for by static/js/form-token.js when
# the reader reaches the form: posted sooner than this is a robot, later than this is stale.
COMMENTS_MIN_SECONDS = env_int("COMMENTS_MIN_SECONDS", 3)
COMMENTS_FORM_MAX_AGE_HOURS = env_int("COMMENTS_FORM_MAX_AGE_HOURS", 24)
# At most COMMENTS_RATE_LIMIT posts per address per COMMENTS_RATE_LIMIT_SECONDS.
COMMENTS_RATE_LIMIT = env_int("COMMENTS_RATE_LIMIT", 5)
COMMENTS_RATE_LIMIT_SECONDS = env_int("COMMENTS_RATE_LIMIT_SECONDS", 600)
# How long the approve/reject/spam links of the moderators' emails work.
COMMENTS_LINK_MAX_AGE_DAYS = env_int("COMMENTS_LINK_MAX_AGE_DAYS", 7)
# IP addresses and user agents are erased after this many days.
COMMENTS_PERSONAL_DATA_DAYS = env_int("COMMENTS_PERSONAL_DATA_DAYS", 90)

# Newsletter (newsletter/): signup protection, confirmation links and background sending.
NEWSLETTER_BATCH_SIZE = env_int("NEWSLETTER_BATCH_SIZE", 200)
# How many senders (tasks) share one issue: run as many task workers to send in parallel.
NEWSLETTER_SENDERS = env_int("NEWSLETTER_SENDERS", 2)
# SQLite only: a claimed batch not finished after this long is taken over (dead worker).
# PostgreSQL knows at once that a sender died (sending.py).
NEWSLETTER_CLAIM_TIMEOUT = env_int("NEWSLETTER_CLAIM_TIMEOUT", 600)
NEWSLETTER_CONFIRM_MAX_AGE = env_int("NEWSLETTER_CONFIRM_MAX_AGE_DAYS", 3) * 24 * 3600
NEWSLETTER_CONFIRM_RESEND_INTERVAL = env_int("NEWSLETTER_CONFIRM_RESEND_MINUTES", 10) * 60
# The signup form's token, as the comment form's: seconds before it may be sent, and after
# which it is stale.
NEWSLETTER_FORM_MIN_AGE = env_int("NEWSLETTER_FORM_MIN_AGE", 2)
NEWSLETTER_FORM_MAX_AGE = env_int("NEWSLETTER_FORM_MAX_AGE", 24 * 3600)
NEWSLETTER_RATE_PER_IP = env_int("NEWSLETTER_RATE_PER_IP", 20)
NEWSLETTER_RATE_PER_ADDRESS = env_int("NEWSLETTER_RATE_PER_ADDRESS", 5)
NEWSLETTER_RATE_WINDOW = env_int("NEWSLETTER_RATE_WINDOW", 3600)

# Two-factor authentication for the admin (newsroom/twofactor.py), documented in README.md,
# "Double authentification". Whether editors must use it is set in the admin.
OTP_TOTP_ISSUER = "Actualités Express"
# Superusers manage devices in the admin without seeing anyone's secret key or QR code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
