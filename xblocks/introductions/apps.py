from django.apps import AppConfig


class IntroductionsConfig(AppConfig):
    name = "xblocks.introductions"
    label = "social_introductions"
    verbose_name = "Social Learning Suite: introductions"
    default_auto_field = "django.db.models.BigAutoField"

    plugin_app = {}

    def ready(self):
        from xblocks.core import component  # pylint: disable=import-outside-toplevel

        from . import receivers  # noqa: F401  pylint: disable=import-outside-toplevel,unused-import
        from .frontdoor import INTRODUCTIONS  # pylint: disable=import-outside-toplevel

        component.register(INTRODUCTIONS)
