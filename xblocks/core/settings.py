"""Plugin settings (edx-django-utils `settings_config`) and the one place settings are read.

Every tunable lives in one dict, ``settings.SOCIAL_LEARNING``; read it with :func:`conf`
at call time, never at import time.
"""
from django.conf import settings as django_settings

DEFAULTS = {
    # The largest JSON request body a component's endpoint reads (bytes).
    "REQUEST_MAX_BYTES": 256 * 1024,
    # The largest upload (multipart body) a component's upload action reads (bytes); each component checks
    # its own, smaller limits per file.
    "UPLOAD_MAX_BYTES": 25 * 1024 * 1024,
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


def component_conf(component, name, defaults):
    """One setting of a component: ``SOCIAL_LEARNING[<component key>][name]`` (namespaced), else a flat
    ``SOCIAL_LEARNING[name]`` (how the first release named them), else the component's default."""
    overrides = getattr(django_settings, "SOCIAL_LEARNING", {}) or {}
    scoped = overrides.get(component)
    if isinstance(scoped, dict) and name in scoped:
        return scoped[name]
    if name in overrides:
        return overrides[name]
    return defaults[name]


def plugin_settings(settings):
    """Called by edx-django-utils for the LMS and Studio: keep operator overrides, add defaults."""
    current = dict(getattr(settings, "SOCIAL_LEARNING", {}) or {})
    for key, value in DEFAULTS.items():
        current.setdefault(key, value)
    current["GROUP_BACKEND"] = current.get("GROUP_BACKEND", "auto")
    settings.SOCIAL_LEARNING = current
