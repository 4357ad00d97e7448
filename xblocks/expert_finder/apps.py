from django.apps import AppConfig


class ExpertFinderConfig(AppConfig):
    name = "xblocks.expert_finder"
    label = "social_expert_finder"
    verbose_name = "Social Learning Suite: expert finder"
    default_auto_field = "django.db.models.BigAutoField"

    plugin_app = {}

    def ready(self):
        from xblocks.core import component  # pylint: disable=import-outside-toplevel

        from . import evidence  # noqa: F401  pylint: disable=import-outside-toplevel,unused-import
        from .frontdoor import FINDER  # pylint: disable=import-outside-toplevel

        component.register(FINDER)
