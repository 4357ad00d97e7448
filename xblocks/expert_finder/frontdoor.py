"""The expert finder's declaration for core's component contract, from which both doors are built (the XBlock in
``block.py``, the LTI tool in ``lti/``): settings, actions, page, participation, drafts, strings, insights summary.

The finder is built in parts, as the reflection blog is (docs/adding-a-component.md, "A component in parts"):
each part module may declare ``SETTINGS``, ``validate_settings(values, gettext)``, ``ACTIONS``, ``page_data(ctx,
settings)``, ``JS_STRINGS`` and ``JS_PLURALS``; its script is ``static/expert_finder/finder-<part>.js``, loaded
after ``finder.js`` (whose hooks a part uses). Today: ``api`` (the search, in ``finder.js``), ``profiles``
(profiles, the completeness meter and vouches), ``suggestions`` (people who could help me, people like me) and
``ask`` (a question to a found person, as a forum thread mentioning them or a message in the finder).
"""
from django.utils import timezone

from xblocks.core import actions as core_actions
from xblocks.core.component import BOOLEAN, CHOICE, INTEGER, MULTILINE, TEXT, Action, Component, Page, \
    Participation, Setting
from xblocks.core.errors import ValidationError
from xblocks.core.groups import COHORT as COHORT_GROUPS
from xblocks.core.groups import COURSE as COURSE_GROUPS
from xblocks.core.groups import TEAM
from xblocks.core.text import render_markdown

from . import api, ask, profiles, suggestions
from .conf import conf
from .models import COHORT, COURSE, PLATFORM


def _(text):
    """Mark a string for translation; it is translated when shown, with the door's ``gettext``."""
    return text


def ngettext_noop(singular, plural):
    return (singular, plural)


PARTS = (profiles, suggestions, ask)
DEFAULT_NAME = _("Expert finder")
DEFAULT_INTRO = _("Who knows about what you need? Search the people of your course: each result says why, from "
                  "what they wrote and what their peers say. Fill in your own profile so that others find you.")
GROUP_CHOICES = (
    {"display_name": _("Each learner's cohort"), "value": COHORT_GROUPS},
    {"display_name": _("Each learner's team (of a teamset)"), "value": TEAM},
    {"display_name": _("No groups: the whole course"), "value": COURSE_GROUPS},
)
SCOPE_CHOICES = (
    {"display_name": _("My cohort"), "value": COHORT},
    {"display_name": _("This course"), "value": COURSE},
    {"display_name": _("The whole platform"), "value": PLATFORM},
)
SETTINGS = (
    Setting("display_name", TEXT, DEFAULT_NAME, _("Display name"), _("The heading learners see above the finder."),
            max_length=255, follows_language=True, strip=True),
    Setting("intro", MULTILINE, DEFAULT_INTRO, _("Introduction"),
            _("Shown above the search (Markdown): what people may look for, and why to fill in a profile."),
            max_length=5000, follows_language=True),
    Setting("group_scope", CHOICE, COHORT_GROUPS, _("What “my cohort” means"),
            _("The group a learner's search may keep to: their cohort, their team, or the whole course."),
            choices=GROUP_CHOICES),
    Setting("teamset_id", TEXT, "", _("Teamset ID"),
            _("Required when groups are teams: the ID of the teamset in the course's team settings."),
            max_length=255, strip=True),
    Setting("default_scope", CHOICE, COURSE, _("Where a search looks first"),
            _("Learners may change it for each search, within what you allow."), choices=SCOPE_CHOICES),
    Setting("allow_platform", BOOLEAN, False, _("Profiles may be platform-wide"),
            _("Learners may share their profile with everyone on the platform, and search beyond this course.")),
    Setting("count_forum", BOOLEAN, True, _("Count forum answers"),
            _("Answers, endorsements and upvotes in the course's cohort forums count as expertise.")),
    Setting("count_blog", BOOLEAN, True, _("Count shared reflections"),
            _("Reflection blog entries shared with the group or the course count as expertise (never private or "
              "coach-only ones).")),
    Setting("count_vouches", BOOLEAN, True, _("Count peer vouches"),
            _("Learners may say what they learned from someone, and it counts as expertise.")),
    Setting("half_life_days", INTEGER, 365, _("Half-life of evidence (days)"),
            _("Evidence counts half as much after this many days, a quarter after twice as many."),
            minimum=7, maximum=3650, step=1),
) + tuple(setting for part in PARTS for setting in getattr(part, "SETTINGS", ()))


def validate_settings(values, gettext, known_teamsets=None):
    """Every problem with a complete set of author settings: {name: message}, one per field."""
    errors = {}

    def error(name, text):
        errors.setdefault(name, gettext(text))

    name = values["display_name"]
    if not isinstance(name, str) or not name.strip():
        error("display_name", _("Enter a display name: learners see it as the finder's heading."))
    if values["group_scope"] == TEAM:
        teamset = (values["teamset_id"] or "").strip()
        if not teamset:
            error("teamset_id", _("Enter the teamset ID: it is required when groups are teams."))
        else:
            known = known_teamsets() if known_teamsets is not None else None
            if known is not None and teamset not in known:
                error("teamset_id", _("This course has no teamset with that ID. Check the course's team settings."))
    if values["default_scope"] == PLATFORM and not values["allow_platform"]:
        error("default_scope", _("A search cannot start on the whole platform while profiles stay in the course: "
                                 "allow platform-wide profiles, or choose another."))
    if values["default_scope"] == COHORT and values["group_scope"] == COURSE_GROUPS:
        error("default_scope", _("A finder without groups cannot start in “my cohort”: choose this course, or "
                                 "what “my cohort” means."))
    for part in PARTS:
        validate = getattr(part, "validate_settings", None)
        if validate is not None:
            for field_name, message in validate(values, gettext).items():
                errors.setdefault(field_name, message)
    return errors


JS_STRINGS = (
    _("Could not reach the server. Please try again."),
    _("Nobody matches “{query}” here yet. Try another word, or look in a wider circle."),
    _("Searching…"),
    _("Showing results for {words}."),
    _("More people"),
    _("Open profile"),
    _("Why: {reasons}"),
    _("Evidence you can check"),
    _("endorsed"),
    _("in {where}"),
    _("Type a topic, a skill or a question."),
    _("Back"),
    _("Written by {name}"),
)
JS_PLURALS = (
    ngettext_noop("{count} person found", "{count} people found"),
    ngettext_noop("{count} upvote", "{count} upvotes"),
)
I18N_NAMESPACE = "SocialExpertFinderI18N"


def settings_payload(settings):
    return {
        "default_scope": settings["default_scope"] if settings["default_scope"] in api.scopes(settings) else COURSE,
        "allow_platform": bool(settings["allow_platform"]),
        "query_max": conf("QUERY_MAX"),
        "headline_max": conf("HEADLINE_MAX"),
        "about_max": conf("ABOUT_MAX"),
        "list_max": conf("LIST_MAX"),
        "skill_max": conf("SKILL_MAX"),
        "skills_max": conf("SKILLS_PER_PROFILE"),
        "topic_max": conf("VOUCH_TOPIC_MAX"),
        "question_max": conf("QUESTION_MAX"),
    }


def base_context(settings, gettext):
    intro = FINDER.shown("intro", settings["intro"], gettext)
    return {
        "display_name": FINDER.shown("display_name", settings["display_name"], gettext),
        "intro_html": render_markdown(intro) if intro else "",
    }


def page_data(ctx, settings, *, urls, drafts, completed, complete_on_view, gettext, ngettext):
    """The finder's page for ``ctx``: ``(init, context)``; each part adds its own."""
    if not completed and not ctx.read_only:
        complete_on_view()
        completed = True
    payload = settings_payload(settings)
    init = {
        "handlers": list(FINDER.handlers),
        "urls": urls,
        "settings": payload,
        "roles": {"is_staff": ctx.is_staff, "is_advocate": ctx.is_advocate},
        "user": {"id": ctx.user.id, "username": ctx.user.username},
        "participation": core_actions.participation(FINDER, ctx, settings, completed),
        "i18n": FINDER.catalog(gettext, ngettext),
        "i18n_namespace": I18N_NAMESPACE,
        "read_only": ctx.read_only,
        "drafts": dict(drafts or {}),
        "now": timezone.now().isoformat(),
    }
    init.update(api.page_data(ctx, settings))
    for part in PARTS:
        init.update(part.page_data(ctx, settings))
    scope_labels = {choice["value"]: gettext(choice["display_name"]) for choice in SCOPE_CHOICES}
    context = {
        "scopes": [{"value": scope, "label": scope_labels[scope]} for scope in init["scopes"]],
        "default_scope": payload["default_scope"],
        "levels": init["levels"],
        "visibilities": [{"value": scope, "label": scope_labels[scope]} for scope in init["scopes"]],
        "contacts": [{"value": key, "label": gettext(label)} for key, label in profiles.CONTACT_LABELS.items()],
        **payload,
    }
    return init, context


def update_drafts(drafts, data, gettext):
    """The finder keeps one draft: the profile form's text while it is edited (``key`` "profile")."""
    if data.get("key") != "profile":
        raise ValidationError(gettext(_("This draft cannot be saved: unknown place.")),
                              fields={"key": gettext(_("Invalid."))})
    kept = {}
    for name in ("headline", "about", "interests", "wants_to_learn", "languages", "ask_me_about"):
        value = data.get(name)
        if value is None:
            continue
        if not isinstance(value, str) or len(value) > conf("ABOUT_MAX"):
            raise ValidationError(gettext(_("The profile could not be kept as a draft.")),
                                  fields={name: gettext(_("Invalid."))})
        kept[name] = value
    drafts = dict(drafts or {})
    if any(value.strip() for value in kept.values()):
        drafts["profile"] = {**kept, "saved": timezone.now().isoformat()}
        return drafts, {"key": "profile", "saved": drafts["profile"]["saved"]}
    drafts.pop("profile", None)
    return drafts, {"key": "profile", "saved": None}


def author_context(settings, gettext):
    """Studio's preview: the settings as learners will meet them; no learner data."""
    def label(choices, value):
        return next((gettext(c["display_name"]) for c in choices if c["value"] == value), value)

    counted = [gettext(text) for key, text in (("count_forum", _("forum answers")),
                                               ("count_blog", _("shared reflections")),
                                               ("count_vouches", _("peer vouches"))) if settings[key]]
    return {
        "group_label": label(GROUP_CHOICES, settings["group_scope"]),
        "scope_label": label(SCOPE_CHOICES, settings["default_scope"]),
        "allow_platform": bool(settings["allow_platform"]),
        "counted": counted,
        "half_life": settings["half_life_days"],
    }


def _reads(function):
    return Action(run=function, writes=False)


ACTIONS = {"search": _reads(api.search), "open_evidence": _reads(api.open_evidence)}
for _part in PARTS:
    ACTIONS.update(getattr(_part, "ACTIONS", {}))

JS_FILES = ("static/expert_finder/finder.js",) + tuple(
    f"static/expert_finder/finder-{part.__name__.rsplit('.', 1)[-1]}.js" for part in PARTS)
CSS_FILES = ("static/expert_finder/finder.css",)

FINDER = Component(
    key="expert_finder",
    block_type="social_expert_finder",
    title=_("Expert finder"),
    package="xblocks.expert_finder",
    settings=SETTINGS,
    validate=validate_settings,
    actions=ACTIONS,
    page=Page(
        template="templates/expert_finder/finder.html",
        closed_template="templates/expert_finder/closed.html",
        author_template="templates/expert_finder/author.html",
        js=JS_FILES,
        css=CSS_FILES,
        entry_point="SocialExpertFinder",
        data=page_data,
        base_context=base_context,
        author_context=author_context,
        sign_in_message=_("Sign in to find people who know."),
    ),
    participation=Participation(count=api.participation_count),
    update_drafts=update_drafts,
    js_strings=JS_STRINGS + tuple(s for part in PARTS for s in getattr(part, "JS_STRINGS", ())),
    js_plurals=JS_PLURALS + tuple(p for part in PARTS for p in getattr(part, "JS_PLURALS", ())),
    i18n_namespace=I18N_NAMESPACE,
    summary=api.summary,
    extra={"deep_linking": {
        "title": _("Add an expert finder"),
        "intro": _("Learners find who knows about a topic, from what people wrote in the course's forums and "
                   "blogs and what their peers say, with the reasons shown; each keeps a profile."),
        "hints": {"group_scope": _("Groups come from the course's groups in the tool, or from a “cohort” custom "
                                   "parameter.")},
        "rows": {"intro": 4},
        "hidden": ("teamset_id",),
        "without_choices": {"group_scope": (TEAM,)},
        "required": ("display_name",),
    }},
)
HANDLERS = FINDER.handlers
