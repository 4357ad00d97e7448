"""Short-lived signed tokens that replace the session cookie inside the platform's iframe.

A launch token is bound to one launch: the person, the placement (one resource link of one deployment of
a platform), the component placed there, their roles there, the group the launch put them in (and whether
the activity's launch named it), and a time of issue (it expires after ``LAUNCH_TOKEN_SECONDS`` unless the
open page renews it, and is never renewed beyond ``LAUNCH_MAX_SECONDS`` after its launch). It opens that
placement's page and actions only (:func:`check_place`). It stands only while it agrees with the person's latest launch, kept in
their :class:`~lti.models.LearnerState` there (:func:`check_current`): once they launch again with
other roles, or the activity names another group, the older pages' tokens are refused. The
page carries it in its body, never in a URL: the launch's answer and every later page are reached by
a POST that carries it, the tab keeps it in ``sessionStorage`` for reloads, and every API call sends it
(``Authorization: Bearer <token>``), so several launches in several tabs never overwrite each other and
no third-party cookie is needed.
Signed with Django's ``SECRET_KEY`` (``django.core.signing``); nothing is stored server-side.
"""
import dataclasses
import time
from dataclasses import dataclass
from typing import Optional

from django.core import signing
from django.utils.translation import gettext as _

from .conf import conf

LAUNCH_SALT = "social_lti.launch"
DEEP_LINK_SALT = "social_lti.deep_link"


class TokenError(Exception):
    status = 401

    def __init__(self, message, code="launch_expired", status=None):
        super().__init__(str(message))
        self.message = str(message)
        self.code = code
        if status is not None:
            self.status = status


@dataclass(frozen=True)
class LaunchToken:
    user_id: int
    placement_id: int
    roles: frozenset
    group: Optional[tuple]  # (key, name) or None
    issued: int
    launched: int
    language: str = ""  # the platform's language for this launch (a code of LANGUAGES), or "" for the browser's
    link_group: bool = False  # the group was named by this activity's launch (a custom parameter)
    component: str = ""  # the key of the component placed there
    deployment_id: int = 0  # the platform's deployment the launch came through (django-lti's row)

    def encode(self):
        data = {"u": self.user_id, "p": self.placement_id, "r": sorted(self.roles),
                "g": list(self.group) if self.group else None, "i": self.issued, "t": self.launched,
                "c": self.component, "d": self.deployment_id}
        if self.language:
            data["l"] = self.language
        if self.link_group:
            data["a"] = 1
        return signing.dumps(data, salt=LAUNCH_SALT, compress=True)

    @property
    def age(self):
        return int(time.time()) - self.issued

    def renewed(self):
        """A fresh token for the same launch, or None once the launch is older than ``LAUNCH_MAX_SECONDS``."""
        now = int(time.time())
        if now - self.launched > conf("LAUNCH_MAX_SECONDS"):
            return None
        return dataclasses.replace(self, issued=now).encode()

    @property
    def link_group_key(self):
        """The key of the group this activity's launch named, or ""."""
        return self.group[0] if self.link_group and self.group else ""


def issue(user_id, placement_id, roles, group=None, language="", link_group=False, component="", deployment_id=0):
    now = int(time.time())
    return LaunchToken(int(user_id), int(placement_id), frozenset(roles), tuple(group) if group else None,
                       now, now, language or "", bool(link_group and group), str(component),
                       int(deployment_id)).encode()


def check_place(token, lti_placement, component_key=None):
    """Refuse (:class:`TokenError`, 403) a token used outside what its launch established: another placement's
    component (``component_key``: the component of the page or action asked for), or a placement that no longer
    belongs to the deployment the launch came through. The placement itself is the token's (the caller loads
    it from the token)."""
    if (token.component != lti_placement.component or token.deployment_id != lti_placement.deployment_id
            or (component_key is not None and component_key != token.component)):
        raise TokenError(_("This page's access is for another activity. Open this activity from your course."),
                         "wrong_activity", 403)


def check_current(token, state):
    """Refuse (:class:`TokenError`, 403) a token that disagrees with the person's latest launch: other roles, or
    another group named by the activity. ``state``: their :class:`~lti.models.LearnerState` in the token's
    placement (None, or a row from before launches were recorded: nothing to compare)."""
    if state is None or state.roles is None:
        return
    if sorted(token.roles) != sorted(state.roles) or token.link_group_key != (state.group_key or ""):
        raise TokenError(_("You opened this activity again from your course since this page was opened, "
                           "perhaps with another role or group. Use the newest page, or open the activity "
                           "again from your course."), "launch_replaced", 403)


def read(token):
    """The :class:`LaunchToken` in ``token``; raises :class:`TokenError` when missing, forged or expired."""
    if not token or not isinstance(token, str) or len(token) > 4096:
        raise TokenError(_("This page was not opened from your course. Open the activity from your course."),
                         "no_launch")
    try:
        data = signing.loads(token, salt=LAUNCH_SALT, max_age=conf("LAUNCH_TOKEN_SECONDS"))
    except signing.SignatureExpired as err:
        raise TokenError(_("This page has been open too long and its access has expired. "
                           "Open the activity again from your course.")) from err
    except signing.BadSignature as err:
        raise TokenError(_("This page's access could not be verified. Open the activity again from your course."),
                         "bad_launch") from err
    try:
        group = tuple(data["g"]) if data.get("g") else None
        return LaunchToken(int(data["u"]), int(data["p"]), frozenset(data["r"]), group, int(data["i"]), int(data["t"]),
                           str(data.get("l") or ""), bool(data.get("a")) and group is not None, str(data["c"]),
                           int(data["d"]))
    except (KeyError, TypeError, ValueError) as err:
        raise TokenError(_("This page's access could not be verified. Open the activity again from your course."),
                         "bad_launch") from err


def from_form(request):
    """The launch token a page posts (the ``launch`` field of a POST; never read from the URL)."""
    return read(request.POST.get("launch") if request.method == "POST" else None)


def from_request(request):
    """The launch token of an API call: ``Authorization: Bearer <token>``."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() != "bearer":
        value = ""
    return read(value.strip())


def issue_deep_link(launch_id, user_id):
    return signing.dumps({"l": launch_id, "u": int(user_id)}, salt=DEEP_LINK_SALT)


def read_deep_link(token):
    try:
        data = signing.loads(token or "", salt=DEEP_LINK_SALT, max_age=3600)
        return data["l"], int(data["u"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as err:
        raise TokenError(_("This selection page has expired. Start adding the activity again from your course."),
                         "deep_link_expired") from err
