"""Prompts and completion.

The author schedules prompts ("What did you apply from module 2 this week?") with open and due dates entered in
the course's time zone (the ``time_zone`` setting; empty: the platform's, see :func:`course_time_zone`) and
stored in UTC (:class:`~xblocks.reflection_blog.models.Prompt`). Learners see what is open, upcoming, due and
answered; an entry answers a prompt (``Entry.prompt``; ``api`` calls :func:`check_answerable` before saving
one). A prompt is answerable from its opening date on, also after its due date (a late answer is still kept,
and shown as late).

Completion (:func:`participation_count`): an entry counts when it has at least the author's minimum number of
words (``min_words``; a prompt may ask for more); while a required prompt is not answered that way, the count
stays below the number of entries required, so completion waits for it. The score is the same count out of the
entries required (core reports it: the XBlock's grade event, AGS in the tool).
"""
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.db import transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Q, Subquery
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from xblocks.core import compat
from xblocks.core.component import INTEGER, TEXT, Action, Setting, ngettext_noop
from xblocks.core.errors import NotFound, PermissionDenied, ValidationError
from xblocks.core.validation import data_dict as _data
from xblocks.core.validation import flag as _flag
from xblocks.core.validation import ident as _id
from xblocks.core.validation import text as _text

from .models import Entry, Prompt

EVENT_PREFIX = "social_learning.blog."
# This part's styles: static/reflection_blog/blog-<part>.css.
HAS_CSS = True
PROMPT_TEXT_MAX = 1000
PROMPTS_MAX = 100
MIN_WORDS_MAX = 5000
# What a date field of the prompt editor sends: the date and time on the course's clock.
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
UPCOMING, OPEN, PAST_DUE = "upcoming", "open", "past_due"


SETTINGS = (
    Setting("time_zone", TEXT, "", gettext_noop("Course time zone"),
            gettext_noop("The time zone of the prompts' open and due dates, as a name such as Europe/Brussels. Empty: the "
                  "platform's time zone (UTC in the tool)."), max_length=64, strip=True),
    Setting("min_words", INTEGER, 0, gettext_noop("Words an entry needs to count"),
            gettext_noop("The fewest words an entry needs to count towards completion and the score (0: any entry counts). "
                  "A prompt may ask for more."), minimum=0, maximum=MIN_WORDS_MAX, step=1),
)
JS_STRINGS = (
    gettext_noop('Add prompt'),
    gettext_noop('Answer'),
    gettext_noop('Answered'),
    gettext_noop('All prompts'),
    gettext_noop('Delete this prompt? Entries that answer it keep their text.'),
    gettext_noop('Due {time}'),
    gettext_noop('Edit'),
    gettext_noop('Edit prompt'),
    gettext_noop('Late'),
    gettext_noop('Move down'),
    gettext_noop('Move up'),
    gettext_noop('No prompts yet.'),
    gettext_noop('Not answered yet'),
    gettext_noop('Opens {time}'),
    gettext_noop('Prompt'),
    gettext_noop('Prompt deleted.'),
    gettext_noop('Prompt saved.'),
    gettext_noop('Prompts'),
    gettext_noop('Required'),
    gettext_noop('Save prompt'),
    gettext_noop('No prompt'),
    gettext_noop('In answer to'),
    gettext_noop('Dates are in the course time zone: {zone}.'),
    gettext_noop('Past due'),
    gettext_noop('Opens'),
    gettext_noop('Due'),
    gettext_noop('Edit prompts'),
    gettext_noop('Fewest words in an answer'),
    gettext_noop('0: any answer counts; the blog’s own minimum applies too.'),
    gettext_noop('Open'),
    gettext_noop('Delete'),
    gettext_noop('Cancel'),
)
JS_PLURALS = (
    ngettext_noop('At least {count} word', 'At least {count} words'),
)


# ----- time zones ----------------------------------------------------------------------------------------
def course_time_zone(settings):
    """The course's time zone name: the ``time_zone`` setting, else the platform's (Open edX), else UTC."""
    name = (settings or {}).get("time_zone") or ""
    if name:
        return name
    return compat.platform_time_zone() if compat.running_in_openedx() else "UTC"


def _zone(settings):
    try:
        return ZoneInfo(course_time_zone(settings))
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def validate_settings(values, gettext):
    """{name: message} for the settings of this part."""
    errors = {}
    name = values.get("time_zone") or ""
    if name and (not isinstance(name, str) or name not in _zone_names()):
        errors["time_zone"] = gettext(gettext_noop("Unknown time zone: write a name such as Europe/Brussels or UTC."))
    words, required = values.get("min_words"), values.get("participation_required")
    if isinstance(words, int) and words > 0 and required == 0:
        errors["min_words"] = gettext(gettext_noop("This blog completes when the learner views it, so no entry is counted: "
                                            "require at least 1 entry, or set the words to 0."))
    return errors


def _zone_names():
    if not hasattr(_zone_names, "names"):
        _zone_names.names = frozenset(available_timezones()) | {"UTC"}
    return _zone_names.names


def _local(value, zone):
    return value.astimezone(zone).strftime(LOCAL_FORMAT) if value else ""


def _parse_local(data, name, zone, errors):
    """A date and time on the course's clock (``YYYY-MM-DDTHH:MM``) as an aware UTC datetime; "" is None."""
    raw = data.get(name)
    if raw in (None, ""):
        return None
    try:
        naive = datetime.strptime(raw, LOCAL_FORMAT) if isinstance(raw, str) else None
    except ValueError:
        naive = None
    if naive is None:
        errors[name] = _("Enter a date and time such as 2026-03-31T23:59.")
        return None
    return naive.replace(tzinfo=zone).astimezone(ZoneInfo("UTC"))


# ----- reading prompts ---------------------------------------------------------------------------------
def _state(prompt, now):
    if prompt.opens is not None and prompt.opens > now:
        return UPCOMING
    if prompt.due is not None and prompt.due < now:
        return PAST_DUE
    return OPEN


def _needed(prompt, settings):
    return max(prompt.min_words, (settings or {}).get("min_words") or 0)


def prompt_list(ctx, settings):
    """The blog's prompts in the author's order, each with its state and, for the person asking, their answer
    (the newest entry answering it) and whether it counts. Two queries."""
    now = timezone.now()
    prompts = list(Prompt.objects.filter(placement_id=ctx.placement.id, deleted=False).order_by("position", "id"))
    answers = {}
    if prompts:
        for row in (Entry.objects.filter(placement_id=ctx.placement.id, author_id=ctx.user.id, deleted=False,
                                         prompt_id__in=[p.id for p in prompts])
                    .order_by("created", "id").values("id", "prompt_id", "word_count", "created")):
            answers.setdefault(row["prompt_id"], []).append(row)
    out = []
    for prompt in prompts:
        mine = answers.get(prompt.id, [])
        needed = _needed(prompt, settings)
        counted = [a for a in mine if a["word_count"] >= needed]
        answer = (counted or mine or [None])[-1]
        out.append({
            "id": prompt.id, "text": prompt.text, "state": _state(prompt, now),
            "opens": prompt.opens.isoformat() if prompt.opens else None,
            "due": prompt.due.isoformat() if prompt.due else None,
            "required": prompt.required, "min_words": prompt.min_words, "words_needed": needed,
            "answered": bool(counted), "answer": answer["id"] if answer else None,
            "late": bool(answer and prompt.due and answer["created"] > prompt.due),
        })
    return out


def _editor_rows(ctx, settings):
    zone = _zone(settings)
    rows = Prompt.objects.filter(placement_id=ctx.placement.id, deleted=False).order_by("position", "id")
    return [{"id": p.id, "text": p.text, "opens": _local(p.opens, zone), "due": _local(p.due, zone),
             "required": p.required, "min_words": p.min_words} for p in rows]


def list_prompts(ctx, data, settings):  # pylint: disable=unused-argument
    """The prompts as the person sees them; staff also get them as the editor shows them (dates on the course's
    clock) and the course's time zone."""
    out = {"prompts": prompt_list(ctx, settings), "time_zone": course_time_zone(settings)}
    if ctx.is_staff:
        out["editor"] = _editor_rows(ctx, settings)
    return out


def page_data(ctx, settings, gettext):  # pylint: disable=unused-argument
    """``(init, context)`` this module adds to the page: the prompts and the course's time zone."""
    init = {"prompts": prompt_list(ctx, settings), "time_zone": course_time_zone(settings)}
    return init, {}


def check_answerable(ctx, prompt_id):
    """The :class:`~xblocks.reflection_blog.models.Prompt` an entry answers (one query), or NotFound when it is
    not a prompt of this blog that is open (from its opening date on; late answers are kept)."""
    prompt = Prompt.objects.filter(placement_id=ctx.placement.id, deleted=False, pk=prompt_id).first()
    if prompt is None:
        raise NotFound(_("This prompt does not exist in this blog."))
    if prompt.opens is not None and prompt.opens > timezone.now():
        raise ValidationError(_("This prompt is not open yet."), fields={"prompt": _("This prompt is not open yet.")})
    return prompt


def answered(ctx, entry, prompt):
    """Tracking: an entry now answers ``prompt`` (after it was saved)."""
    ctx.emit(EVENT_PREFIX + "prompt.answered", {
        "entry_id": entry.id, "prompt_id": prompt.id, "words": entry.word_count,
        "late": bool(prompt.due and timezone.now() > prompt.due), "required": prompt.required})


# ----- the author's editor ------------------------------------------------------------------------------
def _require_staff(ctx):
    ctx.require_writable()
    if not ctx.is_staff:
        raise PermissionDenied(_("Only the course team can change the prompts."))


def _staff_prompt(ctx, data):
    prompt = Prompt.objects.filter(placement_id=ctx.placement.id, deleted=False, pk=_id(data)).first()
    if prompt is None:
        raise NotFound(_("This prompt does not exist in this blog."))
    return prompt


def save_prompt(ctx, data, settings):
    """Add a prompt (no ``id``) or change one: ``text``, ``opens`` and ``due`` (the course's clock, optional),
    ``required``, ``min_words``. Every field is checked before anything is written (one message per field)."""
    _require_staff(ctx)
    data = _data(data)
    errors = {}
    try:
        text = _text(data, "text", _("The prompt"), PROMPT_TEXT_MAX, multiline=True)
    except ValidationError as err:
        errors["text"] = (err.fields or {}).get("text") or err.message
        text = ""
    zone = _zone(settings)
    opens = _parse_local(data, "opens", zone, errors)
    due = _parse_local(data, "due", zone, errors)
    if opens and due and due <= opens:
        errors["due"] = _("The due date must come after the opening date.")
    required = _flag(data, "required", False)
    words = data.get("min_words", 0)
    if words in (None, ""):
        words = 0
    if isinstance(words, str) and words.strip().isdigit():
        words = int(words.strip())
    if not isinstance(words, int) or isinstance(words, bool) or not 0 <= words <= MIN_WORDS_MAX:
        errors["min_words"] = _("Enter a whole number of words from 0 to {maximum}.").format(maximum=MIN_WORDS_MAX)
    if required and not (settings.get("participation_required") or 0):
        errors["required"] = _("This blog completes when the learner views it: require at least 1 entry in the "
                               "settings before you make a prompt required.")
    prompt = _staff_prompt(ctx, data) if data.get("id") not in (None, "") else None
    if errors:
        raise ValidationError(next(iter(errors.values())), fields=errors)
    now = timezone.now()
    values = {"text": text, "opens": opens, "due": due, "required": required, "min_words": words, "modified": now}
    with transaction.atomic():
        if prompt is None:
            if Prompt.objects.filter(placement_id=ctx.placement.id, deleted=False).count() >= PROMPTS_MAX:
                raise ValidationError(_("A blog has at most {count} prompts.").format(count=PROMPTS_MAX))
            last = Prompt.objects.filter(placement_id=ctx.placement.id).aggregate(m=Max("position"))["m"]
            prompt = Prompt.objects.create(placement_id=ctx.placement.id, position=(last or 0) + 1, created=now,
                                           **values)
            created = True
        else:
            Prompt.objects.filter(pk=prompt.id).update(**values)
            created = False
    ctx.emit(EVENT_PREFIX + ("prompt.created" if created else "prompt.edited"),
             {"prompt_id": prompt.id, "required": required, "min_words": words})
    return list_prompts(ctx, {}, settings)


def delete_prompt(ctx, data, settings):
    """Remove a prompt (``id``): learners no longer see it; entries that answered it keep their text."""
    _require_staff(ctx)
    prompt = _staff_prompt(ctx, _data(data))
    Prompt.objects.filter(pk=prompt.id).update(deleted=True, modified=timezone.now())
    ctx.emit(EVENT_PREFIX + "prompt.deleted", {"prompt_id": prompt.id})
    return list_prompts(ctx, {}, settings)


def move_prompt(ctx, data, settings):
    """Move a prompt (``id``) one place ``up`` or ``down`` (``direction``) in the order learners see."""
    _require_staff(ctx)
    data = _data(data)
    direction = data.get("direction")
    if direction not in ("up", "down"):
        raise ValidationError(_("Choose up or down."), fields={"direction": _("Choose up or down.")})
    prompt_id = _id(data)
    with transaction.atomic():
        rows = list(Prompt.objects.select_for_update().filter(placement_id=ctx.placement.id, deleted=False)
                    .order_by("position", "id").values_list("id", "position"))
        at = next((i for i, row in enumerate(rows) if row[0] == prompt_id), None)
        if at is None:
            raise NotFound(_("This prompt does not exist in this blog."))
        to = at - 1 if direction == "up" else at + 1
        if 0 <= to < len(rows):
            (mine, my_position), (other, other_position) = rows[at], rows[to]
            if my_position == other_position:  # same place (ordered by id): step past the other
                Prompt.objects.filter(pk=mine).update(position=other_position + (-1 if to < at else 1))
            else:  # swap the two places; the others stay where they are
                Prompt.objects.filter(pk=mine).update(position=other_position)
                Prompt.objects.filter(pk=other).update(position=my_position)
    return list_prompts(ctx, {}, settings)


ACTIONS = {
    "list_prompts": Action(run=list_prompts, writes=False),
    "save_prompt": Action(run=save_prompt),
    "delete_prompt": Action(run=delete_prompt),
    "move_prompt": Action(run=move_prompt),
}


# ----- completion ------------------------------------------------------------------------------------------
def participation_count(ctx, settings=None):
    """How many of the learner's entries count towards completion and the score: those with at least the
    words asked (the blog's minimum, or the prompt's when it asks more). While a required prompt has no such
    answer, the count stays below the entries required. One query."""
    settings = settings or {}
    minimum = settings.get("min_words") or 0
    needed = Greatest(F("prompt__min_words"), minimum)
    answer = Entry.objects.filter(prompt_id=OuterRef("pk"), author_id=ctx.user.id, deleted=False,
                                  word_count__gte=Greatest(OuterRef("min_words"), minimum))
    unanswered = (Prompt.objects.filter(placement_id=ctx.placement.id, deleted=False, required=True)
                  .exclude(Exists(answer)).values("id")[:1])
    # One query: the entries that count, and a required prompt without such an answer (if any).
    counts = Entry.objects.filter(placement_id=ctx.placement.id, author_id=ctx.user.id, deleted=False).aggregate(
        n=Count("id", filter=Q(prompt__isnull=True, word_count__gte=minimum)
                | Q(prompt__isnull=False, word_count__gte=needed)),
        missing=Max(Subquery(unanswered)))
    count, missing = counts["n"], counts["missing"] is not None
    required = settings.get("participation_required") or 0
    if missing and required:
        count = min(count, required - 1)
    return count

