"""The sandbox's demo course: who is in it, what they already said in the forum, and their expert finder profiles.

Everything is written the way the product writes it: people, cohorts and roles with the core
models (as an instructor would in the admin), forum content through ``xblocks.cohort_forum.api``
with contexts built by ``build_context`` + ``LocalGroups``, exactly as the Workbench forum
block does (the expert finder records its evidence from what the forum tells it), profiles through
``xblocks.expert_finder.profiles``. Running it again changes nothing.
"""
import contextlib
from dataclasses import dataclass, field
from datetime import timedelta
from unittest import mock

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from xblocks.cohort_forum import api as forum_api
from xblocks.core import groups_api
from xblocks.core.context import ADVOCATE as ADVOCATE_ROLE
from xblocks.core.context import STAFF as STAFF_ROLE
from xblocks.core.context import build_context, get_placement, local_roles
from xblocks.core.groups import COHORT, COURSE, LocalGroups
from xblocks.expert_finder import profiles as finder_profiles
from xblocks.expert_finder.frontdoor import FINDER
from xblocks.expert_finder.models import Profile
from xblocks.core.models import Placement
from xblocks.core.settings import conf

from .runtime import SandboxRuntime
from .scenarios import blocks_of_type, suite_scenarios

ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "admin"

# (username, first name, last name)
COHORTS = [
    ("Ghent spring intake", [
        ("ann", "Ann", "Peeters"),
        ("lucas", "Lucas", "Janssens"),
        ("emma", "Emma", "De Smet"),
        ("noah", "Noah", "Claes"),
    ]),
    ("Brussels spring intake", [
        ("sofie", "Sofie", "Willems"),
        ("youssef", "Youssef", "El Amrani"),
        ("camille", "Camille", "Dubois"),
        ("thomas", "Thomas", "Maes"),
    ]),
]
STAFF = [("sarah", "Sarah", "Vermeulen")]
# Community advocates: learners of a cohort with the 'advocate' role.
ADVOCATES = [(("jonas", "Jonas", "Wouters"), "Ghent spring intake")]


@dataclass
class Reply:
    author: str
    body: str
    comments: list = field(default_factory=list)  # [(author, body)]
    votes: tuple = ()
    endorsed_by: str = ""


@dataclass
class ThreadSpec:
    cohort: int  # index in COHORTS
    author: str
    title: str
    body: str
    kind: str = "discussion"
    replies: list = field(default_factory=list)
    votes: tuple = ()
    pinned_by: str = ""
    highlighted_by: str = ""
    flagged_by: tuple = ()  # [(username, reason)]
    anonymous: bool = False  # written only where the forum allows anonymity


THREADS = [
    ThreadSpec(0, "jonas", "Welcome! Introduce yourself here",
               "Hi all, I am Jonas, one of the **community advocates** for this intake.\n\n"
               "Tell us who you are, which team you join, and one thing you hope to learn in the next "
               "six weeks. Questions about the programme are welcome in their own thread.",
               replies=[
                   Reply("ann", "Hi! Ann here, joining the customer service team in Ghent. I hope to get "
                         "comfortable with the CRM before my first solo shift.", votes=("jonas", "emma")),
                   Reply("emma", "Emma, data team. I would love to learn how the other departments use our "
                         "reports, so I can make them more useful.",
                         comments=[("noah", "Same here, I'm in finance: let's compare notes after session 2!")]),
                   Reply("noah", "Noah, finance. Looking forward to the classroom days, and to knowing who "
                         "to ask when I'm stuck."),
               ],
               votes=("ann", "emma", "noah", "lucas"), pinned_by="jonas"),
    ThreadSpec(0, "lucas", "Can we book a desk for the Thursday session?",
               "The invitation says we work on site on Thursday. Do we book a desk ourselves, "
               "or is a room reserved for the whole cohort?", kind="question",
               replies=[
                   Reply("emma", "A room is reserved: *Leie 2.04*, from 9:00. No need to book a desk.",
                         votes=("lucas", "ann"), endorsed_by="jonas",
                         comments=[("lucas", "Great, thanks Emma!")]),
               ],
               votes=("ann",)),
    ThreadSpec(0, "noah", "Takeaways from the customer-empathy workshop",
               "What stuck with me:\n\n- listen to the end before you propose a fix\n"
               "- repeat the question in the customer's words\n- say what happens next, with a date\n\n"
               "What did you take away?",
               replies=[
                   Reply("ann", "The *silence is fine* exercise. Hard, but it works.", votes=("noah",)),
                   Reply("sarah", "Great summary, Noah. We build on the third point in session 3."),
               ],
               votes=("ann", "emma", "jonas"), highlighted_by="sarah"),
    ThreadSpec(0, "emma", "Week 2 reading: whole chapter or just 2.1-2.3?",
               "The syllabus says *chapter 2*, the slides say sections 2.1 to 2.3. Which one do we read "
               "before Thursday?", kind="question"),
    ThreadSpec(0, "noah", "Is it normal to feel lost with all the jargon?",
               "Two weeks in and half the acronyms still go over my head. Is that just me?",
               anonymous=True,
               replies=[
                   Reply("jonas", "Completely normal, everyone felt like that. There is a glossary in the "
                         "*Resources* tab, and no question is too small here.", votes=("emma", "ann")),
                   Reply("ann", "Not just you! I keep a list of new words and look them up on Friday."),
               ],
               votes=("emma",)),
    ThreadSpec(1, "camille", "Où trouver les slides de la session 1 ?",
               "Bonjour à tous, je ne retrouve pas les slides de la première session. Quelqu'un sait où "
               "elles sont publiées ?", kind="question",
               replies=[
                   Reply("sarah", "They are in the *Resources* tab of the course, under Session 1. "
                         "Elles sont aussi dans le dossier partagé de la cohorte.",
                         votes=("camille", "sofie"), endorsed_by="sarah",
                         comments=[("camille", "Merci beaucoup !")]),
               ],
               votes=("sofie",)),
    ThreadSpec(1, "sofie", "Study buddy for the data-literacy module?",
               "I learn best by explaining things to someone. Anyone up for a weekly call to go through "
               "the data-literacy exercises together?",
               replies=[
                   Reply("youssef", "Count me in, @sofie! Tuesday over lunch works for me.", votes=("sofie",)),
                   Reply("thomas", "Me too, but only after 16:00."),
               ],
               votes=("youssef", "thomas", "camille")),
    ThreadSpec(1, "youssef", "Tip: the keyboard shortcuts cheat sheet",
               "The CRM has a cheat sheet under *Help > Shortcuts*. `Ctrl+K` to search a customer saved me "
               "hours this week.",
               replies=[Reply("camille", "Génial, merci ! `Ctrl+Shift+N` for a new case is my favourite.")],
               votes=("sofie", "camille", "thomas")),
    ThreadSpec(1, "thomas", "Selling my old laptop, cheap",
               "Anyone interested in a 2019 laptop? Send me a message.",
               flagged_by=(("sofie", "Off-topic: not about the programme."),)),
]


# The whole-course Q&A (a forum whose scope is the course: everyone in one space).
COURSE_THREADS = [
    ThreadSpec(0, "sarah", "Course announcements and FAQ",
               "Practical information for both intakes lives here: dates, rooms and deadlines. "
               "Ask your questions in their own thread so others can find the answer.",
               pinned_by="sarah", votes=("ann", "sofie")),
    ThreadSpec(0, "ann", "When is the final assignment due?",
               "The course outline says *end of week 6*: is that Friday or Sunday?", kind="question",
               replies=[Reply("sarah", "Sunday at 23:59. You can hand it in earlier, of course.",
                              votes=("ann", "youssef"), endorsed_by="sarah")],
               votes=("youssef", "emma")),
    ThreadSpec(1, "youssef", "Can I join the classroom day in Ghent instead of Brussels?",
               "I live closer to Ghent. Can I swap classroom days with the other intake?", kind="question",
               replies=[Reply("jonas", "I asked last year and it was fine, but check with Sarah first.")]),
    ThreadSpec(0, "emma", "Is there a recording of the kick-off?",
               "I missed the first half hour of the kick-off. Was it recorded?", kind="question"),
]


def _user(username, first, last):
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last, "email": f"{username}@example.com"}
    )
    if created:
        user.set_unusable_password()  # demo people sign in with the sandbox's user switcher
        user.save(update_fields=["password"])
    return user


def ensure_people(course_key):
    """The demo course's people, cohorts and roles (and the admin superuser). Idempotent."""
    users = {}
    groups = []
    for name, members in COHORTS:
        group, _ = groups_api.create_group(course_key, name)
        groups.append(group)
        for spec in members:
            users[spec[0]] = _user(*spec)
            groups_api.set_group(users[spec[0]], course_key, group)
    for spec in STAFF:
        users[spec[0]] = _user(*spec)
        groups_api.add_role(users[spec[0]], course_key, STAFF_ROLE)
    by_name = {group.name: group for group in groups}
    for spec, cohort in ADVOCATES:
        users[spec[0]] = _user(*spec)
        groups_api.set_group(users[spec[0]], course_key, by_name[cohort])
        groups_api.add_role(users[spec[0]], course_key, ADVOCATE_ROLE)
    User = get_user_model()
    if not User.objects.filter(username=ADMIN_USERNAME).exists():
        User.objects.create_superuser(ADMIN_USERNAME, f"{ADMIN_USERNAME}@example.com", ADMIN_PASSWORD,
                                      first_name="Sandbox", last_name="Admin")
    return users, groups


@contextlib.contextmanager
def _demo_clock(start):
    """Make ``timezone.now()`` tick from ``start``, so the seeded posts span a few days."""
    state = {"now": start}

    def advance(minutes):
        state["now"] += timedelta(minutes=minutes)

    with mock.patch("django.utils.timezone.now", lambda: state["now"]):
        yield advance


class _Forum:
    """One forum placement, written to as its people through the api."""

    def __init__(self, placement, scope, allow_anonymous, users, groups):
        self.placement = placement
        self.scope = scope
        self.allow_anonymous = allow_anonymous
        self.users = users
        self.groups = groups
        self.backend = LocalGroups()

    def ctx(self, username, cohort=None, requested=None):
        """The context of ``username``; staff act in the thread's cohort (``cohort`` index) or ``requested``."""
        user = self.users[username]
        roles = local_roles(user, self.placement.context_key)
        if requested is None and "staff" in roles and self.scope == COHORT and cohort is not None:
            requested = f"{COHORT}:{self.groups[cohort].id}"
        return build_context(user=user, placement=self.placement, scope=self.scope, roles=roles,
                             backend=self.backend, requested_group=requested)

    def thread_count(self, staff_username):
        return forum_api.list_threads(self.ctx(staff_username, requested="all"), {})["total"]

    def write(self, spec, advance):
        c = spec.cohort
        anonymous = spec.anonymous and self.allow_anonymous
        thread = forum_api.create_thread(
            self.ctx(spec.author, c), {"kind": spec.kind, "title": spec.title, "body": spec.body, "anonymous": anonymous},
            allow_anonymous=self.allow_anonymous,
        )["id"]
        for username in spec.votes:
            advance(7)
            forum_api.vote(self.ctx(username, c), {"target": "thread", "id": thread})
        for reply in spec.replies:
            advance(95)
            post = forum_api.create_reply(self.ctx(reply.author, c), {"thread": thread, "body": reply.body})["id"]
            for username, body in reply.comments:
                advance(31)
                forum_api.create_reply(self.ctx(username, c), {"thread": thread, "parent": post, "body": body})
            for username in reply.votes:
                advance(5)
                forum_api.vote(self.ctx(username, c), {"target": "post", "id": post})
            if reply.endorsed_by:
                advance(12)
                forum_api.endorse(self.ctx(reply.endorsed_by, c), {"id": post})
        if spec.pinned_by:
            forum_api.pin(self.ctx(spec.pinned_by, c), {"id": thread})
        if spec.highlighted_by:
            forum_api.highlight(self.ctx(spec.highlighted_by, c), {"id": thread})
        for username, reason in spec.flagged_by:
            advance(20)
            forum_api.flag(self.ctx(username, c), {"target": "thread", "id": thread, "reason": reason})


# The live sessions of the introductions, in the Workbench's scenario and the demo platform's link alike.
INTRODUCTION_SESSIONS = ("2027-03-25 18:00 | 20:00 | Kick-off (online) | https://meet.example.org/kick-off\n"
                         "2027-04-01 09:30 | 16:00 | Classroom day | Leie 2.04, Ghent")
# Who introduced themselves already: (username, who, wants to learn, can offer, fun fact).
INTRODUCTIONS = [
    ("emma", "Emma, data team in Ghent. I build the reports other departments read.", ["negotiation", "Python"],
     ["Excel", "data visualisation"], "I have run three marathons."),
    ("noah", "Noah, finance. New to the company, eager to know who does what.", ["Excel", "presenting"],
     ["budgeting"], ""),
    ("youssef", "Youssef, customer service in Brussels. I love shortcuts and tidy processes.", ["data visualisation"],
     ["CRM tips", "Arabic"], "I grow chillies on my balcony."),
]


def seed_introductions(users, log):
    """The demo introductions, in every introductions block of the Workbench's scenarios (once)."""
    from xblocks.introductions import api as intro_api  # pylint: disable=import-outside-toplevel

    runtime = SandboxRuntime("")
    for _name, scenario in suite_scenarios("social_introductions"):
        for block in blocks_of_type(runtime, scenario.usage_id, "social_introductions"):
            placement = get_placement(Placement.LOCAL, block.course_key, block.resource_key, str(block.display_name))
            for username, who, learn, offer, fun_fact in INTRODUCTIONS:
                user = users[username]
                ctx = build_context(user=user, placement=placement, scope=block.group_scope,
                                    roles=local_roles(user, placement.context_key), backend=LocalGroups())
                if not intro_api.own_introduction(ctx):
                    intro_api.save_introduction(ctx, {"who": who, "learn": learn, "offer": offer,
                                                      "fun_fact": fun_fact})
            log(f"Seeded the introductions in {placement.resource_key}.")


# What some demo people say of themselves in the expert finder (the others have no profile yet).
PROFILES = {
    "emma": {"headline": "Data analyst in the data team", "skills": [{"name": "Spreadsheets", "level": 4},
             {"name": "Reporting", "level": 3}], "ask_me_about": "dashboards, Excel formulas",
             "interests": "data, cycling", "wants_to_learn": "negotiation", "languages": "Dutch, English",
             "about": "I build the team's weekly reports and like helping people read their numbers.",
             "visibility": "course"},
    "noah": {"headline": "Finance, budgets and forecasts", "skills": [{"name": "Budgeting", "level": 3},
             {"name": "Forecasting", "level": 2}], "ask_me_about": "expense claims, budgets",
             "languages": "Dutch, French", "visibility": "course", "contact": "finder"},
    "camille": {"headline": "Service desk, Brussels", "skills": [{"name": "Keyboard shortcuts", "level": 4},
                {"name": "Customer service", "level": 3}], "ask_me_about": "the ticket tool",
                "languages": "French, English", "wants_to_learn": "reporting", "visibility": "cohort"},
    "jonas": {"headline": "Community advocate, second year", "skills": [{"name": "Onboarding", "level": 4}],
              "ask_me_about": "the glossary, where things are", "interests": "languages, mentoring",
              "languages": "Dutch, English", "visibility": "course"},
}


def seed_profiles(users, groups, log=lambda message: None):
    """The demo people's expert finder profiles, saved through the finder's api in the first finder of the
    Workbench's scenarios (each in their cohort). People with a profile keep theirs."""
    runtime = SandboxRuntime("")
    finders = [block for _name, scenario in suite_scenarios(FINDER.block_type)
               for block in blocks_of_type(runtime, scenario.usage_id, FINDER.block_type)]
    if not finders:
        return 0
    block = finders[0]
    placement = get_placement(Placement.LOCAL, block.course_key, block.resource_key, str(block.display_name))
    have = set(Profile.objects.filter(user__username__in=list(PROFILES)).values_list("user__username", flat=True))
    backend = LocalGroups()
    written = 0
    for username, data in PROFILES.items():
        if username in have or username not in users:
            continue
        user = users[username]
        ctx = build_context(user=user, placement=placement, scope=COHORT, roles=local_roles(user, placement.context_key),
                            backend=backend)
        finder_profiles.save_profile(ctx, dict(data), {**FINDER.defaults, "allow_platform": False})
        written += 1
    if written:
        log(f"Saved {written} expert finder profiles.")
    return written


def forum_placements():
    """(placement, scope, allow_anonymous) for every cohort forum in the Workbench's scenarios, as the block computes them."""
    runtime = SandboxRuntime("")
    found = {}
    for _name, scenario in suite_scenarios():
        for block in blocks_of_type(runtime, scenario.usage_id):
            placement = get_placement(Placement.LOCAL, block.course_key, block.resource_key, str(block.display_name))
            found.setdefault(placement.pk, (placement, block.group_scope, bool(block.allow_anonymous)))
    return list(found.values())


def seed(log=lambda message: None):
    """Seed the demo course; returns the people and the forums written to."""
    course_key = conf("LOCAL_COURSE_KEY")
    with transaction.atomic():
        users, groups = ensure_people(course_key)
    forums = forum_placements()
    if not forums:
        log("No cohort forum in the Workbench scenarios yet: people seeded, no forum content.")
    written = []
    staff = STAFF[0][0]
    # The posting rate limit protects people from floods, not the seed from itself.
    limits = {**(getattr(settings, "SOCIAL_LEARNING", {}) or {}), "POSTS_PER_WINDOW": 10 ** 6}
    for placement, scope, allow_anonymous in forums:
        if scope not in (COHORT, COURSE):
            log(f"Skipped {placement.resource_key}: the demo course has no teams.")
            continue
        forum = _Forum(placement, scope, allow_anonymous, users, groups)
        threads = THREADS if scope == COHORT else COURSE_THREADS
        if forum.thread_count(staff):
            continue
        with override_settings(SOCIAL_LEARNING=limits), transaction.atomic():
            with _demo_clock(timezone.now() - timedelta(days=4)) as advance:
                for spec in threads:
                    advance(6 * 60)
                    forum.write(spec, advance)
        written.append(placement)
        log(f"Seeded {len(threads)} threads in {placement.resource_key} ({scope}).")
    with override_settings(SOCIAL_LEARNING={**limits, "introductions": {"POSTS_PER_WINDOW": 10 ** 6}}), \
            transaction.atomic():
        seed_introductions(users, log)


    with override_settings(SOCIAL_LEARNING={**limits, "expert_finder": {"WRITES_PER_WINDOW": 10 ** 6}}):
        seed_profiles(users, groups, log)
    return users, groups, forums, written
