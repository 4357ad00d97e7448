"""The ranking of "who knows about X?": evidence weight per topic, faded with age, with what people say of
themselves. Pure functions over what the search read (no queries here), so they can be measured on their own.

For each word of the query, a person's weight is the sum over their matching evidence of

    kind weight × (1 + endorsed bonus + upvote bonus) × topic weight × 0.5 ** (age / half-life)

(the topic weight is 1 for a word of the contribution's title or tags, 0.5 for a word of its text), plus what
their profile says: a skill counts by its self-rated level, "ask me about" and the headline more than the
"about" text. Self-declared words do not fade. A person's score adds ``log(1 + weight)`` over the query's words
(many small contributions do not drown one endorsed answer), times the share of the query's words they match.
"""
import math
from dataclasses import dataclass, field

# What one contribution of each kind weighs before its ratings.
# A thread started (a question asked) says what a person wants to know, not what they know: it does not count.
KIND_WEIGHTS = {"reply": 1.0, "entry": 1.0, "answer": 1.0, "vouch": 2.0, "comment": 0.4, "thread": 0.0}
OTHER_KIND = 0.5
ENDORSED_BONUS = 3.0
UPVOTE_BONUS = 0.5
UPVOTES_COUNTED = 10
# Self-rated skill levels (1 beginner … 4 expert), and the other profile fields.
LEVEL_WEIGHTS = {1: 0.5, 2: 1.5, 3: 3.0, 4: 4.0}
FIELD_WEIGHTS = {"ask": 2.0, "headline": 1.5, "about": 0.7, "interest": 0.3, "learn": 0.0}


@dataclass
class EvidenceHit:
    """A piece of evidence matching a query word (as the search read it)."""

    id: int
    user_id: int
    kind: str
    upvotes: int
    endorsed: bool
    created: object
    term_weight: int
    word: int  # the index of the query word it matches


@dataclass
class ProfileHit:
    user_id: int
    field: str
    label: str
    level: int
    word: int


@dataclass
class Ranked:
    user_id: int
    score: float = 0.0
    words: set = field(default_factory=set)
    evidence: dict = field(default_factory=dict)  # id -> EvidenceHit (each piece once)
    skills: dict = field(default_factory=dict)  # label -> level
    fields: set = field(default_factory=set)


def fade(created, now, half_life_days):
    """How much of a contribution's weight is left after its age (half of it after ``half_life_days``)."""
    if not half_life_days or created is None:
        return 1.0
    age_days = max((now - created).total_seconds(), 0.0) / 86400.0
    return 0.5 ** (age_days / half_life_days)


def evidence_weight(hit, now, half_life_days):
    base = KIND_WEIGHTS.get(hit.kind, OTHER_KIND)
    bonus = (ENDORSED_BONUS if hit.endorsed else 0.0) + UPVOTE_BONUS * min(max(hit.upvotes, 0), UPVOTES_COUNTED)
    return base * (1.0 + bonus) * (1.0 if hit.term_weight >= 2 else 0.5) * fade(hit.created, now, half_life_days)


def profile_weight(hit):
    if hit.field == "skill":
        return LEVEL_WEIGHTS.get(hit.level, 1.0)
    return FIELD_WEIGHTS.get(hit.field, 0.5)


def rank(evidence_hits, profile_hits, word_count, now, half_life_days):
    """The people found, best first: a list of :class:`Ranked` (ties broken by user id, for a stable order)."""
    people = {}
    per_word = {}  # (user, word) -> weight
    best = {}  # (evidence id, word) -> weight: a piece counts once per word, by its best matching token
    for hit in evidence_hits:
        weight = evidence_weight(hit, now, half_life_days)
        if weight <= 0:
            continue
        key = (hit.id, hit.word)
        if weight <= best.get(key, -1.0):
            continue
        per_word[(hit.user_id, hit.word)] = per_word.get((hit.user_id, hit.word), 0.0) + weight - best.get(key, 0.0)
        best[key] = weight
        person = people.setdefault(hit.user_id, Ranked(hit.user_id))
        person.evidence[hit.id] = hit
        person.words.add(hit.word)
    seen_profile = set()
    for hit in profile_hits:
        weight = profile_weight(hit)
        key = (hit.user_id, hit.word, hit.field, hit.label)
        if key in seen_profile:
            continue
        seen_profile.add(key)
        person = people.setdefault(hit.user_id, Ranked(hit.user_id))
        if hit.field == "skill":
            person.skills[hit.label] = hit.level
        elif weight > 0:
            person.fields.add(hit.field)
        if weight <= 0:
            continue
        per_word[(hit.user_id, hit.word)] = per_word.get((hit.user_id, hit.word), 0.0) + weight
        person.words.add(hit.word)
    for (user_id, _word), weight in per_word.items():
        people[user_id].score += math.log1p(weight)
    for person in people.values():
        person.score *= 0.5 + 0.5 * len(person.words) / max(word_count, 1)
    found = [person for person in people.values() if person.score > 0]
    found.sort(key=lambda person: (-person.score, person.user_id))
    return found
