"""conflictmap settings: one file, driven by environment variables with embedded defaults."""

import math
import os
import secrets
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CONFLICTMAP_VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str) -> str:
    """Return the variable, or the default when unset or empty."""
    return os.environ.get(name) or default


def env_bool(name: str, default: bool) -> bool:
    """Parse a boolean variable; refuse anything but the usual spellings."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true/false, 1/0, yes/no).")


def env_list(name: str, default: list[str]) -> list[str]:
    """Parse a comma-separated variable."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_seconds(name: str, default: float) -> float:
    """Parse a positive number of seconds."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a positive number of seconds.")
    return value


def env_number(name: str, default: float, low: float, high: float, whole: bool = False) -> float:
    """Parse a number between low and high, inclusive (a whole one if `whole`)."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not low <= value <= high or (whole and not value.is_integer()):
        kind = "whole number" if whole else "number"
        raise ImproperlyConfigured(f"{name}={raw!r} is not a {kind} from {low:g} to {high:g}.")
    return value


def env_int(name: str, default: int) -> int:
    """Parse a positive whole number."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a positive whole number.")
    return value


def env_choice(name: str, default: str, choices: set[str]) -> str:
    """Return the variable if it is one of `choices`."""
    value = env_str(name, default).strip().lower()
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} is not one of {', '.join(sorted(choices))}.")
    return value


def env_url(name: str, default: str, schemes: set[str]) -> str:
    """Return a URL variable whose scheme is one of `schemes`."""
    url = env_str(name, default)
    scheme = urlparse(url).scheme
    if scheme not in schemes:
        allowed = ", ".join(sorted(schemes))
        raise ImproperlyConfigured(f"{name}={url!r}: scheme {scheme!r} is not one of {allowed}.")
    return url


def default_secret_key() -> str:
    """Keep one generated key under var/ so sessions survive restarts."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def database_config(url: str) -> dict:
    """Turn DATABASE_URL into Django's dict, spatial backends only."""
    try:
        config = dj_database_url.parse(url, conn_max_age=60)
    except Exception as exc:  # dj-database-url raises several types for bad URLs
        raise ImproperlyConfigured(f"DATABASE_URL={url!r} cannot be parsed: {exc}") from exc
    # A plain postgres:// URL still means PostGIS: every model here is spatial.
    engine = config["ENGINE"].replace(
        "django.db.backends.postgresql", "django.contrib.gis.db.backends.postgis"
    )
    config["ENGINE"] = engine
    spatial = {"django.contrib.gis.db.backends.spatialite", "django.contrib.gis.db.backends.postgis"}
    if engine not in spatial:
        raise ImproperlyConfigured(f"DATABASE_URL={url!r} must be spatialite:// or postgis://.")
    if config["ENGINE"].endswith("spatialite"):
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {"timeout": 30}
        Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    return config


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY") or default_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

DATABASE_URL = env_url(
    "DATABASE_URL",
    f"spatialite:///{VAR_DIR / 'conflictmap.sqlite3'}",
    {"spatialite", "postgis", "postgres", "postgresql"},
)
DATABASES = {"default": database_config(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Optional online tiles under our own admin-polygon basemap; empty means fully offline.
BASEMAP_TILE_URL = os.environ.get("BASEMAP_TILE_URL", "")
if BASEMAP_TILE_URL and urlparse(BASEMAP_TILE_URL).scheme not in {"http", "https"}:
    raise ImproperlyConfigured(f"BASEMAP_TILE_URL={BASEMAP_TILE_URL!r} must be an http(s) URL.")
BASEMAP_TILE_ATTRIBUTION = os.environ.get("BASEMAP_TILE_ATTRIBUTION", "")

INSTALLED_APPS = [
    # Django's admin with conflictmap.accounts.admin_site.AdminSite (admins only) as admin.site.
    "conflictmap.accounts.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "rest_framework",
    "rest_framework.authtoken",
    "simple_history",
    "axes",
    "conflictmap.accounts",
    "gazetteer",
    "conflictmap.articles",
    "conflictmap.incidents",
    "conflictmap.rules",
    "conflictmap.acled",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records who made each change in the audit trail.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Refuses locked-out logins; last, as its docs ask.
    "axes.middleware.AxesMiddleware",
    "conflictmap.accounts.middleware.ReadAccessMiddleware",
]

ROOT_URLCONF = "conflictmap.urls"
WSGI_APPLICATION = "conflictmap.wsgi.application"

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
                "conflictmap.context_processors.basemap",
                "conflictmap.accounts.context_processors.role",
            ],
        },
    },
]

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "incidents:map"
LOGOUT_REDIRECT_URL = "incidents:map"

# Who may read the map and the API without logging in: "public" (anyone) or "login" (accounts only).
READ_ACCESS = env_choice("CONFLICTMAP_READ_ACCESS", "public", {"public", "login"})
# Whether viewers (and anonymous readers) see incidents no reviewer has confirmed yet.
SHOW_MACHINE_TO_VIEWERS = env_bool("CONFLICTMAP_SHOW_MACHINE_TO_VIEWERS", True)
# Exports: the most rows one download may hold (a larger filter gets a 400 naming the count), and the
# address `manage.py export` writes before the app's paths (a request uses its own host).
EXPORT_MAX_ROWS = env_int("CONFLICTMAP_EXPORT_MAX_ROWS", 1_000_000)
PUBLIC_URL = env_url("CONFLICTMAP_PUBLIC_URL", "http://127.0.0.1:8000", {"http", "https"}).rstrip("/")

# Event linking (geoparse.linking): a report joins an event at this score or above (0–1), unless another
# event scores within the margin; precision-1 places this close are one location; stated dates may be
# this many days apart; the fatality figure an event takes from its reports (ACLED: the lowest).
EVENT_LINK_MIN_SCORE = env_number("CONFLICTMAP_EVENT_LINK_MIN_SCORE", 0.7, 0, 1)
EVENT_LINK_MARGIN = env_number("CONFLICTMAP_EVENT_LINK_MARGIN", 0.05, 0, 1)
EVENT_LINK_NEAR_KM = env_number("CONFLICTMAP_EVENT_LINK_NEAR_KM", 5.0, 0, 100)
EVENT_LINK_DAY_SLACK = int(env_number("CONFLICTMAP_EVENT_LINK_DAY_SLACK", 0, 0, 30, whole=True))
EVENT_FATALITIES = env_choice("CONFLICTMAP_EVENT_FATALITIES", "lowest", {"lowest", "highest"})

# Login rate limit: lock a username + address out after this many failures, for this long.
AXES_FAILURE_LIMIT = env_int("CONFLICTMAP_LOGIN_FAILURES", 5)
AXES_COOLOFF_TIME = env_seconds("CONFLICTMAP_LOGIN_COOLOFF_SECONDS", 900.0) / 3600  # axes counts hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# The write API: a coder's token (Authorization: Token …) or a logged-in session, whose CSRF is checked.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header turns "not logged in" into a 401, not a 403.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ar", "العربية")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request without it
# WhiteNoise serves static/ straight from the finders, so no collectstatic step is needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# GeoDjango finds apt's GDAL/GEOS itself; these let an operator point at the wheel-bundled ones.
if os.environ.get("GDAL_LIBRARY_PATH"):
    GDAL_LIBRARY_PATH = os.environ["GDAL_LIBRARY_PATH"]
if os.environ.get("GEOS_LIBRARY_PATH"):
    GEOS_LIBRARY_PATH = os.environ["GEOS_LIBRARY_PATH"]

# Celery: the embedded default is kombu's filesystem transport under var/.
CELERY_BROKER_URL = env_url(
    "CELERY_BROKER_URL", "filesystem://", {"filesystem", "redis", "rediss", "amqp", "pyamqp"}
)
BROKER_DIR = VAR_DIR / "broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    for sub in ("queue", "processed", "control"):
        (BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
        "polling_interval": 0.1,
    }
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# An article pending or processing for longer than this is re-queued by the sweep.
ARTICLE_STALE_SECONDS = env_seconds("CONFLICTMAP_STALE_SECONDS", 600.0)
# For deployments that run celery beat (or worker -B): the sweep, twice per stale period.
CELERY_BEAT_SCHEDULE = {
    "sweep-stale-articles": {
        "task": "conflictmap.articles.tasks.sweep_stale",
        "schedule": ARTICLE_STALE_SECONDS / 2,
    },
}

GAZETTEER_DATA_DIR = BASE_DIR / "gazetteer" / "data"
# ACLED CSV files uploaded by admins wait here for the worker's import (each is removed once imported).
ACLED_UPLOAD_DIR = VAR_DIR / "acled-uploads"

# Debian 12 ships GDAL 3.6, which cannot sandbox file access; we never hand GDAL untrusted
# spatial references (geometries arrive as GeoJSON/WKT parsed by GEOS).
SILENCED_SYSTEM_CHECKS = ["gis.W001"]
