"""Matching: a few people each learner could meet, each with its reason.

Among the introductions the learner may read (their group's: matching never reaches another group's people), a
person scores for each topic they can offer that the learner wants to learn (3), that they want to learn and the
learner can offer (3), and that both want to learn or both can offer (1); a person of another cohort (when the
introductions are shared beyond a cohort) scores 2 more, once they share a topic. The best few are suggested,
newest first among equals, each with the reasons in words. Four queries whatever the size of the group.
"""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from xblocks.core.component import Action
from xblocks.core.validation import data_dict as _data

from .models import Introduction, Topic

HAS_CSS = False
SETTINGS = ()
SUGGESTED = 5
# The most topic rows one request reads (people sharing a topic with the learner, each with a few topics).
ROWS_MAX = 5000
COMPLEMENT, SHARED, OTHER_GROUP = 3, 1, 2
JS_STRINGS = (
    gettext_noop("People to meet"),
    gettext_noop("Post your introduction to see whom you could meet."),
    gettext_noop("Nobody shares your topics yet."),
)
JS_PLURALS = ()


def _readable_topics(ctx):
    group_key = ctx.group_key_for_read()
    qs = Topic.objects.filter(placement_id=ctx.placement.id)
    return qs if group_key is None else qs.filter(group_key=group_key)


def _reasons(found):
    """The reasons of one person, in words: ``found`` maps a reason's kind to its topics (labels)."""
    texts = {
        "offers": _("Can offer what you want to learn: {topics}"),
        "wants": _("Wants to learn what you can offer: {topics}"),
        "learn": _("You both want to learn: {topics}"),
        "offer": _("You can both offer: {topics}"),
    }
    out = [texts[kind].format(topics=", ".join(topics)) for kind, topics in found.items() if kind in texts and topics]
    if found.get("other_group"):
        out.append(_("From another cohort"))
    return out


def suggestions(ctx, data=None, settings=None):  # pylint: disable=unused-argument
    """``{"people": [{id, name, username, reasons}], "introduced": bool}`` for the person of ``ctx``."""
    _data(data)
    mine = Introduction.objects.filter(placement_id=ctx.placement.id, user_id=ctx.user.id).first()
    if mine is None:
        return {"people": [], "introduced": False}
    own = list(Topic.objects.filter(introduction_id=mine.id).values_list("kind", "key"))
    wants = {key for kind, key in own if kind == Topic.LEARN}
    offers = {key for kind, key in own if kind == Topic.OFFER}
    rows = (_readable_topics(ctx).filter(key__in=wants | offers).exclude(introduction_id=mine.id)
            .values_list("introduction_id", "kind", "key", "label", "introduction__home_group")
            .order_by("-introduction_id")[:ROWS_MAX])
    scores, reasons = {}, {}
    for intro_id, kind, key, label, home_group in rows:
        found = reasons.setdefault(intro_id, {"offers": [], "wants": [], "learn": [], "offer": []})
        points = 0
        if kind == Topic.OFFER and key in wants:
            points, bucket = COMPLEMENT, "offers"
        elif kind == Topic.LEARN and key in offers:
            points, bucket = COMPLEMENT, "wants"
        elif kind == Topic.LEARN:
            points, bucket = SHARED, "learn"
        else:
            points, bucket = SHARED, "offer"
        found[bucket].append(label)
        if intro_id not in scores and mine.home_group and home_group and home_group != mine.home_group:
            points += OTHER_GROUP
            found["other_group"] = True
        scores[intro_id] = scores.get(intro_id, 0) + points
    best = sorted(scores, key=lambda intro_id: (-scores[intro_id], -intro_id))[:SUGGESTED]
    people = {intro.id: intro for intro in Introduction.objects.filter(id__in=best).select_related("user")}
    return {"introduced": True, "people": [
        {"id": intro_id, "name": people[intro_id].user.get_full_name() or people[intro_id].user.username,
         "username": people[intro_id].user.username, "reasons": _reasons(reasons[intro_id])}
        for intro_id in best if intro_id in people]}


def page_data(ctx, settings, gettext):  # pylint: disable=unused-argument
    return {"suggestions": suggestions(ctx)}, {}


ACTIONS = {"suggestions": Action(run=suggestions, writes=False)}
