"""The reflection blog's api for entries, reading, comments, kudos and moderation.

Every action takes a :class:`xblocks.core.context.Context` (who asks, in which placement, with which roles),
the request's plain data and the author settings, and returns plain data (dicts ready for JSON) or raises an
:mod:`xblocks.core.errors` error. The XBlock and the LTI tool call exactly these functions.

Who reads what (:func:`visible_entries`, the one rule every read goes through: feeds, search, an entry, its
comments and versions, counts, tags, people, the flag queue):

- ``private``: the author only; staff neither;
- ``coach``: the author and their coaches (:func:`xblocks.reflection_blog.coaches.is_coach`);
- ``group``: the author, their coaches, the members of the group the author was in when writing, and staff;
- ``course``: everyone who can open the blog.

Anything else is NotFound, exactly as for an id that does not exist. Hidden entries and comments are shown to
staff and to their author only; deleted ones to nobody. A change of visibility is read by the next request.

Writes: every input is validated before anything is written, every write runs in one transaction, counters
change only through ``F()``, and writes that change a counter update the entry's row first (its lock orders
concurrent writers). An edit names the version it started from and is refused when the entry changed since
(another tab); the replaced version is kept.

Each request costs a fixed number of SQL queries, whatever the amount of data
(``tests/xblocks/reflection_blog/test_queries.py``).
"""
from datetime import datetime

from django.db import IntegrityError, connections, router, transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Q, Value
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from xblocks.core import ratelimit
from xblocks.core import search as core_search
from xblocks.core.errors import Conflict, NotFound, PermissionDenied, RateLimited, ValidationError
from xblocks.core.groups import COURSE as COURSE_SCOPE
from xblocks.core.signals import contribution_changed, contribution_created
from xblocks.core.text import EXCERPT_SOURCE_FACTOR, plain_excerpt, render_markdown
from xblocks.core.validation import choice as _choice
from xblocks.core.validation import data_dict as _data
from xblocks.core.validation import flag as _flag
from xblocks.core.validation import ident as _id
from xblocks.core.validation import text as _text

from . import coaches, media, prompts
from .conf import conf
from .models import (
    FLAG_REASON_MAX, HIDDEN_REASON_MAX, TAG_MAX_LENGTH, Comment, Entry, EntryTag, EntryVersion, Flag, Kudos, Tag,
    Visibility,
)

COMPONENT = "reflection_blog"
EVENT_PREFIX = "social_learning.blog."
PRIVATE, COACH, GROUP, COURSE = Visibility.ORDER
VIEWS = ("all", "mine", "group", "course")
SEARCH_MAX = 200
EXCERPT_LENGTH = 240
PEOPLE_MAX = 200
TARGETS = ("entry", "comment")


# ----- settings the api reads ------------------------------------------------------------------------
def allowed_visibilities(settings, ctx=None):
    """The visibility levels the author allows, narrowest first. In a course-wide blog there is no group, and
    a learner who is in no group yet cannot share with one."""
    levels = [level for level in Visibility.ORDER if settings.get(f"allow_{level}", True)]
    if settings.get("group_scope") == COURSE_SCOPE or (ctx is not None and ctx.group is None and not ctx.is_staff):
        levels = [level for level in levels if level != GROUP]
    return levels


def default_visibility(settings, ctx=None):
    """The level a new entry starts at: the author's default when it is allowed, else the narrowest allowed."""
    levels = allowed_visibilities(settings, ctx)
    wanted = settings.get("default_visibility") or COACH
    if wanted in levels:
        return wanted
    wider = [level for level in levels if Visibility.ORDER.index(level) < Visibility.ORDER.index(wanted)]
    return (wider[-1] if wider else levels[0]) if levels else PRIVATE


def tag_key(name):
    """A tag's name folded for matching: lower case, inner spaces collapsed."""
    return " ".join(name.split()).lower()


def author_tags(settings):
    """The tags the author proposes (``author_tags``: separated by commas), in their order, once each."""
    seen, out = set(), []
    for raw in (settings.get("author_tags") or "").split(","):
        name = " ".join(raw.split())[:TAG_MAX_LENGTH]
        if name and tag_key(name) not in seen:
            seen.add(tag_key(name))
            out.append(name)
    return out


# ----- who reads what --------------------------------------------------------------------------------
def _reader_filter(ctx):
    """The entries of the placement this person may read, as one condition (see the module docstring)."""
    me = ctx.user.id
    readable = Q(author_id=me) | Q(visibility=COURSE)
    if ctx.is_staff:
        readable |= Q(visibility=GROUP)
    elif ctx.group is not None:
        readable |= Q(visibility=GROUP, group_key=ctx.group.key)
    coached = coaches.coached_entries(ctx)
    if coached is not None:
        readable |= Q(visibility__in=(COACH, GROUP)) & coached
    return readable


def visible_entries(ctx, among=None):
    """Entries this person may read in this placement (staff: in the group picked with the switcher, if any).
    ``among``: only these ids (a search's candidates, at most a few hundred), looked up by primary key."""
    if among is None:
        # ``deleted = false`` as a comparison, so that SQLite uses the (placement, deleted, ...) indexes.
        qs = Entry.objects.filter(placement_id=ctx.placement.id, deleted=Value(False))
    else:
        # The placement as an expression no index serves: else SQLite reads every entry of the placement through
        # the (placement, deleted, ...) index to keep a few hundred candidates, and grows with the blog.
        qs = Entry.objects.filter(pk__in=among).alias(in_placement=F("placement_id") + 0).filter(
            in_placement=ctx.placement.id, deleted=False)
    qs = qs.filter(_reader_filter(ctx))
    if not ctx.is_staff:
        qs = qs.filter(Q(hidden=False) | Q(author_id=ctx.user.id))
    elif ctx.group is not None and not ctx.view_all and ctx.scope != COURSE_SCOPE:
        qs = qs.filter(group_key=ctx.group.key)
    return qs


def _entry_missing():
    return NotFound(_("This entry does not exist, or it is not shared with you."))


def readable_entry(ctx, entry_id, annotations=None, related=()):
    """An entry this person may read, or NotFound (media and the other modules use this too)."""
    qs = visible_entries(ctx)
    if related:
        qs = qs.select_related(*related)
    if annotations:
        qs = qs.annotate(**annotations)
    entry = qs.filter(pk=entry_id).first()
    if entry is None:
        raise _entry_missing()
    return entry


def _visible_comments(ctx, entry):
    """Comments of an entry (which this person may read) that they may see: hidden ones only for staff, the
    entry's author and the comment's author."""
    qs = Comment.objects.filter(entry_id=entry.id, deleted=Value(False))
    if not ctx.is_staff and entry.author_id != ctx.user.id:
        qs = qs.filter(Q(hidden=False) | Q(author_id=ctx.user.id))
    return qs


def _readable_comment(ctx, comment_id, related=()):
    """A comment this person may see, on an entry they may read, with its entry; or NotFound."""
    me = ctx.user.id
    qs = Comment.objects.select_related("entry", *related).filter(
        pk=comment_id, deleted=False, entry__in=visible_entries(ctx))
    if not ctx.is_staff:
        qs = qs.filter(Q(hidden=False) | Q(author_id=me) | Q(entry__author_id=me))
    comment = qs.first()
    if comment is None:
        raise NotFound(_("This comment does not exist, or it is not shared with you."))
    return comment


# ----- how things are shown --------------------------------------------------------------------------
def _iso(value):
    return value.isoformat() if value else None


def _person(ctx, user):
    return {"name": user.get_full_name() or user.username, "username": user.username,
            "is_you": user.id == ctx.user.id}


def _group_names(ctx):
    """{group key: name} of the groups this person may see entries of (staff: every group, one query)."""
    if ctx.is_staff:
        return {g.key: g.name for g in ctx.available_groups()}
    return {ctx.group.key: ctx.group.name} if ctx.group is not None else {}


def audience(ctx, entry, group_names):
    """Who can read an entry, in a plain sentence for this reader."""
    own = entry.author_id == ctx.user.id
    name = entry.author.get_full_name() or entry.author.username
    group = group_names.get(entry.group_key, "")
    if entry.visibility == PRIVATE:
        return _("Only you can read this entry.")
    if entry.visibility == COACH:
        if own:
            return _("Only you and your coach can read this entry.")
        return _("Only {name} and their coach can read this entry.").format(name=name)
    if entry.visibility == GROUP:
        if own:
            return (_("You, your group ({group}), your coach and course staff can read this entry.").format(group=group)
                    if group else _("You, your group, your coach and course staff can read this entry."))
        return (_("{name}'s group ({group}), their coach and course staff can read this entry.").format(
            name=name, group=group) if group else
            _("{name}'s group, their coach and course staff can read this entry.").format(name=name))
    return _("Everyone in this course can read this entry.")


def _permissions(ctx, entry):
    own = entry.author_id == ctx.user.id
    if ctx.read_only:
        return {"edit": False, "delete": False, "moderate": False, "comment": False, "kudos": False, "flag": False}
    return {
        "edit": own,
        "delete": own or ctx.is_staff,
        "moderate": ctx.is_staff,
        "comment": entry.allow_comments,
        "kudos": not own,
        "flag": not own,
    }


def _tags_of(entry_ids):
    """{entry id: [{name, key}]} in one query."""
    out = {}
    if not entry_ids:
        return out
    rows = EntryTag.objects.filter(entry_id__in=entry_ids).values_list("entry_id", "tag__name", "tag__key").order_by(
        "tag__key")
    for entry_id, name, key in rows:
        out.setdefault(entry_id, []).append({"name": name, "key": key})
    return out


def _summary(ctx, entry, tags, media_of, group_names):
    return {
        "id": entry.id,
        "title": entry.title,
        "excerpt": plain_excerpt(entry.body_start if hasattr(entry, "body_start") else entry.body, EXCERPT_LENGTH),
        "author": _person(ctx, entry.author),
        "created": _iso(entry.created),
        "edited": _iso(entry.edited),
        "visibility": entry.visibility,
        "audience": audience(ctx, entry, group_names),
        "group": {"key": entry.group_key, "name": group_names.get(entry.group_key, "")} if ctx.is_staff else None,
        "prompt": ({"id": entry.prompt_id, "text": plain_excerpt(entry.prompt.text, 160)}
                   if entry.prompt_id and entry.prompt is not None else None),
        "tags": tags.get(entry.id, []),
        "media": media_of.get(entry.id, []),
        "word_count": entry.word_count,
        "comment_count": entry.comment_count,
        "kudos_count": entry.kudos_count,
        "kudos": bool(getattr(entry, "my_kudos", False)),
        "coach_comments": entry.coach_comment_count,
        "allow_comments": entry.allow_comments,
        "hidden": entry.hidden,
        "hidden_reason": entry.hidden_reason if entry.hidden else "",
        "flag_count": entry.flag_count if ctx.is_staff else None,
        "version": entry.version,
    }


# ----- the feed --------------------------------------------------------------------------------------
def _cursor(value):
    """A feed cursor ("<created iso>|<id>") as (datetime, id), or a search cursor (an offset) as int."""
    if value in (None, ""):
        return None
    if not isinstance(value, str) or len(value) > 80:
        raise ValidationError(_("This list cannot be continued: reload the page."), fields={"cursor": _("Invalid.")})
    try:
        if "|" in value:
            stamp, _sep, last_id = value.partition("|")
            return datetime.fromisoformat(stamp), int(last_id)
        offset = int(value)
        if offset < 0 or offset > 100000:
            raise ValueError(value)
        return offset
    except ValueError as err:
        raise ValidationError(_("This list cannot be continued: reload the page."),
                              fields={"cursor": _("Invalid.")}) from err


def _filters(ctx, data, qs):
    """Apply the feed's filters: ``view`` (all, mine, group, course), ``tag`` (a tag's key), ``prompt`` (an id)
    and ``author`` (a username). Returns (qs, the filters as applied)."""
    view = _choice(data, "view", VIEWS, "all")
    applied = {"view": view}
    if view == "mine":
        qs = qs.filter(author_id=ctx.user.id)
    elif view == "group":
        if ctx.group is None:
            raise ValidationError(_("You are not in a group of this course yet, so there is no group to show."),
                                  fields={"view": _("Invalid choice.")})
        qs = qs.filter(group_key=ctx.group.key, visibility__in=(GROUP, COURSE))
    elif view == "course":
        qs = qs.filter(visibility=COURSE)
    tag = _text(data, "tag", _("The tag"), TAG_MAX_LENGTH, required=False)
    if tag:
        applied["tag"] = tag_key(tag)
        qs = qs.filter(Exists(EntryTag.objects.filter(entry_id=OuterRef("pk"), tag__key=tag_key(tag),
                                                      tag__placement_id=ctx.placement.id)))
    if data.get("prompt") not in (None, ""):
        applied["prompt"] = _id(data, "prompt")
        qs = qs.filter(prompt_id=applied["prompt"])
    author = _text(data, "author", _("The person"), 150, required=False)
    if author:
        applied["author"] = author
        qs = qs.filter(author__username=author)
    return qs, applied


def _page_rows(ctx, ids):
    """The entries ``ids`` (in that order) with what a feed shows of them: 1 query, plus tags and media."""
    me = ctx.user.id
    rows = (Entry.objects.filter(id__in=ids).select_related("author", "prompt").defer("body", "body_html")
            .annotate(body_start=Substr("body", 1, EXCERPT_SOURCE_FACTOR * EXCERPT_LENGTH),
                      my_kudos=Exists(Kudos.objects.filter(entry_id=OuterRef("pk"), user_id=me))))
    found = {entry.id: entry for entry in rows} if ids else {}
    return [found[i] for i in ids if i in found]


def list_entries(ctx, data, settings=None):  # pylint: disable=unused-argument
    """A page of the entries this person may read, newest first, with the filters of :func:`_filters`.

    ``search``: words that must all appear in the title, text or tags, in any of their forms in English, Dutch
    or French ("quoted phrase" for words in that order); results are ranked by relevance. ``cursor``: where the
    previous page ended (``next`` of its answer); ``next`` is None on the last page.
    """
    data = _data(data)
    search = _text(data, "search", _("The search"), SEARCH_MAX, required=False)
    cursor = _cursor(data.get("cursor"))
    size = conf("PAGE_SIZE")
    if search:
        relevance = core_search.search(COMPONENT, ctx.placement.id, core_search.parse(search), group_key=None,
                                       viewer_id=ctx.user.id, see_hidden=ctx.is_staff)
        qs, applied = _filters(ctx, data, visible_entries(ctx, among=list(relevance)))
        matched = list(qs.values_list("id", flat=True)) if relevance else []
        matched.sort(key=lambda entry_id: (-relevance[entry_id], -entry_id))
        start = cursor if isinstance(cursor, int) else 0
        ids = matched[start:start + size]
        following = str(start + size) if len(matched) > start + size else None
    else:
        qs, applied = _filters(ctx, data, visible_entries(ctx))
        if isinstance(cursor, tuple):
            stamp, last_id = cursor
            qs = qs.filter(Q(created__lt=stamp) | Q(created=stamp, id__lt=last_id))
        page = list(qs.order_by("-created", "-id").values_list("id", "created")[:size + 1])
        ids = [row[0] for row in page[:size]]
        following = f"{page[size - 1][1].isoformat()}|{page[size - 1][0]}" if len(page) > size else None
    rows = _page_rows(ctx, ids)
    tags = _tags_of(ids)
    media_of = media.for_entries(ctx, ids) if ids else {}
    names = _group_names(ctx) if ctx.is_staff else ({ctx.group.key: ctx.group.name} if ctx.group else {})
    return {"entries": [_summary(ctx, e, tags, media_of, names) for e in rows], "next": following,
            "search": search, "filters": applied}


def list_tags(ctx, data, settings=None):
    """The tags of the entries this person may read, with how many each (one query), and the author's tags."""
    _data(data)
    counts = (EntryTag.objects.filter(entry__in=visible_entries(ctx)).values("tag__key", "tag__name")
              .annotate(n=Count("entry_id")).order_by("tag__key"))
    used = {row["tag__key"]: {"key": row["tag__key"], "name": row["tag__name"], "count": row["n"]} for row in counts}
    proposed = [{"key": tag_key(name), "name": name, "count": used.get(tag_key(name), {}).get("count", 0)}
                for name in author_tags(settings or {})]
    proposed_keys = {tag["key"] for tag in proposed}
    return {"author_tags": proposed, "tags": [tag for key, tag in used.items() if key not in proposed_keys]}


def list_people(ctx, data, settings=None):  # pylint: disable=unused-argument
    """The people whose entries this person may read, with how many each (one query, at most 200)."""
    _data(data)
    rows = (visible_entries(ctx).values("author_id", "author__username", "author__first_name", "author__last_name")
            .annotate(n=Count("id")).order_by("author__first_name", "author__last_name", "author__username")[:PEOPLE_MAX])
    return {"people": [{"username": r["author__username"],
                        "name": (f"{r['author__first_name']} {r['author__last_name']}".strip()
                                 or r["author__username"]),
                        "is_you": r["author_id"] == ctx.user.id, "count": r["n"]} for r in rows]}


# ----- one entry -------------------------------------------------------------------------------------
def _comment_out(ctx, entry, comment):
    own = comment.author_id == ctx.user.id
    writable = not ctx.read_only
    return {
        "id": comment.id,
        "author": _person(ctx, comment.author),
        "body": comment.body if own else None,
        "body_html": comment.body_html,
        "created": _iso(comment.created),
        "edited": _iso(comment.edited),
        "coach": comment.is_coach_comment,
        "hidden": comment.hidden,
        "hidden_by": comment.hidden_by if comment.hidden else "",
        "hidden_reason": comment.hidden_reason if comment.hidden else "",
        "flagged": bool(getattr(comment, "flagged", False)),
        "flag_count": comment.flag_count if ctx.is_staff else None,
        "can": {
            "delete": writable and (own or ctx.is_staff),
            # The entry's author hides comments on it (and restores those they hid); staff any.
            "hide": writable and (ctx.is_staff or (entry.author_id == ctx.user.id and not own and (
                not comment.hidden or comment.hidden_by == Comment.BY_AUTHOR))),
            "flag": writable and not own,
        },
    }


def _comments_page(ctx, entry, after=None):
    """A page of an entry's comments, oldest first: (comments, whether more follow). One query."""
    size = conf("COMMENT_PAGE_SIZE")
    qs = _visible_comments(ctx, entry).select_related("author").annotate(
        flagged=Exists(Flag.objects.filter(comment_id=OuterRef("pk"), user_id=ctx.user.id, pending=True)))
    if after:
        qs = qs.filter(id__gt=after)
    rows = list(qs.order_by("created", "id")[:size + 1])
    return [_comment_out(ctx, entry, c) for c in rows[:size]], len(rows) > size


def get_entry(ctx, data, settings=None):  # pylint: disable=unused-argument
    """One entry with its tags, media and the first page of its comments (``comments_after``: the last comment
    id shown, for the next page), who can read it, and what this person may do with it."""
    data = _data(data)
    entry_id = _id(data)
    me = ctx.user.id
    entry = readable_entry(ctx, entry_id, related=("author", "prompt"), annotations={
        "my_kudos": Exists(Kudos.objects.filter(entry_id=OuterRef("pk"), user_id=me)),
        "flagged": Exists(Flag.objects.filter(entry_id=OuterRef("pk"), user_id=me, pending=True)),
    })
    after = _id(data, "comments_after") if data.get("comments_after") not in (None, "") else None
    comments, more = _comments_page(ctx, entry, after)
    return _entry_out(ctx, entry, _tags_of([entry.id]), media.for_entries(ctx, [entry.id]), comments, more)


def _entry_out(ctx, entry, tags, media_of, comments=None, more=False):
    """An entry as :func:`get_entry` shows it (``comments`` None: the answer of an edit, which leaves the comments
    the page shows as they are)."""
    out = _summary(ctx, entry, tags, media_of, _group_names(ctx))
    out.update({
        "body": entry.body if entry.author_id == ctx.user.id else None,
        "body_html": entry.body_html,
        "flagged": bool(getattr(entry, "flagged", False)),
        "versions": entry.version - 1,
        "can": _permissions(ctx, entry),
    })
    if comments is not None:
        out.update({"comments": comments, "more_comments": more})
    return out


def list_versions(ctx, data, settings=None):  # pylint: disable=unused-argument
    """The earlier versions of an entry, newest first, for its author and for staff who may read it."""
    data = _data(data)
    entry = readable_entry(ctx, _id(data))
    if entry.author_id != ctx.user.id and not ctx.is_staff:
        raise PermissionDenied(_("Only the author and course staff can see earlier versions of an entry."))
    versions = EntryVersion.objects.filter(entry_id=entry.id).order_by("-version")
    return {"id": entry.id, "version": entry.version, "versions": [{
        "version": v.version, "title": v.title, "body_html": render_markdown(v.body),
        "tags": [t for t in v.tags.split(",") if t], "visibility": v.visibility,
        "created": _iso(v.created), "replaced": _iso(v.replaced)} for v in versions]}


# ----- writing entries -------------------------------------------------------------------------------
def _check_rate(ctx):
    """Count one entry or comment against the person's writing rate; refuse (nothing written) over the limit."""
    window = conf("POST_WINDOW_SECONDS")
    if not ratelimit.hit(f"blog-post:{ctx.user.id}", conf("POSTS_PER_WINDOW"), window):
        seconds = ratelimit.seconds_left(window)
        raise RateLimited(ngettext(
            "You are writing very quickly. Please wait {seconds} second, then try again; your text is still here.",
            "You are writing very quickly. Please wait {seconds} seconds, then try again; your text is still here.",
            seconds).format(seconds=seconds))


def _visibility(ctx, data, settings, default=None):
    levels = allowed_visibilities(settings, ctx)
    value = data.get("visibility")
    if value in (None, ""):
        return default or default_visibility(settings, ctx)
    if value not in levels:
        if value == GROUP and ctx.group is None and settings.get("group_scope") != COURSE_SCOPE:
            message = _("You are not in a group of this course yet, so you cannot share with your group.")
        else:
            message = _("This blog does not allow that choice of who can read an entry.")
        raise ValidationError(message, fields={"visibility": message})
    return value


def _tags(data, settings):
    """The tags of an entry: a list of names, checked against the author's rules; [] when absent."""
    value = data.get("tags", [])
    if value is None:
        value = []
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError(_("The tags must be a list of words."), fields={"tags": _("Invalid.")})
    names, keys = [], set()
    maximum = min(conf("TAG_MAX"), TAG_MAX_LENGTH)
    for raw in value:
        name = " ".join(raw.replace("\x00", "").split())
        if not name:
            continue
        if len(name) > maximum:
            message = _("The tag “{tag}” is too long: at most {maximum} characters.").format(
                tag=name[:maximum] + "…", maximum=maximum)
            raise ValidationError(message, fields={"tags": message})
        if tag_key(name) not in keys:
            keys.add(tag_key(name))
            names.append(name)
    if len(names) > conf("TAGS_PER_ENTRY"):
        message = _("Too many tags: at most {maximum}.").format(maximum=conf("TAGS_PER_ENTRY"))
        raise ValidationError(message, fields={"tags": message})
    proposed = {tag_key(name): name for name in author_tags(settings)}
    if not settings.get("free_tags", True):
        unknown = [name for name in names if tag_key(name) not in proposed]
        if unknown:
            message = _("Choose tags from the list: “{tag}” is not one of them.").format(tag=unknown[0])
            raise ValidationError(message, fields={"tags": message})
    if settings.get("tags_required") and not names:
        message = _("Add at least one tag.")
        raise ValidationError(message, fields={"tags": message})
    # An author's tag keeps the author's spelling.
    return [proposed.get(tag_key(name), name) for name in names]


def _set_tags(ctx, entry_id, names, settings, replace=False):
    """Give an entry its tags (inside the entry's transaction): the new tags of the placement and the entry's
    links to them in two statements (one more to drop the old links)."""
    if replace:
        EntryTag.objects.filter(entry_id=entry_id).delete()
    if not names:
        return
    proposed = {tag_key(name) for name in author_tags(settings)}
    Tag.objects.bulk_create([Tag(placement_id=ctx.placement.id, name=name, key=tag_key(name),
                                 author_defined=tag_key(name) in proposed) for name in names], ignore_conflicts=True)
    connection = connections[router.db_for_write(EntryTag)]
    quote = connection.ops.quote_name
    keys = [tag_key(name) for name in names]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(EntryTag._meta.db_table)} (entry_id, tag_id) SELECT %s, id FROM "
            f"{quote(Tag._meta.db_table)} WHERE placement_id = %s AND {quote('key')} IN "
            f"({', '.join(['%s'] * len(keys))})", [entry_id, ctx.placement.id, *keys])


def _prompt(ctx, data):
    """The prompt an entry answers (``prompt``: its id), or None; NotFound when it cannot be answered here."""
    if data.get("prompt") in (None, ""):
        return None
    return prompts.check_answerable(ctx, _id(data, "prompt"))


def _tag_list(names):
    return [{"name": name, "key": tag_key(name)} for name in sorted(names, key=tag_key)]


def _index(entry, tags):
    core_search.index(COMPONENT, entry.placement_id, entry.group_key, "entry", entry.id, result_id=entry.id,
                      author_id=entry.author_id, texts=[entry.title, entry.title, entry.body, " ".join(tags)],
                      hidden=entry.hidden)


def _word_count(body):
    return len(core_search.words(plain_excerpt(body, len(body) * 2 + 10))) if body else 0


def _media_ids(data):
    value = data.get("media", [])
    if value in (None, ""):
        return []
    if not isinstance(value, list) or len(value) > 20 or not all(
            isinstance(i, int) and not isinstance(i, bool) and i > 0 for i in value):
        raise ValidationError(_("The media of the entry could not be read."), fields={"media": _("Invalid.")})
    return value


def _signal(ctx, entry, created=False):
    if created:
        contribution_created.send(sender=__name__, component=COMPONENT, placement=ctx.placement, user=entry.author,
                                  object_type="entry", object_id=entry.id, kind="entry", group_key=entry.group_key,
                                  anonymous=False, visibility=entry.visibility)
    else:
        contribution_changed.send(sender=__name__, component=COMPONENT, placement=ctx.placement,
                                  user_id=entry.author_id, object_type="entry", object_id=entry.id,
                                  group_key=entry.group_key, visibility=None if entry.deleted else entry.visibility)


def create_entry(ctx, data, settings):
    """Publish an entry: ``title``, ``body`` (Markdown), ``tags`` (names), ``visibility``, ``prompt`` (an id,
    optional), ``allow_comments``, ``media`` (ids of the writer's uploads). Returns the entry as a feed shows it."""
    ctx.require_writable()
    data = _data(data)
    title = _text(data, "title", _("The title"), min(conf("TITLE_MAX"), Entry._meta.get_field("title").max_length))
    body = _text(data, "body", _("The text"), conf("BODY_MAX"), multiline=True)
    tags = _tags(data, settings)
    visibility = _visibility(ctx, data, settings)
    allow_comments = _flag(data, "allow_comments", True)
    prompt = _prompt(ctx, data)
    prompt_id = prompt.id if prompt is not None else None
    media_ids = _media_ids(data)
    _check_rate(ctx)
    now = timezone.now()
    group_key = ctx.group.key if ctx.group is not None else ""
    with transaction.atomic():
        entry = Entry.objects.create(
            placement_id=ctx.placement.id, author=ctx.user, group_key=group_key, visibility=visibility, title=title,
            body=body, body_html=render_markdown(body), word_count=_word_count(body), prompt_id=prompt_id,
            allow_comments=allow_comments, created=now, modified=now)
        _set_tags(ctx, entry.id, tags, settings)
        if media_ids:
            media.attach(ctx, entry, media_ids)
        _index(entry, tags)
    _signal(ctx, entry, created=True)
    ctx.emit(EVENT_PREFIX + "entry.created", {
        "entry_id": entry.id, "visibility": visibility, "prompt_id": prompt_id, "tags": len(tags),
        "words": entry.word_count, "media": len(media_ids)})
    if prompt is not None:
        prompts.answered(ctx, entry, prompt)
    entry.author, entry.prompt = ctx.user, prompt
    return _entry_out(ctx, entry, {entry.id: _tag_list(tags)}, media.for_entries(ctx, [entry.id]) if media_ids else {},
                      comments=[])


def _stale():
    return Conflict(_("This entry was changed in another window or tab since you opened it, so your changes were "
                      "not saved. They are still in the form, and the newer version is shown above them."))


def edit_entry(ctx, data, settings):
    """The author changes their entry: ``id``, ``version`` (the version the form started from), and any of
    ``title``, ``body``, ``tags``, ``visibility``, ``prompt``, ``allow_comments``, ``media``. The version it
    replaces is kept. A form started from an older version is refused (Conflict) and nothing is written."""
    ctx.require_writable()
    data = _data(data)
    entry = readable_entry(ctx, _id(data), related=("author", "prompt"))
    if entry.author_id != ctx.user.id:
        raise PermissionDenied(_("You can only edit your own entries."))
    base = data.get("version")
    if isinstance(base, bool) or not isinstance(base, int):
        raise ValidationError(_("A valid '{name}' is required.").format(name="version"), fields={"version": _("Invalid.")})
    if base != entry.version:
        raise _stale()
    title = (_text(data, "title", _("The title"), min(conf("TITLE_MAX"), Entry._meta.get_field("title").max_length))
             if "title" in data else entry.title)
    body = _text(data, "body", _("The text"), conf("BODY_MAX"), multiline=True) if "body" in data else entry.body
    old_tags = [t["name"] for t in _tags_of([entry.id]).get(entry.id, [])]
    tags = _tags(data, settings) if "tags" in data else old_tags
    visibility = _visibility(ctx, data, settings, default=entry.visibility) if "visibility" in data else entry.visibility
    prompt = _prompt(ctx, data) if "prompt" in data else entry.prompt
    prompt_id = prompt.id if prompt is not None else None
    allow_comments = _flag(data, "allow_comments", entry.allow_comments)
    media_ids = _media_ids(data)
    now = timezone.now()
    tags_changed = sorted(map(tag_key, tags)) != sorted(map(tag_key, old_tags))
    text_changed = title != entry.title or body != entry.body or tags_changed
    with transaction.atomic():
        changes = {"title": title, "body": body, "visibility": visibility, "prompt_id": prompt_id,
                   "allow_comments": allow_comments, "modified": now, "version": F("version") + 1}
        if body != entry.body:
            changes.update(body_html=render_markdown(body), word_count=_word_count(body))
        if text_changed:
            changes["edited"] = now
        if not Entry.objects.filter(pk=entry.id, version=base, deleted=False).update(**changes):
            raise _stale()
        EntryVersion.objects.create(entry_id=entry.id, version=base, title=entry.title, body=entry.body,
                                    tags=",".join(old_tags), visibility=entry.visibility, created=entry.edited
                                    or entry.created, replaced=now)
        if tags_changed:
            _set_tags(ctx, entry.id, tags, settings, replace=True)
        if media_ids:
            media.attach(ctx, entry, media_ids)
        if text_changed:
            _index(Entry(id=entry.id, placement_id=entry.placement_id, group_key=entry.group_key,
                         author_id=entry.author_id, title=title, body=body, hidden=entry.hidden), tags)
    was, answers_now = entry.visibility, prompt is not None and prompt_id != entry.prompt_id
    entry.title, entry.body, entry.visibility, entry.prompt_id, entry.prompt = title, body, visibility, prompt_id, prompt
    entry.allow_comments, entry.version, entry.modified = allow_comments, base + 1, now
    if "body_html" in changes:
        entry.body_html, entry.word_count = changes["body_html"], changes["word_count"]
    if text_changed:
        entry.edited = now
    if visibility != was:
        _signal(ctx, entry)
    ctx.emit(EVENT_PREFIX + "entry.edited", {"entry_id": entry.id, "version": base + 1, "visibility": visibility,
                                             "visibility_changed": visibility != was})
    if answers_now:
        prompts.answered(ctx, entry, prompt)
    return _entry_out(ctx, entry, {entry.id: _tag_list(tags)}, media.for_entries(ctx, [entry.id]))


def set_visibility(ctx, data, settings):
    """The author changes who can read their entry (``id``, ``visibility``): it applies at once everywhere."""
    ctx.require_writable()
    data = _data(data)
    entry = readable_entry(ctx, _id(data))
    if entry.author_id != ctx.user.id:
        raise PermissionDenied(_("Only its author can change who reads an entry."))
    if data.get("visibility") in (None, ""):
        message = _("Choose who can read this entry.")
        raise ValidationError(message, fields={"visibility": message})
    visibility = _visibility(ctx, data, settings)
    if visibility != entry.visibility:
        Entry.objects.filter(pk=entry.id).update(visibility=visibility, modified=timezone.now())
        entry.visibility = visibility
        _signal(ctx, entry)
        ctx.emit(EVENT_PREFIX + "entry.visibility_changed", {"entry_id": entry.id, "visibility": visibility})
    return {"id": entry.id, "visibility": visibility, "audience": audience(ctx, Entry(
        author=ctx.user, author_id=ctx.user.id, visibility=visibility, group_key=entry.group_key), _group_names(ctx))}


def delete_entry(ctx, data, settings=None):  # pylint: disable=unused-argument
    """Delete an entry (its author, or staff who may read it): it leaves every feed, count and search at once.
    Kept in the database (hidden from everyone) until its author deletes their whole blog or is retired."""
    ctx.require_writable()
    data = _data(data)
    entry = readable_entry(ctx, _id(data))
    if entry.author_id != ctx.user.id and not ctx.is_staff:
        raise PermissionDenied(_("You can only delete your own entries."))
    now = timezone.now()
    with transaction.atomic():
        if not Entry.objects.filter(pk=entry.id, deleted=False).update(deleted=True, deleted_at=now,
                                                                      flag_count=Value(0)):
            raise _entry_missing()
        reviewed = _review_flags(ctx, "entry", entry.id, Flag.DELETED) if ctx.is_staff else 0
        core_search.forget(COMPONENT, "entry", [entry.id])
        media.delete_of_entry(entry.id)
    entry.deleted = True
    _signal(ctx, entry)
    ctx.emit(EVENT_PREFIX + "entry.deleted", {"entry_id": entry.id, "by_staff": entry.author_id != ctx.user.id})
    _emit_review(ctx, "entry", entry.id, Flag.DELETED, reviewed)
    return {"id": entry.id, "deleted": True}


# ----- comments and kudos ------------------------------------------------------------------------------
def add_comment(ctx, data, settings):
    """Comment on an entry this person may read (``entry``, ``body``). A comment by a coach of the entry's
    author is marked as a coach comment. Returns the comment."""
    ctx.require_writable()
    data = _data(data)
    entry = readable_entry(ctx, _id(data, "entry"), related=("author",))
    body = _text(data, "body", _("The comment"), conf("COMMENT_MAX"), multiline=True)
    if not entry.allow_comments or not settings.get("allow_comments", True):
        raise PermissionDenied(_("Comments are closed on this entry."))
    _check_rate(ctx)
    is_coach = entry.author_id != ctx.user.id and bool(coaches.is_coach(ctx, entry.author, entry.group_key))
    now = timezone.now()
    changes = {"comment_count": F("comment_count") + 1}
    if is_coach:
        changes.update(coach_comment_count=F("coach_comment_count") + 1, last_coach_comment=now)
    with transaction.atomic():
        if not Entry.objects.filter(pk=entry.id, deleted=False).update(**changes):  # the entry's row first
            raise _entry_missing()
        comment = Comment.objects.create(entry_id=entry.id, author=ctx.user, body=body, body_html=render_markdown(body),
                                         is_coach_comment=is_coach, created=now)
    contribution_created.send(sender=__name__, component=COMPONENT, placement=ctx.placement, user=ctx.user,
                              object_type="comment", object_id=comment.id, kind="comment", group_key=entry.group_key,
                              anonymous=False, visibility=entry.visibility, entry_id=entry.id)
    ctx.emit(EVENT_PREFIX + "comment.created", {"entry_id": entry.id, "comment_id": comment.id, "coach": is_coach,
                                                "body_length": len(body)})
    if is_coach:
        coaches.commented(ctx, entry, comment)
    comment.author = ctx.user
    return {"entry": entry.id, "comment": _comment_out(ctx, entry, comment)}


def delete_comment(ctx, data, settings=None):  # pylint: disable=unused-argument
    """Delete a comment: its author, or staff."""
    ctx.require_writable()
    data = _data(data)
    comment = _readable_comment(ctx, _id(data))
    if comment.author_id != ctx.user.id and not ctx.is_staff:
        raise PermissionDenied(_("You can only delete your own comments."))
    changes = {} if comment.hidden else {"comment_count": F("comment_count") - 1}
    if comment.is_coach_comment and not comment.hidden:
        changes["coach_comment_count"] = F("coach_comment_count") - 1
    with transaction.atomic():
        if changes:
            Entry.objects.filter(pk=comment.entry_id).update(**changes)
        if not Comment.objects.filter(pk=comment.id, deleted=False).update(deleted=True, flag_count=Value(0)):
            raise NotFound(_("This comment does not exist, or it is not shared with you."))
        reviewed = _review_flags(ctx, "comment", comment.id, Flag.DELETED) if ctx.is_staff else 0
    ctx.emit(EVENT_PREFIX + "comment.deleted", {"comment_id": comment.id, "by_staff": comment.author_id != ctx.user.id})
    _emit_review(ctx, "comment", comment.id, Flag.DELETED, reviewed)
    return {"id": comment.id, "entry": comment.entry_id, "deleted": True}


def _hide_comment(ctx, comment, on, by, reason):
    """Hide or restore a comment and keep the entry's counts of visible comments right. Returns whether it changed."""
    delta = -1 if on else 1
    changes = {"comment_count": F("comment_count") + delta}
    if comment.is_coach_comment:
        changes["coach_comment_count"] = F("coach_comment_count") + delta
    with transaction.atomic():
        Entry.objects.filter(pk=comment.entry_id).update(**changes)  # the entry's row first
        done = Comment.objects.filter(pk=comment.id, hidden=not on).update(
            hidden=on, hidden_by=by if on else "", hidden_reason=reason if on else "")
        if not done:
            transaction.set_rollback(True)
    return bool(done)


def hide_comment(ctx, data, settings=None):  # pylint: disable=unused-argument
    """The entry's author hides (``on`` true) or shows again (``on`` false) a comment on their entry; staff hide
    any comment (see :func:`hide`). Hidden comments are seen only by staff, the entry's author and the comment's
    author (marked as hidden)."""
    ctx.require_writable()
    data = _data(data)
    comment = _readable_comment(ctx, _id(data))
    on = _flag(data, "on", True)
    if comment.entry.author_id != ctx.user.id:
        raise PermissionDenied(_("Only the entry's author can hide comments on it."))
    if comment.hidden and comment.hidden_by == Comment.BY_STAFF:
        raise PermissionDenied(_("Staff hid this comment; only staff can show it again."))
    if _hide_comment(ctx, comment, on, Comment.BY_AUTHOR, ""):
        ctx.emit(EVENT_PREFIX + ("comment.hidden" if on else "comment.restored"),
                 {"comment_id": comment.id, "by": "author"})
    return {"id": comment.id, "hidden": on, "hidden_by": Comment.BY_AUTHOR if on else ""}


class _AlreadyDone(Exception):
    """Raised inside a transaction to roll it back: a concurrent request made the same change first."""


def kudos(ctx, data, settings=None):  # pylint: disable=unused-argument
    """Give (``on`` true, the default) or take back (``on`` false) kudos on someone else's entry. Idempotent."""
    ctx.require_writable()
    data = _data(data)
    on = _flag(data, "on", True)
    me = ctx.user.id
    entry = readable_entry(ctx, _id(data), annotations={
        "mine": Exists(Kudos.objects.filter(entry_id=OuterRef("pk"), user_id=me))})
    if entry.author_id == me:
        raise PermissionDenied(_("Kudos are for other people's entries."))
    count = entry.kudos_count
    if entry.mine != on:
        delta = 1 if on else -1
        try:
            with transaction.atomic():
                Entry.objects.filter(pk=entry.id).update(kudos_count=F("kudos_count") + delta)
                if on:
                    Kudos.objects.create(entry_id=entry.id, user_id=me)
                elif not Kudos.objects.filter(entry_id=entry.id, user_id=me).delete()[0]:
                    raise _AlreadyDone
            count += delta
            ctx.emit(EVENT_PREFIX + ("entry.kudos_given" if on else "entry.kudos_withdrawn"), {"entry_id": entry.id})
        except (IntegrityError, _AlreadyDone):
            count = Entry.objects.filter(pk=entry.id).values_list("kudos_count", flat=True).first() or 0
    return {"id": entry.id, "kudos": on, "kudos_count": count}


# ----- flags and moderation -----------------------------------------------------------------------------
def _target(ctx, data):
    """(target, the entry or comment) an action names with ``target`` (entry|comment) and ``id``."""
    target = _choice(data, "target", TARGETS, "entry")
    obj_id = _id(data)
    return target, (readable_entry(ctx, obj_id) if target == "entry" else _readable_comment(ctx, obj_id))


def flag(ctx, data, settings=None):  # pylint: disable=unused-argument
    """Ask staff to look at someone else's entry or comment (``target``, ``id``, ``reason`` optional), once per
    person while it waits for review; ``on`` false withdraws the flag."""
    ctx.require_writable()
    data = _data(data)
    reason = _text(data, "reason", _("The reason"), FLAG_REASON_MAX, required=False)
    on = _flag(data, "on", True)
    target, obj = _target(ctx, data)
    if obj.author_id == ctx.user.id:
        raise PermissionDenied(_("You cannot flag your own writing; you can edit or delete it."))
    model = Entry if target == "entry" else Comment
    lookup = {f"{target}_id": obj.id}
    mine = Flag.objects.filter(user_id=ctx.user.id, pending=True, **lookup)
    delta = 0
    try:
        with transaction.atomic():
            exists = mine.exists()
            if exists != on:
                delta = 1 if on else -1
                model.objects.filter(pk=obj.id).update(flag_count=F("flag_count") + delta)  # the item's row first
                if on:
                    Flag.objects.create(user_id=ctx.user.id, reason=reason, **lookup)
                elif not mine.delete()[0]:
                    raise _AlreadyDone
    except (IntegrityError, _AlreadyDone):
        delta = 0
    if delta:
        ctx.emit(EVENT_PREFIX + target + (".flagged" if on else ".unflagged"), {"id": obj.id})
    return {"id": obj.id, "target": target, "flagged": on,
            "flag_count": obj.flag_count + delta if ctx.is_staff else None}


def _require_staff_writer(ctx, message):
    ctx.require_writable()
    if not ctx.is_staff:
        raise PermissionDenied(message)


def _review_flags(ctx, target, obj_id, outcome):
    """Close the waiting flags of an entry or comment as reviewed (kept, with who, when and the outcome)."""
    return Flag.objects.filter(**{f"{target}_id": obj_id}, pending=True).update(
        pending=None, reviewed_at=timezone.now(), reviewed_by_id=ctx.user.id, outcome=outcome)


def _emit_review(ctx, target, obj_id, outcome, count):
    if count:
        ctx.emit(EVENT_PREFIX + target + ".flags_reviewed", {"id": obj_id, "outcome": outcome, "flags": count})


def hide(ctx, data, settings=None):  # pylint: disable=unused-argument
    """Staff hide (``on`` true) or restore an entry or comment they may read, with an optional ``reason`` its
    author reads. Hiding reviews the item's waiting flags (kept as history)."""
    _require_staff_writer(ctx, _("Only course staff can hide or restore entries and comments."))
    data = _data(data)
    target, obj = _target(ctx, data)
    on = _flag(data, "on", True)
    reason = _text(data, "reason", _("The reason"), HIDDEN_REASON_MAX, required=False) if on else ""
    reviewed = 0
    if target == "entry":
        with transaction.atomic():
            changes = {"hidden": on, "hidden_reason": reason}
            if on:
                changes["flag_count"] = Value(0)
            Entry.objects.filter(pk=obj.id).update(**changes)
            core_search.set_hidden(COMPONENT, "entry", obj.id, on)
            if on:
                reviewed = _review_flags(ctx, target, obj.id, Flag.HIDDEN)
    else:
        if obj.hidden == on:
            Comment.objects.filter(pk=obj.id).update(hidden_reason=reason, hidden_by=Comment.BY_STAFF if on else "")
        else:
            _hide_comment(ctx, obj, on, Comment.BY_STAFF, reason)
        if on:
            with transaction.atomic():
                Comment.objects.filter(pk=obj.id).update(flag_count=Value(0))
                reviewed = _review_flags(ctx, target, obj.id, Flag.HIDDEN)
    ctx.emit(EVENT_PREFIX + target + (".hidden" if on else ".restored"),
             {"id": obj.id, "reason_given": bool(reason), "by": "staff"} if on else {"id": obj.id, "by": "staff"})
    _emit_review(ctx, target, obj.id, Flag.HIDDEN, reviewed)
    return {"id": obj.id, "target": target, "hidden": on, "hidden_reason": reason}


def dismiss_flags(ctx, data, settings=None):  # pylint: disable=unused-argument
    """Staff dismiss the waiting flags of an entry or comment after looking at it (kept as history)."""
    _require_staff_writer(ctx, _("Only course staff can review flags."))
    data = _data(data)
    target, obj = _target(ctx, data)
    model = Entry if target == "entry" else Comment
    with transaction.atomic():
        model.objects.filter(pk=obj.id).update(flag_count=Value(0))
        count = _review_flags(ctx, target, obj.id, Flag.DISMISSED)
    _emit_review(ctx, target, obj.id, Flag.DISMISSED, count)
    return {"id": obj.id, "target": target, "dismissed": count, "flag_count": 0}


def flag_queue(ctx, data, settings=None):  # pylint: disable=unused-argument
    """Staff's review queue: the entries and comments with waiting flags that this staff member may read, the
    most recently flagged first, each with its flags (reason, who, when). At most 30 items; a fixed number of
    queries."""
    if not ctx.is_staff:
        raise PermissionDenied(_("Only course staff can review flags."))
    _data(data)
    visible = visible_entries(ctx)
    items = (Flag.objects.filter(Q(entry__in=visible) | Q(comment__entry__in=visible, comment__deleted=False),
                                 pending=True)
             .values("entry_id", "comment_id").annotate(latest=Max("created")).order_by("-latest")[:30])
    keys = list(items)
    entry_ids = [k["entry_id"] for k in keys if k["entry_id"]]
    comment_ids = [k["comment_id"] for k in keys if k["comment_id"]]
    start = Substr("body", 1, EXCERPT_SOURCE_FACTOR * EXCERPT_LENGTH)
    entries = {e.id: e for e in Entry.objects.filter(id__in=entry_ids).select_related("author").defer(
        "body", "body_html").annotate(body_start=start)} if entry_ids else {}
    comments = {c.id: c for c in Comment.objects.filter(id__in=comment_ids).select_related(
        "author", "entry").annotate(body_start=start)} if comment_ids else {}
    flags_of = {}
    if keys:
        for f in Flag.objects.filter(Q(entry_id__in=entry_ids) | Q(comment_id__in=comment_ids),
                                     pending=True).select_related("user").order_by("-created", "-id"):
            flags_of.setdefault(("entry", f.entry_id) if f.entry_id else ("comment", f.comment_id), []).append(f)
    out = []
    for key in keys:
        target = "entry" if key["entry_id"] else "comment"
        obj = entries.get(key["entry_id"]) if target == "entry" else comments.get(key["comment_id"])
        if obj is None:
            continue
        entry = obj if target == "entry" else obj.entry
        flags = flags_of.get((target, obj.id), [])
        out.append({
            "target": target, "id": obj.id, "entry": {"id": entry.id, "title": entry.title},
            "excerpt": plain_excerpt(obj.body_start, EXCERPT_LENGTH), "author": _person(ctx, obj.author),
            "created": _iso(obj.created), "hidden": obj.hidden, "hidden_reason": obj.hidden_reason if obj.hidden else "",
            "flag_count": len(flags),
            "flags": [{"reason": f.reason, "by": _person(ctx, f.user), "created": _iso(f.created)} for f in flags],
            "can": {"review": not ctx.read_only},
        })
    return {"items": out}


# ----- counts for others -----------------------------------------------------------------------------
def own_entry_count(ctx):
    """How many entries this person has in this blog (deleted ones do not count); one query."""
    return Entry.objects.filter(placement_id=ctx.placement.id, author_id=ctx.user.id, deleted=False).count()


def summary(context_key):
    """Read-only figures for insights, per placement and group of a course: entries shared beyond their author
    (with a coach, a group or the course; never private ones) and their distinct authors, and comments on them.
    Counts only, never text or names; two queries whatever the size."""
    shared = Q(deleted=False, hidden=False, visibility__in=(COACH, GROUP, COURSE))
    out = {}
    rows = (Entry.objects.filter(shared, placement__context_key=context_key).values("placement_id", "group_key")
            .annotate(entries=Count("id"), authors=Count("author", distinct=True),
                      coach_only=Count("id", filter=Q(visibility=COACH))))
    for row in rows:
        out[(row["placement_id"], row["group_key"])] = {
            "placement": row["placement_id"], "group": row["group_key"], "entries": row["entries"],
            "entry_authors": row["authors"], "coach_only_entries": row["coach_only"], "comments": 0}
    comments = (Comment.objects.filter(deleted=False, hidden=False, entry__placement__context_key=context_key,
                                       entry__deleted=False, entry__hidden=False,
                                       entry__visibility__in=(COACH, GROUP, COURSE))
                .values("entry__placement_id", "entry__group_key").annotate(n=Count("id")))
    for row in comments:
        key = (row["entry__placement_id"], row["entry__group_key"])
        out.setdefault(key, {"placement": key[0], "group": key[1], "entries": 0, "entry_authors": 0,
                             "coach_only_entries": 0, "comments": 0})["comments"] = row["n"]
    return sorted(out.values(), key=lambda r: (r["placement"], r["group"]))


def reindex(placement_id):
    """Rebuild a placement's search entries from its entries (after a bulk load). Not for requests: it reads
    every entry of the placement."""
    tags = {}
    for entry_id, name in EntryTag.objects.filter(entry__placement_id=placement_id).values_list("entry_id",
                                                                                                "tag__name"):
        tags.setdefault(entry_id, []).append(name)
    batch = []
    for e in Entry.objects.filter(placement_id=placement_id, deleted=False).values_list(
            "id", "group_key", "author_id", "title", "body", "hidden").iterator(chunk_size=5000):
        batch.append(core_search.entry(COMPONENT, placement_id, e[1], "entry", e[0], result_id=e[0], author_id=e[2],
                                       texts=[e[3], e[3], e[4], " ".join(tags.get(e[0], []))], hidden=e[5]))
        if len(batch) >= 5000:
            core_search.bulk_index(batch)
            batch = []
    if batch:
        core_search.bulk_index(batch)
