"""The XBlock door for any registered component: fields, Studio, views and handlers from its declaration.

A component's ``block.py`` is then a few lines::

    class CohortForumBlock(component_mixin(FORUM), ComponentBlock):
        ...  # only what is its own (student_view_data, workbench scenarios)

:func:`component_mixin` makes one XBlock field (``Scope.settings``) per declared setting and one
handler per declared action (JSON, an upload or a file answer, as the action's kind says);
:class:`ComponentBlock` renders the page, the closed page and Studio's preview, saves Studio's form (converted and validated by the component), and keeps the learner's
private state (drafts, completion) in user-state fields behind :class:`XBlockDoorState`.
"""
import types

from django.conf import settings as django_settings
from xblock.completable import XBlockCompletionMode
from xblock.core import XBlock, XBlockMixin
from xblock.exceptions import JsonHandlerError
from xblock.fields import Boolean, Dict, Scope
from xblock.utils.resources import ResourceLoader
from xblock.utils.studio_editable import FutureFields, StudioEditableXBlockMixin
from xblock.validation import Validation, ValidationMessage

from . import actions, compat
from .component import dom_id
from .context import STAFF
from .errors import ApiError
from .xblock_base import SocialXBlockMixin, api_handler, webob_multipart


def _(text):
    """Mark a string for translation; it is translated when shown."""
    return text


def _action_handler(component, name):
    def handler(self, data, suffix=""):  # pylint: disable=unused-argument
        return self.run_component_action(name, data)

    def read(request):
        return actions.request_data(component, name, body=lambda: request.body, content_type=request.content_type,
                                    content_length=request.content_length, multipart=lambda: webob_multipart(request))

    handler.__name__ = name
    return api_handler(handler, read=read)


def component_mixin(component):
    """An XBlock mixin with the component's settings as fields and its actions as JSON handlers."""
    attrs = {spec.name: spec.xblock_field() for spec in component.settings}
    attrs.update({name: _action_handler(component, name) for name in component.handlers})
    attrs["component"] = component
    attrs["editable_fields"] = component.setting_names
    attrs["i18n_js_namespace"] = component.i18n_namespace  # read from the class by Open edX's JS catalogue tools
    name = "".join(part.title() for part in component.key.split("_")) + "Fields"
    return types.new_class(name, (XBlockMixin,), exec_body=lambda namespace: namespace.update(attrs))


class XBlockDoorState(actions.DoorState):
    """The learner's drafts and completion in the block's user-state fields; score and completion
    reported through ``runtime.publish`` (the runtime saves the fields after each handler)."""

    def __init__(self, block):
        self.block = block
        self.drafts = block.drafts
        self.completed = block.completion_published

    def set_drafts(self, drafts):
        self.drafts = drafts
        self.block.drafts = drafts

    def report_score(self, value, maximum, complete):
        self.block.runtime.publish(self.block, "grade", {"value": value, "max_value": maximum})

    def report_completion(self):
        if not self.block.completion_published:
            self.block.runtime.publish(self.block, "completion", {"completion": 1.0})
        self.completed = True
        self.block.completion_published = True

    def save(self):
        self.block.save()


@XBlock.needs("user")
@XBlock.wants("teams", "i18n", "teams_configuration", "studio_user_permissions")
class ComponentBlock(SocialXBlockMixin, StudioEditableXBlockMixin, XBlock):
    """Everything a component's XBlock shares; the component comes from :func:`component_mixin`."""

    component = None
    completion_mode = XBlockCompletionMode.COMPLETABLE
    has_custom_completion = True
    has_author_view = True
    # Shown while staff view the course as a specific learner: read-only then (see ``read_only_reason``).
    show_in_read_only_mode = True
    icon_class = "other"
    # The runtime serves the page's own scripts and styles from here (``runtime.local_resource_url``).
    public_dir = "static"

    # The learner's own, private UI state. Everything other people read lives in the api's models.
    drafts = Dict(help="The learner's unsent text, by the place it is meant for.", scope=Scope.user_state, default={})
    completion_published = Boolean(help="Whether completion was already reported for this learner.",
                                   scope=Scope.user_state, default=False)

    def _loader(self):
        return ResourceLoader(self.component.package + ".block")

    # ----- small helpers ------------------------------------------------------------------------
    def _t(self, text):
        service = self.i18n_service()
        return service.gettext(text) if service is not None else text

    def _nt(self, singular, plural, count):
        service = self.i18n_service()
        if service is not None and hasattr(service, "ngettext"):
            return service.ngettext(singular, plural, count)
        return singular if count == 1 else plural

    def _settings(self):
        """The author settings as the component reads them."""
        return {name: getattr(self, name) for name in self.component.setting_names}

    def shown_setting(self, name):
        return self.component.shown(name, getattr(self, name), self._t)

    def max_score(self):
        """The participation score's maximum, or None when ungraded."""
        return self.component.participation.max_score(self._settings())

    def _handler_urls(self):
        return {name: self.runtime.handler_url(self, name) for name in self.component.handlers}

    # ----- views ----------------------------------------------------------------------------------
    def _render(self, template, context, init=None):
        page = self.component.page
        context = dict(context)
        context.update(page.base_context(self._settings(), self._t))
        context.update({
            "block": self,
            "init_json": self.json_script(init) if init is not None else "",
            "uid": dom_id("sls-", self.scope_ids.usage_id),
        })
        frag = self.render_fragment(
            self._loader(), template, context, js_files=list(page.js), css_files=list(page.css),
            init_fn=page.entry_point,
            init_args={key: init[key] for key in page.client_args} if init is not None else None,
        )
        service = self.i18n_service()
        if init is not None and service is not None and hasattr(service, "get_javascript_i18n_catalog_url"):
            try:
                url = service.get_javascript_i18n_catalog_url(self)
            except Exception:  # pylint: disable=broad-except  # older runtimes
                url = None
            if url:
                frag.add_javascript_url(url)
        return frag

    def student_view(self, context=None):  # pylint: disable=unused-argument
        """The component's page, driven by its JavaScript over the JSON handlers."""
        if self.in_studio():
            return self.author_view(context)
        page = self.component.page
        identity = self.runtime_identity()
        if identity.user is None:
            return self._render(page.closed_template, {"message": self._t(page.sign_in_message)})
        door = XBlockDoorState(self)
        settings = self._settings()
        try:
            ctx = self.social_context(None)
            init, view = page.data(
                ctx, settings, urls=self._handler_urls(), drafts=self.drafts, completed=self.completion_published,
                complete_on_view=lambda: actions.complete_on_view(self.component, ctx, settings, door),
                gettext=self._t, ngettext=self._nt)
        except ApiError as err:
            return self._render(page.closed_template, {"message": err.message})
        # The page reads the CSRF cookie by the site's name for it (Open edX sites may rename it).
        init["client"] = {"csrfCookieName": django_settings.CSRF_COOKIE_NAME}
        return self._render(page.template, view, init=init)

    def author_view(self, context=None):  # pylint: disable=unused-argument
        """Studio's preview: the settings as learners will meet them and sample content; no learner data
        is read or written here."""
        return self._render(self.component.page.author_template,
                            self.component.page.author_context(self._settings(), self._t))

    # ----- Studio ---------------------------------------------------------------------------------
    def _make_field_info(self, field_name, field):
        """Studio's form field, with its label, help and choices in the author's language."""
        info = super()._make_field_info(field_name, field)
        info["display_name"] = self._t(field.display_name) if field.display_name else ""
        info["help"] = self._t(field.help) if field.help else ""
        if info.get("values") and isinstance(info["values"][0], dict):
            # Copies: the choices are module constants shared by every block and request.
            info["values"] = [dict(choice, display_name=self._t(choice["display_name"])) for choice in info["values"]]
        return info

    def validate_field_data(self, validation, data):
        values = {name: getattr(data, name) for name in self.component.setting_names}
        for text in self.component.check(values, self._t, self._known_teamsets).values():
            validation.add(ValidationMessage(ValidationMessage.ERROR, text))

    def _known_teamsets(self):
        """The teamset ids of the course, or None when the runtime cannot tell (e.g. the Workbench)."""
        try:
            service = self.runtime.service(self, "teams_configuration")
            if service is None:
                return None
            config = service.get_teams_configuration(self.scope_ids.usage_id.context_key)
            return set(config.teamsets_by_id)
        except Exception:  # pylint: disable=broad-except  # optional check; Studio's own checks still apply
            return None

    def _studio_error(self, status, message):
        raise JsonHandlerError(status, {"code": "forbidden" if status == 403 else "invalid", "message": message,
                                        "messages": [{"type": "error", "text": message}]})

    def _require_author(self):
        """Settings are saved by course authors only.

        In Studio, by those the platform lets write to the course (Studio's ``component_handler`` runs
        the handler before any author check of its own); elsewhere, by course staff.
        """
        permissions = self.studio_permissions()
        if permissions is not None:
            allowed = permissions.can_write(compat.course_key_object(self.course_key))
        else:
            identity = self.runtime_identity()
            allowed = identity.user is not None and STAFF in identity.roles
        if not allowed:
            self._studio_error(403, self._t(_("Only course staff can change these settings.")))

    @XBlock.json_handler
    def submit_studio_edits(self, data, suffix=""):  # pylint: disable=unused-argument
        """Save the Studio form: every value converted and validated first, then all saved or none."""
        self._require_author()
        if not isinstance(data, dict) or not isinstance(data.get("values", {}), dict):
            self._studio_error(400, self._t(_("The form could not be read.")))
        submitted = data.get("values", {})
        defaults = data.get("defaults", []) or []
        values, errors = self.component.convert_settings(submitted, self._t)
        to_reset = [name for name in self.editable_fields
                    if name not in submitted and name in defaults and self.fields[name].is_set_on(self)]
        validation = Validation(self.scope_ids.usage_id)
        if not errors:
            self.validate_field_data(validation, FutureFields(values, to_reset, self))
        for text in errors.values():
            validation.add(ValidationMessage(ValidationMessage.ERROR, text))
        if not validation:
            body = validation.to_json()
            body.update({"code": "invalid", "message": " ".join(m["text"] for m in body["messages"])})
            raise JsonHandlerError(400, body)
        for field_name, value in values.items():
            setattr(self, field_name, value)
        for field_name in to_reset:
            self.fields[field_name].delete_from(self)
        return {"result": "success"}

    # ----- actions ----------------------------------------------------------------------------------
    def run_component_action(self, name, data):
        """One action through core's :func:`~xblocks.core.actions.run_action`."""
        ctx = self.social_context(actions.requested_group(data, self._t))
        return actions.run_action(self.component, name, ctx, data, self._settings(), XBlockDoorState(self), self._t)
