"""The cohort forum's api: the only code that reads or writes the forum's models.

Every function takes a :class:`xblocks.core.context.Context` (who asks, in which placement and
group, with which roles) and plain data, and returns plain data (dicts ready for JSON) or raises
an :mod:`xblocks.core.errors` error. The XBlock and the LTI tool call exactly these functions.

Visibility rules, enforced in every query here:
- a learner reads and writes only in their own group of the placement; anything else is 404,
  exactly as for an id that does not exist (nothing tells them another group's thread exists);
- a learner who is in no group yet is told so (PermissionDenied with a clear message) and can
  neither read nor post until they are in one;
- staff read every group ("all") or the one picked in the switcher, and post in a picked group;
- hidden threads and posts are shown to staff and to their own author only (marked hidden);
- deleted ones to nobody;
- an anonymous post names its author to staff and to the author, never to peers.

Writes: every input is validated before anything is written, and every write runs in one
transaction; counters change only through ``F()`` expressions. Writes that change a counter
lock the counted row first, so concurrent votes, flags and replies are never lost and never
deadlock. Authors delete their own thread (or reply) while nobody has replied (commented) to
it yet; after that, other people's words stay and only staff can remove it.

Each request costs a fixed number of SQL queries, whatever the amount of data
(``tests/xblocks/cohort_forum/test_queries.py``).
"""
import math
import re
from collections import namedtuple

from django.db import IntegrityError, connections, transaction
from django.db.models import Count, Exists, F, FilteredRelation, Max, OuterRef, Q, Subquery, Sum, Value
from django.db.models.constants import OnConflict
from django.db.models.functions import Coalesce, Replace, Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from xblocks.core import ratelimit
from xblocks.core import search as core_search
from xblocks.core.errors import Conflict, NotFound, PermissionDenied, RateLimited, ValidationError
from xblocks.core.groups import users_matching
from xblocks.core.signals import answer_endorsed, contribution_changed, contribution_created, contribution_rated
from xblocks.core.text import EXCERPT_SOURCE_FACTOR, mentioned_usernames, plain_excerpt, render_markdown
from xblocks.core.validation import choice as _choice
from xblocks.core.validation import data_dict as _data
from xblocks.core.validation import flag as _flag
from xblocks.core.validation import ident as _id
from xblocks.core.validation import positive_int as _positive_int
from xblocks.core.validation import text as _text

from .conf import conf
from .models import (
    HIDDEN_REASON_MAX, Flag, GroupThreadCount, Post, Revision, Thread, ThreadState, Vote, mention_key,
    mentioned_ids_value,
)

EVENT_PREFIX = "social_learning.forum."
SORTS = ("activity", "newest", "votes", "unanswered")
FILTERS = ("all", "unread", "following", "mine", "mentions", "flagged", "hidden")
KINDS = (Thread.DISCUSSION, Thread.QUESTION)
FLAG_REASON_MAX = 500
SEARCH_MAX = 200
REPLY_PAGE_SIZE = 50
EXCERPT_LENGTH = 180
COMPONENT = "cohort_forum"


def _title(data):
    return _text(data, "title", _("The title"), min(conf("TITLE_MAX"), Thread._meta.get_field("title").max_length))


def _body(data):
    return _text(data, "body", _("The text"), conf("BODY_MAX"), multiline=True)


def _check_rate(ctx):
    """Count one contribution against the person's posting rate; refuse (nothing written) over the limit."""
    window = conf("POST_WINDOW_SECONDS")
    if not ratelimit.hit(f"forum-post:{ctx.user.id}", conf("POSTS_PER_WINDOW"), window):
        seconds = ratelimit.seconds_left(window)
        raise RateLimited(ngettext(
            "You are posting very quickly. Please wait {seconds} second, then post again; your text is still here.",
            "You are posting very quickly. Please wait {seconds} seconds, then post again; your text is still here.",
            seconds).format(seconds=seconds))


# ----- query helpers --------------------------------------------------------------------------
def _visible_threads(ctx):
    """Threads this person may see in this placement (and group, unless staff view all)."""
    # ``deleted = false`` as a comparison (SQLite would otherwise get "NOT deleted", which cannot
    # use the list indexes' (placement, group, deleted) prefix to read pages in index order).
    qs = Thread.objects.filter(placement_id=ctx.placement.id, deleted=Value(False))
    group_key = ctx.group_key_for_read()
    if group_key is not None:
        qs = qs.filter(group_key=group_key)
    if not ctx.is_staff:
        qs = qs.filter(Q(hidden=False) | Q(author_id=ctx.user.id))
    return qs


def _get_thread(ctx, thread_id, annotations=None):
    """A thread this person may see, or NotFound."""
    qs = _visible_threads(ctx)
    if annotations:
        qs = qs.annotate(**annotations)
    thread = qs.filter(pk=thread_id).first()
    if thread is None:
        raise NotFound(_("This thread does not exist, or it is not in your group's space."))
    return thread


def _visible_posts(ctx):
    """Replies and comments this person may see, in threads they may see (joined to their thread)."""
    qs = Post.objects.select_related("thread").filter(
        deleted=False, thread__placement_id=ctx.placement.id, thread__deleted=False
    )
    group_key = ctx.group_key_for_read()
    if group_key is not None:
        qs = qs.filter(thread__group_key=group_key)
    if not ctx.is_staff:
        qs = qs.filter(Q(hidden=False) | Q(author_id=ctx.user.id)).filter(
            Q(thread__hidden=False) | Q(thread__author_id=ctx.user.id)
        )
    return qs


def _get_post(ctx, post_id, annotations=None, with_author=False):
    """A reply or comment this person may see (in a thread they may see), with its thread, or NotFound."""
    qs = _visible_posts(ctx).filter(pk=post_id)
    if with_author:
        qs = qs.select_related("author")
    if annotations:
        qs = qs.annotate(**annotations)
    post = qs.first()
    if post is None:
        raise NotFound(_("This post does not exist, or it is not in your group's space."))
    return post


def _my_state(qs, me):
    """Join each thread to this person's ThreadState row, as ``my_state`` (a LEFT JOIN on a unique key)."""
    return qs.alias(my_state=FilteredRelation("states", condition=Q(states__user_id=me)))


def _with_my_state(qs, me):
    """Annotate threads (joined by :func:`_my_state`) with this person's vote, follow and read time."""
    return qs.annotate(
        read_at=F("my_state__read_at"),
        following=Coalesce(F("my_state__following"), Value(False)),
        voted=Exists(Vote.objects.filter(thread_id=OuterRef("pk"), user_id=me)),
    )


def _save_state(user_id, thread_id, read_at=None, following=None):
    """Create or update a person's ThreadState: one INSERT ... ON CONFLICT / ON DUPLICATE KEY UPDATE.

    A single statement is atomic on its own, safe under concurrency, and needs no read first.
    Only the given values change on an existing row.
    """
    connection = connections[ThreadState.objects.db]
    quote = connection.ops.quote_name
    update = [name for name, value in (("read_at", read_at), ("following", following)) if value is not None]
    suffix = connection.ops.on_conflict_suffix_sql(
        None, OnConflict.UPDATE if update else OnConflict.IGNORE, update, ["user_id", "thread_id"])
    columns = ", ".join(quote(c) for c in ("user_id", "thread_id", "read_at", "following"))
    read_at_value = ThreadState._meta.get_field("read_at").get_db_prep_value(read_at, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(ThreadState._meta.db_table)} ({columns}) VALUES (%s, %s, %s, %s) {suffix}",
            [user_id, thread_id, read_at_value, bool(following)],
        )


def _group_names(ctx):
    if not ctx.is_staff or not ctx.view_all:
        return {}
    return {g.key: g.name for g in ctx.available_groups()}


def _author(ctx, user, anonymous):
    is_you = user.id == ctx.user.id
    if anonymous and not (ctx.is_staff or is_you):
        return {"name": _("Anonymous"), "username": None, "anonymous": True, "is_you": False}
    name = user.get_full_name() or user.username
    return {"name": name, "username": user.username, "anonymous": anonymous, "is_you": is_you}


def _iso(value):
    return value.isoformat() if value else None


def _is_unread(thread):
    return thread.read_at is None or thread.read_at < thread.last_activity


def _serialize_thread_summary(ctx, thread, group_names):
    return {
        "id": thread.id,
        "kind": thread.kind,
        "title": thread.title,
        "excerpt": plain_excerpt(thread.body_start if hasattr(thread, "body_start") else thread.body, EXCERPT_LENGTH),
        "author": _author(ctx, thread.author, thread.anonymous),
        "created": _iso(thread.created),
        "last_activity": _iso(thread.last_activity),
        "reply_count": thread.reply_count,
        "vote_count": thread.vote_count,
        "voted": bool(getattr(thread, "voted", False)),
        "following": bool(getattr(thread, "following", False)),
        "unread": _is_unread(thread),
        "pinned": thread.pinned,
        "highlighted": thread.highlighted,
        "answered": thread.answered,
        "hidden": thread.hidden,
        "hidden_reason": thread.hidden_reason if thread.hidden else "",
        "flag_count": thread.flag_count if ctx.is_staff else None,
        "group": {"key": thread.group_key, "name": group_names.get(thread.group_key, "")} if group_names else None,
    }


def _permissions(ctx, obj, has_responses):
    """What this person may do with a thread or post. Authors delete only while nobody has responded."""
    own = obj.author_id == ctx.user.id
    if ctx.read_only:
        return {"edit": False, "delete": False, "moderate": False, "curate": False}
    return {
        "edit": own,
        "delete": ctx.is_staff or (own and not has_responses),
        "moderate": ctx.is_staff,
        "curate": ctx.is_advocate,
    }


# ----- reads ------------------------------------------------------------------------------------
def _index_thread(thread_id, placement_id, group_key, author_id, title, body, hidden=False):
    core_search.index(COMPONENT, placement_id, group_key, "thread", thread_id, result_id=thread_id,
                      author_id=author_id, texts=[title, title, body], hidden=hidden)


def _index_post(post_id, thread_id, placement_id, group_key, author_id, body, hidden=False):
    core_search.index(COMPONENT, placement_id, group_key, "post", post_id, result_id=thread_id,
                      author_id=author_id, texts=[body], hidden=hidden)


def _matching(ctx, terms):
    """{thread id: relevance} of the threads whose title, text or a reply this person can see holds every
    term (a "quoted phrase" within one text), through core's full-text search (one query)."""
    return core_search.search(COMPONENT, ctx.placement.id, terms, group_key=ctx.group_key_for_read(),
                              viewer_id=ctx.user.id, see_hidden=ctx.is_staff)


def _count_threads(placement_id, group_key, live=0, hidden=0):
    """Add to a group's thread counts (``GroupThreadCount``): one additive upsert, safe under concurrency."""
    connection = connections[GroupThreadCount.objects.db]
    quote = connection.ops.quote_name
    table = quote(GroupThreadCount._meta.db_table)
    if connection.vendor == "mysql":
        suffix = "ON DUPLICATE KEY UPDATE live = live + VALUES(live), hidden = hidden + VALUES(hidden)"
    else:
        suffix = (f"ON CONFLICT (placement_id, group_key) DO UPDATE SET live = {table}.live + excluded.live, "
                  f"hidden = {table}.hidden + excluded.hidden")
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (placement_id, group_key, live, hidden) VALUES (%s, %s, %s, %s) {suffix}",
                       [placement_id, group_key, live, hidden])


def _kept_total(ctx):
    """The list's total without a filter, from the kept counts (one query): every thread of the space for
    staff; for a learner, those not hidden and their own hidden ones."""
    counts = GroupThreadCount.objects.filter(placement_id=ctx.placement.id)
    group_key = ctx.group_key_for_read()
    if group_key is not None:
        counts = counts.filter(group_key=group_key)
    if ctx.is_staff:
        return counts.aggregate(n=Sum("live"))["n"] or 0
    own_hidden = Thread.objects.filter(placement_id=ctx.placement.id, group_key=group_key, author_id=ctx.user.id,
                                       hidden=True, deleted=False).values("author_id").annotate(n=Count("id"))
    row = counts.annotate(own_hidden=Coalesce(Subquery(own_hidden.values("n")[:1]), Value(0))).values(
        "live", "hidden", "own_hidden").first()
    return row["live"] - row["hidden"] + row["own_hidden"] if row else 0


def recount(placement_id):
    """Rebuild a placement's thread counts and search entries from its threads and posts (after a bulk
    load, and in the migration that introduced them). Not for requests: it reads every row."""
    with transaction.atomic():
        GroupThreadCount.objects.filter(placement_id=placement_id).delete()
        rows = (Thread.objects.filter(placement_id=placement_id, deleted=False).values("group_key")
                .annotate(live=Count("id"), hidden=Count("id", filter=Q(hidden=True))))
        GroupThreadCount.objects.bulk_create([GroupThreadCount(placement_id=placement_id, **row) for row in rows])
    entries = []
    cache = {}

    def entry(object_type, object_id, result_id, group_key, author_id, texts, hidden):
        key = (group_key, tuple(texts))
        if key not in cache:
            cache[key] = core_search.tokens_for(placement_id, group_key, texts)
        return core_search.SearchEntry(component=COMPONENT, placement_id=placement_id, group_key=group_key,
                                       object_type=object_type, object_id=object_id, result_id=result_id,
                                       author_id=author_id, hidden=hidden, tokens=cache[key])

    for t in Thread.objects.filter(placement_id=placement_id, deleted=False).values_list(
            "id", "group_key", "author_id", "title", "body", "hidden").iterator(chunk_size=5000):
        entries.append(entry("thread", t[0], t[0], t[1], t[2], [t[3], t[3], t[4]], t[5]))
        if len(entries) >= 5000:
            core_search.bulk_index(entries)
            entries = []
    for p in Post.objects.filter(thread__placement_id=placement_id, deleted=False).values_list(
            "id", "thread_id", "thread__group_key", "author_id", "body", "hidden").iterator(chunk_size=5000):
        entries.append(entry("post", p[0], p[1], p[2], p[3], [p[4]], p[5]))
        if len(entries) >= 5000:
            core_search.bulk_index(entries)
            entries = []
    core_search.bulk_index(entries)


def list_threads(ctx, data):
    """A page of threads in the person's space.

    ``sort``: activity (default), newest, votes or unanswered; pinned threads come first.
    ``filter``: all, unread, following, mine, mentions; staff also flagged and hidden.
    ``search``: words that must all appear in the title, the text or a reply, in any of their forms
    in English, Dutch or French ("quoted phrase" for words in that order); the results are ranked
    by relevance. ``page``: 1-based; a page past the last one shows the last one.
    """
    data = _data(data)
    sort = _choice(data, "sort", SORTS, "activity")
    filt = _choice(data, "filter", FILTERS, "all")
    search = _text(data, "search", _("The search"), SEARCH_MAX, required=False)
    page = _positive_int(data, "page", 1)
    if filt in ("flagged", "hidden") and not ctx.is_staff:
        raise PermissionDenied(_("Only course staff can list flagged or hidden posts."))
    page_size = conf("PAGE_SIZE")

    me = ctx.user.id
    qs = _my_state(_visible_threads(ctx), me)
    relevance = None
    if search:
        relevance = _matching(ctx, core_search.parse(search))
        qs = qs.filter(id__in=list(relevance))
    if filt == "following":
        qs = qs.filter(my_state__following=True)
    elif filt == "mine":
        qs = qs.filter(author_id=me)
    elif filt == "mentions":
        key = mention_key(me)
        qs = qs.filter(Q(mentioned_ids__contains=key) | Exists(
            Post.objects.filter(thread_id=OuterRef("pk"), deleted=False, mentioned_ids__contains=key)))
    elif filt == "unread":
        qs = qs.filter(Q(my_state__read_at__isnull=True) | Q(my_state__read_at__lt=F("last_activity")))
    elif filt == "flagged":
        qs = qs.filter(Q(flag_count__gt=0) | Exists(
            Post.objects.filter(thread_id=OuterRef("pk"), flag_count__gt=0, deleted=False)))
    elif filt == "hidden":
        qs = qs.filter(Q(hidden=True) | Exists(Post.objects.filter(thread_id=OuterRef("pk"), hidden=True, deleted=False)))
    if sort == "unanswered":
        qs = qs.filter(Q(kind=Thread.QUESTION, answered=False) | Q(reply_count=0))
        order = ("-pinned", "-created", "-id")
    elif sort == "newest":
        order = ("-pinned", "-created", "-id")
    elif sort == "votes":
        order = ("-pinned", "-vote_count", "-last_activity", "-id")
    else:
        order = ("-pinned", "-last_activity", "-id")

    if relevance is not None:
        # At most core_search.CANDIDATES threads: ranked here, best first.
        matched = list(qs.values_list("id", flat=True)) if relevance else []
        matched.sort(key=lambda thread_id: (-relevance[thread_id], -thread_id))
        total = len(matched)
    elif filt == "all" and sort != "unanswered":
        total = _kept_total(ctx)  # no COUNT over the group's threads
    else:
        total = qs.count()
    pages = max(1, math.ceil(total / page_size))
    page = min(page, pages)
    start = (page - 1) * page_size
    # Deferred join: the page's ids come from the composite index alone (also far down the list),
    # then only those rows are read with their authors and this person's marks.
    if relevance is not None:
        ids = matched[start:start + page_size]
    else:
        ids = list(qs.order_by(*order).values_list("id", flat=True)[start:start + page_size]) if total else []
    rows_qs = Thread.objects.filter(id__in=ids).select_related("author").defer("body", "body_html").annotate(
        body_start=Substr("body", 1, EXCERPT_SOURCE_FACTOR * EXCERPT_LENGTH))  # a list never needs whole texts
    found = {t.id: t for t in _with_my_state(_my_state(rows_qs, me), me)} if ids else {}
    rows = [found[i] for i in ids if i in found]
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


def _serialize_post(ctx, post, comment_count, read_at):
    return {
        "id": post.id,
        "parent": post.parent_id,
        "author": _author(ctx, post.author, post.anonymous),
        "body": post.body if post.author_id == ctx.user.id else None,
        "body_html": post.body_html,
        "created": _iso(post.created),
        "edited": _iso(post.edited),
        # Written by someone else since this person last opened the thread.
        "new": read_at is not None and post.created > read_at and post.author_id != ctx.user.id,
        "vote_count": post.vote_count,
        "voted": bool(post.voted),
        "flagged": bool(getattr(post, "flagged", False)),  # by this person (they may withdraw it)
        "endorsed": post.endorsed,
        "endorsed_by": (post.endorsed_by.get_full_name() or post.endorsed_by.username) if post.endorsed_by else None,
        "hidden": post.hidden,
        "hidden_reason": post.hidden_reason if post.hidden else "",
        "flag_count": post.flag_count if ctx.is_staff else None,
        "comment_count": comment_count,
        "can": _permissions(ctx, post, comment_count > 0),
        "comments": [],
    }


def get_thread(ctx, data):
    """One thread with a page of its replies (``reply_page``, each with its comments); marks it read.

    Replies to a question list endorsed answers first. ``was_unread`` tells whether there was
    activity since the person's last visit; each reply and comment says whether it is ``new``.
    """
    data = _data(data)
    thread_id = _id(data)
    reply_page = _positive_int(data, "reply_page", 1)
    me = ctx.user.id
    thread = _with_my_state(_my_state(_visible_threads(ctx), me).select_related("author"), me).annotate(
        flagged=Exists(Flag.objects.filter(thread_id=OuterRef("pk"), user_id=me, pending=True))).filter(pk=thread_id).first()
    if thread is None:
        raise NotFound(_("This thread does not exist, or it is not in your group's space."))

    posts_qs = Post.objects.filter(thread_id=thread.id, deleted=False).select_related("author", "endorsed_by")
    if not ctx.is_staff:
        posts_qs = posts_qs.filter(Q(hidden=False) | Q(author_id=me))
    posts_qs = posts_qs.annotate(voted=Exists(Vote.objects.filter(post_id=OuterRef("pk"), user_id=me)),
                                 flagged=Exists(Flag.objects.filter(post_id=OuterRef("pk"), user_id=me, pending=True)))
    reply_order = ("-endorsed", "created", "id") if thread.kind == Thread.QUESTION else ("created", "id")
    start = (reply_page - 1) * REPLY_PAGE_SIZE
    replies = list(posts_qs.filter(parent__isnull=True).order_by(*reply_order)[start:start + REPLY_PAGE_SIZE + 1])
    has_more = len(replies) > REPLY_PAGE_SIZE
    replies = replies[:REPLY_PAGE_SIZE]
    comments = list(posts_qs.filter(parent_id__in=[r.id for r in replies]).order_by("created", "id")) if replies else []

    comments_of = {}
    for comment in comments:
        comments_of.setdefault(comment.parent_id, []).append(comment)
    out_replies = []
    for reply in replies:
        item = _serialize_post(ctx, reply, len(comments_of.get(reply.id, ())), thread.read_at)
        item["comments"] = [_serialize_post(ctx, c, 0, thread.read_at) for c in comments_of.get(reply.id, ())]
        out_replies.append(item)

    was_unread = _is_unread(thread)
    if not ctx.read_only:  # written on every visit, so that opening a thread costs the same queries
        _save_state(me, thread.id, read_at=timezone.now())
    summary = _serialize_thread_summary(ctx, thread, _group_names(ctx))
    summary.update({
        "unread": False,
        "was_unread": was_unread,
        "flagged": bool(thread.flagged),
        "body": thread.body if thread.author_id == me else None,
        "body_html": thread.body_html,
        "edited": _iso(thread.edited),
        "can": _permissions(ctx, thread, thread.reply_count > 0),
        "replies": out_replies,
        "reply_page": reply_page,
        "more_replies": has_more,
    })
    return summary


def participation_count(ctx, data=None):  # pylint: disable=unused-argument
    """How many threads, replies and comments this person wrote in this placement, as a number (one query).

    Front doors use it for completion and the participation score. Contributions the person
    deleted do not count; those in a thread that staff removed still do (the effort was made).
    """
    threads = Thread.objects.filter(placement_id=ctx.placement.id, author_id=ctx.user.id, deleted=False).values("id")
    posts = Post.objects.filter(
        thread__placement_id=ctx.placement.id, author_id=ctx.user.id, deleted=False
    ).values("id")
    return threads.union(posts, all=True).count()


def _space_for_mentions(ctx, data):
    """The group whose members can be mentioned: the given thread's, else the person's own (None: none)."""
    if data.get("thread") not in (None, ""):
        return _get_thread(ctx, _id(data, "thread")).group_key
    if ctx.group is None:
        return None
    return ctx.group.key


def mention_candidates(ctx, data):
    """Members of this space whose username or name starts with ``q``, for @mention suggestions (8 at most).

    ``thread`` (optional): suggest members of that thread's group (staff reading every group).
    """
    data = _data(data)
    prefix = _text(data, "q", _("The search"), 150, required=False).lstrip("@").strip()
    group_key = _space_for_mentions(ctx, data)
    if group_key is None:
        return {"members": []}
    qs = users_matching(ctx.group_backend.member_filter(ctx.course_key, group_key)).exclude(id=ctx.user.id)
    if prefix:
        qs = qs.filter(Q(username__istartswith=prefix) | Q(first_name__istartswith=prefix)
                       | Q(last_name__istartswith=prefix))
    members = [
        {"username": u.username, "name": u.get_full_name() or u.username}
        for u in qs.order_by("username").only("username", "first_name", "last_name")[:8]
    ]
    return {"members": members}


Mentioned = namedtuple("Mentioned", "id username")


def _mentionable(ctx, group_key):
    """Who can be @mentioned in a group: its active members, except the writer."""
    return users_matching(ctx.group_backend.member_filter(ctx.course_key, group_key)).exclude(id=ctx.user.id)


def _resolve_mentions(ctx, body, group_key):
    """The people an @mention in ``body`` names: active members of the group, not the writer (one query)."""
    names = mentioned_usernames(body)
    if not names:
        return []
    query = Q()
    for name in names:
        query |= Q(username__iexact=name)
    return [Mentioned(u.id, u.username) for u in _mentionable(ctx, group_key).filter(query).only("id", "username")]


def _mention_lookups(ctx, names, group_key):
    """One scalar subquery per @name (the member's id, or NULL), to ride along another read."""
    members = _mentionable(ctx, group_key)
    return {f"sls_mention_{i}": Subquery(members.filter(username__iexact=name).values("id")[:1])
            for i, name in enumerate(names)}


def _looked_up_mentions(row, names):
    found = [(name, getattr(row, f"sls_mention_{i}")) for i, name in enumerate(names)]
    return [Mentioned(user_id, name) for name, user_id in found if user_id is not None]


# ----- writes -------------------------------------------------------------------------------------
def _signal_contribution(ctx, thread_id, group_key, post_id, kind, anonymous):
    contribution_created.send(
        sender=__name__, component="cohort_forum", placement=ctx.placement, user=ctx.user,
        object_type="thread" if post_id is None else "post", object_id=thread_id if post_id is None else post_id,
        kind=kind, group_key=group_key, anonymous=anonymous,
        thread_id=thread_id, post_id=post_id,  # the forum's own detail, for receivers that know the forum
    )


def _signal_change(ctx, target, obj, visible):
    """Tell the other components that a thread or post is hidden or deleted (visibility None) or shown again."""
    thread_id = obj.id if target == "thread" else obj.thread_id
    group_key = obj.group_key if target == "thread" else obj.thread.group_key
    contribution_changed.send(
        sender=__name__, component=COMPONENT, placement=ctx.placement, user_id=obj.author_id, object_type=target,
        object_id=obj.id, group_key=group_key, visibility="space" if visible else None, thread_id=thread_id,
        kind="thread" if target == "thread" else ("comment" if obj.parent_id else "reply"), anonymous=obj.anonymous)


def _signal_rating(ctx, target, obj, rating, delta):
    contribution_rated.send(
        sender=__name__, component=COMPONENT, placement=ctx.placement, user_id=obj.author_id, object_type=target,
        object_id=obj.id, group_key=obj.group_key if target == "thread" else obj.thread.group_key, rating=rating,
        delta=delta, actor=ctx.user)


def create_thread(ctx, data, allow_anonymous=False):
    """Start a thread in the person's group: ``kind`` (discussion|question), ``title``, ``body``, ``anonymous``.

    The author follows their thread and has read it. Returns the new ``id`` and who was ``mentioned``.
    """
    data = _data(data)
    group_key = ctx.require_group_for_write()
    kind = _choice(data, "kind", KINDS, Thread.DISCUSSION)
    title = _title(data)
    body = _body(data)
    anonymous = _flag(data, "anonymous")
    if anonymous and not allow_anonymous:
        raise ValidationError(_("Anonymous posting is not allowed in this forum."), fields={"anonymous": _("Not allowed.")})
    return _start_thread(ctx, group_key, kind, title, body, anonymous)


def _start_thread(ctx, group_key, kind, title, body, anonymous, extra_event=None):
    """Write a new thread (validated by the caller) after the rate check, and tell the other components."""
    _check_rate(ctx)
    mentions = _resolve_mentions(ctx, body, group_key)
    body_html = render_markdown(body, [u.username for u in mentions])
    now = timezone.now()
    with transaction.atomic():
        thread = Thread.objects.create(
            placement_id=ctx.placement.id, group_key=group_key, author=ctx.user, kind=kind, title=title, body=body,
            body_html=body_html, anonymous=anonymous, created=now, last_activity=now,
            mentioned_ids=mentioned_ids_value(u.id for u in mentions),
        )
        ThreadState.objects.create(user_id=ctx.user.id, thread_id=thread.id, read_at=now, following=True)
        _count_threads(ctx.placement.id, group_key, live=1)
        _index_thread(thread.id, ctx.placement.id, group_key, ctx.user.id, title, body)
    _signal_contribution(ctx, thread.id, group_key, None, "thread", anonymous)
    ctx.emit(EVENT_PREFIX + "thread.created", {
        "thread_id": thread.id, "kind": kind, "group": group_key, "anonymous": anonymous,
        "title_length": len(title), "body_length": len(body), "mentions": [u.id for u in mentions],
        **(extra_event or {}),
    })
    return {"id": thread.id, "mentioned": [u.username for u in mentions]}


_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def quote_body(excerpt, label, link):
    """The Markdown of a thread that quotes ``excerpt`` (the person's own text, Markdown) with a link ``label``
    (plain text) to ``link`` (an address the door made: a path, or a fragment)."""
    quoted = "\n".join(("> " + line) if line.strip() else ">" for line in excerpt.strip().splitlines())
    if not link:
        return quoted
    label = _MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join(label.split()))
    return f"{quoted}\n\n[{label}](<{link}>)"


def quote_preview(ctx, data):
    """What :func:`quote_thread` would post for ``ctx`` (nothing is written): ``{"title", "body_html"}`` and the
    group it goes to, after the same checks (group, title, length)."""
    group_key, title, body = _quote_input(ctx, data)
    return {"title": title, "body_html": render_markdown(body), "group": ctx.group.name,
            "whole_course": group_key == "course"}


def _quote_input(ctx, data):
    data = _data(data)
    group_key = ctx.require_group_for_write()
    title = _title(data)
    excerpt = _text(data, "excerpt", _("The excerpt"), conf("BODY_MAX"), multiline=True)
    link = data.get("link") or ""
    label = data.get("label") or ""
    if not isinstance(link, str) or not isinstance(label, str) or len(link) > 1000 or len(label) > 300 \
            or any(c in link for c in "<>\n\r "):
        raise ValidationError(_("The link back could not be read."), fields={"link": _("Invalid.")})
    body = quote_body(excerpt, label, link)
    if len(body) > conf("BODY_MAX"):
        raise ValidationError(_("The excerpt is too long for this forum."), fields={"excerpt": _("Too long.")})
    return group_key, title, body


def quote_thread(ctx, data):
    """Start a discussion in the person's group that quotes their own text from another component (the reflection
    blog's entry), with a link back to it: ``title``, ``excerpt`` (Markdown, shown as a quotation), ``label`` (the
    link's text) and ``link`` (its address, made by the door); ``source`` names the component it comes from.

    The same checks, rate limit, one transaction, search index and ``contribution_created`` as
    :func:`create_thread`; the caller (the other component) answers for the excerpt being the person's own."""
    group_key, title, body = _quote_input(ctx, data)
    source = data.get("source") if isinstance(data.get("source"), str) else ""
    return _start_thread(ctx, group_key, Thread.DISCUSSION, title, body, False,
                         extra_event={"quoted_from": source[:32]})


def create_reply(ctx, data, allow_anonymous=False):
    """Reply to a thread (``thread``), or comment on one of its replies (``parent``); ``body``, ``anonymous``.

    Replying follows the thread and marks it read for the writer; for everyone else it is unread.
    A thread (or reply) the person cannot see is NotFound, and nothing is written.
    """
    ctx.require_writable()
    data = _data(data)
    thread_id = _id(data, "thread")
    parent_id = _id(data, "parent") if data.get("parent") not in (None, "") else None
    body = _body(data)
    anonymous = _flag(data, "anonymous")
    if anonymous and not allow_anonymous:
        raise ValidationError(_("Anonymous posting is not allowed in this forum."), fields={"anonymous": _("Not allowed.")})
    missing = _("This thread does not exist, or it is not in your group's space.") if parent_id is None else _(
        "This reply does not exist in this thread, or it is not in your group's space.")
    names = mentioned_usernames(body)
    # One read checks that the thread (or the reply commented on) is visible, and, when the group
    # is known, resolves the @mentions in the same statement.
    lookups = _mention_lookups(ctx, names, ctx.group.key) if names and ctx.group is not None else {}
    if parent_id is None:
        row = _visible_threads(ctx).filter(pk=thread_id).annotate(**lookups).first()
        thread = row
    else:
        row = _visible_posts(ctx).filter(pk=parent_id, thread_id=thread_id, parent__isnull=True).annotate(
            **lookups).first()
        thread = row.thread if row is not None else None
    if row is None:
        raise NotFound(missing)
    _check_rate(ctx)
    if lookups:
        mentions = _looked_up_mentions(row, names)
    else:
        mentions = _resolve_mentions(ctx, body, thread.group_key) if names else []
    body_html = render_markdown(body, [u.username for u in mentions])
    now = timezone.now()
    changes = {"last_activity": now}
    if parent_id is None:
        changes["reply_count"] = F("reply_count") + 1
    with transaction.atomic():
        # The thread row first, by primary key: every write to a thread starts here, so concurrent
        # writers queue on this one lock (instead of deadlocking on the foreign-key checks of the
        # inserts below). By key only, because a scan through an index holding last_activity could
        # miss a row that a concurrent reply just moved in that index.
        if not Thread.objects.filter(pk=thread_id, deleted=False).update(**changes):
            raise NotFound(missing)
        post = Post.objects.create(
            thread_id=thread_id, parent_id=parent_id, author=ctx.user, body=body, body_html=body_html,
            anonymous=anonymous, created=now, mentioned_ids=mentioned_ids_value(u.id for u in mentions),
        )
        _save_state(ctx.user.id, thread_id, read_at=now, following=True)
        _index_post(post.id, thread_id, ctx.placement.id, thread.group_key, ctx.user.id, body)
    _signal_contribution(ctx, thread_id, thread.group_key, post.id, "comment" if parent_id else "reply", anonymous)
    ctx.emit(EVENT_PREFIX + ("comment.created" if parent_id else "reply.created"), {
        "thread_id": thread_id, "post_id": post.id, "parent_id": parent_id, "anonymous": anonymous,
        "body_length": len(body), "mentions": [u.id for u in mentions],
    })
    return {"id": post.id, "thread": thread_id, "mentioned": [u.username for u in mentions]}


def _replace_text(model, obj, old_text, changes, reindex=lambda: None):
    """Save an edit, keeping the version it replaces as a :class:`Revision` (one transaction).

    The row is updated only if nobody saved an edit since it was read (its ``edited`` time is
    unchanged); otherwise nothing is written and the author is asked to reload, so two edits at
    once never silently drop one.
    """
    if all(changes[field] == value for field, value in old_text.items()):
        return obj.edited  # nothing changed: no revision, no new edit time
    with transaction.atomic():
        Revision.objects.create(**{"thread" if model is Thread else "post": obj}, replaced=changes["edited"],
                                title=old_text.get("title", ""), body=old_text["body"])
        if not model.objects.filter(pk=obj.pk, edited=obj.edited).update(**changes):
            raise Conflict(_("This text was changed in another window meanwhile. Reload to see it, then edit "
                             "again; your version is still in the form."))
        reindex()
    return changes["edited"]


def _check_version(data, obj):
    """Refuse an edit made from an older copy: ``version`` is the ``edited`` time the page showed ("" when
    it was never edited). Without ``version`` (older clients) only a concurrent save is detected."""
    if "version" not in data:
        return
    version = data["version"]
    if version is not None and not isinstance(version, str):
        raise ValidationError(_("A valid '{name}' is required.").format(name="version"), fields={"version": _("Invalid.")})
    if (version or "") != (_iso(obj.edited) or ""):
        raise Conflict(_("This text was changed in another window meanwhile. Reload to see it, then edit "
                         "again; your version is still in the form."))


def edit(ctx, data):
    """Authors edit their own thread (``title`` and/or ``body``) or post (``body``); ``target``: thread|post;
    ``version``: the ``edited`` time of the copy the author changed (see :func:`_check_version`)."""
    ctx.require_writable()
    data = _data(data)
    target = _choice(data, "target", ("thread", "post"), "thread")
    obj_id = _id(data)
    now = timezone.now()
    if target == "thread":
        thread = _get_thread(ctx, obj_id)
        if thread.author_id != ctx.user.id:
            raise PermissionDenied(_("You can only edit your own posts."))
        _check_version(data, thread)
        if "title" not in data and "body" not in data:
            raise ValidationError(_("Nothing to change: send a title or a text."))
        title = _title(data) if "title" in data else thread.title
        body = _body(data) if "body" in data else thread.body
        mentions = _resolve_mentions(ctx, body, thread.group_key)
        body_html = render_markdown(body, [u.username for u in mentions])
        edited = _replace_text(Thread, thread, {"title": thread.title, "body": thread.body}, dict(
            title=title, body=body, body_html=body_html, edited=now,
            mentioned_ids=mentioned_ids_value(u.id for u in mentions)), lambda: _index_thread(
                thread.id, thread.placement_id, thread.group_key, thread.author_id, title, body, thread.hidden))
    else:
        post = _get_post(ctx, obj_id)
        if post.author_id != ctx.user.id:
            raise PermissionDenied(_("You can only edit your own posts."))
        _check_version(data, post)
        body = _body(data)
        mentions = _resolve_mentions(ctx, body, post.thread.group_key)
        body_html = render_markdown(body, [u.username for u in mentions])
        edited = _replace_text(Post, post, {"body": post.body}, dict(
            body=body, body_html=body_html, edited=now, mentioned_ids=mentioned_ids_value(u.id for u in mentions)),
            lambda: _index_post(post.id, post.thread_id, post.thread.placement_id, post.thread.group_key,
                                post.author_id, body, post.hidden))
    ctx.emit(EVENT_PREFIX + target + ".edited", {"id": obj_id})
    return {"id": obj_id, "edited": _iso(edited), "body_html": body_html, "mentioned": [u.username for u in mentions]}


def delete(ctx, data):
    """Delete a thread or post (``target``, ``id``): kept in the database, shown to nobody.

    Staff delete anything in their reach. Authors delete their own thread while it has no
    replies, and their own reply while it has no comments: once other people have answered,
    their words stay, and the author can still edit (or ask staff).
    """
    ctx.require_writable()
    data = _data(data)
    target = _choice(data, "target", ("thread", "post"), "thread")
    obj_id = _id(data)
    me = ctx.user.id
    if target == "thread":
        thread = _get_thread(ctx, obj_id)
        if not ctx.is_staff:
            if thread.author_id != me:
                raise PermissionDenied(_("You can only delete your own posts."))
            if thread.reply_count > 0:
                raise Conflict(_("People have replied to this thread, so it stays for them. You can still edit "
                                 "it, or ask course staff to remove it."))
        lookup = Q(pk=thread.id, deleted=False) if ctx.is_staff else Q(pk=thread.id, deleted=False, reply_count=0)
        with transaction.atomic():
            if not Thread.objects.filter(lookup).update(deleted=True, flag_count=Value(0)):
                raise Conflict(_("This thread changed while you were deleting it. Reload it and try again."))
            reviewed = _review_flags(ctx, target, thread.id, Flag.DELETED) if ctx.is_staff else 0
            _count_threads(thread.placement_id, thread.group_key, live=-1, hidden=-1 if thread.hidden else 0)
            core_search.remove(COMPONENT, "thread", thread.id)
    else:
        post = _get_post(ctx, obj_id)
        is_reply = post.parent_id is None
        if not ctx.is_staff:
            if post.author_id != me:
                raise PermissionDenied(_("You can only delete your own posts."))
            if is_reply and Post.objects.filter(parent_id=post.id, deleted=False).exists():
                raise Conflict(_("People have commented on this reply, so it stays for them. You can still "
                                 "edit it, or ask course staff to remove it."))
        changes = {}
        if is_reply:
            changes["reply_count"] = F("reply_count") - 1
        if post.endorsed:
            # Without this answer the question may be open again (decided in the same statement).
            changes["answered"] = Exists(_endorsed_replies().exclude(pk=post.id))
        with transaction.atomic():
            # Thread row first (see create_reply), then the post.
            if changes:
                Thread.objects.filter(pk=post.thread_id).update(**changes)
            if not Post.objects.filter(pk=post.id, deleted=False).update(deleted=True, flag_count=Value(0)):
                raise NotFound(_("This post does not exist, or it is not in your group's space."))
            reviewed = _review_flags(ctx, target, post.id, Flag.DELETED) if ctx.is_staff else 0
            core_search.remove(COMPONENT, "post", post.id)
    _signal_change(ctx, target, thread if target == "thread" else post, False)
    ctx.emit(EVENT_PREFIX + target + ".deleted", {"id": obj_id, "by_staff": ctx.is_staff})
    _emit_review(ctx, target, obj_id, Flag.DELETED, reviewed)
    return {"id": obj_id, "deleted": True}


class _AlreadyDone(Exception):
    """Raised inside a transaction to roll it back: a concurrent request made the same change first."""


def _toggle(ctx, data, row_model, counter, extra=None, counted=None):
    """Shared by vote and flag: add or remove this person's row once, and move the counter with it.

    The counter's row is written first, so concurrent toggles queue on its lock (and never
    deadlock on the foreign-key check of the insert); the same person's concurrent duplicate
    fails on the unique constraint and rolls back with its counter change.
    ``counted``: the filter of the rows that count (a flag counts while it waits for review).
    Returns (target, the thread or post, on, delta, new count).
    """
    counted = counted or {}
    target = _choice(data, "target", ("thread", "post"), "thread")
    obj_id = _id(data)
    on = _flag(data, "on", True)
    me = ctx.user.id
    mine = {"mine": Exists(row_model.objects.filter(user_id=me, **counted, **{f"{target}_id": OuterRef("pk")}))}
    obj = _get_thread(ctx, obj_id, annotations=mine) if target == "thread" else _get_post(ctx, obj_id, mine)
    model = Thread if target == "thread" else Post
    lookup = {f"{target}_id": obj.id}
    current = getattr(obj, counter)
    if obj.mine == on:
        return target, obj, on, 0, current
    delta = 1 if on else -1
    try:
        with transaction.atomic():
            if not model.objects.filter(pk=obj.id).update(**{counter: F(counter) + delta}):
                raise _AlreadyDone
            if on:
                row_model.objects.create(user_id=me, **lookup, **(extra or {}))
            elif not row_model.objects.filter(user_id=me, **counted, **lookup).delete()[0]:
                raise _AlreadyDone
    except (IntegrityError, _AlreadyDone):
        current = model.objects.filter(pk=obj.id).values_list(counter, flat=True).first() or 0
        return target, obj, on, 0, current
    return target, obj, on, delta, current + delta


def vote(ctx, data):
    """Upvote (``on`` true, the default) or withdraw the vote (``on`` false) on a thread or post. Idempotent."""
    ctx.require_writable()
    data = _data(data)
    target, obj, on, delta, count = _toggle(ctx, data, Vote, "vote_count")
    obj_id = obj.id
    if delta:
        _signal_rating(ctx, target, obj, "upvote", delta)
        ctx.emit(EVENT_PREFIX + target + (".voted" if on else ".unvoted"), {"id": obj_id})
    return {"id": obj_id, "voted": on, "vote_count": count}


def follow(ctx, data):
    """Follow (``on`` true, the default) or stop following a thread (``id``)."""
    ctx.require_writable()
    data = _data(data)
    thread_id = _id(data)
    on = _flag(data, "on", True)
    thread = _get_thread(ctx, thread_id)
    _save_state(ctx.user.id, thread.id, following=on)
    ctx.emit(EVENT_PREFIX + ("thread.followed" if on else "thread.unfollowed"), {"id": thread.id})
    return {"id": thread.id, "following": on}


def flag(ctx, data):
    """Anyone flags a thread or post for staff attention, once per person while it waits for review (``reason``
    optional); ``on`` false withdraws it. After staff reviewed the item, a new flag brings it back to the queue."""
    ctx.require_writable()
    data = _data(data)
    reason = _text(data, "reason", _("The reason"), FLAG_REASON_MAX, required=False)
    target, obj, on, delta, count = _toggle(ctx, data, Flag, "flag_count", extra={"reason": reason},
                                            counted={"pending": True})
    obj_id = obj.id
    if delta:
        ctx.emit(EVENT_PREFIX + target + (".flagged" if on else ".unflagged"), {"id": obj_id})
    return {"id": obj_id, "flagged": on, "flag_count": count if ctx.is_staff else None}


def _endorsed_replies():
    """The live endorsed replies of the thread in the outer query (a thread is answered while one exists)."""
    return Post.objects.filter(thread_id=OuterRef("pk"), endorsed=True, deleted=False, parent__isnull=True)


def endorse(ctx, data):
    """Staff and community advocates endorse a reply (a question's answer); ``on`` false removes it."""
    ctx.require_writable()
    data = _data(data)
    if not ctx.is_advocate:
        raise PermissionDenied(_("Only course staff and community advocates can endorse answers."))
    post_id = _id(data)
    on = _flag(data, "on", True)
    post = _get_post(ctx, post_id, with_author=True)
    if post.parent_id is not None:
        raise ValidationError(_("Only replies can be endorsed, not comments."))
    if post.endorsed == on:
        return {"id": post.id, "endorsed": on}
    now = timezone.now()
    # Thread row first (see create_reply), in the state it has once this reply is (un)endorsed;
    # endorsing is news for the thread's readers, but not for the person who endorsed.
    changes = {"answered": Value(True), "last_activity": now} if on else {
        "answered": Exists(_endorsed_replies().exclude(pk=post.id))}
    try:
        with transaction.atomic():
            Thread.objects.filter(pk=post.thread_id).update(**changes)
            if not Post.objects.filter(pk=post.id, endorsed=not on).update(
                    endorsed=on, endorsed_by_id=ctx.user.id if on else None):
                raise _AlreadyDone
            if on:
                _save_state(ctx.user.id, post.thread_id, read_at=now)
    except _AlreadyDone:
        return {"id": post.id, "endorsed": on}
    if on:
        answer_endorsed.send(sender=__name__, placement=ctx.placement, user=post.author, actor=ctx.user,
                             thread_id=post.thread_id, post_id=post.id, anonymous=post.anonymous)
    _signal_rating(ctx, "post", post, "endorsement", 1 if on else -1)
    ctx.emit(EVENT_PREFIX + ("reply.endorsed" if on else "reply.unendorsed"),
             {"id": post.id, "thread_id": post.thread_id})
    return {"id": post.id, "endorsed": on}


def _set_thread_flag(ctx, data, field, event):
    ctx.require_writable()
    data = _data(data)
    thread_id = _id(data)
    on = _flag(data, "on", True)
    thread = _get_thread(ctx, thread_id)
    Thread.objects.filter(pk=thread.id).update(**{field: on})
    ctx.emit(EVENT_PREFIX + "thread." + (event if on else "un" + event), {"id": thread.id})
    return {"id": thread.id, field: on}


def pin(ctx, data):
    """Staff and advocates pin a thread to the top of the list (``on`` false unpins)."""
    if not ctx.is_advocate:
        raise PermissionDenied(_("Only course staff and community advocates can pin threads."))
    return _set_thread_flag(ctx, data, "pinned", "pinned")


def highlight(ctx, data):
    """Staff and advocates highlight a great conversation (``on`` false removes the highlight)."""
    if not ctx.is_advocate:
        raise PermissionDenied(_("Only course staff and community advocates can highlight threads."))
    return _set_thread_flag(ctx, data, "highlighted", "highlighted")


def _require_staff_writer(ctx, message):
    ctx.require_writable()
    if not ctx.is_staff:
        raise PermissionDenied(message)


def _target_and_item(ctx, data):
    """(target, the thread or post) of a staff action: ``target`` thread|post and ``id``, in the staff member's reach."""
    target = _choice(data, "target", ("thread", "post"), "thread")
    obj_id = _id(data)
    return target, (_get_thread(ctx, obj_id) if target == "thread" else _get_post(ctx, obj_id))


def _review_flags(ctx, target, obj_id, outcome):
    """Close the waiting flags of a thread or post as reviewed (kept, with who, when and ``outcome``); they no
    longer count. Run inside the transaction that first wrote the item's row (its lock keeps a concurrent flag
    either before the review, then reviewed with it, or after it, then waiting). Returns how many there were."""
    count = Flag.objects.filter(**{f"{target}_id": obj_id}, pending=True).update(
        pending=None, reviewed_at=timezone.now(), reviewed_by_id=ctx.user.id, outcome=outcome)
    return count


def _emit_review(ctx, target, obj_id, outcome, count):
    if count:
        ctx.emit(EVENT_PREFIX + target + ".flags_reviewed", {"id": obj_id, "outcome": outcome, "flags": count})


def hide(ctx, data):
    """Staff hide (``on`` true) or restore (``on`` false) a thread or post: learners then see it again.

    ``reason`` (optional, at most HIDDEN_REASON_MAX characters) tells the author why; they and staff see it.
    Hiding is a review: the item's waiting flags are closed as "hidden" (and kept).
    """
    _require_staff_writer(ctx, _("Only course staff can hide or restore posts."))
    data = _data(data)
    target, obj = _target_and_item(ctx, data)
    on = _flag(data, "on", True)
    reason = _text(data, "reason", _("The reason"), HIDDEN_REASON_MAX, required=False) if on else ""
    model = Thread if target == "thread" else Post
    reviewed = 0
    changed = False
    with transaction.atomic():
        changes = {"hidden": on, "hidden_reason": reason}
        if on:
            changes["flag_count"] = Value(0)
        if model.objects.filter(pk=obj.id, hidden=not on).update(**changes):
            # Hidden or restored now: the kept thread counts and the search index follow.
            if target == "thread":
                _count_threads(obj.placement_id, obj.group_key, hidden=1 if on else -1)
            core_search.set_hidden(COMPONENT, target, obj.id, on)
            changed = True
        else:  # already so: only the reason changes
            model.objects.filter(pk=obj.id).update(**changes)
        if on:
            reviewed = _review_flags(ctx, target, obj.id, Flag.HIDDEN)
    if changed:
        _signal_change(ctx, target, obj, not on)
    ctx.emit(EVENT_PREFIX + target + (".hidden" if on else ".restored"),
             {"id": obj.id, "reason_given": bool(reason)} if on else {"id": obj.id})
    _emit_review(ctx, target, obj.id, Flag.HIDDEN, reviewed)
    return {"id": obj.id, "hidden": on, "hidden_reason": reason}


def dismiss_flags(ctx, data):
    """Staff dismiss the waiting flags of a thread or post (``target``, ``id``) after looking at it: the item
    leaves the review queue and its flag count drops; the flags are kept as history. A new flag brings it back."""
    _require_staff_writer(ctx, _("Only course staff can review flags."))
    data = _data(data)
    target, obj = _target_and_item(ctx, data)
    model = Thread if target == "thread" else Post
    with transaction.atomic():
        model.objects.filter(pk=obj.id).update(flag_count=Value(0))  # the item's row first, as a flag does
        count = _review_flags(ctx, target, obj.id, Flag.DISMISSED)
    _emit_review(ctx, target, obj.id, Flag.DISMISSED, count)
    return {"id": obj.id, "target": target, "dismissed": count, "flag_count": 0}


def _queue_item(ctx, target, obj, thread, flags, group_names):
    kind = "thread" if target == "thread" else ("comment" if obj.parent_id else "reply")
    return {
        "target": target,
        "id": obj.id,
        "kind": kind,
        "thread": {"id": thread.id, "title": thread.title},
        "excerpt": plain_excerpt(obj.body_start, EXCERPT_LENGTH),
        "author": _author(ctx, obj.author, obj.anonymous),
        "created": _iso(obj.created),
        "hidden": obj.hidden,
        "hidden_reason": obj.hidden_reason if obj.hidden else "",
        "group": {"key": thread.group_key, "name": group_names.get(thread.group_key, thread.group_key)},
        "flag_count": len(flags),
        "flags": [{"reason": f.reason, "by": {"name": f.user.get_full_name() or f.user.username,
                                              "username": f.user.username},
                   "created": _iso(f.created)} for f in flags],
        "can": {"review": not ctx.read_only, "delete": not ctx.read_only},
    }


def flag_queue(ctx, data):
    """Staff's review queue: a page (``page``, 1-based) of the threads, replies and comments with waiting flags
    in the group picked with the switcher (or every group), the most recently flagged first, each with its
    flags (reason, who, when), excerpt, author and group. Learners and advocates are refused.

    At most six queries whatever the number of flags: the count, the page's items, their threads, their
    posts, their flags with who flagged, and (all groups) the groups' names.
    """
    if not ctx.is_staff:
        raise PermissionDenied(_("Only course staff can review flags."))
    data = _data(data)
    page = _positive_int(data, "page", 1)
    page_size = conf("PAGE_SIZE")
    group_key = ctx.group_key_for_read()
    on_threads = Q(thread__placement_id=ctx.placement.id, thread__deleted=False)
    on_posts = Q(post__thread__placement_id=ctx.placement.id, post__deleted=False, post__thread__deleted=False)
    if group_key is not None:
        on_threads &= Q(thread__group_key=group_key)
        on_posts &= Q(post__thread__group_key=group_key)
    items = (Flag.objects.filter(on_threads | on_posts, pending=True).values("thread_id", "post_id")
             .annotate(latest=Max("created")).order_by("-latest", "-thread_id", "-post_id"))
    total = items.count()
    pages = max(1, math.ceil(total / page_size))
    page = min(page, pages)
    start = (page - 1) * page_size
    keys = list(items[start:start + page_size]) if total else []
    thread_ids = [k["thread_id"] for k in keys if k["thread_id"]]
    post_ids = [k["post_id"] for k in keys if k["post_id"]]
    start_of_body = Substr("body", 1, EXCERPT_SOURCE_FACTOR * EXCERPT_LENGTH)
    threads = {t.id: t for t in Thread.objects.filter(id__in=thread_ids).select_related("author").defer(
        "body", "body_html").annotate(body_start=start_of_body)} if thread_ids else {}
    posts = {p.id: p for p in Post.objects.filter(id__in=post_ids).select_related("author", "thread").defer(
        "body", "body_html", "thread__body", "thread__body_html").annotate(body_start=start_of_body)} if post_ids else {}
    flags_of = {}
    if keys:
        flags = Flag.objects.filter(Q(thread_id__in=thread_ids) | Q(post_id__in=post_ids), pending=True).select_related(
            "user").only("reason", "created", "thread_id", "post_id", "user__username", "user__first_name",
                         "user__last_name").order_by("-created", "-id")
        for f in flags:
            flags_of.setdefault(("thread", f.thread_id) if f.thread_id else ("post", f.post_id), []).append(f)
    if group_key is not None:
        group_names = {ctx.group.key: ctx.group.name}
    else:
        group_names = {g.key: g.name for g in ctx.available_groups()} if keys else {}
    out = []
    for key in keys:
        if key["thread_id"]:
            thread = threads.get(key["thread_id"])
            if thread is not None:
                out.append(_queue_item(ctx, "thread", thread, thread, flags_of.get(("thread", thread.id), []),
                                       group_names))
        else:
            post = posts.get(key["post_id"])
            if post is not None:
                out.append(_queue_item(ctx, "post", post, post.thread, flags_of.get(("post", post.id), []),
                                       group_names))
    return {"items": out, "page": page, "pages": pages, "total": total}


# ----- retirement --------------------------------------------------------------------------------
RETIRED_TEXT = "[This post was removed when its author's account was deleted.]"
RETIRED_TITLE = "[removed]"
_RETIRE_BATCH = 500


def _batches(ids):
    ids = list(ids)
    for start in range(0, len(ids), _RETIRE_BATCH):
        yield ids[start:start + _RETIRE_BATCH]


def _retract(model, user, counter, counted=None):
    """Delete a person's votes (or flags) and take each one that still counts (``counted``: the filter of
    those) back from the count it added to."""
    rows = list(model.objects.select_for_update().filter(user=user).annotate(
        counts=Q(**counted) if counted else Value(True)).values_list("id", "thread_id", "post_id", "counts"))
    for batch in _batches([row_id for row_id, _t, _p, _c in rows]):
        model.objects.filter(id__in=batch).delete()
    for batch in _batches([t for _i, t, _p, counts in rows if t is not None and counts]):
        Thread.objects.filter(id__in=batch).update(**{counter: F(counter) - 1})
    for batch in _batches([p for _i, _t, p, counts in rows if p is not None and counts]):
        Post.objects.filter(id__in=batch).update(**{counter: F(counter) - 1})


def retire_user(user):
    """Forget a retired person everywhere: their words are replaced, their name is no longer shown,
    their votes and flags (waiting or reviewed) are removed and no longer counted, the reviews they made
    no longer name them, their follows, read marks and mentions
    (made by them or of them) are deleted.

    Thread structure stays so that other people's replies keep their context.
    """
    html = render_markdown(RETIRED_TEXT)
    with transaction.atomic():
        _retract(Vote, user, "vote_count")
        _retract(Flag, user, "flag_count", counted={"pending": True})
        Flag.objects.filter(reviewed_by=user).update(reviewed_by=None)
        Revision.objects.filter(Q(thread__author=user) | Q(post__author=user)).delete()
        Thread.objects.filter(author=user).update(title=RETIRED_TITLE, body=RETIRED_TEXT, body_html=html, anonymous=True)
        Post.objects.filter(author=user).update(body=RETIRED_TEXT, body_html=html, anonymous=True)
        Post.objects.filter(endorsed_by=user).update(endorsed_by=None)
        key = mention_key(user.id)
        for model in (Thread, Post):
            model.objects.filter(author=user).update(mentioned_ids="")
            model.objects.filter(mentioned_ids__contains=key).update(
                mentioned_ids=Replace(F("mentioned_ids"), Value(key), Value("|")))
            model.objects.filter(mentioned_ids="|").update(mentioned_ids="")
        ThreadState.objects.filter(user=user).delete()
        core_search.forget_author(user.id)


# ----- insights ----------------------------------------------------------------------------------------
def summary(context_key):
    """Read-only figures for insights, per placement and group of a course: visible threads, replies and
    comments, and distinct contributors. Counts only, never text or names; two queries whatever the size."""
    out = {}
    threads = (Thread.objects.filter(placement__context_key=context_key, deleted=False, hidden=False)
               .values("placement_id", "group_key").annotate(threads=Count("id"), authors=Count("author", distinct=True)))
    for row in threads:
        out[(row["placement_id"], row["group_key"])] = {"placement": row["placement_id"], "group": row["group_key"],
                                                         "threads": row["threads"], "thread_authors": row["authors"], "posts": 0}
    posts = (Post.objects.filter(thread__placement__context_key=context_key, deleted=False, hidden=False,
                                 thread__deleted=False)
             .values("thread__placement_id", "thread__group_key").annotate(posts=Count("id")))
    for row in posts:
        key = (row["thread__placement_id"], row["thread__group_key"])
        out.setdefault(key, {"placement": key[0], "group": key[1], "threads": 0, "thread_authors": 0, "posts": 0})["posts"] = row["posts"]
    return sorted(out.values(), key=lambda r: (r["placement"], r["group"]))
