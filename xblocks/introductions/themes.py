"""Theme assignments between live sessions: the author schedules themes, each open between two moments; learners
answer each open theme (Markdown, drafts kept as elsewhere); the answers are shown to the group or to the
facilitator only, as the author chooses; the facilitator sees the answers per theme, who has not answered yet, and
what the group said most (the words used most, counted over the answers).

The author lists the themes in one setting, a line per theme (see :data:`FORMAT`)::

    2027-03-26 | 2027-03-31 | Your first week | What surprised you in your team this week?
    2027-04-02 09:00 | 2027-04-07 18:00 | Feedback | Describe a conversation you would like to have.

opens | closes | title | question (optional, Markdown). A date alone opens at the start of that day and closes at
its end (midnight, the next day's 00:00), on the clock of the course's time zone (the ``time_zone`` setting, as the
sessions). Like the sessions, the themes are settings validated by the component contract: Studio and Deep Linking
refuse the same lines with the same message, naming the line at fault.

Answers belong to the group their author was in when answering (``group_key``), as introductions do: nobody reads
another group's answers, and with the facilitator-only choice a learner reads only their own.
"""
import re
from collections import Counter
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from xblocks.core.component import BOOLEAN, CHOICE, MULTILINE, Action, Setting, ngettext_noop
from xblocks.core.errors import NotFound, PermissionDenied, ValidationError
from xblocks.core.text import render_markdown
from xblocks.core.validation import data_dict as _data
from xblocks.core.validation import text as _text

from . import sessions
from .conf import conf
from .facilitator import members, name_of
from .models import ThemeAnswer

HAS_CSS = True
THEMES_MAX_CHARS = 10000
TITLE_MAX = 200
QUESTION_MAX = 2000
GROUP, FACILITATOR = "group", "facilitator"
DATE = "%Y-%m-%d"
# Words counted for "what the group said most": the most frequent, at least this long, never these.
TERMS_SHOWN = 15
TERM_MIN = 3
STOP_WORDS = frozenset("""
the and for are but not you your yours with this that these those have has had was were will would could should
can our ours their theirs they them she his her him its from what when where which who whom why how all any
each few more most other some such only own same than too very just also into about over after before there here
then once out off again because while being been does did doing done
een het van dat die niet zijn ook maar als met voor aan bij door naar wat wie hoe waar wij jij zij hij heb hebben
had was waren wordt worden dan nog wel geen over omdat mijn onze jullie hun deze dit zou kan kunnen moet
les des une pour pas que qui dans sur avec est sont par plus mais comme nous vous ils elles leur mes tes ses
son sont ont été être avoir fait cette ces aux du au ou où donc car très tout tous
""".split())

SETTINGS = (
    Setting("themes", MULTILINE, "", gettext_noop("Theme assignments"),
            gettext_noop("One theme per line: opens | closes | title | question (Markdown), for example "
                         "“2027-03-26 | 2027-03-31 | Your first week | What surprised you this week?”. A date alone "
                         "opens at the start of the day and closes at its end (midnight); times are in the course "
                         "time zone."),
            max_length=THEMES_MAX_CHARS),
    Setting("theme_visibility", CHOICE, GROUP, gettext_noop("Who reads the theme answers"),
            gettext_noop("The learner's group, or only the facilitator (the course team)."),
            choices=({"display_name": gettext_noop("The group"), "value": GROUP},
                     {"display_name": gettext_noop("The facilitator only"), "value": FACILITATOR})),
    Setting("themes_required", BOOLEAN, False, gettext_noop("Theme answers required for completion"),
            gettext_noop("The component is complete only when the learner has also answered every theme.")),
)
JS_STRINGS = (
    gettext_noop("Themes between sessions"),
    gettext_noop("Opens {when}"),
    gettext_noop("Open until {when}"),
    gettext_noop("Closed {when}"),
    gettext_noop("Your answer"),
    gettext_noop("Send my answer"),
    gettext_noop("Change my answer"),
    gettext_noop("Answer sent."),
    gettext_noop("Your group reads your answer."),
    gettext_noop("Only the facilitator reads your answer."),
    gettext_noop("Show the answers"),
    gettext_noop("Hide the answers"),
    gettext_noop("No answers yet."),
    gettext_noop("What the group said most"),
    gettext_noop("Not answered yet"),
    gettext_noop("You did not answer this theme."),
)
JS_PLURALS = (ngettext_noop("{count} answer", "{count} answers"),)


# ----- the setting ------------------------------------------------------------------------------------------
def _moment(text, zone, closing):
    """A date (the start of that day; closing: its end, the next day's 00:00) or a date and time, on ``zone``'s
    clock, as UTC."""
    if re.match(r"^\d{4}-\d{2}-\d{2}$", text):
        try:
            day = datetime.strptime(text, DATE)
        except ValueError as err:
            raise sessions._LineError(gettext_noop("write the dates such as 2027-03-31 or 2027-03-31 18:00")) from err
        return sessions._aware(day + timedelta(days=1) if closing else day, zone)
    try:
        naive = datetime.strptime(text, sessions.DATE_TIME)
    except ValueError as err:
        raise sessions._LineError(gettext_noop("write the dates such as 2027-03-31 or 2027-03-31 18:00")) from err
    return sessions._aware(naive, zone)


def _line(text, zone):
    fields = [part.strip() for part in text.split("|", 3)]
    if len(fields) < 3:
        raise sessions._LineError(gettext_noop("write opens | closes | title | question, separated by “|”"))
    opens = _moment(fields[0], zone, closing=False)
    closes = _moment(fields[1], zone, closing=True)
    title, question = fields[2], fields[3] if len(fields) == 4 else ""
    if closes <= opens:
        raise sessions._LineError(gettext_noop("the theme must close after it opens"))
    if not title:
        raise sessions._LineError(gettext_noop("give the theme a title"))
    if len(title) > TITLE_MAX:
        raise sessions._LineError(gettext_noop("the title is too long (at most 200 characters)"))
    if len(question) > QUESTION_MAX:
        raise sessions._LineError(gettext_noop("the question is too long (at most 2000 characters)"))
    return {"title": title, "question": question, "opens": opens, "closes": closes}


def parse_themes(settings):
    """The themes of a valid setting in the order written: ``[{title, question, opens, closes}]`` (UTC). Raises
    ValueError ``(line number, marked message, values)`` for the first line that cannot be read."""
    zone = sessions._zone(settings)
    found = []
    for number, text in enumerate((settings.get("themes") or "").splitlines(), start=1):
        if not text.strip():
            continue
        try:
            found.append(_line(text.strip(), zone))
        except sessions._LineError as err:
            params = err.args[1] if len(err.args) > 1 else {}
            raise ValueError(number, err.args[0], {**params, "zone": sessions.course_time_zone(settings)}) from err
    return found


def themes_or_none(settings):
    try:
        return parse_themes(settings)
    except ValueError:
        return []  # saved before validation: no themes rather than a broken page


def validate_settings(values, gettext):
    """{name: message} for the themes: one message naming the first line at fault."""
    zone = values.get("time_zone") or ""
    if not isinstance(values.get("themes"), str) or (zone and zone not in sessions._zone_names()):
        return {}  # an unknown zone is the sessions' message
    try:
        found = parse_themes(values)
    except ValueError as err:
        number, message, params = err.args
        return {"themes": gettext(gettext_noop("Line {number}: {problem}.")).format(
            number=number, problem=gettext(message).format(**params))}
    if len(found) > conf("THEMES_MAX"):
        return {"themes": gettext(gettext_noop("List at most {maximum} themes.")).format(maximum=conf("THEMES_MAX"))}
    return {}


def _state(theme, now):
    return "upcoming" if now < theme["opens"] else "open" if now < theme["closes"] else "closed"


def _theme(settings, data):
    """The theme ``index`` of ``data`` and its number, or a clear refusal."""
    index = data.get("theme")
    if isinstance(index, bool) or not isinstance(index, int) or index < 0:
        raise ValidationError(_("Choose a theme."), fields={"theme": _("Invalid.")})
    found = themes_or_none(settings)
    if index >= len(found):
        raise NotFound(_("This theme does not exist (any more)."))
    return index, found[index]


# ----- reading ------------------------------------------------------------------------------------------------
def _answer_out(ctx, row):
    return {"id": row.id, "theme": row.theme, "author": {"name": name_of(row.user), "username": row.user.username,
                                                         "is_you": row.user_id == ctx.user.id},
            "body": row.body, "html": render_markdown(row.body), "modified": row.modified.isoformat()}


def _visible(ctx, settings):
    """The answers this person may read: staff every group's (or the picked one's); a learner their group's when
    the author shares them with the group, else their own only."""
    group_key = ctx.group_key_for_read()
    qs = ThemeAnswer.objects.filter(placement_id=ctx.placement.id)
    if group_key is not None:
        qs = qs.filter(group_key=group_key)
    if not ctx.is_staff and settings.get("theme_visibility") != GROUP:
        qs = qs.filter(user_id=ctx.user.id)
    return qs


def theme_answers(ctx, data, settings):
    """The answers to one theme the person may read, oldest first: ``{"theme", "answers": [...]}`` (one query)."""
    index, _found = _theme(settings, _data(data))
    rows = _visible(ctx, settings).filter(theme=index).select_related("user").order_by("id")[:conf("ANSWERS_SHOWN")]
    return {"theme": index, "answers": [_answer_out(ctx, row) for row in rows]}


def terms(bodies):
    """The words used most in ``bodies``: ``[{term, count}]`` (in how many answers each appears), stop words
    and short words left out."""
    counts = Counter()
    for body in bodies:
        counts.update({word for word in re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", body.lower())
                       if len(word) >= TERM_MIN and word not in STOP_WORDS})
    return [{"term": term, "count": count} for term, count in
            sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:TERMS_SHOWN] if count > 1]


def overview(ctx, data, settings):
    """For staff, per theme: ``{index, title, answered, missing: [names], terms: [{term, count}]}`` for the group
    picked (or the whole course); three queries whatever the size of the group."""
    _data(data)
    group_key, people = members(ctx)
    qs = ThemeAnswer.objects.filter(placement_id=ctx.placement.id)
    if group_key is not None:
        qs = qs.filter(group_key=group_key)
    by_theme = {}
    for theme, user_id, body in qs.values_list("theme", "user_id", "body").iterator():
        by_theme.setdefault(theme, {})[user_id] = body
    out = []
    for index, theme in enumerate(themes_or_none(settings)):
        answers = by_theme.get(index, {})
        out.append({"index": index, "title": theme["title"], "answered": len(answers),
                    "missing": [name_of(p) for p in people if p.id not in answers],
                    "terms": terms(answers.values())})
    return {"themes": out}


# ----- writing ------------------------------------------------------------------------------------------------
def answer_theme(ctx, data, settings):
    """Answer an open theme (``theme``: its index, ``body``: Markdown), or change one's answer while it is open."""
    group_key = ctx.require_group_for_write()
    data = _data(data)
    index, theme = _theme(settings, data)
    body = _text(data, "body", _("Your answer"), conf("ANSWER_MAX"), multiline=True)
    now = timezone.now()
    state = _state(theme, now)
    if state != "open":
        raise PermissionDenied(_("This theme is not open for answers yet.") if state == "upcoming"
                               else _("This theme is closed: answers are no longer taken."))
    from .api import EVENT_PREFIX, _check_rate  # the introductions' rate limit counts these writes too
    _check_rate(ctx)
    with transaction.atomic():
        updated = ThemeAnswer.objects.filter(placement_id=ctx.placement.id, user_id=ctx.user.id,
                                             theme=index).update(body=body, modified=now)
        created = not updated
        if created:
            try:
                with transaction.atomic():
                    ThemeAnswer.objects.create(placement_id=ctx.placement.id, user=ctx.user, group_key=group_key,
                                               theme=index, body=body, created=now, modified=now)
            except IntegrityError:  # sent at the same moment from another tab
                ThemeAnswer.objects.filter(placement_id=ctx.placement.id, user_id=ctx.user.id,
                                           theme=index).update(body=body, modified=now)
                created = False
    ctx.emit(EVENT_PREFIX + ("theme.answered" if created else "theme.changed"), {"theme": index, "length": len(body)})
    row = ThemeAnswer.objects.select_related("user").get(placement_id=ctx.placement.id, user_id=ctx.user.id,
                                                          theme=index)
    return {"answer": _answer_out(ctx, row), "created": created}


def answered_count(ctx, settings):
    """How many of the themes the person has answered (one query)."""
    total = len(themes_or_none(settings))
    if not total:
        return 0, 0
    done = ThemeAnswer.objects.filter(placement_id=ctx.placement.id, user_id=ctx.user.id, theme__lt=total).count()
    return done, total


# ----- the page -----------------------------------------------------------------------------------------------
def page_data(ctx, settings, gettext):  # pylint: disable=unused-argument
    """The themes as the page shows them, with the person's own answers (one query)."""
    found = themes_or_none(settings)
    if not found:
        return {"themes": [], "theme_visibility": settings.get("theme_visibility") or GROUP}, {}
    now = timezone.now()
    mine = {row.theme: row for row in ThemeAnswer.objects.filter(placement_id=ctx.placement.id, user_id=ctx.user.id)
            .select_related("user")}
    return {"themes": [
        {"index": i, "title": t["title"], "question_html": render_markdown(t["question"]) if t["question"] else "",
         "opens": sessions._iso(t["opens"]), "closes": sessions._iso(t["closes"]), "state": _state(t, now),
         "mine": _answer_out(ctx, mine[i]) if i in mine else None}
        for i, t in enumerate(found)],
        "theme_visibility": settings.get("theme_visibility") or GROUP,
        "themes_required": bool(settings.get("themes_required"))}, {}


ACTIONS = {
    "answer_theme": Action(run=answer_theme, contributes=True,
                           forgets_draft=lambda data, result: f"t{result['answer']['theme']}"),
    "theme_answers": Action(run=theme_answers, writes=False),
    "theme_overview": Action(run=overview, writes=False),
}
