"""The cohort forum's api: the only code that reads or writes the forum's models.

Every function takes a :class:`xblocks.core.context.Context` (who asks, in which placement and
group, with which roles) and plain data, and returns plain data (dicts ready for JSON) or raises
an :mod:`xblocks.core.errors` error. The XBlock and the LTI tool call exactly these functions.

Visibility rules, enforced in every query here:
- a learner reads and writes only in their own group of the placement; anything else is 404;
- hidden threads and posts are shown to staff and to their own author only;
- deleted ones to nobody;
- an anonymous post names its author to staff and to the author, never to peers.

Every write runs in a transaction; counters change only through ``F()`` expressions.
"""
import math

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from xblocks.core import ratelimit
from xblocks.core.errors import NotFound, PermissionDenied, RateLimited, ValidationError
from xblocks.core.settings import conf
from xblocks.core.signals import answer_endorsed, contribution_created
from xblocks.core.text import mentioned_usernames, plain_excerpt, render_markdown

from .models import Flag, Follow, Mention, Post, ReadState, Thread, Vote

EVENT_PREFIX = "social_learning.forum."
SORTS = ("activity", "newest", "votes", "unanswered")
FILTERS = ("all", "unread", "following", "mine", "mentions", "flagged", "hidden")
KINDS = (Thread.DISCUSSION, Thread.QUESTION)
FLAG_REASON_MAX = 500
SEARCH_MAX = 200
REPLY_PAGE_SIZE = 50


# ----- validation helpers -------------------------------------------------------------------
def _text(data, name, label, maximum, required=True):
    value = data.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(_("{label} must be text.").format(label=label), fields={name: _("Must be text.")})
    value = value.strip()
    if required and not value:
        message = _("{label} cannot be empty.").format(label=label)
        raise ValidationError(message, fields={name: message})
    if len(value) > maximum:
        message = _("{label} is too long: {count} characters, at most {maximum}.").format(
            label=label, count=len(value), maximum=maximum
        )
        raise ValidationError(message, fields={name: message})
    return value


def _flag(data, name, default=False):
    value = data.get(name, default)
    if not isinstance(value, bool):
        raise ValidationError(_("'{name}' must be true or false.").format(name=name), fields={name: _("Must be true or false.")})
    return value


def _id(data, name="id"):
    value = data.get(name)
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValidationError(_("A valid '{name}' is required.").format(name=name), fields={name: _("Required.")})
    try:
        value = int(value)
    except ValueError as err:
        raise ValidationError(_("A valid '{name}' is required.").format(name=name), fields={name: _("Required.")}) from err
    if value <= 0 or value > 2**62:
        raise ValidationError(_("A valid '{name}' is required.").format(name=name), fields={name: _("Required.")})
    return value


def _positive_int(data, name, default):
    value = data.get(name, default)
    if value in (None, ""):
        return default
    try:
        value = int(value)
    except (TypeError, ValueError) as err:
        raise ValidationError(_("'{name}' must be a whole number.").format(name=name)) from err
    if value < 1 or value > 100000:
        raise ValidationError(_("'{name}' is out of range.").format(name=name))
    return value


def _choice(data, name, choices, default):
    value = data.get(name) or default
    if value not in choices:
        raise ValidationError(
            _("'{value}' is not a valid {name}; choose one of: {choices}.").format(
                value=str(value)[:40], name=name, choices=", ".join(choices)
            ),
            fields={name: _("Invalid choice.")},
        )
    return value


def _check_rate(ctx):
    if not ratelimit.hit(f"forum-post:{ctx.user.id}", conf("POSTS_PER_WINDOW"), conf("POST_WINDOW_SECONDS")):
        raise RateLimited(
            _("You are posting very quickly. Please wait a minute, then post again; your text is still here.")
        )


# ----- query helpers --------------------------------------------------------------------------
def _visible_threads(ctx):
    """Threads this person may see in this placement (and group, unless staff view all)."""
    qs = Thread.objects.filter(placement_id=ctx.placement.id, deleted=False)
    group_key = ctx.group_key_for_read()
    if group_key is not None:
        qs = qs.filter(group_key=group_key)
    if not ctx.is_staff:
        qs = qs.filter(Q(hidden=False) | Q(author_id=ctx.user.id))
    return qs


def _get_thread(ctx, thread_id, for_update=False):
    qs = _visible_threads(ctx)
    if for_update:
        qs = qs.select_for_update()
    thread = qs.filter(pk=thread_id).first()
    if thread is None:
        raise NotFound(_("This thread does not exist, or it is not in your group's space."))
    return thread


def _get_post(ctx, post_id):
    qs = Post.objects.select_related("thread").filter(
        pk=post_id, deleted=False, thread__placement_id=ctx.placement.id, thread__deleted=False
    )
    group_key = ctx.group_key_for_read()
    if group_key is not None:
        qs = qs.filter(thread__group_key=group_key)
    if not ctx.is_staff:
        qs = qs.filter(Q(hidden=False) | Q(author_id=ctx.user.id)).filter(
            Q(thread__hidden=False) | Q(thread__author_id=ctx.user.id)
        )
    post = qs.first()
    if post is None:
        raise NotFound(_("This post does not exist, or it is not in your group's space."))
    return post


def _group_names(ctx):
    if not ctx.is_staff or not ctx.view_all:
        return {}
    return {g.key: g.name for g in ctx.available_groups()}


def _author(ctx, user, anonymous):
    is_you = user.id == ctx.user.id
    name = user.get_full_name() or user.username
    if anonymous and not (ctx.is_staff or is_you):
        return {"name": _("Anonymous"), "username": None, "anonymous": True, "is_you": False}
    return {"name": name, "username": user.username, "anonymous": anonymous, "is_you": is_you}


def _iso(value):
    return value.isoformat() if value else None


def _serialize_thread_summary(ctx, thread, group_names):
    return {
        "id": thread.id,
        "kind": thread.kind,
        "title": thread.title,
        "excerpt": plain_excerpt(thread.body),
        "author": _author(ctx, thread.author, thread.anonymous),
        "created": _iso(thread.created),
        "last_activity": _iso(thread.last_activity),
        "reply_count": thread.reply_count,
        "vote_count": thread.vote_count,
        "voted": bool(getattr(thread, "voted", False)),
        "following": bool(getattr(thread, "following", False)),
        "unread": thread.read_at is None or thread.read_at < thread.last_activity,
        "pinned": thread.pinned,
        "highlighted": thread.highlighted,
        "answered": thread.answered,
        "hidden": thread.hidden,
        "flag_count": thread.flag_count if ctx.is_staff else None,
        "group": {"key": thread.group_key, "name": group_names.get(thread.group_key, "")} if group_names else None,
    }


def _permissions(ctx, obj):
    own = obj.author_id == ctx.user.id
    return {
        "edit": own,
        "delete": own or ctx.is_staff,
        "moderate": ctx.is_staff,
        "curate": ctx.is_advocate,
    }


# ----- reads ------------------------------------------------------------------------------------
def list_threads(ctx, data):
    """A page of threads in the person's space: ``sort``, ``filter``, ``search``, ``page``."""
    sort = _choice(data, "sort", SORTS, "activity")
    filt = _choice(data, "filter", FILTERS, "all")
    search = _text(data, "search", _("Search"), SEARCH_MAX, required=False)
    page = _positive_int(data, "page", 1)
    page_size = conf("PAGE_SIZE")

    qs = _visible_threads(ctx)
    me = ctx.user.id
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(body__icontains=search))
    if filt == "following":
        qs = qs.filter(Exists(Follow.objects.filter(thread=OuterRef("pk"), user_id=me)))
    elif filt == "mine":
        qs = qs.filter(author_id=me)
    elif filt == "mentions":
        qs = qs.filter(Exists(Mention.objects.filter(thread=OuterRef("pk"), user_id=me)))
    elif filt == "unread":
        read = ReadState.objects.filter(thread=OuterRef("pk"), user_id=me, read_at__gte=OuterRef("last_activity"))
        qs = qs.exclude(Exists(read))
    elif filt in ("flagged", "hidden"):
        if not ctx.is_staff:
            raise PermissionDenied(_("Only course staff can list flagged or hidden posts."))
        if filt == "flagged":
            qs = qs.filter(Q(flag_count__gt=0) | Q(posts__flag_count__gt=0, posts__deleted=False)).distinct()
        else:
            qs = qs.filter(Q(hidden=True) | Q(posts__hidden=True, posts__deleted=False)).distinct()
    if sort == "unanswered":
        qs = qs.filter(Q(kind=Thread.QUESTION, answered=False) | Q(reply_count=0))
        order = ("-pinned", "-created", "-id")
    elif sort == "newest":
        order = ("-pinned", "-created", "-id")
    elif sort == "votes":
        order = ("-pinned", "-vote_count", "-last_activity", "-id")
    else:
        order = ("-pinned", "-last_activity", "-id")

    total = qs.count()
    pages = max(1, math.ceil(total / page_size))
    if page > pages:
        page = pages
    start = (page - 1) * page_size
    rows = (
        qs.select_related("author")
        .annotate(
            voted=Exists(Vote.objects.filter(thread=OuterRef("pk"), user_id=me)),
            following=Exists(Follow.objects.filter(thread=OuterRef("pk"), user_id=me)),
            read_at=Subquery(ReadState.objects.filter(thread=OuterRef("pk"), user_id=me).values("read_at")[:1]),
        )
        .order_by(*order)[start:start + page_size]
    )
    group_names = _group_names(ctx)
    return {
        "threads": [_serialize_thread_summary(ctx, t, group_names) for t in rows],
        "page": page,
        "pages": pages,
        "total": total,
        "sort": sort,
        "filter": filt,
        "search": search,
    }


def _serialize_post(ctx, post, voted_ids):
    visible_body = post.body_html
    return {
        "id": post.id,
        "parent": post.parent_id,
        "author": _author(ctx, post.author, post.anonymous),
        "body": post.body if post.author_id == ctx.user.id else None,
        "body_html": visible_body,
        "created": _iso(post.created),
        "edited": _iso(post.edited),
        "vote_count": post.vote_count,
        "voted": post.id in voted_ids,
        "endorsed": post.endorsed,
        "endorsed_by": (post.endorsed_by.get_full_name() or post.endorsed_by.username) if post.endorsed_by else None,
        "hidden": post.hidden,
        "flag_count": post.flag_count if ctx.is_staff else None,
        "comment_count": post.comment_count,
        "can": _permissions(ctx, post),
        "comments": [],
    }


def get_thread(ctx, data):
    """One thread with a page of its replies (each with its comments); marks it read."""
    thread_id = _id(data)
    reply_page = _positive_int(data, "reply_page", 1)
    me = ctx.user.id
    thread = (
        _visible_threads(ctx)
        .select_related("author")
        .annotate(
            voted=Exists(Vote.objects.filter(thread=OuterRef("pk"), user_id=me)),
            following=Exists(Follow.objects.filter(thread=OuterRef("pk"), user_id=me)),
            read_at=Subquery(ReadState.objects.filter(thread=OuterRef("pk"), user_id=me).values("read_at")[:1]),
        )
        .filter(pk=thread_id)
        .first()
    )
    if thread is None:
        raise NotFound(_("This thread does not exist, or it is not in your group's space."))

    posts_qs = Post.objects.filter(thread_id=thread.id, deleted=False).select_related("author", "endorsed_by")
    if not ctx.is_staff:
        posts_qs = posts_qs.filter(Q(hidden=False) | Q(author_id=me))
    posts_qs = posts_qs.annotate(voted=Exists(Vote.objects.filter(post=OuterRef("pk"), user_id=me)))
    reply_order = ("-endorsed", "created", "id") if thread.kind == Thread.QUESTION else ("created", "id")
    start = (reply_page - 1) * REPLY_PAGE_SIZE
    replies = list(posts_qs.filter(parent__isnull=True).order_by(*reply_order)[start:start + REPLY_PAGE_SIZE + 1])
    has_more = len(replies) > REPLY_PAGE_SIZE
    replies = replies[:REPLY_PAGE_SIZE]
    comments = list(posts_qs.filter(parent_id__in=[r.id for r in replies]).order_by("created", "id")) if replies else []

    voted_ids = {p.id for p in replies + comments if p.voted}
    by_id = {}
    out_replies = []
    for reply in replies:
        item = _serialize_post(ctx, reply, voted_ids)
        by_id[reply.id] = item
        out_replies.append(item)
    for comment in comments:
        parent = by_id.get(comment.parent_id)
        if parent is not None:
            parent["comments"].append(_serialize_post(ctx, comment, voted_ids))

    was_unread = thread.read_at is None or thread.read_at < thread.last_activity
    ReadState.objects.bulk_create(
        [ReadState(user_id=me, thread_id=thread.id, read_at=timezone.now())],
        update_conflicts=True, unique_fields=["user", "thread"], update_fields=["read_at"],
    )
    summary = _serialize_thread_summary(ctx, thread, _group_names(ctx))
    summary.update({
        "unread": False,
        "was_unread": was_unread,
        "body": thread.body if thread.author_id == me else None,
        "body_html": thread.body_html,
        "edited": _iso(thread.edited),
        "can": _permissions(ctx, thread),
        "replies": out_replies,
        "reply_page": reply_page,
        "more_replies": has_more,
    })
    return summary


def participation_count(ctx):
    """How many threads, replies and comments this person has in this placement (one query)."""
    threads = Thread.objects.filter(placement_id=ctx.placement.id, author_id=ctx.user.id, deleted=False).values("id")
    posts = Post.objects.filter(
        thread__placement_id=ctx.placement.id, author_id=ctx.user.id, deleted=False
    ).values("id")
    return threads.union(posts, all=True).count()


def mention_candidates(ctx, data):
    """Course members in this space whose username or name starts with ``q`` (for @mention)."""
    prefix = _text(data, "q", _("Search"), 150, required=False).lstrip("@")
    group_key = ctx.require_group_for_write() if not ctx.view_all else None
    if group_key is None:
        return {"members": []}
    ids = ctx.group_backend.member_ids(ctx.course_key, group_key)
    User = get_user_model()
    qs = User.objects.filter(Q(id__in=ids) | Q(id=ctx.user.id), is_active=True)
    if prefix:
        qs = qs.filter(Q(username__istartswith=prefix) | Q(first_name__istartswith=prefix)
                       | Q(last_name__istartswith=prefix))
    members = [
        {"username": u.username, "name": u.get_full_name() or u.username}
        for u in qs.order_by("username")[:8]
    ]
    return {"members": members}


def _resolve_mentions(ctx, body, group_key):
    names = mentioned_usernames(body)
    if not names:
        return []
    ids = ctx.group_backend.member_ids(ctx.course_key, group_key)
    User = get_user_model()
    query = Q()
    for name in names:
        query |= Q(username__iexact=name)
    return list(User.objects.filter(query).filter(id__in=ids).exclude(id=ctx.user.id).only("id", "username"))


# ----- writes -------------------------------------------------------------------------------------
def create_thread(ctx, data, allow_anonymous=False):
    """Start a thread: ``kind`` (discussion|question), ``title``, ``body``, ``anonymous``."""
    group_key = ctx.require_group_for_write()
    kind = _choice(data, "kind", KINDS, Thread.DISCUSSION)
    title = _text(data, "title", _("The title"), conf("TITLE_MAX"))
    body = _text(data, "body", _("The text"), conf("BODY_MAX"))
    anonymous = _flag(data, "anonymous")
    if anonymous and not allow_anonymous:
        raise ValidationError(_("Anonymous posting is not allowed in this forum."), fields={"anonymous": _("Not allowed.")})
    _check_rate(ctx)
    mentions = _resolve_mentions(ctx, body, group_key)
    now = timezone.now()
    with transaction.atomic():
        thread = Thread.objects.create(
            placement_id=ctx.placement.id, group_key=group_key, author=ctx.user, kind=kind, title=title, body=body,
            body_html=render_markdown(body, [u.username for u in mentions]), anonymous=anonymous,
            created=now, last_activity=now,
        )
        Follow.objects.create(user=ctx.user, thread=thread)
        ReadState.objects.create(user=ctx.user, thread=thread, read_at=now)
        if mentions:
            Mention.objects.bulk_create([Mention(user=u, thread=thread) for u in mentions])
    contribution_created.send(sender=__name__, placement=ctx.placement, user=ctx.user, thread_id=thread.id, post_id=None)
    ctx.emit(EVENT_PREFIX + "thread.created", {
        "thread_id": thread.id, "kind": kind, "group": group_key, "anonymous": anonymous,
        "title_length": len(title), "body_length": len(body), "mentions": [u.id for u in mentions],
    })
    return {"id": thread.id, "mentioned": [u.username for u in mentions]}


def create_reply(ctx, data, allow_anonymous=False):
    """Reply to a thread (``thread``), or comment on a reply (``parent``)."""
    thread_id = _id(data, "thread")
    body = _text(data, "body", _("The text"), conf("BODY_MAX"))
    anonymous = _flag(data, "anonymous")
    parent_id = _id(data, "parent") if data.get("parent") not in (None, "") else None
    if anonymous and not allow_anonymous:
        raise ValidationError(_("Anonymous posting is not allowed in this forum."), fields={"anonymous": _("Not allowed.")})
    thread = _get_thread(ctx, thread_id)
    if ctx.view_all is False and ctx.group is None:
        ctx.require_group_for_write()
    if parent_id is not None:
        parent = _get_post(ctx, parent_id)
        if parent.thread_id != thread.id or parent.parent_id is not None:
            raise ValidationError(_("You can comment on a reply of this thread only."), fields={"parent": _("Invalid.")})
    _check_rate(ctx)
    mentions = _resolve_mentions(ctx, body, thread.group_key)
    now = timezone.now()
    with transaction.atomic():
        post = Post.objects.create(
            thread_id=thread.id, parent_id=parent_id, author=ctx.user, body=body,
            body_html=render_markdown(body, [u.username for u in mentions]), anonymous=anonymous, created=now,
        )
        if parent_id is None:
            Thread.objects.filter(pk=thread.id).update(reply_count=F("reply_count") + 1, last_activity=now)
        else:
            Thread.objects.filter(pk=thread.id).update(last_activity=now)
            Post.objects.filter(pk=parent_id).update(comment_count=F("comment_count") + 1)
        Follow.objects.bulk_create([Follow(user=ctx.user, thread_id=thread.id)], ignore_conflicts=True)
        ReadState.objects.bulk_create(
            [ReadState(user=ctx.user, thread_id=thread.id, read_at=now)],
            update_conflicts=True, unique_fields=["user", "thread"], update_fields=["read_at"],
        )
        if mentions:
            Mention.objects.bulk_create([Mention(user=u, thread_id=thread.id, post=post) for u in mentions])
    contribution_created.send(sender=__name__, placement=ctx.placement, user=ctx.user, thread_id=thread.id,
                              post_id=post.id)
    ctx.emit(EVENT_PREFIX + ("comment.created" if parent_id else "reply.created"), {
        "thread_id": thread.id, "post_id": post.id, "parent_id": parent_id, "anonymous": anonymous,
        "body_length": len(body), "mentions": [u.id for u in mentions],
    })
    return {"id": post.id, "thread": thread.id, "mentioned": [u.username for u in mentions]}


def edit(ctx, data):
    """Authors edit their own thread (``title``, ``body``) or post (``body``)."""
    target = _choice(data, "target", ("thread", "post"), "thread")
    obj_id = _id(data)
    now = timezone.now()
    if target == "thread":
        thread = _get_thread(ctx, obj_id)
        if thread.author_id != ctx.user.id:
            raise PermissionDenied(_("You can only edit your own posts."))
        title = _text(data, "title", _("The title"), conf("TITLE_MAX"))
        body = _text(data, "body", _("The text"), conf("BODY_MAX"))
        mentions = _resolve_mentions(ctx, body, thread.group_key)
        Thread.objects.filter(pk=thread.id).update(
            title=title, body=body, body_html=render_markdown(body, [u.username for u in mentions]), edited=now
        )
    else:
        post = _get_post(ctx, obj_id)
        if post.author_id != ctx.user.id:
            raise PermissionDenied(_("You can only edit your own posts."))
        body = _text(data, "body", _("The text"), conf("BODY_MAX"))
        mentions = _resolve_mentions(ctx, body, post.thread.group_key)
        Post.objects.filter(pk=post.id).update(
            body=body, body_html=render_markdown(body, [u.username for u in mentions]), edited=now
        )
    ctx.emit(EVENT_PREFIX + target + ".edited", {"id": obj_id})
    return {"id": obj_id, "edited": _iso(now)}


def delete(ctx, data):
    """Authors delete their own thread or post; staff delete any. Kept in the database, shown to nobody."""
    target = _choice(data, "target", ("thread", "post"), "thread")
    obj_id = _id(data)
    if target == "thread":
        thread = _get_thread(ctx, obj_id)
        if thread.author_id != ctx.user.id and not ctx.is_staff:
            raise PermissionDenied(_("You can only delete your own posts."))
        Thread.objects.filter(pk=thread.id).update(deleted=True)
    else:
        post = _get_post(ctx, obj_id)
        if post.author_id != ctx.user.id and not ctx.is_staff:
            raise PermissionDenied(_("You can only delete your own posts."))
        with transaction.atomic():
            changed = Post.objects.filter(pk=post.id, deleted=False).update(deleted=True)
            if changed:
                if post.parent_id is None:
                    Thread.objects.filter(pk=post.thread_id).update(reply_count=F("reply_count") - 1)
                else:
                    Post.objects.filter(pk=post.parent_id).update(comment_count=F("comment_count") - 1)
                if post.endorsed:
                    _refresh_answered(post.thread_id)
    ctx.emit(EVENT_PREFIX + target + ".deleted", {"id": obj_id, "by_staff": ctx.is_staff})
    return {"id": obj_id, "deleted": True}


def _target(ctx, data):
    target = _choice(data, "target", ("thread", "post"), "thread")
    obj_id = _id(data)
    if target == "thread":
        return target, _get_thread(ctx, obj_id)
    return target, _get_post(ctx, obj_id)


def vote(ctx, data):
    """Upvote (``on`` true) or withdraw the vote (``on`` false) on a thread or post. Idempotent."""
    target, obj = _target(ctx, data)
    on = _flag(data, "on", True)
    model = Thread if target == "thread" else Post
    lookup = {"thread_id": obj.id} if target == "thread" else {"post_id": obj.id}
    with transaction.atomic():
        if on:
            try:
                with transaction.atomic():
                    Vote.objects.create(user_id=ctx.user.id, **lookup)
                changed = 1
            except IntegrityError:
                changed = 0
        else:
            changed = -Vote.objects.filter(user_id=ctx.user.id, **lookup).delete()[0]
        if changed:
            model.objects.filter(pk=obj.id).update(vote_count=F("vote_count") + changed)
    count = model.objects.filter(pk=obj.id).values_list("vote_count", flat=True).first()
    if changed:
        ctx.emit(EVENT_PREFIX + target + (".voted" if on else ".unvoted"), {"id": obj.id})
    return {"id": obj.id, "voted": on, "vote_count": count}


def follow(ctx, data):
    """Follow (``on`` true) or stop following a thread."""
    thread = _get_thread(ctx, _id(data))
    on = _flag(data, "on", True)
    if on:
        Follow.objects.bulk_create([Follow(user_id=ctx.user.id, thread_id=thread.id)], ignore_conflicts=True)
    else:
        Follow.objects.filter(user_id=ctx.user.id, thread_id=thread.id).delete()
    ctx.emit(EVENT_PREFIX + ("thread.followed" if on else "thread.unfollowed"), {"id": thread.id})
    return {"id": thread.id, "following": on}


def flag(ctx, data):
    """Anyone flags a thread or post for staff attention (once per person); ``on`` false withdraws."""
    target, obj = _target(ctx, data)
    on = _flag(data, "on", True)
    reason = _text(data, "reason", _("The reason"), FLAG_REASON_MAX, required=False)
    model = Thread if target == "thread" else Post
    lookup = {"thread_id": obj.id} if target == "thread" else {"post_id": obj.id}
    with transaction.atomic():
        if on:
            try:
                with transaction.atomic():
                    Flag.objects.create(user_id=ctx.user.id, reason=reason, **lookup)
                changed = 1
            except IntegrityError:
                changed = 0
        else:
            changed = -Flag.objects.filter(user_id=ctx.user.id, **lookup).delete()[0]
        if changed:
            model.objects.filter(pk=obj.id).update(flag_count=F("flag_count") + changed)
    if changed:
        ctx.emit(EVENT_PREFIX + target + (".flagged" if on else ".unflagged"), {"id": obj.id})
    return {"id": obj.id, "flagged": on}


def _refresh_answered(thread_id):
    answered = Post.objects.filter(thread_id=thread_id, endorsed=True, deleted=False, parent__isnull=True).exists()
    Thread.objects.filter(pk=thread_id).update(answered=answered)


def endorse(ctx, data):
    """Staff and community advocates endorse a reply (a question's answer); ``on`` false removes it."""
    if not ctx.is_advocate:
        raise PermissionDenied(_("Only course staff and community advocates can endorse answers."))
    post = _get_post(ctx, _id(data))
    on = _flag(data, "on", True)
    if post.parent_id is not None:
        raise ValidationError(_("Only replies can be endorsed, not comments."))
    with transaction.atomic():
        Post.objects.filter(pk=post.id).update(endorsed=on, endorsed_by=ctx.user if on else None)
        _refresh_answered(post.thread_id)
        Thread.objects.filter(pk=post.thread_id).update(last_activity=timezone.now())
    if on:
        answer_endorsed.send(sender=__name__, placement=ctx.placement, user=post.author, actor=ctx.user,
                             thread_id=post.thread_id, post_id=post.id)
    ctx.emit(EVENT_PREFIX + ("reply.endorsed" if on else "reply.unendorsed"), {"id": post.id, "thread_id": post.thread_id})
    return {"id": post.id, "endorsed": on}


def _set_thread_flag(ctx, data, field, event):
    thread = _get_thread(ctx, _id(data))
    on = _flag(data, "on", True)
    Thread.objects.filter(pk=thread.id).update(**{field: on})
    ctx.emit(EVENT_PREFIX + "thread." + (event if on else "un" + event), {"id": thread.id})
    return {"id": thread.id, field: on}


def pin(ctx, data):
    """Staff and advocates pin a thread to the top of the list."""
    if not ctx.is_advocate:
        raise PermissionDenied(_("Only course staff and community advocates can pin threads."))
    return _set_thread_flag(ctx, data, "pinned", "pinned")


def highlight(ctx, data):
    """Staff and advocates highlight a great conversation."""
    if not ctx.is_advocate:
        raise PermissionDenied(_("Only course staff and community advocates can highlight threads."))
    return _set_thread_flag(ctx, data, "highlighted", "highlighted")


def hide(ctx, data):
    """Staff hide (``on`` true) or restore (``on`` false) a thread or post."""
    if not ctx.is_staff:
        raise PermissionDenied(_("Only course staff can hide or restore posts."))
    target, obj = _target(ctx, data)
    on = _flag(data, "on", True)
    model = Thread if target == "thread" else Post
    model.objects.filter(pk=obj.id).update(hidden=on)
    ctx.emit(EVENT_PREFIX + target + (".hidden" if on else ".restored"), {"id": obj.id})
    return {"id": obj.id, "hidden": on}


# ----- retirement --------------------------------------------------------------------------------
RETIRED_TEXT = "[This post was removed when its author's account was deleted.]"


def retire_user(user):
    """Forget a retired person: their words are replaced, their votes, flags and follows removed.

    Thread structure stays so that other people's replies keep their context.
    """
    html = render_markdown(RETIRED_TEXT)
    with transaction.atomic():
        Thread.objects.filter(author=user).update(title="[removed]", body=RETIRED_TEXT, body_html=html, anonymous=True)
        Post.objects.filter(author=user).update(body=RETIRED_TEXT, body_html=html, anonymous=True)
        for model in (Vote, Flag, Follow, ReadState, Mention):
            model.objects.filter(user=user).delete()
