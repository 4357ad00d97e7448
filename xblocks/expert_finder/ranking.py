"""The ranking of "who knows about X?": a retrieval model over each person's evidence, with what people say of
themselves, and their helpfulness in the course. Pure functions over what the search read (no queries here), so
they can be measured on their own.

Each piece of evidence weighs

    kind weight × (1 + endorsed bonus + upvote bonus) × topic weight × 0.5 ** (age / half-life)

(the topic weight is 1 for a word of the contribution's title or tags, 0.5 for a word of its text): an endorsed
or upvoted answer about a word counts for that word more than a plain one. What a profile says counts as evidence
of its words too: a skill by its self-rated level, "ask me about" and the headline more than the "about" text
(self-declared words do not fade).

For each word of the query, a person's weight ``w`` (the sum over their matching evidence and profile words) is
saturated like Okapi BM25's term frequency, ``w × (k1 + 1) / (w + k1)``, and multiplied by the word's inverse
document frequency among the evidence read (a word most contributions hold tells little). A person's topic score
adds this over the query's words.

A person's helpfulness in the course is the same weight without the topic, summed over their answers, shared
reflections and vouches (not their questions): endorsed answers and upvotes count most, and old ones fade. A
topic score is multiplied by ``(1 + helpfulness) ** HELPFULNESS_POWER`` (of two people who wrote alike about the
question, the one whose help others endorsed and upvoted comes first), and helpfulness alone ranks the people
with no matching evidence, after every person who has some: the list is not empty while the course has
helpers.
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
# Saturation of a person's weight for one word (Okapi BM25's k1): the second answer about a word adds less than
# the first, and many small contributions do not drown one endorsed answer.
K1 = 1.2
# How much a person's helpfulness in the course raises their topic score: × (1 + helpfulness) ** this.
HELPFULNESS_POWER = 0.5


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
class Contribution:
    """A piece of a person's evidence in the course, whatever its topic (for their helpfulness)."""

    id: int
    user_id: int
    kind: str
    upvotes: int
    endorsed: bool
    created: object


@dataclass
class ProfileHit:
    user_id: int
    field: str
    label: str
    level: int
    word: int


@dataclass
class Helpfulness:
    """What a person did in the course that others found helpful (the counts shown as a reason)."""

    weight: float = 0.0
    answers: int = 0
    endorsed: int = 0
    upvotes: int = 0


@dataclass
class Ranked:
    user_id: int
    score: float = 0.0
    words: set = field(default_factory=set)
    word_scores: dict = field(default_factory=dict)  # query word index -> its share of the topic score
    evidence: dict = field(default_factory=dict)  # id -> EvidenceHit (each piece once)
    skills: dict = field(default_factory=dict)  # label -> level
    fields: set = field(default_factory=set)
    helpfulness: Helpfulness = field(default_factory=Helpfulness)

    @property
    def matched(self):
        """Whether any evidence or profile word of theirs matches the query."""
        return bool(self.words)


def fade(created, now, half_life_days):
    """How much of a contribution's weight is left after its age (half of it after ``half_life_days``)."""
    if not half_life_days or created is None:
        return 1.0
    age_days = max((now - created).total_seconds(), 0.0) / 86400.0
    return 0.5 ** (age_days / half_life_days)


def contribution_weight(hit, now, half_life_days):
    """A contribution's weight by its kind and ratings, faded with its age (whatever its topic)."""
    base = KIND_WEIGHTS.get(hit.kind, OTHER_KIND)
    bonus = (ENDORSED_BONUS if hit.endorsed else 0.0) + UPVOTE_BONUS * min(max(hit.upvotes, 0), UPVOTES_COUNTED)
    return base * (1.0 + bonus) * fade(hit.created, now, half_life_days)


def evidence_weight(hit, now, half_life_days):
    return contribution_weight(hit, now, half_life_days) * (1.0 if hit.term_weight >= 2 else 0.5)


def profile_weight(hit):
    if hit.field == "skill":
        return LEVEL_WEIGHTS.get(hit.level, 1.0)
    return FIELD_WEIGHTS.get(hit.field, 0.5)


def idf(documents, containing):
    """Okapi BM25's inverse document frequency (never negative)."""
    return math.log(1.0 + (documents - containing + 0.5) / (containing + 0.5))


def saturate(weight):
    return weight * (K1 + 1.0) / (weight + K1)


def helpfulness(contributions, now, half_life_days):
    """{user id: :class:`Helpfulness`} of the contributions read (each piece once)."""
    out, seen = {}, set()
    for hit in contributions:
        if hit.id in seen:
            continue
        seen.add(hit.id)
        weight = contribution_weight(hit, now, half_life_days)
        if weight <= 0:
            continue
        person = out.setdefault(hit.user_id, Helpfulness())
        person.weight += weight
        if hit.kind != "vouch":
            person.answers += 1
            person.endorsed += 1 if hit.endorsed else 0
            person.upvotes += max(hit.upvotes, 0)
    return out


def _topic_weights(evidence_hits, profile_hits, people, now, half_life_days):
    """({(user, word): weight}, {word: documents holding it}, documents read), filling ``people``."""
    per_word = {}  # (user, word) -> weight
    best = {}  # (evidence id, word) -> weight: a piece counts once per word, by its best matching token
    documents, containing = set(), {}
    for hit in evidence_hits:
        documents.add(hit.id)
        containing.setdefault(hit.word, set()).add(hit.id)
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
    return per_word, {word: len(ids) for word, ids in containing.items()}, documents


def rank(evidence_hits, profile_hits, now, half_life_days, contributions=()):
    """The people found, best first: a list of :class:`Ranked`, those matching the query first (by topic score
    raised by helpfulness), then the course's other helpers (by helpfulness); ties broken by user id, for a stable
    order."""
    people = {}
    per_word, containing, documents = _topic_weights(evidence_hits, profile_hits, people, now, half_life_days)
    helpful = helpfulness(contributions, now, half_life_days)
    documents = max(len(documents | {c.id for c in contributions}), 1)
    for (user_id, word), weight in per_word.items():
        share = idf(documents, containing.get(word, 0)) * saturate(weight)
        person = people[user_id]
        person.word_scores[word] = person.word_scores.get(word, 0.0) + share
        person.score += share
    for user_id, person_help in helpful.items():
        person = people.setdefault(user_id, Ranked(user_id))
        person.helpfulness = person_help
    for person in people.values():
        raised = (1.0 + person.helpfulness.weight) ** HELPFULNESS_POWER
        person.score = person.score * raised if person.matched else math.log1p(person.helpfulness.weight)
    found = [person for person in people.values() if person.score > 0]
    found.sort(key=lambda person: (not person.matched, -person.score, person.user_id))
    return found
