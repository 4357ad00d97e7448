"""SQL queries per request of the introductions: the same on a small and on a large group, and within a budget.

Each request is measured as a front door serves it: find the placement, read the person's roles, resolve their
group (``get_placement`` + ``local_roles`` + ``build_context`` with the local group backend), then call the api.
"""
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import COURSE_KEY
from xblocks.core.context import build_context, get_placement, local_roles
from xblocks.core.groups import LocalGroups
from xblocks.core.models import LocalGroupMembership, Placement
from xblocks.introductions import api, facilitator, frontdoor, groupings, matching
from xblocks.introductions.frontdoor import INTRODUCTIONS
from xblocks.introductions.models import Introduction, Reply, Topic, Wave

READ_BUDGET = 9
WRITE_BUDGET = 14
# The whole page: the gallery's first page, the topics, the person's own introduction, the people to meet.
PAGE_BUDGET = 16


def front_door(user, group=None):
    placement = get_placement(Placement.LOCAL, COURSE_KEY, "forum-under-test")
    return build_context(user=user, placement=placement, scope="cohort", roles=local_roles(user, COURSE_KEY),
                         backend=LocalGroups(), requested_group=group)


def seed(course, people):
    """``people`` more learners in cohort A, each introduced with topics, waves and replies."""
    users = get_user_model().objects.bulk_create([
        get_user_model()(username=f"m{len(Introduction.objects.all())}-{i}", first_name="M", last_name=str(i))
        for i in range(people)])
    LocalGroupMembership.objects.bulk_create([
        LocalGroupMembership(group=course.cohort_a, user=u, context_key=COURSE_KEY, kind="cohort") for u in users])
    now = timezone.now()
    intros = Introduction.objects.bulk_create([
        Introduction(placement=course.placement, user=u, group_key=course.group_a, who=f"Person {u.id}",
                     search_text=f"person {u.id} excel", waves=1, replies=2, created=now, modified=now) for u in users])
    Topic.objects.bulk_create([
        Topic(introduction=i, placement=course.placement, group_key=course.group_a, kind=kind, key=key, label=key)
        for i in intros for kind, key in (("learn", "excel"), ("offer", f"topic {i.id % 7}"))])
    Wave.objects.bulk_create([Wave(introduction=i, user=course.cara, created=now) for i in intros])
    if not Introduction.objects.filter(user=course.cara).exists():
        cara = Introduction.objects.create(placement=course.placement, user=course.cara, group_key=course.group_a,
                                           who="Cara", created=now, modified=now)
        Topic.objects.bulk_create([Topic(introduction=cara, placement=course.placement, group_key=course.group_a,
                                         kind="offer", key="excel", label="Excel")])
    Reply.objects.bulk_create([Reply(introduction=i, author=course.cara, body="Hi", created=now)
                               for i in intros for _r in range(2)])
    return intros


def measure(run):
    with CaptureQueriesContext(connection) as queries:
        run()
    return len(queries.captured_queries)


def requests(course, target):
    settings = dict(INTRODUCTIONS.defaults)
    return {
        "page": lambda: frontdoor.page_data(
            front_door(course.cara), settings, urls={}, drafts={}, completed=False, complete_on_view=lambda: None,
            gettext=str, ngettext=lambda one, other, n: one if n == 1 else other),
        "gallery": lambda: api.list_introductions(front_door(course.ann), {}, settings),
        "search": lambda: api.list_introductions(front_door(course.ann), {"search": "person excel"}, settings),
        "topic": lambda: api.list_introductions(front_door(course.ann), {"topic": "excel"}, settings),
        "topics": lambda: api.topics(front_door(course.ann)),
        "own": lambda: api.own_introduction(front_door(course.ann)),
        "suggestions": lambda: matching.suggestions(front_door(course.cara), {}),
        "facilitator": lambda: facilitator.overview(front_door(course.staff, group=course.group_a), {}),
        "facilitator_all": lambda: facilitator.overview(front_door(course.staff), {}),
        "suggest_groups": lambda: groupings.suggest_groups(front_door(course.staff, group=course.group_a),
                                                           {"session": 0, "size": 3}, settings),
        "saved_groups": lambda: groupings.saved_groups(front_door(course.staff, group=course.group_a),
                                                       {"session": 0}, settings),
        "post": lambda: api.save_introduction(front_door(course.ann), {"who": "Ann", "learn": "SQL", "offer": "Excel"}),
        "wave": lambda: api.wave(front_door(course.ann), {"id": target}),
        "reply": lambda: api.reply(front_door(course.ann), {"id": target, "body": "Welcome!"}),
    }


@pytest.fixture(autouse=True)
def generous_rate_limit(settings):
    settings.SOCIAL_LEARNING = {"introductions": {"POSTS_PER_WINDOW": 100000}}


@pytest.mark.django_db
def test_queries_are_the_same_on_a_small_and_a_large_group(course):
    small = seed(course, 3)
    front_door(course.ann)  # the placement's id is cached from then on, as on a running site
    requests(course, small[0].id)["page"]()  # so is the reminders' plan, kept by the first page shown
    counts_small = {name: measure(run) for name, run in requests(course, small[0].id).items()}
    large = seed(course, 300)
    Introduction.objects.filter(user=course.ann).delete()  # "post" creates again, as on the small group
    counts_large = {name: measure(run) for name, run in requests(course, large[-1].id).items()}
    assert counts_large == counts_small, (counts_small, counts_large)
    for name, count in counts_large.items():
        budget = WRITE_BUDGET if name in ("post", "wave", "reply") else PAGE_BUDGET if name == "page" else READ_BUDGET
        assert count <= budget, (name, count)
