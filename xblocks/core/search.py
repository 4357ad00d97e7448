"""Full-text search for every component, through the full-text index of the database in use.

A component indexes each text it wants found (``index``) and keeps the entry up to date when the
text is edited, hidden, deleted or its author retired (``set_hidden``, ``remove``, ``forget``, ``forget_author``).
``search`` returns the best matching results of one space, ranked by relevance, in one query.

Words are matched by their Snowball stems in English, Dutch and French (a word stands for each of
its stems), so "sessions", "vergaderingen" and "réunions" find "session", "vergadering" and
"réunion". The stems are computed here, in Python, and stored as plain tokens: each database's
index (PostgreSQL GIN over a 'simple' tsvector; on MySQL/MariaDB and SQLite the ordinary index of
:class:`~xblocks.core.models.SearchTerm`) only matches whole tokens, so they behave alike. See
docs/decisions/0012-full-text-search.md.

Work per search is bounded: the index is asked for the newest ``CANDIDATES`` entries of the space
that contain one of the words, which are then checked for every word (anywhere in the same result)
and for quoted phrases, and ranked.
"""
import functools
import hashlib
import re
from dataclasses import dataclass

import Stemmer
from django.db import connections, router
from django.db.models import Exists, OuterRef

from .models import SearchEntry, SearchTerm

LANGUAGES = ("english", "dutch", "french")
CANDIDATES = 200
MAX_TERMS = 8
MAX_STEM = 60
WORD_SEPARATOR = " . "
# Words a MySQL/MariaDB FULLTEXT index would skip (InnoDB's default stop words; shorter than 3
# characters): stored with a prefix so that every backend finds them.
_INNODB_STOPWORDS = frozenset(
    "a about an are as at be by com de en for from how i in is it la of on or that the this to was what when "
    "where who will with und www".split())
_PREFIX = "qz"
_WORD_RE = re.compile(r"[^\W_]+")
_TERM_RE = re.compile(r'"([^"]*)"|(\S+)')
_STEMMERS = {}


def _stemmer(language):
    if language not in _STEMMERS:
        _STEMMERS[language] = Stemmer.Stemmer(language)
    return _STEMMERS[language]


def _token(stem):
    stem = stem[:MAX_STEM]
    return _PREFIX + stem if len(stem) < 3 or stem in _INNODB_STOPWORDS or stem.startswith(_PREFIX) else stem


def words(text):
    """The words of a text, lower-cased (letters and digits; everything else separates)."""
    return _WORD_RE.findall((text or "").lower())


def word_tokens(word):
    """The tokens a word stands for: its stems in every language, once each, in a fixed order."""
    return list(_word_tokens(word))


@functools.lru_cache(maxsize=50_000)
def _word_tokens(word):
    """:func:`word_tokens`, kept for the words met most recently: stemming is most of the cost of indexing."""
    out = []
    for language in LANGUAGES:
        token = _token(_stemmer(language).stemWord(word))
        if token not in out:
            out.append(token)
    return tuple(out)


def _space_tokens(placement_id, group_key):
    digest = hashlib.sha1(group_key.encode("utf-8")).hexdigest()[:12]
    return f"{_PREFIX}p{placement_id}", f"{_PREFIX}g{placement_id}x{digest}"


def tokens_for(placement_id, group_key, texts):
    """The stored tokens of an entry: its space, then each word's stems (see the module docstring).

    ``texts`` are searched as separate fields (a title, a text): a phrase never spans two of them.
    """
    parts = [" ".join(_space_tokens(placement_id, group_key))]
    for text in texts:
        parts.append("")  # an empty word between fields: phrases do not cross them
        cache = {}
        for word in words(text):
            if word not in cache:
                cache[word] = " ".join(word_tokens(word))
            parts.append(cache[word])
    return WORD_SEPARATOR.join(parts)


# ----- writing --------------------------------------------------------------------------------
def entry(component, placement_id, group_key, object_type, object_id, *, result_id, author_id, texts, hidden=False):
    """An unsaved entry (for :func:`bulk_index`)."""
    return SearchEntry(component=component, placement_id=placement_id, group_key=group_key, object_type=object_type,
                       object_id=object_id, result_id=result_id, author_id=author_id, hidden=hidden,
                       tokens=tokens_for(placement_id, group_key, texts))


def _uses_terms(connection):
    """MySQL/MariaDB and SQLite search through :class:`SearchTerm` rows (see its docstring): their full-text
    indexes (InnoDB FULLTEXT, FTS5) read every entry holding a common word, which grows with the forum."""
    return connection.vendor in ("mysql", "sqlite")


def entry_tokens(tokens):
    """The distinct word tokens of an entry's stored tokens (not the space's)."""
    return {token for group in tokens.split(WORD_SEPARATOR)[1:] for token in group.split()}


def _entry_terms(entry):
    """The SearchTerm rows of an (unsaved) entry: each distinct word token."""
    return [SearchTerm(component=entry.component, object_type=entry.object_type, object_id=entry.object_id,
                       placement_id=entry.placement_id, group_key=entry.group_key, token=token,
                       result_id=entry.result_id) for token in sorted(entry_tokens(entry.tokens))]


def bulk_index(entries, batch_size=2000):
    """Add or replace entries: one INSERT … ON CONFLICT / ON DUPLICATE KEY UPDATE per batch (and on
    MySQL/MariaDB one INSERT IGNORE of their terms)."""
    connection = connections[router.db_for_write(SearchEntry)]
    unique = ["component", "object_type", "object_id"] if connection.features.supports_update_conflicts_with_target \
        else None
    SearchEntry.objects.bulk_create(
        entries, batch_size=batch_size, update_conflicts=True, unique_fields=unique,
        update_fields=["placement", "group_key", "result_id", "author", "hidden", "tokens"])
    if _uses_terms(connection):
        SearchTerm.objects.bulk_create([term for entry in entries for term in _entry_terms(entry)],
                                       batch_size=batch_size * 10, ignore_conflicts=True)


def index(component, placement_id, group_key, object_type, object_id, *, result_id, author_id, texts,
          hidden=False):
    """Add or replace the entry of one text (one statement)."""
    bulk_index([entry(component, placement_id, group_key, object_type, object_id, result_id=result_id,
                      author_id=author_id, texts=texts, hidden=hidden)])


def set_hidden(component, object_type, object_id, hidden):
    SearchEntry.objects.filter(component=component, object_type=object_type, object_id=object_id).update(
        hidden=hidden)


def remove(component, object_type, object_id):
    SearchEntry.objects.filter(component=component, object_type=object_type, object_id=object_id).delete()


def forget(component, object_type, object_ids):
    """Texts that were deleted for good are found no more, and their words are not kept either: their entries
    and terms, two statements whatever their number (``object_ids``: a list, or a query of ids)."""
    if _uses_terms(connections[router.db_for_write(SearchEntry)]):
        SearchTerm.objects.filter(component=component, object_type=object_type, object_id__in=object_ids).delete()
    SearchEntry.objects.filter(component=component, object_type=object_type, object_id__in=object_ids).delete()


def forget_author(user_id, component=None):
    """A retired person's texts are found no more, and their words are not kept in the index either
    (``component``: only that component's texts)."""
    entries = SearchEntry.objects.filter(author_id=user_id)
    if component is not None:
        entries = entries.filter(component=component)
    if _uses_terms(connections[router.db_for_write(SearchEntry)]):
        # One statement for all their texts' terms, whatever their number.
        SearchTerm.objects.filter(Exists(entries.filter(
            component=OuterRef("component"), object_type=OuterRef("object_type"), object_id=OuterRef("object_id"),
        ))).delete()
    entries.delete()


def fields_of(component, object_type, object_ids):
    """``{object_id: [tokens of each field]}``: the stemmed tokens (sets) of each text an entry was indexed with,
    in the order the component gave them (e.g. a title first), without the space's tokens and without the words
    too short or too common to tell a topic (the prefixed ones). One query. Other components read a
    contribution's topics here (the expert finder), never the component's own tables or its text."""
    if not object_ids:
        return {}
    rows = SearchEntry.objects.filter(component=component, object_type=object_type,
                                      object_id__in=list(object_ids)).values_list("object_id", "tokens")
    out = {}
    for object_id, tokens in rows:
        fields = []
        for group in tokens.split(WORD_SEPARATOR)[1:]:
            if not group:
                fields.append(set())  # an empty word opens each field
            elif fields:
                fields[-1].update(token for token in group.split() if not token.startswith(_PREFIX))
        out[object_id] = fields
    return out


# ----- searching ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Term:
    """A word (one position) or a quoted phrase (several): each position matches any of its tokens."""

    positions: tuple

    @property
    def tokens(self):
        return {token for position in self.positions for token in position}


def parse(query):
    """The terms of a search: words, and "quoted phrases" (at most MAX_TERMS); [] when it has no word."""
    terms = []
    for phrase, word in _TERM_RE.findall(query or ""):
        positions = tuple(tuple(word_tokens(w)) for w in words(phrase or word))
        if not positions:
            continue
        # A bare word that the separators split ("e-mail", "l'été") is a phrase of its parts.
        term = Term(positions)
        if term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def _vendor_query(vendor, table, tokens, space_token):
    """(SQL selecting ``id, result_id, tokens, score`` of the entries of the space holding one of
    ``tokens``, ending in "WHERE " for more conditions, and its params so far). Higher scores rank first."""
    if vendor == "postgresql":
        tsquery = f"{space_token} & ({' | '.join(tokens)})"
        return (f"SELECT e.id, e.result_id, e.tokens, ts_rank(to_tsvector('simple', e.tokens), "
                f"to_tsquery('simple', %s)) FROM {table} e "
                f"WHERE to_tsvector('simple', e.tokens) @@ to_tsquery('simple', %s) AND "), [tsquery, tsquery]
    raise NotImplementedError(f"No full-text search for the {vendor} database.")


def _has_phrase(entry_tokens, positions):
    """Whether consecutive words of the entry match the phrase's positions (each any of its tokens)."""
    groups = [set(group.split()) for group in entry_tokens.split(WORD_SEPARATOR)]
    width = len(positions)
    for start in range(1, len(groups) - width + 1):
        if all(groups[start + k] & set(positions[k]) for k in range(width)):
            return True
    return False


def search(component, placement_id, terms, *, group_key=None, viewer_id=None, see_hidden=False):
    """``{result_id: score}`` of the results in which every term appears (a phrase within one text).

    The space is one group of the placement, or all of it (``group_key`` None). Hidden entries count
    only when ``see_hidden`` or they are the viewer's own. One query, reading at most CANDIDATES
    entries per term. Each entry's score is the sum of the database's relevance of each term.
    """
    if not terms:
        return {}
    connection = connections[router.db_for_read(SearchEntry)]
    table = connection.ops.quote_name(SearchEntry._meta.db_table)
    space = _space_tokens(placement_id, group_key or "")[0 if group_key is None else 1]
    conditions = "e.component = %s AND e.placement_id = %s"
    condition_params = [component, placement_id]
    if group_key is not None:
        conditions += " AND e.group_key = %s"
        condition_params.append(group_key)
    if not see_hidden:
        conditions += " AND (e.hidden = %s OR e.author_id = %s)"
        condition_params += [False, viewer_id]
    if _uses_terms(connection):
        rows = _term_rows(connection, table, component, placement_id, terms, group_key, conditions,
                          condition_params)
        return _matches(rows, terms)
    # The newest CANDIDATES entries of each term, in one statement.
    parts, params = [], []
    for number, term in enumerate(terms):
        sql, term_params = _vendor_query(connection.vendor, table, sorted(term.tokens), space)
        parts.append(f"SELECT * FROM ({sql}{conditions} ORDER BY e.id DESC LIMIT {CANDIDATES}) t{number}")
        params += term_params + condition_params
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    return _matches(rows, terms)


def _term_rows(connection, table, component, placement_id, terms, group_key, conditions, condition_params):
    """MySQL/MariaDB: (entry id, result id, tokens, score) of the entries of the space holding each term's
    tokens, in one statement: for each token, the newest CANDIDATES results by a bounded range of an
    ordinary index; the score is how often the entry holds the term (a title counts twice)."""
    terms_table = connection.ops.quote_name(SearchTerm._meta.db_table)
    where = "placement_id = %s" + (" AND group_key = %s" if group_key is not None else "")
    space = [placement_id] + ([group_key] if group_key is not None else [])
    parts, params = [], []
    for number, token in enumerate(sorted({token for term in terms for token in term.tokens})):
        parts.append(f"SELECT * FROM (SELECT object_type, object_id FROM {terms_table} WHERE {where} AND token = %s "
                     f"ORDER BY result_id DESC LIMIT {CANDIDATES}) t{number}")
        params += space + [token]
    sql = (f"SELECT DISTINCT e.id, e.result_id, e.tokens FROM ({' UNION ALL '.join(parts)}) c "
           f"JOIN {table} e ON e.component = %s AND e.object_type = c.object_type AND e.object_id = c.object_id "
           f"WHERE {conditions}")
    with connection.cursor() as cursor:
        cursor.execute(sql, params + [component] + condition_params)
        found = cursor.fetchall()
    rows = []
    wanted = [term.tokens for term in terms]  # once: a term's tokens are a new set each time they are asked for
    for entry_id, result_id, entry_tokens in found:
        groups = [set(group.split()) for group in entry_tokens.split(WORD_SEPARATOR)[1:]]
        score = sum(1 for tokens in wanted for group in groups if not group.isdisjoint(tokens))
        rows.append((entry_id, result_id, entry_tokens, score))
    return rows


def _matches(rows, terms):
    """``{result_id: score}`` of the results in which every term appears, from candidate entry rows."""
    found, seen = {}, set()
    wanted = [term.tokens for term in terms]
    for entry_id, result_id, entry_tokens, score in rows:
        matched = found.setdefault(result_id, [set(), 0.0])
        matched[1] += float(score or 0)
        if entry_id in seen:
            continue
        seen.add(entry_id)
        have = set(entry_tokens.split())
        for number, term in enumerate(terms):
            if len(term.positions) == 1:
                if not have.isdisjoint(wanted[number]):
                    matched[0].add(number)
            elif all(have & set(position) for position in term.positions) and _has_phrase(
                    entry_tokens, term.positions):
                matched[0].add(number)
    return {result_id: score for result_id, (numbers, score) in found.items() if len(numbers) == len(terms)}

