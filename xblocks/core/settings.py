"""Plugin settings (edx-django-utils `settings_config`) and the one place settings are read.

Every tunable lives in one dict, ``settings.SOCIAL_LEARNING``; read it with :func:`conf`
at call time, never at import time.
"""
from django.conf import settings as django_settings

DEFAULTS = {
    # Forum limits (characters).
    "TITLE_MAX": 200,
    "BODY_MAX": 20000,
    # Posting rate limit per user: at most POSTS_PER_WINDOW contributions every WINDOW seconds.
    "POSTS_PER_WINDOW": 8,
    "POST_WINDOW_SECONDS": 60,
    "PAGE_SIZE": 20,
    # Which group backend resolves cohorts and teams: "auto" picks Open edX inside the
    # platform and the local (sandbox/LTI) implementation elsewhere.
    "GROUP_BACKEND": "auto",
    # Course key used for blocks whose runtime has no course (the XBlock Workbench).
    "LOCAL_COURSE_KEY": "course-v1:Demo+SLS+2026",
    "LOCAL_COURSE_NAME": "Demo course",
}


def conf(name):
    """Return the value of one suite setting, falling back to its default."""
    overrides = getattr(django_settings, "SOCIAL_LEARNING", {}) or {}
    if name in overrides:
        return overrides[name]
    return DEFAULTS[name]


def plugin_settings(settings):
    """Called by edx-django-utils for the LMS and Studio: keep operator overrides, add defaults."""
    current = dict(getattr(settings, "SOCIAL_LEARNING", {}) or {})
    for key, value in DEFAULTS.items():
        current.setdefault(key, value)
    current["GROUP_BACKEND"] = current.get("GROUP_BACKEND", "auto")
    settings.SOCIAL_LEARNING = current
