"""Admin screens for the suite's core data: placements, and the cohorts, teams and roles kept by the
suite itself (the sandbox and the LTI tool; in Open edX these come from the platform)."""
from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .models import LocalGroup, LocalGroupMembership, Placement, RoleAssignment


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = ["title", "platform", "context_key", "resource_key", "created"]
    list_filter = ["platform"]
    search_fields = ["title", "context_key", "resource_key"]
    readonly_fields = ["created"]


class MembershipForm(forms.ModelForm):
    class Meta:
        model = LocalGroupMembership
        fields = ["user"]

    def clean(self):
        cleaned = super().clean()
        user = cleaned.get("user")
        group = self.instance.group if self.instance.group_id else getattr(self, "parent_group", None)
        if user is not None and group is not None and group.pk:
            taken = (LocalGroupMembership.objects.filter(user=user, context_key=group.context_key, kind=group.kind)
                     .exclude(pk=self.instance.pk).select_related("group").first())
            if taken is not None and taken.group_id != group.pk:
                raise forms.ValidationError(
                    _("%(user)s is already in %(group)s; a person is in one %(kind)s per course.")
                    % {"user": user, "group": taken.group.name, "kind": group.get_kind_display().lower()}
                )
        return cleaned


class MembershipInline(admin.TabularInline):
    model = LocalGroupMembership
    form = MembershipForm
    extra = 1
    raw_id_fields = ["user"]
    verbose_name = _("member")
    verbose_name_plural = _("members")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class WithGroup(formset):  # each form learns its group, also when the membership is new
            def _construct_form(self, i, **form_kwargs):
                form = super()._construct_form(i, **form_kwargs)
                form.parent_group = self.instance
                return form

        return WithGroup


@admin.register(LocalGroup)
class LocalGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "context_key", "member_count"]
    list_filter = ["kind", "context_key"]
    search_fields = ["name", "context_key"]
    inlines = [MembershipInline]

    @admin.display(description=_("members"), ordering="member_total")
    def member_count(self, obj):
        return obj.member_total

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_total=Count("members"))


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "context_key"]
    list_filter = ["role", "context_key"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "context_key"]
    raw_id_fields = ["user"]
