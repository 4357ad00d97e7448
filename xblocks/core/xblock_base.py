"""What every suite XBlock shares: turning the runtime into a :class:`Context`, JSON handlers
with one error shape, template rendering with the i18n service, and the front-end client."""
import functools
import json
import logging

import webob
from django.contrib.auth import get_user_model
from django.db import DatabaseError
from django.urls import NoReverseMatch
from django.templatetags.static import static
from django.utils.translation import gettext
from xblock.core import XBlock
from xblock.exceptions import JsonHandlerError
from xblock.utils.resources import ResourceLoader
from web_fragments.fragment import Fragment

from . import compat, files, jsonbody
from . import groups as groups_mod
from .assets import CORE_CSS, CORE_JS, static_name
from .context import ADVOCATE, LEARNER, STAFF, build_context, get_placement, load_local_person, local_roles
from .actions import error_body
from .errors import ApiError
from .models import Placement
from .reach import Reach
from .settings import conf

log = logging.getLogger(__name__)
core_loader = ResourceLoader(__name__)

EDX = "edx-platform."
WORKBENCH = "xblock-workbench."


def json_response(data, status=200):
    """A JSON response with ``<``, ``>`` and ``&`` written as ``\\u003c``-style escapes.

    The decoded data is the same; the raw bytes never contain markup, so learner text cannot be
    read as HTML even by a client or proxy that sniffs the response.
    """
    body = json.dumps(data).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return webob.Response(body=body.encode("utf-8"), status=status, content_type="application/json",
                          charset="utf-8")


def error_response(status, code, message, fields=None):
    """The one error shape: ``{"error": {"code", "message", "fields"?}}`` with an HTTP status."""
    error = {"code": code, "message": str(message)}
    if fields:
        error["fields"] = fields
    return json_response({"error": error}, status)


def file_response(answer):
    """A :class:`~xblocks.core.files.FileAnswer` as the XBlock runtime's response: its bytes and safe headers."""
    response = webob.Response(body=answer.content, status=200, content_type=answer.content_type)
    response.headers.update(answer.headers())
    return response


def webob_multipart(request):
    """``(fields, files)`` pairs of a multipart request as the XBlock runtime gives it: webob's own parsing (a
    ``FieldStorage`` per file), or a Django request behind webob's interface, as in Open edX and the Workbench
    (``xblock.django.request.DjangoUploadedFile`` around Django's ``UploadedFile``)."""
    fields, uploads = [], []
    for name, value in request.POST.items():
        if hasattr(value, "filename") and hasattr(value, "file"):
            value.file.seek(0, 2)
            size = value.file.tell()
            value.file.seek(0)
            content_type = getattr(value, "type", None) or getattr(value.file, "content_type", None) or ""
            uploads.append((name, files.Upload(value.filename or "", content_type, size, value.file)))
        else:
            fields.append((name, value))
    return fields, uploads


def api_handler(func, read=None):
    """A POST JSON handler whose every error (api errors, wrong method, unreadable JSON) has one shape.

    The wrapped method is called as ``func(self, data, suffix)`` with the decoded JSON object (or what
    ``read(request)`` returns: an upload's data) and returns plain data, or a
    :class:`~xblocks.core.files.FileAnswer` sent as bytes; errors become ``{"error": {code, message, fields}}``
    + status.
    """

    @XBlock.handler
    @functools.wraps(func)
    def wrapper(self, request, suffix=""):
        if self.in_studio():
            # Studio runs handlers for anyone signed in (its preview and component handlers check no
            # course access before calling them), with staff-like roles for everyone: learner data is
            # neither read nor written there.
            return error_response(403, "studio", gettext(
                "People's posts are not shown or changed in Studio. Preview the unit in the LMS to take part."))
        if request.method != "POST":
            response = error_response(405, "method_not_allowed", gettext("Send this request with POST."))
            response.allow = ("POST",)
            return response
        try:
            data = read(request) if read is not None else jsonbody.parse(request.body, request.content_type)
            result = func(self, data, suffix)
            if isinstance(result, files.FileAnswer):
                return file_response(result)
            return json_response(result)
        except ApiError as err:
            status, body = error_body(err)
            return json_response(body, status)
        except JsonHandlerError as err:
            message = err.message if isinstance(err.message, dict) else {"code": "error", "message": str(err.message)}
            return json_response({"error": message}, err.status_code)
        except DatabaseError:  # a failed write leaves nothing behind (transactions) and says so
            log.exception("Database error in %s", func.__name__)
            return error_response(503, "unavailable",
                                  gettext("Your change could not be saved just now. Please try again."))

    return wrapper


class RuntimeIdentity:
    """Who is asking, read from the runtime's user service (Open edX, Studio or the Workbench)."""

    def __init__(self, user, roles, platform, viewed_by=None):
        self.user = user
        self.roles = roles
        self.platform = platform
        # The staff member viewing the course as ``user`` (Open edX masquerade), else None.
        self.viewed_by = viewed_by


class XBlockReach(Reach):
    """Other placements of the block's course for the person viewing it (``xblocks.core.reach``): the placements of
    the same course the runtime showed (recorded with their component, group scope and teamset); the person's
    Context there is built as the block builds its own (the same identity and roles, the course's cohorts or
    teams for that placement's scope), and a link opens the block's unit through the LMS's ``jump_to`` (the
    sandbox serves the same address; a bare Workbench has none, and the link is the fragment alone)."""

    def __init__(self, block):
        self.block = block

    def narrow(self, placements):
        return placements

    def context_in(self, placement):
        block = self.block
        identity = block.runtime_identity()
        return build_context(
            user=identity.user, placement=placement, scope=placement.group_scope or groups_mod.COURSE,
            roles=identity.roles, backend=block.group_backend(), teamset_id=placement.teamset_id,
            emit=block.publish_tracking_event, read_only=block.read_only_reason(), reach=self)

    def address(self, placement, anchor):
        try:
            return compat.jump_to_url(placement.context_key, placement.resource_key) + "#" + anchor
        except NoReverseMatch:  # a Workbench without the LMS's address (the sandbox serves one)
            if placement.platform == Placement.OPENEDX:
                raise
            return "#" + anchor


class SocialXBlockMixin:
    """Mixin for the suite's XBlocks. Declare ``@XBlock.needs('user')`` on the block class."""

    loader = core_loader

    # ----- identity and placement -------------------------------------------------------
    @property
    def course_key(self):
        key = getattr(self.scope_ids.usage_id, "context_key", None)
        return str(key) if key is not None else conf("LOCAL_COURSE_KEY")

    @property
    def resource_key(self):
        return str(self.scope_ids.usage_id)

    def runtime_identity(self):
        """The Django user and roles of the person viewing this block (None when anonymous)."""
        cached = getattr(self, "_social_identity", None)
        if cached is not None:
            return cached
        service = self.runtime.service(self, "user")
        xuser = service.get_current_user() if service else None
        attrs = getattr(xuser, "opt_attrs", {}) or {}
        User = get_user_model()
        if EDX + "user_id" in attrs or EDX + "is_authenticated" in attrs:
            if not attrs.get(EDX + "is_authenticated", True) or attrs.get(EDX + "user_id") is None:
                identity = RuntimeIdentity(None, frozenset(), Placement.OPENEDX)
            else:
                user = User.objects.filter(id=attrs[EDX + "user_id"]).first()
                roles = {LEARNER}
                # Staff only from ``user_is_staff`` (the LMS's has_access(user, 'staff', course), which
                # covers instructors and global staff). ``user_role`` is not for access control: Studio's
                # preview sets it to 'staff' for every account that is not an instructor
                # (cms/djangoapps/contentstore/views/access.py::get_user_role).
                if attrs.get(EDX + "user_is_staff"):
                    roles.add(STAFF)
                elif user is not None and compat.running_in_openedx() and compat.is_forum_advocate(user, self.course_key):
                    roles.add(ADVOCATE)
                identity = RuntimeIdentity(user, frozenset(roles), Placement.OPENEDX,
                                           viewed_by=compat.masquerading_real_user(service))
        else:
            username = attrs.get(WORKBENCH + "user_id") or getattr(self.runtime, "user_id", None)
            user = load_local_person(self.course_key, self.group_scope, username=username) if username else None
            roles = local_roles(user, self.course_key) if user is not None else frozenset()
            identity = RuntimeIdentity(user, roles, Placement.LOCAL)
        self._social_identity = identity
        return identity

    def in_studio(self):
        """True in Studio (its preview and component handlers), where no learner data is read or written.

        Studio registers the ``studio_user_permissions`` service, which the LMS never does, and marks
        its preview runtime ``is_author_mode``.
        """
        if getattr(self.runtime, "is_author_mode", False):
            return True
        return self.studio_permissions() is not None

    def studio_permissions(self):
        """Studio's permission service (``can_read``/``can_write`` of a course key), or None elsewhere."""
        try:
            return self.runtime.service(self, "studio_user_permissions")
        except Exception:  # pylint: disable=broad-except  # a block that does not declare the service
            return None

    def read_only_reason(self):
        """Why the person may read but not write here (staff viewing as a learner), or ''."""
        identity = self.runtime_identity()
        if identity.viewed_by is None:
            return ""
        name = identity.user.get_full_name() or identity.user.username
        return gettext("You are viewing this as {name}. Nothing can be written in their name: "
                       "it is read-only.").format(name=name)

    def group_backend(self):
        teams = None
        try:
            teams = self.runtime.service(self, "teams")
        except Exception:  # pylint: disable=broad-except  # the service is optional (absent in Studio)
            teams = None
        return groups_mod.backend(teams)

    def social_context(self, requested_group=None):
        identity = self.runtime_identity()
        component = getattr(self, "component", None)
        teamset_id = getattr(self, "teamset_id", "") or ""
        placement = get_placement(identity.platform, self.course_key, self.resource_key, str(self.display_name),
                                  component=component.key if component is not None else "",
                                  group_scope=self.group_scope, teamset_id=teamset_id)
        return build_context(
            user=identity.user,
            placement=placement,
            scope=self.group_scope,
            roles=identity.roles,
            backend=self.group_backend(),
            teamset_id=teamset_id,
            requested_group=requested_group,
            emit=self.publish_tracking_event,
            read_only=self.read_only_reason(),
            reach=XBlockReach(self),
        )

    def publish_tracking_event(self, name, data):
        self.runtime.publish(self, name, data)

    # ----- rendering ----------------------------------------------------------------------
    def i18n_service(self):
        try:
            return self.runtime.service(self, "i18n")
        except Exception:  # pylint: disable=broad-except
            return None

    def render_fragment(self, loader, template, context, js_files, css_files, init_fn, init_args):
        """Render a Django template (``{% trans %}`` works through the i18n service) into a Fragment.

        The scripts and styles are linked, not inlined (``xblocks/core/assets.py`` says from where):
        ``js_files``/``css_files`` are inside the block's package, under its ``public_dir``."""
        html = loader.render_django_template(template, context, i18n_service=self.i18n_service())
        frag = Fragment(html)
        for css in CORE_CSS:
            frag.add_css_url(static(static_name(css)))
        for css in css_files:
            frag.add_css_url(self.runtime.local_resource_url(self, css))
        for js in CORE_JS:
            frag.add_javascript_url(static(static_name(js)))
        for js in js_files:
            frag.add_javascript_url(self.runtime.local_resource_url(self, js))
        frag.initialize_js(init_fn, json_args=init_args)
        return frag

    @staticmethod
    def json_script(data):
        """JSON safe to embed inside a <script> element."""
        return json.dumps(data).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
