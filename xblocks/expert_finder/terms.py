"""Words to tokens, and misspelled words to the tokens the finder knows.

A word stands for its Snowball stems in English, Dutch and French (core search's tokens, so that a forum
reply's topic words, read from core's index, and a profile's words match alike). Words too short or too common
to tell a topic are left out. A query word that no profile or evidence holds is matched to known tokens a
letter or two away: candidates share trigrams with it (one indexed query over :class:`~.models.Gram`), then
the edit distance decides.
"""
from django.db.models import Count

from xblocks.core import search as core_search

from .conf import conf
from .models import Gram, Vocabulary

MAX_QUERY_WORDS = 24
MAX_PARSED_WORDS = 200
# Misspelled words corrected per query (the first ones): a long question's other unknown words are left out.
MAX_CORRECTED = 4
_PREFIX = "qz"  # core search's prefix of the words too short or too common to index alone


def word_tokens(word):
    """The topic tokens of one word ([] for a stop word or a word too short)."""
    return [token for token in core_search.word_tokens(word) if not token.startswith(_PREFIX)]


def text_tokens(text):
    """{token: a word of the text it stands for} of a text's topic words."""
    out = {}
    for word in core_search.words(text):
        for token in word_tokens(word):
            out.setdefault(token, word[:64])
    return out


def grams(token):
    padded = f"  {token} "
    return {padded[i:i + 3] for i in range(len(padded) - 2)}


def remember(tokens):
    """Add tokens ({token: word}) to the vocabulary and its trigrams: two statements, known ones skipped."""
    if not tokens:
        return
    Vocabulary.objects.bulk_create([Vocabulary(token=token[:64], word=word[:64]) for token, word in tokens.items()],
                                   ignore_conflicts=True, batch_size=1000)
    Gram.objects.bulk_create([Gram(gram=gram, token=token[:64]) for token in tokens for gram in grams(token)],
                             ignore_conflicts=True, batch_size=5000)


def distance(a, b, limit):
    """The edit distance of two words (insertions, deletions, substitutions), or ``limit + 1`` once it is over."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def allowed_distance(word):
    return 0 if len(word) < 4 else (1 if len(word) < 7 else 2)


def _shown(tokens, words):
    """The word a correction shows: a word some profile used for one of the tokens, else the longest token (a
    stem may be cut short: "pric" of "pricing")."""
    for token in tokens:
        if words.get(token) and words[token] != token:
            return words[token]
    return max(tokens, key=len)


def parse_query(query):
    """The words of a query as ``[(word, [tokens])]`` (at most :data:`MAX_PARSED_WORDS`, stop words left out)."""
    out = []
    for word in core_search.words(query):
        tokens = word_tokens(word)
        if tokens and all(word != seen for seen, _tokens in out):
            out.append((word, tokens))
        if len(out) == MAX_PARSED_WORDS:
            break
    return out


def resolve(words):
    """Each query word's tokens as the finder knows them: ``[(word, shown, tokens, corrected)]``.

    A word some profile or evidence holds keeps its own tokens; another is replaced by the nearest known tokens
    (``corrected`` True, ``shown`` the known word). A long question keeps its first :data:`MAX_QUERY_WORDS`
    words that some profile or evidence holds (or that were corrected): a word nobody used tells nothing. At most
    two queries.
    """
    wanted = {token for _word, tokens in words for token in tokens}
    known = dict(Vocabulary.objects.filter(token__in=wanted).values_list("token", "word")) if wanted else {}
    out, unknown = [], []
    for word, tokens in words:
        if any(token in known for token in tokens):
            out.append((word, word, [t for t in tokens if t in known], False))
        elif allowed_distance(word) and len(unknown) < MAX_CORRECTED:
            unknown.append((word, tokens))
            out.append(None)
        else:
            out.append((word, word, tokens, False))
    if unknown:
        query_grams = {gram for _word, tokens in unknown for token in tokens for gram in grams(token)}
        rows = (Gram.objects.filter(gram__in=query_grams).values("token").annotate(shared=Count("id"))
                .order_by("-shared", "token")[:conf("FUZZY_CANDIDATES") * len(unknown)])
        candidates = [row["token"] for row in rows]
        fixes = {}
        for word, tokens in unknown:
            best = []
            for candidate in candidates:
                found = min(distance(token, candidate, allowed_distance(token)) - allowed_distance(token)
                            for token in tokens)
                if found <= 0:
                    best.append((found, candidate))
            best.sort()
            fixes[word] = [candidate for found, candidate in best if found == best[0][0]][:3] if best else []
        shown = dict(Vocabulary.objects.filter(token__in={t for ts in fixes.values() for t in ts}).values_list(
            "token", "word")) if any(fixes.values()) else {}
        unknown_words = iter(unknown)
        for index, item in enumerate(out):
            if item is None:
                word, tokens = next(unknown_words)
                fixed = fixes.get(word) or []
                out[index] = (word, _shown(fixed, shown), fixed, True) if fixed else (word, word, tokens, False)
    if len(out) > MAX_QUERY_WORDS:
        out = [item for item in out if item[3] or any(token in known for token in item[2])][:MAX_QUERY_WORDS]
    return out
