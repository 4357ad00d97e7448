"""The finder's profiles part: a person's profile, who may see it, the completeness meter, and peer vouches.

A profile is the person's own, the same in every course: headline, about, skills with a self-rated level,
interests, what they want to learn, languages, "ask me about", how they prefer to be contacted, who may find it
(``cohort``: the people of the groups they share; ``course``: the people of the courses they are in;
``platform``: everyone, only where the course team allows it) and whether expertise may be derived from what
they do. The name comes from the platform's account.
"""
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from xblocks.core import ratelimit
from xblocks.core.component import Action
from xblocks.core.errors import NotFound, PermissionDenied, RateLimited, ValidationError
from xblocks.core.groups import COURSE as COURSE_GROUP
from xblocks.core.models import SearchEntry
from xblocks.core.validation import data_dict, flag, ident, text

from . import evidence as evidence_mod
from . import terms as terms_mod
from .conf import conf
from .models import CONTACTS, COHORT, COURSE, LEVELS, PLATFORM, SCOPES, Evidence, Membership, Profile, ProfileTerm, \
    Skill, Vouch



def _(text_):
    """Mark a string for translation; it is translated when shown."""
    return text_


DEFAULT_VISIBILITY = COURSE
# The fields the completeness meter counts, with the gentle prompt for the first one missing.
COMPLETENESS = (
    ("headline", _("Add a headline: one line on what you do.")),
    ("skills", _("Add a skill you could help others with, and how well you know it.")),
    ("ask_me_about", _("Say what people may ask you about.")),
    ("about", _("Tell a little about yourself and your work.")),
    ("interests", _("Add a few interests: people who share them can find you.")),
    ("wants_to_learn", _("Say what you want to learn: the finder suggests who could help.")),
    ("languages", _("Add the languages you speak.")),
)
LIST_FIELDS = ("interests", "wants_to_learn", "languages", "ask_me_about")
TERM_FIELDS = (("headline", "headline"), ("about", "about"), ("ask_me_about", "ask"), ("interests", "interest"),
               ("wants_to_learn", "learn"))


# ----- who may see whom ------------------------------------------------------------------------------
def searcher_groups(ctx):
    """{course key: set of group keys} the person reads evidence of: their groups of each course they were seen
    in, with each course as a whole (one query). Staff read every group of this course (key None)."""
    out = {}
    for context_key, group_key in Membership.objects.filter(user_id=ctx.user.id).values_list("context_key", "group_key"):
        out.setdefault(context_key, {COURSE_GROUP}).add(group_key)
    mine = out.setdefault(ctx.course_key, {COURSE_GROUP})
    if ctx.group is not None:
        mine.add(ctx.group.key)
    if ctx.is_staff:
        out[ctx.course_key] = None
    return out


def searcher_groups_of_course(ctx):
    """:func:`searcher_groups` for this course only."""
    return {ctx.course_key: searcher_groups(ctx).get(ctx.course_key)}


def note_member(ctx):
    """The finder saw this person in their group of this course (one statement, nothing when known)."""
    if ctx.read_only:
        return
    keys = {COURSE_GROUP} | ({ctx.group.key} if ctx.group is not None else set())
    evidence_mod.seen(ctx.user.id, ctx.course_key, keys)


def _members(ctx, group_key):
    """The ids of the members of a group of this course, as the platform's groups say (a subquery)."""
    backend = ctx.group_backend
    if backend is None:
        return None
    return get_user_model().objects.filter(backend.member_filter(ctx.course_key, group_key)).values("id")


def in_my_group(ctx, field):
    """A Q: the user at ``field`` shares this person's group (the platform's groups, or the finder's memberships
    where no group backend answers). Staff reading every group: the course."""
    if ctx.group is None:
        return in_my_course(ctx, field)
    members = _members(ctx, ctx.group.key)
    if members is not None:
        return Q(**{f"{field}__in": members})
    return Q(**{f"{field}__in": Membership.objects.filter(context_key=ctx.course_key, group_key=ctx.group.key)
                .values("user_id")})


def in_my_course(ctx, field):
    """A Q: the user at ``field`` is in this course (the platform's roster, or seen in the course by the finder)."""
    seen = Q(**{f"{field}__in": Membership.objects.filter(context_key=ctx.course_key).values("user_id")})
    members = _members(ctx, COURSE_GROUP)
    return seen | Q(**{f"{field}__in": members}) if members is not None else seen


def people(ctx, user_ids):
    """{user id: row} of these people with their profile and whether they share this person's group or course
    (one query)."""
    if not user_ids:
        return {}
    annotations = {"sls_course": ExpressionWrapper(in_my_course(ctx, "pk"), output_field=BooleanField()),
                   "sls_group": ExpressionWrapper(in_my_group(ctx, "pk"), output_field=BooleanField())}
    rows = get_user_model().objects.filter(pk__in=list(user_ids)).annotate(**annotations).values(
        "id", "username", "first_name", "last_name", "sls_course", "sls_group",
        "social_finder_profile__visibility", "social_finder_profile__headline",
        "social_finder_profile__derived_opt_out", "social_finder_profile__contact")
    return {row["id"]: row for row in rows}


def display_name(row):
    name = f"{row.get('first_name') or ''} {row.get('last_name') or ''}".strip()
    return name or row["username"]


def may_see(ctx, settings, row, scope=PLATFORM):
    """Whether this person may see (and find) the person of ``row`` within ``scope``."""
    if row["id"] == ctx.user.id:
        return True
    visibility = row.get("social_finder_profile__visibility") or DEFAULT_VISIBILITY
    platform_allowed = bool(settings.get("allow_platform"))
    shares_group = bool(row.get("sls_group"))
    in_course = bool(row.get("sls_course"))
    if scope == COHORT and not shares_group:
        return False
    if scope == COURSE and not in_course:
        return False
    if visibility == COHORT:
        return shares_group
    if visibility == PLATFORM and platform_allowed:
        return True
    return in_course


# ----- reading a profile -----------------------------------------------------------------------------
def _profile_fields(profile):
    return {
        "headline": profile.headline if profile else "",
        "about": profile.about if profile else "",
        "interests": profile.interests if profile else "",
        "wants_to_learn": profile.wants_to_learn if profile else "",
        "languages": profile.languages if profile else "",
        "ask_me_about": profile.ask_me_about if profile else "",
        "contact": profile.contact if profile else "forum",
        "visibility": profile.visibility if profile else DEFAULT_VISIBILITY,
        "derived_opt_out": bool(profile.derived_opt_out) if profile else False,
        "skills": [{"name": s.name, "level": s.level} for s in profile.skills.all()] if profile else [],
    }


def completeness(fields):
    """``{"percent", "prompt"}``: how much of the profile is filled, and a gentle prompt for what is missing."""
    filled = [bool(fields.get(name)) for name, _prompt in COMPLETENESS]
    missing = next((prompt for (name, prompt), done in zip(COMPLETENESS, filled) if not done), "")
    return {"percent": round(100 * sum(filled) / len(filled)), "prompt": gettext(missing) if missing else ""}


def _load_profile(user_id):
    return Profile.objects.filter(user_id=user_id).prefetch_related("skills").first()


def my_profile(ctx, data, settings):
    """The person's own profile as the edit form shows it, with the completeness meter."""
    data_dict(data)
    return _mine(ctx, _profile_fields(_load_profile(ctx.user.id)), settings)


def _mine(ctx, fields, settings):
    return {"profile": fields, "completeness": completeness(fields), "name": ctx.user.get_full_name() or
            ctx.user.username, "username": ctx.user.username, "allow_platform": bool(settings.get("allow_platform"))}


def split_list(value):
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def get_profile(ctx, data, settings):
    """Another person's profile (``user_id``), as this person may see it: the profile (if they may see it), the
    vouches they received, and the evidence this person may read (newest first). NotFound otherwise."""
    data = data_dict(data)
    user_id = ident(data, "user_id")
    row = people(ctx, [user_id]).get(user_id)
    if row is None or not may_see(ctx, settings, row):
        raise NotFound(gettext("This person's profile is not shared with you, or they have none."))
    profile = _load_profile(user_id) if row.get("social_finder_profile__visibility") else None
    fields = _profile_fields(profile)
    readable = searcher_groups(ctx)
    items = []
    if not fields["derived_opt_out"]:
        rows = list(Evidence.objects.filter(readable_evidence(readable, settings), user_id=user_id)
                    .select_related("placement").order_by("-created")[:20])
        hidden = hidden_keys((e.component, e.object_type, e.object_id) for e in rows)
        items = [evidence_item(e, e.placement.title) for e in rows
                 if (e.component, e.object_type, e.object_id) not in hidden]
    vouches = list(Vouch.objects.filter(user_id=user_id).values("topic", "voucher_id").order_by("topic")[:200])
    topics = {}
    for vouch in vouches:
        topics.setdefault(vouch["topic"], []).append(vouch["voucher_id"])
    contact = fields["contact"]
    return {
        "user_id": user_id, "username": row["username"], "name": display_name(row),
        "profile": {key: value for key, value in fields.items() if key not in ("visibility", "derived_opt_out")},
        "lists": {name: split_list(fields[name]) for name in LIST_FIELDS},
        "contact_label": gettext(CONTACT_LABELS.get(contact, CONTACT_LABELS["forum"])),
        "email": row_email(user_id) if contact == "email" else "",
        "vouches": [{"topic": topic, "count": len(ids), "mine": ctx.user.id in ids} for topic, ids in topics.items()],
        "evidence": items,
        "is_me": user_id == ctx.user.id,
    }


CONTACT_LABELS = {
    "forum": _("Ask me in the course forum"),
    "finder": _("Send me a message here in the finder"),
    "email": _("E-mail me"),
}


def row_email(user_id):
    return get_user_model().objects.filter(pk=user_id).values_list("email", flat=True).first() or ""


def readable_evidence(readable, settings):
    """A Q on Evidence: what a reader with these groups ({course: keys or None}) may read and the settings count."""
    q = Q(pk__in=[])
    for context_key, keys in readable.items():
        q |= Q(context_key=context_key) if keys is None else Q(context_key=context_key, audience__in=sorted(keys))
    components = counted_components(settings)
    return q & Q(visible=True, parent_visible=True, component__in=components)


def hidden_keys(keys):
    """Of these contributions ((component, object type, object id)), those core's search index marks hidden: staff
    hid them in a component that tells its index but sends no signal for it. One query by the index's unique key
    (none without keys); read after the candidates, so that no search scans the index's hidden entries."""
    by_type = {}
    for component, object_type, object_id in keys:
        by_type.setdefault((component, object_type), set()).add(object_id)
    if not by_type:
        return set()
    condition = Q(pk__in=[])
    for (component, object_type), ids in by_type.items():
        condition |= Q(component=component, object_type=object_type, object_id__in=sorted(ids))
    return set(SearchEntry.objects.filter(condition, hidden=True).values_list("component", "object_type",
                                                                             "object_id"))


def counted_components(settings):
    out = []
    if settings.get("count_forum", True):
        out.append("cohort_forum")
    if settings.get("count_blog", True):
        out.append("reflection_blog")
    if settings.get("count_vouches", True):
        out.append(evidence_mod.FINDER)
    return out


KIND_LABELS = {
    "reply": _("Answer"), "thread": _("Thread started"), "comment": _("Comment"), "entry": _("Reflection shared"),
    "vouch": _("Vouched by a peer"),
}


def evidence_item(evidence, placement_title):
    """A piece of evidence as a list shows it (never its text: its kind, where, when, its ratings)."""
    return {
        "id": evidence.id, "kind": evidence.kind,
        "label": gettext(KIND_LABELS.get(evidence.kind, _("Contribution"))),
        "component": evidence.component, "where": placement_title or "",
        "object_type": evidence.object_type, "object_id": evidence.object_id,
        "thread": evidence.parent_id if evidence.parent_type == "thread" else (
            evidence.object_id if evidence.object_type == "thread" else None),
        "endorsed": evidence.endorsed, "upvotes": max(evidence.upvotes, 0), "created": evidence.created.isoformat(),
    }


# ----- writing a profile -------------------------------------------------------------------------------
def check_rate(ctx):
    window = conf("WRITE_WINDOW_SECONDS")
    if not ratelimit.hit(f"finder-write:{ctx.user.id}", conf("WRITES_PER_WINDOW"), window):
        seconds = ratelimit.seconds_left(window)
        raise RateLimited(ngettext("You are saving very quickly. Please wait {seconds} second, then try again.",
                                   "You are saving very quickly. Please wait {seconds} seconds, then try again.",
                                   seconds).format(seconds=seconds))


def _skills(data):
    value = data.get("skills", [])
    if value in (None, ""):
        return []
    message = gettext(_("Each skill needs a name and a level."))
    if not isinstance(value, list):
        raise ValidationError(message, fields={"skills": message})
    if len(value) > conf("SKILLS_PER_PROFILE"):
        message = gettext(_("At most {count} skills.")).format(count=conf("SKILLS_PER_PROFILE"))
        raise ValidationError(message, fields={"skills": message})
    out, seen = [], set()
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise ValidationError(message, fields={"skills": message})
        name = " ".join(item["name"].split())
        level = item.get("level", 2)
        if not name:
            continue
        if len(name) > conf("SKILL_MAX") or isinstance(level, bool) or level not in LEVELS:
            detail = gettext(_("A skill's name is at most {maximum} characters, and its level one of those offered.")
                             ).format(maximum=conf("SKILL_MAX"))
            raise ValidationError(detail, fields={"skills": detail})
        if name.lower() not in seen:
            seen.add(name.lower())
            out.append((name, level))
    return out


def save_profile(ctx, data, settings):
    """Save the person's own profile (every field at once); returns it as :func:`my_profile` does."""
    ctx.require_writable()
    data = data_dict(data)
    values = {
        "headline": text(data, "headline", gettext(_("The headline")), conf("HEADLINE_MAX"), required=False),
        "about": text(data, "about", gettext(_("About you")), conf("ABOUT_MAX"), required=False, multiline=True),
    }
    for name, label in (("interests", _("Your interests")), ("wants_to_learn", _("What you want to learn")),
                        ("languages", _("Your languages")), ("ask_me_about", _("Ask me about"))):
        values[name] = ", ".join(split_list(text(data, name, gettext(label), conf("LIST_MAX"), required=False)))
    contact = data.get("contact", "forum")
    if contact not in CONTACTS:
        message = gettext(_("Choose how people may contact you."))
        raise ValidationError(message, fields={"contact": message})
    visibility = data.get("visibility", DEFAULT_VISIBILITY)
    if visibility not in SCOPES:
        message = gettext(_("Choose who may find your profile."))
        raise ValidationError(message, fields={"visibility": message})
    if visibility == PLATFORM and not settings.get("allow_platform"):
        message = gettext(_("This course keeps profiles within the course: choose your cohort or the course."))
        raise ValidationError(message, fields={"visibility": message})
    opt_out = flag(data, "derived_opt_out", False)
    skills = _skills(data)
    check_rate(ctx)
    with transaction.atomic():
        _write(ctx.user.id, {**values, "contact": contact, "visibility": visibility, "derived_opt_out": opt_out},
               skills)
        note_member(ctx)
    ctx.emit("social_learning.finder.profile.saved", {"skills": len(skills), "visibility": visibility})
    fields = {**values, "contact": contact, "visibility": visibility, "derived_opt_out": opt_out,
              "skills": [{"name": name, "level": level} for name, level in skills]}
    return _mine(ctx, fields, settings)


def _write(user_id, values, skills):
    """Store a whole profile (its fields, skills and search terms); inside the caller's transaction."""
    words = {}
    term_rows = []
    for name, level in skills:
        for token, word in terms_mod.text_tokens(name).items():
            words.setdefault(token, word)
            term_rows.append(ProfileTerm(user_id=user_id, token=token, field="skill", label=name, level=level))
    for name, field_name in TERM_FIELDS:
        for token, word in terms_mod.text_tokens(values[name]).items():
            words.setdefault(token, word)
            term_rows.append(ProfileTerm(user_id=user_id, token=token, field=field_name))
    profile, _created = Profile.objects.update_or_create(user_id=user_id,
                                                         defaults={**values, "updated": timezone.now()})
    Skill.objects.filter(profile=profile).delete()
    Skill.objects.bulk_create([Skill(profile=profile, name=name, level=level, position=position)
                               for position, (name, level) in enumerate(skills)])
    ProfileTerm.objects.filter(user_id=user_id).delete()
    ProfileTerm.objects.bulk_create(term_rows, batch_size=1000)
    terms_mod.remember(words)


def _merged(current, more):
    """A comma-separated list with ``more`` added after what it holds (the same words once, whatever their case),
    within the list's limit: what does not fit is left out."""
    items = split_list(current)
    known = {item.casefold() for item in items}
    for item in more:
        item = " ".join(str(item).split())
        if item and item.casefold() not in known and len(", ".join(items + [item])) <= conf("LIST_MAX"):
            items.append(item)
            known.add(item.casefold())
    return ", ".join(items)


def prefill(user_id, context_key, group_key, learn, offer):
    """What a person wrote in another component and agreed to share with their profile (the introductions' "what I
    want to learn" and "what I can offer") added to "What you want to learn" and "Ask me about". Nothing they wrote
    in their profile is changed or removed; a person without a profile gets one, visible as a new profile is.
    They are noted in their group of the course, so that people there find them."""
    with transaction.atomic():
        profile = Profile.objects.select_for_update().filter(user_id=user_id).prefetch_related("skills").first()
        fields = _profile_fields(profile)
        values = {name: fields[name] for name in ("headline", "about", "interests", "languages", "contact",
                                                   "visibility", "derived_opt_out")}
        values["wants_to_learn"] = _merged(fields["wants_to_learn"], learn)
        values["ask_me_about"] = _merged(fields["ask_me_about"], offer)
        if profile is None or (values["wants_to_learn"], values["ask_me_about"]) != (
                fields["wants_to_learn"], fields["ask_me_about"]):
            _write(user_id, values, [(skill["name"], skill["level"]) for skill in fields["skills"]])
        evidence_mod.seen(user_id, context_key, {COURSE_GROUP} | ({group_key} if group_key else set()))


def vouch(ctx, data, settings):
    """Say "I learned ``topic`` from them" of a person (``user_id``) you may see; ``on`` false takes it back."""
    ctx.require_writable()
    data = data_dict(data)
    user_id = ident(data, "user_id")
    topic = " ".join(text(data, "topic", gettext(_("The topic")), conf("VOUCH_TOPIC_MAX")).split())
    on = flag(data, "on", True)
    if user_id == ctx.user.id:
        raise PermissionDenied(gettext("You cannot vouch for yourself."))
    row = people(ctx, [user_id]).get(user_id)
    if row is None or not may_see(ctx, settings, row):
        raise NotFound(gettext("This person's profile is not shared with you, or they have none."))
    tokens = terms_mod.text_tokens(topic)
    if on and not tokens:
        message = gettext(_("Name the topic in a word or two that says what you learned."))
        raise ValidationError(message, fields={"topic": message})
    check_rate(ctx)
    with transaction.atomic():
        if not on:
            ids = list(Vouch.objects.filter(voucher_id=ctx.user.id, user_id=user_id, topic__iexact=topic)
                       .values_list("id", flat=True))
            Evidence.objects.filter(component=evidence_mod.FINDER, object_type="vouch", object_id__in=ids).delete()
            Vouch.objects.filter(pk__in=ids).delete()
        else:
            existing = Vouch.objects.filter(voucher_id=ctx.user.id, user_id=user_id, topic__iexact=topic).first()
            item = existing or Vouch.objects.create(voucher_id=ctx.user.id, user_id=user_id, topic=topic,
                                                    context_key=ctx.course_key, created=timezone.now())
            if existing is None:
                evidence_mod.record(component=evidence_mod.FINDER, placement=ctx.placement, user_id=user_id,
                                    object_type="vouch", object_id=item.id, kind="vouch", audience=COURSE_GROUP,
                                    actor_id=ctx.user.id, tokens={token: 2 for token in tokens}, words=tokens,
                                    replace=False)
    ctx.emit("social_learning.finder.vouch." + ("given" if on else "withdrawn"), {"user_id": user_id})
    return {"user_id": user_id, "topic": topic, "vouched": on}



def page_data(ctx, settings):
    """What the page needs of the profiles part: the person's own profile and completeness."""
    return {"me": my_profile(ctx, {}, settings)}



ACTIONS = {
    "get_profile": Action(run=get_profile, writes=False),
    "my_profile": Action(run=my_profile, writes=False),
    "save_profile": Action(run=save_profile, contributes=True, forgets_draft=lambda data, result: "profile"),
    "vouch": Action(run=vouch),
}


def ngettext_noop(singular, plural):
    return (singular, plural)


JS_STRINGS = (
    _("Ask me about"),
    _("Back to the results"),
    _("Cancel"),
    _("Contact"),
    _("Edit my profile"),
    _("I learned this from them"),
    _("Interests"),
    _("Languages"),
    _("No evidence you can see yet."),
    _("Profile saved."),
    _("Remove skill"),
    _("Skill"),
    _("Level"),
    _("Take back"),
    _("Thank you: your vouch counts for them."),
    _("Vouch taken back."),
    _("Wants to learn"),
    _("What did you learn from them?"),
    _("You"),
    _("How complete your profile is: {percent}%"),
    _("Vouches"),
    _("Skills"),
)
JS_PLURALS = (
    ngettext_noop("{count} peer vouched for {topic}", "{count} peers vouched for {topic}"),
)
