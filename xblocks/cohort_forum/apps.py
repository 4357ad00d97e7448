from django.apps import AppConfig


class CohortForumConfig(AppConfig):
    name = "xblocks.cohort_forum"
    label = "social_cohort_forum"
    verbose_name = "Social Learning Suite: cohort forum"
    default_auto_field = "django.db.models.BigAutoField"

    plugin_app = {}

    def ready(self):
        from xblocks.core import component  # pylint: disable=import-outside-toplevel

        from . import receivers  # noqa: F401  pylint: disable=import-outside-toplevel,unused-import
        from .frontdoor import FORUM  # pylint: disable=import-outside-toplevel

        component.register(FORUM)
