"""Introductions: every read and write of who people are, what they want to learn and can offer, waves and replies.

Who reads what: an introduction belongs to the group its author was in when posting (``group_key``); the gallery
shows a learner their own group's introductions only (the cohort or team of the ``group_scope`` setting, as the
forum scopes its threads; everyone with a course-wide scope), staff every group or the one they pick. An
introduction outside the reader's group answers 404, exactly as one that does not exist.

Every write checks its input first and writes in one transaction (nothing is half written); counters move with
F(). Each request costs the same number of queries whatever the size of the group (see the tests).
"""
import re

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from xblocks.core import ratelimit
from xblocks.core.errors import NotFound, PermissionDenied, RateLimited, ValidationError
from xblocks.core.groups import COHORT, COURSE
from xblocks.core.signals import contribution_created
from xblocks.core.validation import data_dict as _data
from xblocks.core.validation import flag as _flag
from xblocks.core.validation import ident as _id
from xblocks.core.validation import text as _text

from .conf import conf
from .models import Grouping, Introduction, Reminder, Reply, ThemeAnswer, Topic, Wave

COMPONENT = "introductions"
EVENT_PREFIX = "social_learning.introductions."
REPLIES_PER_INTRODUCTION = 50
SEARCH_MAX = 100


# ----- reading ---------------------------------------------------------------------------------------------
def topic_key(label):
    """What two topics compare by: lower case, spaces squeezed."""
    return re.sub(r"\s+", " ", label).strip().lower()


def _readable(ctx):
    """The introductions this person may read in this placement (their group's; staff: every group or the one
    they picked)."""
    group_key = ctx.group_key_for_read()
    qs = Introduction.objects.filter(placement_id=ctx.placement.id)
    return qs if group_key is None else qs.filter(group_key=group_key)


def readable_introduction(ctx, intro_id):
    """Introduction ``intro_id`` if this person may read it, else NotFound (one query)."""
    found = _readable(ctx).filter(id=intro_id).first()
    if found is None:
        raise NotFound(_("This introduction does not exist, or it is not shared with you."))
    return found


def _person(ctx, user):
    return {"name": user.get_full_name() or user.username, "username": user.username, "is_you": user.id == ctx.user.id}


def _iso(value):
    return value.isoformat() if value else None


def _reply_out(ctx, reply_row):
    return {"id": reply_row.id, "author": _person(ctx, reply_row.author), "body": reply_row.body,
            "created": _iso(reply_row.created), "can_delete": reply_row.author_id == ctx.user.id or ctx.is_staff}


def _out(ctx, intro, topics, waved, replies):
    return {
        "id": intro.id,
        "author": _person(ctx, intro.user),
        "who": intro.who,
        "fun_fact": intro.fun_fact,
        "learn": [t.label for t in topics if t.kind == Topic.LEARN],
        "offer": [t.label for t in topics if t.kind == Topic.OFFER],
        "waves": intro.waves,
        "waved": waved,
        "replies": [_reply_out(ctx, r) for r in replies],
        "reply_count": intro.replies,
        "created": _iso(intro.created),
        "modified": _iso(intro.modified),
        "can_wave": intro.user_id != ctx.user.id,
        "has_photo": bool(intro.photo_name),
        "share_profile": intro.share_profile if intro.user_id == ctx.user.id else None,
    }


def _page_out(ctx, intros):
    """The introductions as the gallery shows them: three queries for any number of them."""
    ids = [intro.id for intro in intros]
    topics, replies = {}, {}
    for topic in Topic.objects.filter(introduction_id__in=ids).order_by("kind", "position", "id"):
        topics.setdefault(topic.introduction_id, []).append(topic)
    waved = set(Wave.objects.filter(introduction_id__in=ids, user_id=ctx.user.id)
                .values_list("introduction_id", flat=True)) if ids else set()
    for reply in Reply.objects.filter(introduction_id__in=ids).select_related("author").order_by("id"):
        replies.setdefault(reply.introduction_id, []).append(reply)
    shown = conf("REPLIES_SHOWN")
    return [_out(ctx, intro, topics.get(intro.id, []), intro.id in waved, replies.get(intro.id, [])[-shown:])
            for intro in intros]


def _cursor(data):
    value = data.get("before")
    if value in (None, ""):
        return None
    return _id(data, "before")


def list_introductions(ctx, data, settings=None):  # pylint: disable=unused-argument
    """A page of the gallery, newest first: ``search`` (words in the text or topics), ``topic`` (a topic key:
    people who want to learn or can offer it), ``before`` (the last id of the previous page). Answers
    ``{"introductions", "next"}`` (``next``: the cursor of the next page, or None)."""
    data = _data(data)
    qs = _readable(ctx)
    search = _text(data, "search", _("The search"), SEARCH_MAX, required=False)
    if search:
        for word in search.lower().split()[:8]:
            qs = qs.filter(search_text__contains=word)
    topic = _text(data, "topic", _("The topic"), conf("TOPIC_MAX") * 2, required=False)
    if topic:
        # The group's introductions with that topic, found through the topics' index (placement, group, key): a
        # rare topic does not make the database walk the whole group's gallery looking for it.
        group_key = ctx.group_key_for_read()
        with_topic = Topic.objects.filter(placement_id=ctx.placement.id, key=topic_key(topic))
        if group_key is not None:
            with_topic = with_topic.filter(group_key=group_key)
        qs = qs.filter(id__in=with_topic.values("introduction_id"))
    before = _cursor(data)
    if before is not None:
        qs = qs.filter(id__lt=before)
    size = conf("PAGE_SIZE")
    rows = list(qs.select_related("user").order_by("-id")[:size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return {"introductions": _page_out(ctx, rows), "next": rows[-1].id if more else None}


def topics(ctx):
    """The topics of the reader's group for the gallery's filter: ``[{key, label, count}]``, most frequent first
    (one query)."""
    group_key = ctx.group_key_for_read()
    qs = Topic.objects.filter(placement_id=ctx.placement.id)
    if group_key is not None:
        qs = qs.filter(group_key=group_key)
    rows = qs.values("key").annotate(count=Count("introduction", distinct=True)).order_by("-count", "key")[:100]
    return [{"key": row["key"], "count": row["count"]} for row in rows]


def own_introduction(ctx):
    """The person's own introduction in this placement as the form shows it, or None (two queries at most)."""
    intro = Introduction.objects.filter(placement_id=ctx.placement.id, user_id=ctx.user.id).first()
    if intro is None:
        return None
    intro.user = ctx.user
    found = list(Topic.objects.filter(introduction_id=intro.id).order_by("kind", "position", "id"))
    return _out(ctx, intro, found, False, [])


def participation_count(ctx, settings=None):
    """1 once the person has posted their introduction here (one query); when the author requires the theme
    answers (``themes_required``), only once they have also answered every theme (one more query)."""
    posted = Introduction.objects.filter(placement_id=ctx.placement.id, user_id=ctx.user.id).exists()
    if not posted or not (settings or {}).get("themes_required"):
        return int(posted)
    from .themes import answered_count  # themes reads this module's rate limit
    done, total = answered_count(ctx, settings)
    return int(done >= total)


# ----- writing ----------------------------------------------------------------------------------------------
def _check_rate(ctx):
    """Count one write against the person's rate; refuse (nothing written) over the limit."""
    window = conf("POST_WINDOW_SECONDS")
    if not ratelimit.hit(f"introductions:{ctx.user.id}", conf("POSTS_PER_WINDOW"), window):
        seconds = ratelimit.seconds_left(window)
        raise RateLimited(ngettext(
            "You are writing very quickly. Please wait {seconds} second, then try again; your text is still here.",
            "You are writing very quickly. Please wait {seconds} seconds, then try again; your text is still here.",
            seconds).format(seconds=seconds))


def _topics(data, name, label):
    """A list of topics (a list of text, or text separated by commas): ``[(key, label)]`` without repeats."""
    value = data.get(name)
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError(_("{label} must be a list of topics.").format(label=label), fields={name: _("Invalid.")})
    out, seen = [], set()
    for item in value:
        shown = re.sub(r"\s+", " ", item).strip()
        if not shown:
            continue
        if len(shown) > conf("TOPIC_MAX"):
            message = _("“{topic}…” is too long for a topic: at most {maximum} characters.").format(
                topic=shown[:20], maximum=conf("TOPIC_MAX"))
            raise ValidationError(message, fields={name: message})
        if topic_key(shown) not in seen:
            seen.add(topic_key(shown))
            out.append((topic_key(shown), shown))
    if len(out) > conf("TOPICS_PER_LIST"):
        message = _("{label}: at most {maximum} topics.").format(label=label, maximum=conf("TOPICS_PER_LIST"))
        raise ValidationError(message, fields={name: message})
    return out


def _home_group(ctx):
    """The person's cohort when the introductions are shared beyond it (one query), else ""."""
    if ctx.scope == COHORT or ctx.group_backend is None:
        return ""
    cohort = ctx.group_backend.group_for(ctx.user, ctx.course_key, COHORT)
    return cohort.key if cohort is not None and cohort.key != COURSE else ""


def save_introduction(ctx, data, settings=None):  # pylint: disable=unused-argument
    """Post or change the person's introduction: ``who`` (required), ``learn`` and ``offer`` (topics),
    ``fun_fact``. Answers the introduction as the gallery shows it."""
    group_key = ctx.require_group_for_write()
    data = _data(data)
    who = _text(data, "who", _("Who you are"), conf("WHO_MAX"), multiline=True)
    learn = _topics(data, "learn", _("What you want to learn"))
    offer = _topics(data, "offer", _("What you can offer"))
    fun_fact = _text(data, "fun_fact", _("The fun fact"), conf("FUN_FACT_MAX"), required=False)
    share_profile = _flag(data, "share_profile", False)
    _check_rate(ctx)
    home_group = _home_group(ctx)
    now = timezone.now()
    search_text = "\n".join([who, fun_fact] + [label for _k, label in learn + offer]).lower()
    with transaction.atomic():
        intro = (Introduction.objects.select_for_update()
                 .filter(placement_id=ctx.placement.id, user_id=ctx.user.id).first())
        created = intro is None
        shared_before = False
        if created:
            try:
                with transaction.atomic():
                    intro = Introduction.objects.create(
                        placement_id=ctx.placement.id, user=ctx.user, group_key=group_key, home_group=home_group,
                        who=who, fun_fact=fun_fact, search_text=search_text, share_profile=share_profile,
                        created=now, modified=now)
            except IntegrityError:  # posted at the same moment from another tab: change that one
                intro = Introduction.objects.select_for_update().get(placement_id=ctx.placement.id,
                                                                     user_id=ctx.user.id)
                created = False
        if not created:
            Introduction.objects.filter(id=intro.id).update(who=who, fun_fact=fun_fact, search_text=search_text,
                                                            home_group=home_group, share_profile=share_profile,
                                                            modified=now)
            shared_before = intro.share_profile
            intro.who, intro.fun_fact, intro.share_profile, intro.modified = who, fun_fact, share_profile, now
            Topic.objects.filter(introduction_id=intro.id).delete()
        Topic.objects.bulk_create([
            Topic(introduction_id=intro.id, placement_id=ctx.placement.id, group_key=intro.group_key, kind=kind,
                  key=key, label=label, position=position)
            for kind, found in ((Topic.LEARN, learn), (Topic.OFFER, offer))
            for position, (key, label) in enumerate(found)])
    if created or (share_profile and not shared_before):
        # The topics go to other components (the expert finder's profile) only when the person agreed; a consent
        # given later is sent then, once.
        profile = {"learn": [label for _k, label in learn], "offer": [label for _k, label in offer]}
        contribution_created.send(sender=__name__, component=COMPONENT, placement=ctx.placement, user=ctx.user,
                                  object_type="introduction", object_id=intro.id, kind="introduction",
                                  group_key=intro.group_key, anonymous=False,
                                  profile=profile if share_profile else None)
    ctx.emit(EVENT_PREFIX + ("created" if created else "changed"), {
        "introduction_id": intro.id, "learn": len(learn), "offer": len(offer), "fun_fact": bool(fun_fact)})
    intro.user = ctx.user
    shown = list(Topic.objects.filter(introduction_id=intro.id).order_by("kind", "position", "id"))
    return {"introduction": _out(ctx, intro, shown, False, []), "created": created}


def wave(ctx, data, settings=None):  # pylint: disable=unused-argument
    """Wave at someone (``id``: their introduction), or take the wave back (``on``: false)."""
    ctx.require_writable()
    data = _data(data)
    intro_id = _id(data)
    on = data.get("on", True)
    if not isinstance(on, bool):
        raise ValidationError(_("'on' must be true or false."), fields={"on": _("Must be true or false.")})
    intro = readable_introduction(ctx, intro_id)
    if intro.user_id == ctx.user.id:
        raise PermissionDenied(_("You cannot wave at yourself."))
    with transaction.atomic():
        if on:
            _made, made = Wave.objects.get_or_create(introduction_id=intro.id, user_id=ctx.user.id,
                                                     defaults={"created": timezone.now()})
            if made:
                Introduction.objects.filter(id=intro.id).update(waves=F("waves") + 1)
        elif Wave.objects.filter(introduction_id=intro.id, user_id=ctx.user.id).delete()[0]:
            Introduction.objects.filter(id=intro.id).update(waves=F("waves") - 1)
    if on:
        ctx.emit(EVENT_PREFIX + "waved", {"introduction_id": intro.id})
    count = Introduction.objects.filter(id=intro.id).values_list("waves", flat=True).first() or 0
    return {"id": intro.id, "waved": on, "waves": count}


def reply(ctx, data, settings=None):  # pylint: disable=unused-argument
    """A short reply to someone's introduction (``id``, ``body``)."""
    ctx.require_writable()
    data = _data(data)
    intro_id = _id(data)
    body = _text(data, "body", _("The reply"), conf("REPLY_MAX"))
    intro = readable_introduction(ctx, intro_id)
    if intro.replies >= REPLIES_PER_INTRODUCTION:
        raise PermissionDenied(_("This introduction has had many replies already: continue the conversation in "
                                 "person, or in the forum."))
    _check_rate(ctx)
    with transaction.atomic():
        found = Reply.objects.create(introduction_id=intro.id, author=ctx.user, body=body, created=timezone.now())
        Introduction.objects.filter(id=intro.id).update(replies=F("replies") + 1)
    contribution_created.send(sender=__name__, component=COMPONENT, placement=ctx.placement, user=ctx.user,
                              object_type="reply", object_id=found.id, kind="reply", group_key=intro.group_key,
                              anonymous=False)
    ctx.emit(EVENT_PREFIX + "replied", {"introduction_id": intro.id, "reply_id": found.id})
    found.author = ctx.user
    return {"id": intro.id, "reply": _reply_out(ctx, found)}


def delete_reply(ctx, data, settings=None):  # pylint: disable=unused-argument
    """Delete a reply (``id``): its author, or course staff. 404 for a reply the person may not read."""
    ctx.require_writable()
    reply_id = _id(_data(data))
    found = Reply.objects.filter(id=reply_id, introduction__placement_id=ctx.placement.id).first()
    missing = NotFound(_("This reply does not exist, or it is not shared with you."))
    if found is None:
        raise missing
    try:
        readable_introduction(ctx, found.introduction_id)
    except NotFound as err:
        raise missing from err
    if found.author_id != ctx.user.id and not ctx.is_staff:
        raise PermissionDenied(_("Only its author and the course team can delete a reply."))
    with transaction.atomic():
        if Reply.objects.filter(id=found.id).delete()[0]:
            Introduction.objects.filter(id=found.introduction_id).update(replies=F("replies") - 1)
    ctx.emit(EVENT_PREFIX + "reply.deleted", {"introduction_id": found.introduction_id, "reply_id": found.id,
                                              "by_staff": found.author_id != ctx.user.id})
    return {"id": found.introduction_id, "deleted": found.id}


# ----- for others ----------------------------------------------------------------------------------------------
def summary(context_key):
    """Read-only figures for insights, per placement and group of a course: introductions, waves, replies and
    theme answers. Counts only, never text or names; two queries whatever the size."""
    rows = (Introduction.objects.filter(placement__context_key=context_key).values("placement_id", "group_key")
            .annotate(introductions=Count("id"), waved=Count("id", filter=Q(waves__gt=0)), replies_sum=Sum("replies"))
            .order_by("placement_id", "group_key"))
    answers = {(row["placement_id"], row["group_key"]): row["n"] for row in
               ThemeAnswer.objects.filter(placement__context_key=context_key).values("placement_id", "group_key")
               .annotate(n=Count("id")).order_by()}
    out = []
    for row in rows:
        out.append({"placement": row["placement_id"], "group": row["group_key"],
                    "introductions": row["introductions"], "introductions_waved_at": row["waved"],
                    "replies": row["replies_sum"] or 0,
                    "theme_answers": answers.get((row["placement_id"], row["group_key"]), 0)})
    return out


def retire_user(user):
    """Forget a retired person in every placement: their introductions (with their topics, photo, and the waves and
    replies others left on them), their waves and their replies on other people's introductions (those keep their
    counts right), their theme answers and the reminders they were sent."""
    uid = getattr(user, "id", user)
    with transaction.atomic():
        Introduction.objects.filter(user_id=uid).delete()
        waved = list(Wave.objects.filter(user_id=uid).values_list("introduction_id", flat=True))
        Introduction.objects.filter(id__in=waved).update(waves=F("waves") - 1)
        Wave.objects.filter(user_id=uid).delete()
        for row in Reply.objects.filter(author_id=uid).values("introduction_id").annotate(n=Count("id")):
            Introduction.objects.filter(id=row["introduction_id"]).update(replies=F("replies") - row["n"])
        Reply.objects.filter(author_id=uid).delete()
        ThemeAnswer.objects.filter(user_id=uid).delete()
        Reminder.objects.filter(user_id=uid).delete()
        for grouping in Grouping.objects.all().iterator():  # rare: a person leaves every grouping they are in
            kept = [[member for member in group if member != uid] for group in grouping.groups]
            if kept != grouping.groups:
                Grouping.objects.filter(id=grouping.id).update(groups=[group for group in kept if group])
