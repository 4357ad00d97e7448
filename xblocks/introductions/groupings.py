"""Groups for a live session (course staff): suggested pairs or small groups, adjusted by hand, saved per session,
printed with name cards.

``suggest_groups`` places everyone of the group staff picked (or of the whole course), introduced or not, into
groups of the chosen size (sizes differ by one at most, so nobody is left alone): each person in turn, those with
the most topics first, joins the open group they match best (:mod:`matching`'s scores: what one offers against
what the other wants to learn, shared topics, another cohort), and two people who were together at an earlier
session of this group count heavily against (rotation). ``save_groups`` keeps the facilitator's groups for the
session after checking that everyone is in exactly one group; ``saved_groups`` reads them back. A few queries
whatever the size of the group; the placing itself is quadratic in the group's size at most.
"""
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from xblocks.core.component import Action, ngettext_noop
from xblocks.core.errors import ValidationError
from xblocks.core.validation import data_dict as _data

from . import facilitator, matching
from .models import Grouping, Introduction, Topic

HAS_CSS = False
SETTINGS = ()
SIZE_MIN, SIZE_MAX = 2, 8
MET_BEFORE = -10
JS_STRINGS = (
    gettext_noop("Groups for a session"),
    gettext_noop("Session"),
    gettext_noop("People per group"),
    gettext_noop("Suggest groups"),
    gettext_noop("Save groups"),
    gettext_noop("Print"),
    gettext_noop("Groups saved."),
    gettext_noop("Group {number}"),
    gettext_noop("Move {name} to"),
    gettext_noop("Suggested: nobody meets someone they met at an earlier session."),
    gettext_noop("Saved groups of this session."),
    gettext_noop("Name cards"),
)
JS_PLURALS = (
    ngettext_noop("{count} pair meets again from an earlier session.",
                  "{count} pairs meet again from an earlier session."),
)


def _session(data, settings):
    value = data.get("session", 0)
    count = max(1, len(_sessions(settings)))
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < count:
        raise ValidationError(_("Choose one of the sessions."), fields={"session": _("Invalid.")})
    return value


def _sessions(settings):
    from . import sessions  # pylint: disable=import-outside-toplevel

    try:
        return sessions.parse_sessions(settings or {})
    except ValueError:
        return []


def _size(data):
    value = data.get("size", 2)
    if isinstance(value, bool) or not isinstance(value, int) or not SIZE_MIN <= value <= SIZE_MAX:
        message = _("Choose between {minimum} and {maximum} people per group.").format(minimum=SIZE_MIN,
                                                                                     maximum=SIZE_MAX)
        raise ValidationError(message, fields={"size": message})
    return value


def _grouping_key(group_key):
    return group_key or ""


def _met_before(ctx, group_key, session):
    """Pairs of user ids who were in one group at another session of this group (one query)."""
    pairs = set()
    for groups in (Grouping.objects.filter(placement_id=ctx.placement.id, group_key=_grouping_key(group_key))
                   .exclude(session=session).values_list("groups", flat=True)):
        for group in groups:
            pairs.update(frozenset((a, b)) for a in group for b in group if a < b)
    return pairs


def _profiles(ctx, people):
    """{user id: (wants, offers, home group)} of the people's introductions here (two queries)."""
    rows = list(Introduction.objects.filter(placement_id=ctx.placement.id, user_id__in=[p.id for p in people])
                .values_list("id", "user_id", "home_group"))
    intros = {intro_id: uid for intro_id, uid, _home in rows}
    found = {uid: (set(), set(), home) for _id, uid, home in rows}
    for intro_id, kind, key in Topic.objects.filter(introduction_id__in=list(intros)).values_list(
            "introduction_id", "kind", "key"):
        found[intros[intro_id]][0 if kind == Topic.LEARN else 1].add(key)
    return found


def _score(one, other):
    if one is None or other is None:
        return 0
    wants, offers, home = one
    their_wants, their_offers, their_home = other
    score = matching.COMPLEMENT * (len(wants & their_offers) + len(offers & their_wants))
    score += matching.SHARED * (len(wants & their_wants) + len(offers & their_offers))
    if score and home and their_home and home != their_home:
        score += matching.OTHER_GROUP
    return score


def place(people, profiles, met, size):
    """Everyone in ``people`` (user ids) placed in groups of about ``size``: a list of lists of ids.

    A person weighs only the open groups where someone shares a topic with them, and the emptiest open groups
    (where nobody they met before can be): the groups with nobody in common score 0 and are all alike."""
    count = max(1, len(people) // size)
    base = len(people) // count
    bigger = [len(people) - count * base]  # how many groups may still take one more than ``base``
    groups = [[] for _ in range(count)]

    def is_open(index):
        return len(groups[index]) < base or (len(groups[index]) == base and bigger[0] > 0)

    by_topic = {}  # topic -> indexes of the groups holding someone with it
    empty = set(range(count))
    nothing = (set(), set(), "")
    order = sorted(people, key=lambda uid: -sum(len(part) for part in (profiles.get(uid) or nothing)[:2]))
    for uid in order:
        profile = profiles.get(uid) or nothing
        keys = profile[0] | profile[1]

        def fit(index):
            group = groups[index]
            value = sum(_score(profile, profiles.get(other)) for other in group)
            value += MET_BEFORE * sum(frozenset((uid, other)) in met for other in group)
            return (value, -len(group), -index)
        candidates = {index for key in keys for index in by_topic.get(key, ()) if is_open(index)}
        candidates.update(sorted((i for i in range(count) if is_open(i)),
                                 key=lambda i: len(groups[i]))[:3] if not empty else [min(empty)])
        chosen = max(candidates, key=fit)
        if fit(chosen)[0] < 0:  # only groups with someone met before: look at every open group
            chosen = max((i for i in range(count) if is_open(i)), key=fit)
        groups[chosen].append(uid)
        if len(groups[chosen]) > base:
            bigger[0] -= 1
        empty.discard(chosen)
        for key in keys:
            by_topic.setdefault(key, set()).add(chosen)
    groups = [group for group in groups if group]
    _repair(groups, met)
    return groups


def _repair(groups, met):
    """Break up the pairs the greedy placing had to repeat (the last people have few groups left): swap one of the
    two with someone of another group when neither swap makes a new repeat."""
    def clashes(person, group):
        return any(frozenset((person, other)) in met for other in group if other != person)

    for group in groups:
        for person in list(group):
            if not clashes(person, group):
                continue
            for other in groups:
                if other is group:
                    continue
                swap = next((c for c in other if not clashes(c, [m for m in group if m != person])
                             and not clashes(person, [m for m in other if m != c])), None)
                if swap is not None:
                    group[group.index(person)], other[other.index(swap)] = swap, person
                    break


def _out(groups, people, met):
    names = {p.id: facilitator.name_of(p) for p in people}
    repeats = sum(frozenset((a, b)) in met for group in groups for a in group for b in group if a < b)
    return {"groups": [[{"id": uid, "name": names[uid]} for uid in group if uid in names] for group in groups],
            "repeats": repeats}


def suggest_groups(ctx, data, settings=None):
    """Suggested groups for session ``session`` with ``size`` people each: ``{"groups": [[{id, name}]],
    "repeats": pairs meeting again}``."""
    data = _data(data)
    session, size = _session(data, settings), _size(data)
    group_key, people = facilitator.members(ctx)
    met = _met_before(ctx, group_key, session)
    groups = place([p.id for p in people], _profiles(ctx, people), met, size)
    return {**_out(groups, people, met), "session": session, "saved": False}


def saved_groups(ctx, data, settings=None):
    """The groups saved for session ``session``, or ``{"groups": []}`` (people who left the group are dropped)."""
    data = _data(data)
    session = _session(data, settings)
    group_key, people = facilitator.members(ctx)
    row = Grouping.objects.filter(placement_id=ctx.placement.id, group_key=_grouping_key(group_key),
                                  session=session).first()
    met = _met_before(ctx, group_key, session)
    return {**_out(row.groups if row else [], people, met), "session": session, "saved": row is not None}


def save_groups(ctx, data, settings=None):
    """Keep ``groups`` (lists of user ids) for session ``session``: everyone of the group exactly once."""
    data = _data(data)
    session = _session(data, settings)
    group_key, people = facilitator.members(ctx)
    groups = data.get("groups")
    wrong = _("Place everyone of the group in exactly one group, and nobody else.")
    if not isinstance(groups, list) or not all(isinstance(g, list) and g for g in groups) or not all(
            isinstance(uid, int) and not isinstance(uid, bool) for g in groups for uid in g):
        raise ValidationError(wrong, fields={"groups": wrong})
    placed = [uid for group in groups for uid in group]
    if sorted(placed) != sorted(p.id for p in people):
        raise ValidationError(wrong, fields={"groups": wrong})
    Grouping.objects.update_or_create(placement_id=ctx.placement.id, group_key=_grouping_key(group_key),
                                      session=session, defaults={"groups": groups, "modified": timezone.now()})
    ctx.emit("social_learning.introductions.groups.saved", {"session": session, "groups": len(groups)})
    return {**_out(groups, people, _met_before(ctx, group_key, session)), "session": session, "saved": True}


def page_data(ctx, settings, gettext):  # pylint: disable=unused-argument
    return {}, {}


ACTIONS = {
    "suggest_groups": Action(run=suggest_groups, writes=False),
    "saved_groups": Action(run=saved_groups, writes=False),
    "save_groups": Action(run=save_groups),
}
