"""The finder's suggestions part: "people who could help me" (what I want to learn against what others offer and
have shown) and "people like me" (shared interests and skills), favouring people outside my own group, each with
its reason; and, a newcomer's way in, the forum threads about what they want to learn and are interested in. Read with the same rules as the search: only people I may see, only evidence I may read.
"""
from django.utils.translation import gettext, ngettext

from xblocks.core.component import Action
from xblocks.core.validation import data_dict

from . import api, profiles
from . import terms as terms_mod
from .conf import conf
from .models import COURSE, Evidence, EvidenceTerm, Profile, ProfileTerm

# A person outside my group counts this much more: meeting them is what a course rarely arranges.
OUTSIDE_GROUP_BONUS = 1.25
SHOWN = 5


def _(text):
    """Mark a string for translation; it is translated when shown."""
    return text


def _my_words(profile):
    """{token: word} of what I want to learn, and of my interests and skills (no query)."""
    if profile is None:
        return {}, {}
    learn = terms_mod.text_tokens(profile.wants_to_learn)
    like = terms_mod.text_tokens(profile.interests)
    for skill in profile.skills.all():
        for token, word in terms_mod.text_tokens(skill.name).items():
            like.setdefault(token, word)
    return learn, like


def _outside(ctx, rows, user_id):
    row = rows.get(user_id) or {}
    return ctx.group is not None and ctx.group.key != "course" and not row.get("sls_group")


def could_help(ctx, profile, settings):
    """People who know what I want to learn: the search over my "wants to learn", outside my group first."""
    if profile is None or not profile.wants_to_learn.strip():
        return []
    found = [result for result in api.search(ctx, {"q": profile.wants_to_learn[:conf("QUERY_MAX")], "scope": COURSE},
                                             settings)["results"] if result["topic_match"]]
    rows = profiles.people(ctx, {result["user_id"] for result in found})
    for result in found:
        outside = _outside(ctx, rows, result["user_id"])
        result["score"] = round(result["score"] * (OUTSIDE_GROUP_BONUS if outside else 1.0), 4)
        result["outside_group"] = outside
        result["reasons"] = [gettext(_("could help you learn: {wants}")).format(
            wants=", ".join(profiles.split_list(profile.wants_to_learn)[:3]))] + result["reasons"]
    found.sort(key=lambda result: (-result["score"], result["user_id"]))
    return found[:SHOWN]


def like_me(ctx, like, settings):
    """People who share my interests and skills (one query for their words, one for who they are)."""
    if not like:
        return []
    rows = (ProfileTerm.objects.filter(profiles.in_my_course(ctx, "user_id"), token__in=sorted(like), field__in=("interest", "skill"))
            .exclude(user_id=ctx.user.id).values_list("user_id", "token")[:conf("CANDIDATES")])
    shared = {}
    for user_id, token in rows:
        shared.setdefault(user_id, set()).add(like[token])
    # The people sharing most, checked for who may see them (the first few suffice).
    best = sorted(shared, key=lambda user_id: (-len(shared[user_id]), user_id))[:SHOWN * 4]
    shared = {user_id: shared[user_id] for user_id in best}
    people = profiles.people(ctx, set(shared))
    out = []
    for user_id, words in shared.items():
        row = people.get(user_id)
        if row is None or not profiles.may_see(ctx, settings, row, COURSE):
            continue
        outside = _outside(ctx, people, user_id)
        score = len(words) * (OUTSIDE_GROUP_BONUS if outside else 1.0)
        count = len(words)
        reason = ngettext("shares {count} of your interests: {words}", "shares {count} of your interests: {words}",
                          count).format(count=count, words=", ".join(sorted(words)))
        out.append({"user_id": user_id, "username": row["username"], "name": profiles.display_name(row),
                    "headline": row.get("social_finder_profile__headline") or "", "score": round(score, 4),
                    "reasons": [reason], "evidence": [], "outside_group": outside})
    out.sort(key=lambda result: (-result["score"], result["user_id"]))
    return out[:SHOWN]


def threads_for_me(ctx, words, settings):
    """The newest forum threads this person may read about what they want to learn or are interested in (a
    newcomer's way in): as evidence items, opened through the forum's api. Two queries."""
    if not words:
        return []
    rows = list(Evidence.objects.filter(profiles.readable_evidence(profiles.searcher_groups_of_course(ctx),
                                                                   settings),
                                        kind="thread", component="cohort_forum",
                                        pk__in=EvidenceTerm.objects.filter(token__in=sorted(words),
                                                                           context_key=ctx.course_key)
                                        .values("evidence_id"))
                .exclude(user_id=ctx.user.id).select_related("placement").order_by("-created")[:SHOWN * 2])
    hidden = profiles.hidden_keys((e.component, e.object_type, e.object_id) for e in rows)
    return [profiles.evidence_item(e, e.placement.title) for e in rows
            if (e.component, e.object_type, e.object_id) not in hidden][:SHOWN]


def suggestions(ctx, data, settings):
    """``{"could_help": [...], "like_me": [...], "threads": [...]}``: people as the search's results, with
    ``outside_group``; threads as evidence items."""
    data_dict(data)
    profile = Profile.objects.filter(user_id=ctx.user.id).prefetch_related("skills").first()
    learn, like = _my_words(profile)
    return {"could_help": could_help(ctx, profile, settings) if learn else [], "like_me": like_me(ctx, like, settings),
            "threads": threads_for_me(ctx, {**like, **learn}, settings)}


ACTIONS = {"suggestions": Action(run=suggestions, writes=False)}
SETTINGS = ()
JS_STRINGS = (
    _("People who could help you"),
    _("People like you"),
    _("Say what you want to learn in your profile, and who could help you appears here."),
    _("Add interests to your profile, and people who share them appear here."),
    _("outside your group"),
    _("Threads for you"),
    _("Forum threads about what you want to learn and what interests you appear here."),
)
JS_PLURALS = ()


def page_data(ctx, settings):  # pylint: disable=unused-argument
    return {}
