"""The expert finder's api: "who knows about X?" (the search) and the page's reads. Profiles and vouches are in
:mod:`.profiles`, evidence in :mod:`.evidence`, the ranking in :mod:`.ranking`.

``search(ctx, data, settings)``: ``data`` = ``{"q": free text, "scope": "cohort"|"course"|"platform", "page":
optional int}``; returns ``{"results": [...], "query", "scope", "corrected", "page", "has_more"}``, each result
with at least ``username``, ``user_id``, ``reasons`` (sentences saying why) and ``score``, in rank order, with the
evidence the searcher may read. Who is found, and which evidence counts, follows :mod:`.profiles`: a person is
found only by those who may see their profile; evidence counts only for those who may read it (never private,
coach-only, hidden or deleted contributions), and never for a person who opted out of derived expertise.

A search costs a fixed number of queries, whatever the number of people and evidence: the searcher's groups,
the known words (and, for a misspelled word, the trigram candidates and their words), the newest matching
evidence (at most ``CANDIDATES``), the course's newest contributions (at most ``HELPERS_READ``, for each
person's helpfulness), the hidden ones among both, the matching profile words, the people found, and the places of the evidence
shown (``tests/xblocks/expert_finder/test_queries.py``).
"""
import datetime

from django.db import connections, router
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext, ngettext

from xblocks.core.errors import ValidationError
from xblocks.core.groups import COURSE as COURSE_GROUP
from xblocks.core.models import Placement
from xblocks.core.validation import data_dict, positive_int, text

from . import profiles, ranking
from . import terms as terms_mod
from .conf import conf
from .models import COHORT, COURSE, LEVELS, PLATFORM, SCOPES, Evidence, EvidenceTerm, Membership, ProfileTerm


def _(text_):
    """Mark a string for translation; it is translated when shown."""
    return text_


LEVEL_NAMES = {1: _("beginner"), 2: _("intermediate"), 3: _("advanced"), 4: _("expert")}
FIELD_NAMES = {"ask": _("says to ask them about it"), "headline": _("in their headline"),
               "about": _("in their profile"), "interest": _("an interest of theirs")}
EVIDENCE_SHOWN = 5


def scopes(settings):
    """The search scopes this finder offers."""
    return [scope for scope in SCOPES if scope != PLATFORM or settings.get("allow_platform")]


def _scope(data, settings):
    scope = data.get("scope") or settings.get("default_scope") or COURSE
    if scope not in scopes(settings):
        message = gettext(_("Choose where to look: your cohort or this course{platform}.")).format(
            platform=gettext(_(", or the whole platform")) if settings.get("allow_platform") else "")
        raise ValidationError(message, fields={"scope": message})
    return scope


def _term_rows(ctx, settings, scope, readable, token_words):
    """The newest matching evidence rows this person may read (one query, at most about ``CANDIDATES``)."""
    if scope != PLATFORM:
        readable = {ctx.course_key: readable.get(ctx.course_key)}
    visible = Q(pk__in=[])
    for context_key, keys in readable.items():
        visible |= Q(context_key=context_key) if keys is None else Q(context_key=context_key,
                                                                    evidence__audience__in=sorted(keys))
    condition = visible & Q(evidence__visible=True, evidence__parent_visible=True,
                            evidence__component__in=profiles.counted_components(settings))
    if scope == COHORT:
        condition &= profiles.in_my_group(ctx, "evidence__user_id")
    rows = (EvidenceTerm.objects.filter(condition)
            .exclude(evidence__user__social_finder_profile__derived_opt_out=True)
            .order_by("-created", "-id")
            .values_list("token", "weight", "evidence_id", "evidence__user_id", "evidence__kind",
                         "evidence__upvotes", "evidence__endorsed", "evidence__created", "evidence__placement_id",
                         "evidence__component", "evidence__object_type", "evidence__object_id",
                         "evidence__parent_type", "evidence__parent_id"))
    # Each token's newest rows by its own range of the (token, course, date) index, all in one statement: an IN
    # over the tokens would sort every matching row before the limit.
    per_token = max(50, conf("CANDIDATES") // len(token_words))
    connection = connections[router.db_for_read(EvidenceTerm)]
    parts, params = [], []
    for number, token in enumerate(sorted(token_words)):
        sql, token_params = rows.filter(token=token)[:per_token].query.sql_with_params()
        parts.append(f"SELECT * FROM ({sql}) t{number}")
        params.extend(token_params)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return [row[:7] + (_as_datetime(row[7]),) + row[8:] for row in cursor.fetchall()]


def _course_rows(ctx, settings, scope, readable):
    """The newest counted contributions of the course this person may read, whatever their topic (at most
    ``HELPERS_READ``; one query): who answers, and is endorsed and upvoted, in the course."""
    condition = profiles.readable_evidence({ctx.course_key: readable.get(ctx.course_key)}, settings)
    condition &= Q(kind__in=sorted(kind for kind, weight in ranking.KIND_WEIGHTS.items() if weight > 0))
    if scope == COHORT:
        condition &= profiles.in_my_group(ctx, "user_id")
    return list(Evidence.objects.filter(condition)
                .exclude(user__social_finder_profile__derived_opt_out=True)
                .order_by("-created", "-id")
                .values_list("id", "user_id", "kind", "upvotes", "endorsed", "created", "component", "object_type",
                             "object_id")[:conf("HELPERS_READ")])


def _evidence_hits(ctx, settings, scope, readable, words):
    """The newest matching evidence this person may read, as :class:`ranking.EvidenceHit`, and the course's
    contributions they may read, as :class:`ranking.Contribution` (three queries)."""
    token_words = {}
    for index, (_word, _shown, tokens, _corrected) in enumerate(words):
        for token in tokens:
            token_words.setdefault(token, []).append(index)
    rows = _term_rows(ctx, settings, scope, readable, token_words) if token_words else []
    course_rows = _course_rows(ctx, settings, scope, readable)
    hidden = profiles.hidden_keys([(row[9], row[10], row[11]) for row in rows]
                                  + [(row[6], row[7], row[8]) for row in course_rows])
    hits, details = [], {}
    for (token, weight, evidence_id, user_id, kind, upvotes, endorsed, created, placement_id, component,
         object_type, object_id, parent_type, parent_id) in rows:
        if (component, object_type, object_id) in hidden:
            continue
        details[evidence_id] = (placement_id, component, object_type, object_id, parent_type, parent_id)
        for index in token_words[token]:
            hits.append(ranking.EvidenceHit(evidence_id, user_id, kind, upvotes, endorsed, created, weight, index))
    contributions = [ranking.Contribution(*row[:6]) for row in course_rows if tuple(row[6:]) not in hidden]
    return hits, details, contributions


def _as_datetime(value):
    """A date read by raw SQL as an aware datetime (SQLite answers text, MySQL a naive datetime in UTC)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.timezone.utc)
    return value


def _profile_hits(ctx, settings, scope, words):
    """The profile words matching the query, of people who may be found in ``scope`` (one query)."""
    token_words = {}
    for index, (_word, _shown, tokens, _corrected) in enumerate(words):
        for token in tokens:
            token_words.setdefault(token, []).append(index)
    if not token_words:
        return []
    reach = profiles.in_my_group(ctx, "user_id") if scope == COHORT else profiles.in_my_course(ctx, "user_id")
    if scope == PLATFORM:
        reach |= Q(user__social_finder_profile__visibility=PLATFORM)
    rows = (ProfileTerm.objects.filter(reach, token__in=sorted(token_words))
            .values_list("user_id", "token", "field", "label", "level")[:conf("CANDIDATES")])
    return [ranking.ProfileHit(user_id, field, label, level, index)
            for user_id, token, field, label, level in rows for index in token_words[token]]


def search(ctx, data, settings):
    """Who knows about ``q``, within ``scope``, best first, each with the reasons and the evidence to check."""
    data = data_dict(data)
    query = text(data, "q", gettext(_("Your question")), conf("QUERY_MAX"), required=False)
    scope = _scope(data, settings)
    page = positive_int(data, "page", 1)
    per_page = conf("RESULTS_PER_PAGE")
    empty = {"results": [], "query": query, "scope": scope, "corrected": [], "page": page, "has_more": False}
    parsed = terms_mod.parse_query(query)
    if not parsed:
        return empty
    words = terms_mod.resolve(parsed)
    readable = profiles.searcher_groups(ctx)
    evidence_hits, details, contributions = _evidence_hits(ctx, settings, scope, readable, words)
    profile_hits = _profile_hits(ctx, settings, scope, words)
    now = timezone.now()
    half_life = settings.get("half_life_days") or 0
    ranked = [person for person in ranking.rank(evidence_hits, profile_hits, now, half_life,
                                                contributions)
              if person.user_id != ctx.user.id]
    # Who may be shown is checked for the best ranked only (most people in reach may be seen): enough for this
    # page and the next, with room for those kept out.
    start = (page - 1) * per_page
    checked = ranked[:(start + per_page) * 2 + 20]
    rows = profiles.people(ctx, {person.user_id for person in checked})
    found = [person for person in checked if person.user_id in rows
             and profiles.may_see(ctx, settings, rows[person.user_id], scope)]
    shown = found[start:start + per_page]
    places = _places({details[e][0] for person in shown for e in list(person.evidence)[:EVIDENCE_SHOWN * 4]})
    results = []
    for person in shown:
        row = rows[person.user_id]
        results.append({
            "user_id": person.user_id, "username": row["username"], "name": profiles.display_name(row),
            "headline": row.get("social_finder_profile__headline") or "",
            "score": round(person.score, 4), "topic_match": person.matched,
            "reasons": reasons(person, words),
            "evidence": _evidence_shown(person, details, places),
        })
    return {**empty, "results": results, "has_more": len(found) > start + per_page or len(ranked) > len(checked),
            "corrected": [{"word": word, "shown": shown_word} for word, shown_word, _t, corrected in words
                          if corrected]}


def _places(placement_ids):
    if not placement_ids:
        return {}
    return dict(Placement.objects.filter(pk__in=placement_ids).values_list("id", "title"))


def _evidence_shown(person, details, places):
    """The person's strongest matching evidence (endorsed, then rated, then newest), as links to check."""
    hits = sorted(person.evidence.values(), key=lambda h: (not h.endorsed, -h.upvotes, -h.created.timestamp()))
    out = []
    for hit in hits[:EVIDENCE_SHOWN]:
        placement_id, component, object_type, object_id, parent_type, parent_id = details[hit.id]
        out.append({
            "id": hit.id, "kind": hit.kind, "component": component, "where": places.get(placement_id, ""),
            "label": gettext(profiles.KIND_LABELS.get(hit.kind, _("Contribution"))),
            "object_type": object_type, "object_id": object_id,
            "thread": parent_id if parent_type == "thread" else (object_id if object_type == "thread" else None),
            "endorsed": hit.endorsed, "upvotes": max(hit.upvotes, 0), "created": hit.created.isoformat(),
        })
    return out


TOPIC_WORDS = 3


def _topic(person, words):
    """The query's words this person matched best (at most :data:`TOPIC_WORDS`, in the query's order), as the
    searcher typed them (or as corrected)."""
    best = sorted(person.words, key=lambda index: (-person.word_scores.get(index, 0.0), index))[:TOPIC_WORDS]
    return ", ".join(words[index][1] for index in sorted(best))


def _helpful_reason(helpful):
    """Why a person with no evidence about the query was found: how they help in the course."""
    counts = []
    if helpful.endorsed:
        counts.append(ngettext("{count} endorsed answer", "{count} endorsed answers", helpful.endorsed).format(
            count=helpful.endorsed))
    if helpful.answers - helpful.endorsed > 0:
        counts.append(ngettext("{count} answer", "{count} answers", helpful.answers - helpful.endorsed).format(
            count=helpful.answers - helpful.endorsed) if not helpful.endorsed else ngettext(
            "{count} more answer", "{count} more answers", helpful.answers - helpful.endorsed).format(
            count=helpful.answers - helpful.endorsed))
    if helpful.upvotes:
        counts.append(ngettext("upvoted {count} time", "upvoted {count} times", helpful.upvotes).format(
            count=helpful.upvotes))
    if not counts:
        return gettext(_("helps others in this course"))
    return gettext(_("helps others in this course: {counts}")).format(counts=", ".join(counts))


def reasons(person, words):
    """Why a person was found, in sentences (the counts of their evidence, vouches and self-rated level; for a
    person with none about the query, how they help in the course)."""
    if not person.matched:
        return [_helpful_reason(person.helpfulness)]
    topic = _topic(person, words)
    kinds = {}
    endorsed = upvotes = vouches = 0
    for hit in person.evidence.values():
        if hit.kind == "vouch":
            vouches += 1
            continue
        kinds[hit.kind] = kinds.get(hit.kind, 0) + 1
        endorsed += 1 if hit.endorsed else 0
        upvotes += max(hit.upvotes, 0)
    out = []
    if endorsed:
        out.append(ngettext("{count} endorsed answer about {topic}", "{count} endorsed answers about {topic}",
                            endorsed).format(count=endorsed, topic=topic))
    answers = kinds.get("reply", 0) - endorsed
    if answers > 0:
        out.append(ngettext("{count} answer about {topic}", "{count} answers about {topic}", answers).format(
            count=answers, topic=topic) if not endorsed else ngettext(
            "{count} more answer", "{count} more answers", answers).format(count=answers))
    if kinds.get("entry"):
        out.append(ngettext("{count} shared reflection about {topic}", "{count} shared reflections about {topic}",
                            kinds["entry"]).format(count=kinds["entry"], topic=topic))
    started = kinds.get("thread", 0) + kinds.get("comment", 0)
    if started:
        out.append(ngettext("{count} post about {topic}", "{count} posts about {topic}", started).format(
            count=started, topic=topic))
    if upvotes:
        out.append(ngettext("upvoted {count} time", "upvoted {count} times", upvotes).format(count=upvotes))
    if vouches:
        out.append(ngettext("vouched by {count} peer", "vouched by {count} peers", vouches).format(count=vouches))
    for label, level in sorted(person.skills.items(), key=lambda item: -item[1])[:2]:
        out.append(gettext(_("self-rated {level} in {skill}")).format(level=gettext(LEVEL_NAMES[level]),
                                                                      skill=label))
    for field in sorted(person.fields):
        out.append(gettext(FIELD_NAMES[field]) if field != "about" else gettext(
            _("mentions {topic} in their profile")).format(topic=topic))
    return out


def page_data(ctx, settings):
    """What the page needs of the search part."""
    profiles.note_member(ctx)
    return {"scopes": scopes(settings), "levels": [{"value": v, "label": gettext(LEVEL_NAMES[v])} for v in LEVELS]}


def summary(context_key):
    """Insights: how many people have a profile in this course and how much evidence it holds (two counts)."""
    from .models import Evidence  # pylint: disable=import-outside-toplevel

    return {
        "people": Membership.objects.filter(context_key=context_key, group_key=COURSE_GROUP).count(),
        "evidence": Evidence.objects.filter(context_key=context_key, visible=True, parent_visible=True).count(),
    }


def participation_count(ctx, settings=None):  # pylint: disable=unused-argument
    """A finder completes on viewing; its one contribution is a saved profile."""
    from .models import Profile  # pylint: disable=import-outside-toplevel

    return 1 if Profile.objects.filter(user_id=ctx.user.id).exists() else 0


# ----- checking a piece of evidence ---------------------------------------------------------------------------
def _space_ctx(ctx, evidence):
    """The searcher's context in the evidence's space (its placement, as the component's own door would build
    it), or None when the finder cannot tell the space's kind of groups."""
    from xblocks.core.context import build_context  # pylint: disable=import-outside-toplevel

    kind = COURSE_GROUP if evidence.audience == COURSE_GROUP else evidence.audience.partition(":")[0]
    if kind not in ("cohort", COURSE_GROUP):
        return None
    requested = evidence.audience if ctx.is_staff and kind != COURSE_GROUP else None
    return build_context(user=ctx.user, placement=evidence.placement, scope=kind, roles=ctx.roles,
                         backend=ctx.group_backend, requested_group=requested, read_only=ctx.read_only)


def open_evidence(ctx, data, settings):
    """A piece of evidence the searcher may read (``id``), as its component shows it to them, through that
    component's public api and its own rules: ``{"kind", "where", "title", "html", "author", "created",
    "endorsed"}``. NotFound for anything they may not read (or that is hidden or gone)."""
    from xblocks.core.errors import ApiError, NotFound  # pylint: disable=import-outside-toplevel
    from xblocks.core.validation import ident  # pylint: disable=import-outside-toplevel

    from .models import Evidence  # pylint: disable=import-outside-toplevel

    data = data_dict(data)
    evidence_id = ident(data)
    missing = NotFound(gettext(_("This contribution is not shared with you, or it is gone.")))
    evidence = (Evidence.objects.filter(profiles.readable_evidence(profiles.searcher_groups(ctx), settings),
                                        pk=evidence_id).select_related("placement").first())
    if evidence is None or evidence.component not in ("cohort_forum", "reflection_blog"):
        raise missing
    space = _space_ctx(ctx, evidence)
    if space is None:
        raise missing
    out = {"kind": evidence.kind, "label": gettext(profiles.KIND_LABELS.get(evidence.kind, _("Contribution"))),
           "where": evidence.placement.title, "endorsed": evidence.endorsed}
    try:
        if evidence.component == "cohort_forum":
            from xblocks.cohort_forum import api as forum_api  # pylint: disable=import-outside-toplevel

            thread_id = evidence.object_id if evidence.object_type == "thread" else evidence.parent_id
            thread = forum_api.get_thread(space, {"id": thread_id})
            posts = [post for reply in thread["replies"] for post in [reply] + reply["comments"]]
            post = thread if evidence.object_type == "thread" else next(
                (p for p in posts if p["id"] == evidence.object_id), None)
            if post is None:
                raise missing
            out.update(title=thread["title"], html=post["body_html"], author=post["author"]["name"],
                       created=post["created"])
        else:
            from xblocks.reflection_blog import api as blog_api  # pylint: disable=import-outside-toplevel

            entry = blog_api.get_entry(space, {"id": evidence.object_id})
            out.update(title=entry["title"], html=entry["body_html"], author=entry["author"]["name"],
                       created=entry["created"])
    except ApiError as err:
        raise missing from err
    return out
