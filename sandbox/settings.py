"""Settings for the sandbox site (`make run`) and the test suite.

The database is SQLite by default; ``SLS_DB=mariadb`` selects MariaDB/MySQL at 127.0.0.1:3306
(user root, empty password, database ``test``), overridable with ``SLS_DB_HOST``, ``SLS_DB_PORT``,
``SLS_DB_USER``, ``SLS_DB_PASSWORD`` and ``SLS_DB_NAME``.
"""
import importlib.util
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SLS_VAR_DIR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get("SLS_SECRET_KEY", "sandbox-only-secret-key-not-for-production")
DEBUG = os.environ.get("SLS_DEBUG", "1") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]


def _database():
    engine = os.environ.get("SLS_DB", "sqlite").lower()
    if engine in ("mariadb", "mysql"):
        return {
            "ENGINE": "django.db.backends.mysql",
            "NAME": os.environ.get("SLS_DB_NAME", "test"),
            "USER": os.environ.get("SLS_DB_USER", "root"),
            "PASSWORD": os.environ.get("SLS_DB_PASSWORD", ""),
            "HOST": os.environ.get("SLS_DB_HOST", "127.0.0.1"),
            "PORT": os.environ.get("SLS_DB_PORT", "3306"),
            "OPTIONS": {"charset": "utf8mb4", "isolation_level": "read committed"},
            "TEST": {"NAME": os.environ.get("SLS_DB_TEST_NAME", "test_social_learning"), "CHARSET": "utf8mb4",
                     "COLLATION": "utf8mb4_unicode_ci"},
        }
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("SLS_SQLITE_PATH", str(VAR_DIR / "sandbox.sqlite3")),
        "OPTIONS": {"timeout": 20},
    }


DATABASES = {"default": _database()}

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "djpyfs",
    "workbench",
    "xblocks.core",
    "xblocks.cohort_forum",
    "xblocks.reflection_blog",
    "xblocks.introductions",
    "xblocks.expert_finder",
    "lti_tool",
    "lti",
    "sandbox",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "sandbox.middleware.WorkbenchIdentityMiddleware",
]

ROOT_URLCONF = "sandbox.urls"
# A JSON request refused for its CSRF token gets the one JSON error shape, not Django's HTML page.
CSRF_FAILURE_VIEW = "xblocks.core.errorviews.csrf_failure"


def _workbench_template_dirs():
    """The Workbench's structural blocks (vertical_demo, html_demo) render templates of its samples."""
    spec = importlib.util.find_spec("sample_xblocks")
    if spec is None or not spec.submodule_search_locations:
        return []
    return [str(Path(spec.submodule_search_locations[0]) / "basic" / "templates")]


TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": _workbench_template_dirs(),
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.contrib.auth.context_processors.auth",
                "django.template.context_processors.debug",
                "django.template.context_processors.i18n",
                "django.template.context_processors.request",
                "django.template.context_processors.static",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sls"}}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("nl", "Nederlands"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "conf" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATIC_ROOT = str(VAR_DIR / "static")
# Uploaded media (the reflection blog's images and videos) are kept here and served only through the component's
# actions, to the people who may read them: there is no MEDIA_URL, and nothing serves this folder directly.
MEDIA_ROOT = str(VAR_DIR / "media")
DJFS = {"type": "osfs", "directory_root": str(VAR_DIR / "djpyfs"), "url_root": "/static/djpyfs"}

LOGIN_URL = "/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The workbench lists only the suite's scenarios.
EXCLUDED_XBLOCKS = {
    "allscopes_demo", "attempts_scoreboard_demo", "equality_demo", "filethumbs", "helloworld_demo",
    "html_demo", "problem_demo", "sidebar_demo", "slider_demo", "textinput_demo", "thumbs", "view_counter_demo",
}

SOCIAL_LEARNING = {}
# The demo LTI platform is served by this same site on 127.0.0.1 (``make run``), and a Moodle tried on the same
# machine is on 127.0.0.1 or localhost too: let the tool call them (over http, on loopback addresses).
SOCIAL_LEARNING_LTI = {"ALLOWED_PLATFORM_HOSTS": ["127.0.0.1", "localhost"]}

# The demo LTI platform (lti-consumer-xblock's consumer) names itself in its launches, and traces through
# edx-django-utils' monitoring, which has no backend here.
PLATFORM_NAME = "Sandbox demo platform"
OPENEDX_TELEMETRY = []

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "workbench": {"handlers": ["console"], "level": "WARNING"},
        # The suite's own messages, among them every refused LTI request (social_learning.lti, WARNING).
        "social_learning": {"handlers": ["console"], "level": "INFO"},
    },
}

WORKBENCH = {"reset_state_on_restart": False}

# Background work (the introductions' reminders) runs as Celery tasks; here at once, in the request or command that
# queues them. A deployment sets a broker (Redis) and runs workers; SLS_CELERY_BROKER names it.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = os.environ.get("SLS_CELERY_BROKER", "redis://127.0.0.1:6379/0")
# E-mails (reminders) are printed on the console of `make run`.
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = "Social Learning Suite <no-reply@sandbox.invalid>"
