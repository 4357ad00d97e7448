"""Deep Linking: an instructor picks a component and sets it up; the platform gets a link carrying its settings.

The picker lists the registry's components; each component's form is rendered from its settings spec
(:attr:`~xblocks.core.component.Component.settings`), with what the component says of the tool's form in
``extra["deep_linking"]``: the title and introduction, an element id, label or hint per setting, the
settings and choices the tool does not offer, and the required fields.
"""
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.lineitem import LineItem

from xblocks.core import component as registry
from xblocks.core.component import BOOLEAN, CHOICE

from .. import components, identity, platform_groups, tokens
from ..protocol import restore_launch
from .common import absolute, error_page, in_launch_language, log_refusal, page, within_limits

COMPONENT_FIELD = "sls_component"
CHOOSE_FIELD = "sls_choose"


def options(component):
    """What the component says of the tool's form (every key optional)."""
    return component.extra.get("deep_linking", {})


def offered(component):
    """The settings the tool's form offers, in the declared order."""
    hidden = options(component).get("hidden", ())
    return [spec for spec in component.settings if spec.name not in hidden]


def field_id(component, name):
    return options(component).get("ids", {}).get(name) or "sls-dl-" + name.replace("_", "-")


def _aria(element_id, hint, error):
    """The field's aria attributes: described by its hint and its error, invalid while it has one."""
    if hint:
        described = f"{element_id}-hint {element_id}-error" if error else f"{element_id}-hint"
        if error:
            return format_html(' aria-describedby="{}" aria-invalid="true"', described)
        return format_html(' aria-describedby="{}"', described)
    if error:
        return format_html(' aria-invalid="true" aria-describedby="{}-error"', element_id)
    return ""


def form_fields(component, values, errors):
    """The form's fields, one per offered setting: what the template needs to render each."""
    config = options(component)
    fields = []
    for spec in offered(component):
        element_id = field_id(component, spec.name)
        hint = config.get("hints", {}).get(spec.name)
        hint = _(hint) if hint else ""
        error = errors.get(spec.name, "")
        value = values.get(spec.name, spec.default)
        field = {
            "name": spec.name, "kind": spec.kind, "id": element_id, "value": value, "hint": hint, "error": error,
            "label": _(config.get("labels", {}).get(spec.name) or spec.label),
            "aria": _aria(element_id, hint, error),
            "required": spec.name in config.get("required", ()),
            "rows": config.get("rows", {}).get(spec.name, 4),
            "minimum": spec.minimum, "maximum": spec.maximum, "step": spec.step,
        }
        if spec.kind == CHOICE:
            left_out = config.get("without_choices", {}).get(spec.name, ())
            field["choices"] = [{"value": choice["value"], "label": _(choice["display_name"]),
                                 "selected": choice["value"] == value}
                                for choice in spec.choices if choice["value"] not in left_out]
        fields.append(field)
    return fields


def form_values(component, post):
    """The settings a form post carries (a checkbox left unticked is False)."""
    values = {}
    for spec in offered(component):
        if spec.kind == BOOLEAN:
            values[spec.name] = post.get(spec.name) == "on"
        elif spec.name in post:
            values[spec.name] = post.get(spec.name)
    return values


def _title(component, settings):
    """The link's title in the course: the display name as the instructor sees it, else the component's title."""
    if "display_name" in component.setting_names and settings.get("display_name"):
        return component.shown("display_name", settings["display_name"], _)
    return _(component.title)


def moodle_groupings(message_launch):
    """The Moodle groupings an activity of this course may follow ({"choices": [(id, name)], "error": text}), or
    None when the tool does not read this platform's groups from Moodle."""
    registration = message_launch.registration_row
    if platform_groups.web_service(registration) is None:
        return None
    context = message_launch.body.get(identity.CLAIM + "context") or {}
    course = platform_groups.course_id(message_launch.body, str(context.get("id") or ""))
    if not course:
        return None
    try:
        answer = platform_groups.call(platform_groups.web_service(registration), "core_group_get_course_groupings",
                                      courseid=course)
    except platform_groups.PlatformError as err:
        return {"choices": [], "error": err.message}
    return {"choices": sorted(platform_groups.named(answer).items(), key=lambda item: item[1]), "error": ""}


def deep_link_form(request, launch_id, user_id, is_staff, component=None, values=None, error=None, status=200,
                   groupings=None):
    if not is_staff:
        return error_page(request, _("Only instructors and course designers can add activities."), 403, "forbidden")
    component = component or components.default_component()
    values = components.shown_defaults(component, values or component.defaults)
    fields = {f["name"]: f for f in form_fields(component, values, error.fields if error else {})}
    config = options(component)
    messages = []
    for message in (error.messages if error else []):
        field = next((f["id"] for f in fields.values() if f["error"] == message), "")
        messages.append({"text": message, "field": field})
    return page(request, "social_lti/deep_link.html", {
        "token": tokens.issue_deep_link(launch_id, user_id),
        "component": component.key,
        "picker": [{"key": c.key, "title": _(c.title), "current": c.key == component.key}
                   for c in registry.all_components()],
        "heading": _(config.get("title") or component.title),
        "intro": _(config["intro"]) if config.get("intro") else "",
        "fields": list(fields.values()),
        "messages": messages,
        "action": reverse("social_lti_deep_link"),
        "component_field": COMPONENT_FIELD,
        "choose_field": CHOOSE_FIELD,
        "groupings": groupings,
        "grouping_field": platform_groups.CUSTOM_GROUPING,
    }, status)


def grouping_param(post):
    """The custom parameter of the Moodle grouping the instructor chose for the activity (none: all groups)."""
    value = (post.get(platform_groups.CUSTOM_GROUPING) or "").strip()
    return {platform_groups.CUSTOM_GROUPING: value} if value.isdigit() and value != "0" else {}


@csrf_exempt
@xframe_options_exempt
@never_cache
@require_POST
@within_limits("token")
@in_launch_language
def deep_link(request):
    try:
        launch_id, user_id = tokens.read_deep_link(request.POST.get("token"))
    except tokens.TokenError as err:
        return error_page(request, err.message, 400, err.code)
    message_launch = restore_launch(request, launch_id)
    if message_launch is None:
        return error_page(request, _("This selection page has expired. Start adding the activity again from your "
                                     "course."), 400, "deep_link_expired")
    platform = (message_launch.registration_row.issuer, message_launch.registration_row.client_id)
    is_staff = "staff" in identity.suite_roles(message_launch.body.get(identity.CLAIM + "roles"))
    if not is_staff:
        return error_page(request, _("Only instructors and course designers can add activities."), 403, "forbidden",
                          *platform)
    try:
        component = components.component_for(request.POST.get(CHOOSE_FIELD) or request.POST.get(COMPONENT_FIELD)
                                             or components.default_component().key)
    except components.SettingsError as err:
        return error_page(request, " ".join(err.messages), 400, "unknown_component", *platform)
    if CHOOSE_FIELD in request.POST:  # the picker: the chosen component's form
        return deep_link_form(request, launch_id, user_id, is_staff, component,
                              groupings=moodle_groupings(message_launch))
    values = components.kept_defaults(component, form_values(component, request.POST))
    try:
        settings = components.clean_settings(component, values)
    except components.SettingsError as err:
        log_refusal(request, 400, "bad_settings", *platform)
        return deep_link_form(request, launch_id, user_id, is_staff, component, {**component.defaults, **values},
                              err, 400, groupings=moodle_groupings(message_launch))
    # The link's title in the course: the default name in the instructor's language (learners see theirs).
    title = _title(component, settings)
    resource = (DeepLinkResource().set_url(absolute(request, "social_lti_launch"))
                .set_title(title)
                .set_custom_params({**components.custom_params(component, settings), **grouping_param(request.POST)}))
    maximum = component.participation.max_score(settings)
    if maximum:
        resource.set_lineitem(LineItem().set_score_maximum(maximum).set_label(title).set_resource_id(component.key))
    deep_link_service = message_launch.get_deep_link()
    jwt_value = deep_link_service.get_response_jwt([resource])
    message_launch.get_session_service().save_launch_data(launch_id, None)  # answered once
    return page(request, "social_lti/deep_link_return.html", {
        "return_url": message_launch.body["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"][
            "deep_link_return_url"],
        "jwt": jwt_value,
        "title": title,
    })
