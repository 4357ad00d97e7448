"""Admin screens of the LTI tool. Registrations and deployments are django-lti's own admin
(``LtiRegistration`` with its deployments inline); here: the tool's keys, people and placements."""
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from lti_tool.models import Key

from . import keys
from .models import LtiPerson, LtiPlacement


@admin.register(Key)
class KeyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "is_active", "datetime_created"]
    list_filter = ["is_active"]
    readonly_fields = ["public_key", "datetime_created", "datetime_modified"]
    exclude = ["private_key"]
    actions = ["rotate"]

    @admin.action(description=_("Rotate: add a new signing key, retire keys past their grace period"))
    def rotate(self, request, queryset):  # pylint: disable=unused-argument
        new_key, retired = keys.rotate()
        self.message_user(request, _("New signing key %(kid)s; %(count)d retired.") % {"kid": new_key, "count": retired},
                          messages.SUCCESS)

    def has_add_permission(self, request):
        return False


@admin.register(LtiPerson)
class LtiPersonAdmin(admin.ModelAdmin):
    list_display = ["subject", "issuer", "user", "created"]
    search_fields = ["subject", "issuer", "user__username", "user__first_name", "user__last_name"]
    raw_id_fields = ["user"]


@admin.register(LtiPlacement)
class LtiPlacementAdmin(admin.ModelAdmin):
    list_display = ["placement", "component", "deployment", "resource_link_id", "modified"]
    list_filter = ["component"]
    readonly_fields = ["placement", "deployment", "context_id", "resource_link_id", "lineitem_url", "lineitems_url",
                       "ags_scopes", "memberships_url", "modified"]
