"""Django app configuration of the LTI 1.3 tool (runs beside ``lti_tool``, outside Open edX)."""
from django.apps import AppConfig


class LtiToolConfig(AppConfig):
    name = "lti"
    label = "social_lti"
    verbose_name = "Social Learning Suite: LTI 1.3 tool"
    default_auto_field = "django.db.models.BigAutoField"
