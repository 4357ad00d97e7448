"""The finder's ask part: a question to a found person becomes a thread of the cohort forum that mentions them,
in a space both can read (their shared cohort's forum, else a forum of the whole course), through the forum's
public api; when the course has no such forum, a message in the finder, which the person reads below their
profile. No e-mail address is shown or used.

The forums of the course are known from the evidence the forum's signals brought (each row names its placement
and who reads it), so the finder needs no list of forums.
"""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from xblocks.core.component import Action
from xblocks.core.context import build_context
from xblocks.core.errors import ApiError, NotFound, PermissionDenied
from xblocks.core.groups import COURSE as COURSE_GROUP
from xblocks.core.models import Placement
from xblocks.core.validation import data_dict, ident, text

from . import profiles
from .conf import conf
from .models import Evidence, Message

FORUM = "cohort_forum"
MESSAGES_SHOWN = 10


def _(text_):
    """Mark a string for translation; it is translated when shown."""
    return text_


def _shared_forum(ctx, row):
    """(placement, scope) of a forum both people read: their shared group's, else the course's; or None."""
    keys = [COURSE_GROUP]
    if ctx.group is not None and ctx.group.key != COURSE_GROUP and row.get("sls_group"):
        keys.insert(0, ctx.group.key)
    found = dict(Evidence.objects.filter(component=FORUM, context_key=ctx.course_key, audience__in=keys)
                 .order_by("audience", "-created").values_list("audience", "placement_id")[:50])
    for key in keys:
        if key in found:
            placement = Placement.objects.filter(pk=found[key]).first()
            if placement is not None:
                return placement, COURSE_GROUP if key == COURSE_GROUP else key.partition(":")[0]
    return None


def ask(ctx, data, settings):
    """Ask a person (``user_id``) a question (``title``, ``body``): ``{"via": "forum", "thread", "where"}`` or
    ``{"via": "message"}``."""
    ctx.require_writable()
    data = data_dict(data)
    user_id = ident(data, "user_id")
    title = text(data, "title", gettext(_("Your question")), conf("QUESTION_MAX"))
    body = text(data, "body", gettext(_("The details")), conf("ABOUT_MAX"), required=False, multiline=True)
    if user_id == ctx.user.id:
        raise PermissionDenied(gettext(_("You cannot ask yourself.")))
    row = profiles.people(ctx, [user_id]).get(user_id)
    if row is None or not profiles.may_see(ctx, settings, row):
        raise NotFound(gettext(_("This person's profile is not shared with you, or they have none.")))
    profiles.check_rate(ctx)
    forum = _shared_forum(ctx, row)
    if forum is not None:
        from xblocks.cohort_forum import api as forum_api  # pylint: disable=import-outside-toplevel

        placement, scope = forum
        forum_ctx = build_context(user=ctx.user, placement=placement, scope=scope, roles=ctx.roles,
                                  backend=ctx.group_backend, emit=ctx.emit,
                                  requested_group=ctx.group.key if ctx.is_staff and scope != COURSE_GROUP
                                  and ctx.group is not None else None)
        try:
            thread = forum_api.create_thread(forum_ctx, {
                "kind": "question", "title": title, "body": f"@{row['username']} {body}".strip()})
        except ApiError:
            thread = None  # not allowed to post there after all: the message below reaches them
        if thread is not None:
            ctx.emit("social_learning.finder.asked", {"user_id": user_id, "via": "forum"})
            return {"via": "forum", "thread": thread["id"], "where": placement.title or gettext(_("the forum")),
                    "mentioned": row["username"] in thread["mentioned"]}
    with transaction.atomic():
        Message.objects.create(sender_id=ctx.user.id, recipient_id=user_id, context_key=ctx.course_key,
                               title=title, body=body, created=timezone.now())
    ctx.emit("social_learning.finder.asked", {"user_id": user_id, "via": "message"})
    return {"via": "message"}


def inbox(ctx):
    """The newest questions people asked this person in the finder (one query)."""
    rows = (Message.objects.filter(recipient_id=ctx.user.id).select_related("sender").order_by("-created")
            [:MESSAGES_SHOWN])
    return [{"id": m.id, "title": m.title, "body": m.body, "created": m.created.isoformat(),
             "from": {"user_id": m.sender_id, "name": m.sender.get_full_name() or m.sender.username}} for m in rows]


def page_data(ctx, settings):  # pylint: disable=unused-argument
    return {"inbox": inbox(ctx)}


ACTIONS = {"ask": Action(run=ask)}
SETTINGS = ()
JS_STRINGS = (
    _("Ask them a question"),
    _("Your question"),
    _("Details (optional)"),
    _("Ask"),
    _("Your question is in {where}, and {name} is mentioned in it."),
    _("Your question was sent to {name}: they read it here, in the finder."),
    _("Questions people asked you"),
    _("From {name}"),
)
JS_PLURALS = ()
