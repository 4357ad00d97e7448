"""Admin screens of the LTI tool. Registrations and deployments are django-lti's own admin
(``LtiRegistration`` with its deployments inline); here: the tool's keys, people and placements."""
from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from lti_tool.models import Key

from . import keys
from .models import LtiPerson, LtiPlacement, MoodleWebService, PlatformGroupSync


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


class MoodleWebServiceForm(forms.ModelForm):
    """The token is write-only: never shown again; left empty, the stored one is kept."""

    token = forms.CharField(label=_("web service token"), required=False, max_length=128,
                            widget=forms.PasswordInput(render_value=False),
                            help_text=_("Made in Moodle for the tool's service user (see the tool's Moodle guide). "
                                        "Leave empty to keep the stored token."))

    class Meta:
        model = MoodleWebService
        fields = ["registration", "base_url", "token", "is_active"]

    def clean_token(self):
        token = (self.cleaned_data.get("token") or "").strip()
        if not token and not (self.instance and self.instance.pk and self.instance.token):
            raise forms.ValidationError(_("Enter the web service token."))
        return token or self.instance.token


@admin.register(MoodleWebService)
class MoodleWebServiceAdmin(admin.ModelAdmin):
    form = MoodleWebServiceForm
    list_display = ["registration", "base_url", "is_active", "modified"]


@admin.register(PlatformGroupSync)
class PlatformGroupSyncAdmin(admin.ModelAdmin):
    list_display = ["context_key", "course_id", "synced", "error_code", "error_at"]
    readonly_fields = ["context_key", "registration", "course_id", "synced", "error_code", "error_message", "error_at",
                       "member_counts", "groupings", "grouping_names", "modified"]

    def has_add_permission(self, request):
        return False
