"""Introductions through the api: what people write and read, who sees what, what is refused (and then nothing is
written), waves, replies, the facilitator's view, the signal for the other components, the insights summary."""
import pytest
from django.utils import timezone

from xblocks.core.errors import NotFound, PermissionDenied, RateLimited, ValidationError
from xblocks.core import signals as core_signals
from xblocks.core.signals import contribution_created
from xblocks.introductions import api, facilitator
from xblocks.introductions.models import Introduction, Reply, ThemeAnswer, Topic, Wave


@pytest.fixture
def signals():
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    contribution_created.connect(receiver)
    yield received
    contribution_created.disconnect(receiver)


def gallery(ctx, **data):
    return api.list_introductions(ctx, data)


def names(page):
    return [intro["author"]["username"] for intro in page["introductions"]]


# ----- posting and changing ----------------------------------------------------------------------------------
def test_posting_an_introduction_shows_it_to_the_group(make_context, course, post, signals):
    result = post(course.ann, who="Ann, customer service.\n\nI love data.", learn=["Negotiation", " public  speaking"],
                  offer=["Excel", "excel"], fun_fact="I sing in a choir.")
    assert result["created"] is True
    shown = gallery(make_context(course.cara))["introductions"][0]
    assert shown["author"]["name"] == "Ann Peeters" and shown["who"] == "Ann, customer service.\n\nI love data."
    assert shown["learn"] == ["Negotiation", "public speaking"] and shown["offer"] == ["Excel"]
    assert shown["fun_fact"] == "I sing in a choir." and shown["can_wave"] is True
    (signal,) = signals
    assert signal["component"] == "introductions" and signal["kind"] == "introduction"
    assert signal["user"] == course.ann and signal["group_key"] == course.group_a
    assert signal["profile"] is None  # the topics go to the expert finder only with the person's consent


def test_posting_again_changes_the_one_introduction(make_context, course, post, signals):
    post(course.ann, learn=["negotiation"])
    result = post(course.ann, who="Ann, now in the data team.", learn=["SQL"], offer=[])
    assert result["created"] is False
    assert Introduction.objects.filter(user=course.ann).count() == 1
    assert list(Topic.objects.values_list("label", flat=True)) == ["SQL"]
    assert gallery(make_context(course.cara))["introductions"][0]["who"] == "Ann, now in the data team."
    assert len(signals) == 1  # a change is not a new contribution
    assert api.own_introduction(make_context(course.ann))["learn"] == ["SQL"]


def test_the_topics_go_to_the_expert_finder_only_with_consent(make_context, course, signals):
    ctx = make_context(course.ann)
    api.save_introduction(ctx, {"who": "Ann", "learn": "SQL", "offer": "Excel"})
    assert signals[-1]["profile"] is None
    result = api.save_introduction(ctx, {"who": "Ann", "learn": "SQL, Python", "offer": "Excel",
                                         "share_profile": True})
    assert result["introduction"]["share_profile"] is True
    assert len(signals) == 2 and signals[-1]["profile"] == {"learn": ["SQL", "Python"], "offer": ["Excel"]}
    api.save_introduction(ctx, {"who": "Ann again", "learn": "SQL", "share_profile": True})
    assert len(signals) == 2  # consent given once is sent once
    api.save_introduction(make_context(course.cara), {"who": "Cara", "learn": "R", "share_profile": True})
    assert signals[-1]["profile"] == {"learn": ["R"], "offer": []}
    with pytest.raises(ValidationError):
        api.save_introduction(ctx, {"who": "Ann", "share_profile": "yes"})
    shown = {i["author"]["username"]: i for i in gallery(make_context(course.cara))["introductions"]}
    assert shown["ann"]["share_profile"] is None and shown["cara"]["share_profile"] is True  # others do not see it


@pytest.mark.parametrize("data, field", [
    ({"who": "  "}, "who"),
    ({"who": "x" * 2001}, "who"),
    ({"who": "Hi", "learn": "a" * 61}, "learn"),
    ({"who": "Hi", "offer": [f"topic {i}" for i in range(11)]}, "offer"),
    ({"who": "Hi", "learn": {"not": "a list"}}, "learn"),
    ({"who": "Hi", "fun_fact": "x" * 301}, "fun_fact"),
])
def test_bad_input_is_refused_at_its_field_and_nothing_is_written(make_context, course, post, data, field):
    post(course.ann, who="My first words.", learn=["negotiation"])
    with pytest.raises(ValidationError) as err:
        api.save_introduction(make_context(course.ann), data)
    assert field in err.value.fields
    intro = Introduction.objects.get(user=course.ann)
    assert intro.who == "My first words."
    assert sorted(Topic.objects.values_list("key", flat=True)) == ["excel", "negotiation"]


def test_someone_outside_every_group_cannot_post_or_read(make_context, course, django_user_model):
    outsider = django_user_model.objects.create(username="zoe")
    with pytest.raises(PermissionDenied):
        api.save_introduction(make_context(outsider), {"who": "Hi"})
    with pytest.raises(PermissionDenied):
        gallery(make_context(outsider))
    assert not Introduction.objects.exists()


def test_staff_choose_a_group_before_introducing_themselves(make_context, course):
    with pytest.raises(PermissionDenied):
        api.save_introduction(make_context(course.staff), {"who": "Sam, your facilitator."})
    api.save_introduction(make_context(course.staff, group=course.group_a), {"who": "Sam, your facilitator."})
    assert names(gallery(make_context(course.cara))) == ["sam"]


def test_writing_too_quickly_is_refused_with_nothing_written(make_context, course, settings):
    settings.SOCIAL_LEARNING = {"introductions": {"POSTS_PER_WINDOW": 1}}
    api.save_introduction(make_context(course.ann), {"who": "First"})
    with pytest.raises(RateLimited):
        api.save_introduction(make_context(course.ann), {"who": "Second"})
    assert Introduction.objects.get(user=course.ann).who == "First"


# ----- privacy ------------------------------------------------------------------------------------------------
def test_another_cohort_never_sees_the_introductions(make_context, course, post):
    ann = post(course.ann, learn=["negotiation"], offer=["coaching"], who="Ann from cohort A")["introduction"]
    post(course.bob, learn=["negotiation"], offer=[], who="Bob from cohort B")
    bob_ctx = make_context(course.bob)
    assert names(gallery(bob_ctx)) == ["bob"]
    assert names(gallery(bob_ctx, search="cohort")) == ["bob"]
    assert names(gallery(bob_ctx, topic="negotiation")) == ["bob"]
    assert api.topics(bob_ctx) == [{"key": "negotiation", "count": 1}]
    for action, data in ((api.wave, {"id": ann["id"]}), (api.reply, {"id": ann["id"], "body": "Hi Ann"})):
        with pytest.raises(NotFound):
            action(bob_ctx, data)
    assert not Wave.objects.exists() and not Reply.objects.exists()
    with pytest.raises(PermissionDenied):  # a learner cannot ask for another group
        gallery(make_context(course.bob, group=course.group_a))
    # Staff see every group, or the one they pick.
    assert sorted(names(gallery(make_context(course.staff)))) == ["ann", "bob"]
    assert names(gallery(make_context(course.staff, group=course.group_a))) == ["ann"]


def test_a_course_wide_scope_shows_everyone(make_context, course, intro_settings):
    for user in (course.ann, course.bob):
        api.save_introduction(make_context(user, scope="course"), {"who": "Hello"})
    assert sorted(names(gallery(make_context(course.bob, scope="course")))) == ["ann", "bob"]


# ----- the gallery ---------------------------------------------------------------------------------------------
def test_search_and_topic_filter(make_context, course, post):
    post(course.ann, who="Customer service in Ghent", learn=["Negotiation"], offer=["Excel"], fun_fact="Choir")
    post(course.cara, who="Finance", learn=["Excel"], offer=["Public speaking"])
    post(course.advocate, who="Data team", learn=["SQL"], offer=[])
    ctx = make_context(course.cara)
    assert names(gallery(ctx, search="GHENT")) == ["ann"]
    assert names(gallery(ctx, search="choir ghent")) == ["ann"]
    assert names(gallery(ctx, search="excel")) == ["cara", "ann"]  # in a topic too
    assert names(gallery(ctx, topic="Excel")) == ["cara", "ann"]  # wants to learn or can offer
    assert names(gallery(ctx, topic="sql")) == ["ada"]
    assert gallery(ctx, topic="knitting")["introductions"] == []
    assert api.topics(ctx)[0] == {"key": "excel", "count": 2}


def test_the_gallery_pages_newest_first(make_context, course, settings, django_user_model):
    settings.SOCIAL_LEARNING = {"introductions": {"POSTS_PER_WINDOW": 1000, "PAGE_SIZE": 2}}
    people = []
    for i in range(5):
        user = django_user_model.objects.create(username=f"p{i}")
        course.cohort_a.localgroupmembership_set.create(user=user, context_key=course.key, kind="cohort")
        api.save_introduction(make_context(user), {"who": f"Person {i}"})
        people.append(user.username)
    ctx = make_context(course.ann)
    seen, cursor = [], None
    while True:
        page = gallery(ctx, **({"before": cursor} if cursor else {}))
        seen += names(page)
        cursor = page["next"]
        if cursor is None:
            break
    assert seen == list(reversed(people))
    with pytest.raises(ValidationError):
        gallery(ctx, before="yesterday")


# ----- waves and replies ----------------------------------------------------------------------------------------
def test_waving_counts_once_and_can_be_taken_back(make_context, course, post):
    ann = post(course.ann)["introduction"]
    cara = make_context(course.cara)
    assert api.wave(cara, {"id": ann["id"]})["waves"] == 1
    assert api.wave(cara, {"id": ann["id"]})["waves"] == 1  # twice is still one wave
    assert api.wave(make_context(course.advocate), {"id": ann["id"]})["waves"] == 2
    assert gallery(cara)["introductions"][0]["waved"] is True
    assert api.wave(cara, {"id": ann["id"], "on": False})["waves"] == 1
    assert api.wave(cara, {"id": ann["id"], "on": False})["waves"] == 1
    with pytest.raises(PermissionDenied):
        api.wave(make_context(course.ann), {"id": ann["id"]})


def test_a_short_reply(make_context, course, post, signals):
    ann = post(course.ann)["introduction"]
    result = api.reply(make_context(course.cara), {"id": ann["id"], "body": "  Welcome, Ann!  "})
    assert result["reply"]["body"] == "Welcome, Ann!"
    shown = gallery(make_context(course.ann))["introductions"][0]
    assert [r["body"] for r in shown["replies"]] == ["Welcome, Ann!"] and shown["reply_count"] == 1
    assert signals[-1]["kind"] == "reply" and signals[-1]["user"] == course.cara
    for body in ("", "x" * 501):
        with pytest.raises(ValidationError):
            api.reply(make_context(course.cara), {"id": ann["id"], "body": body})
    assert Reply.objects.count() == 1


def test_a_reply_is_deleted_by_its_author_or_staff_only(make_context, course, post):
    ann = post(course.ann)["introduction"]
    first = api.reply(make_context(course.cara), {"id": ann["id"], "body": "Hi Ann"})["reply"]
    second = api.reply(make_context(course.cara), {"id": ann["id"], "body": "Welcome"})["reply"]
    assert first["can_delete"] is True
    with pytest.raises(PermissionDenied):  # Ann reads it, but did not write it
        api.delete_reply(make_context(course.ann), {"id": first["id"]})
    with pytest.raises(NotFound):  # another cohort: as if it did not exist
        api.delete_reply(make_context(course.bob), {"id": first["id"]})
    assert Reply.objects.count() == 2
    api.delete_reply(make_context(course.cara), {"id": first["id"]})
    api.delete_reply(make_context(course.staff), {"id": second["id"]})
    shown = gallery(make_context(course.ann))["introductions"][0]
    assert shown["replies"] == [] and shown["reply_count"] == 0
    with pytest.raises(NotFound):
        api.delete_reply(make_context(course.cara), {"id": first["id"]})


def test_read_only_contexts_write_nothing(make_context, course, post):
    ann = post(course.ann)["introduction"]
    ctx = make_context(course.cara)
    ctx.read_only = "You are viewing the course as this learner."
    for action, data in ((api.wave, {"id": ann["id"]}), (api.reply, {"id": ann["id"], "body": "Hi"}),
                         (api.save_introduction, {"who": "Hi"})):
        with pytest.raises(PermissionDenied):
            action(ctx, data)
    assert not Wave.objects.exists() and not Reply.objects.exists() and Introduction.objects.count() == 1


# ----- the facilitator -----------------------------------------------------------------------------------------
def test_the_facilitator_sees_who_is_missing_and_what_the_group_brings(make_context, course, post):
    post(course.ann, learn=["Negotiation", "SQL"], offer=["Excel"])
    post(course.advocate, learn=["negotiation"], offer=["Excel", "Coaching"])
    post(course.bob, learn=["Knitting"], offer=[])
    view = facilitator.overview(make_context(course.staff, group=course.group_a), {})
    assert [p["username"] for p in view["introduced"]] == ["ada", "ann"]
    assert [p["username"] for p in view["missing"]] == ["cara"]
    assert view["learn"] == [{"topic": "negotiation", "count": 2}, {"topic": "sql", "count": 1}]
    assert view["offer"] == [{"topic": "excel", "count": 2}, {"topic": "coaching", "count": 1}]
    everyone = facilitator.overview(make_context(course.staff), {})
    assert "sam" not in [p["username"] for p in everyone["introduced"] + everyone["missing"]]  # the course team
    assert {p["username"] for p in everyone["introduced"]} == {"ada", "ann", "bob"}
    assert {"topic": "knitting", "count": 1} in everyone["learn"]
    with pytest.raises(PermissionDenied):
        facilitator.overview(make_context(course.ann), {})


# ----- for others ----------------------------------------------------------------------------------------------
def test_the_insights_summary_counts_per_group_without_text(make_context, course, post):
    ann = post(course.ann)["introduction"]
    post(course.cara)
    post(course.bob)
    api.wave(make_context(course.cara), {"id": ann["id"]})
    api.reply(make_context(course.cara), {"id": ann["id"], "body": "Hi"})
    ThemeAnswer.objects.create(placement=course.placement, user=course.cara, group_key=course.group_a, theme=0,
                               body="Private words", created=timezone.now(), modified=timezone.now())
    rows = api.summary(course.key)
    assert rows == sorted([
        {"placement": course.placement.id, "group": course.group_a, "introductions": 2, "introductions_waved_at": 1,
         "replies": 1, "theme_answers": 1},
        {"placement": course.placement.id, "group": course.group_b, "introductions": 1, "introductions_waved_at": 0,
         "replies": 0, "theme_answers": 0},
    ], key=lambda row: row["group"])


def test_participation_counts_the_posted_introduction(make_context, course, post):
    ctx = make_context(course.ann)
    assert api.participation_count(ctx) == 0
    post(course.ann)
    assert api.participation_count(ctx) == 1


def test_a_retired_person_is_forgotten_and_the_counts_stay_right(make_context, course, post):
    ann = post(course.ann)["introduction"]
    cara = post(course.cara)["introduction"]
    api.wave(make_context(course.ann), {"id": cara["id"]})
    api.wave(make_context(course.advocate), {"id": cara["id"]})
    api.reply(make_context(course.ann), {"id": cara["id"], "body": "Hi Cara"})
    api.reply(make_context(course.ann), {"id": cara["id"], "body": "See you Thursday"})
    api.reply(make_context(course.cara), {"id": ann["id"], "body": "Hi Ann"})
    core_signals.retire_user(sender=None, user=course.ann)  # what Open edX's USER_RETIRE_LMS_CRITICAL calls
    assert not Introduction.objects.filter(user=course.ann).exists()
    assert not Topic.objects.filter(introduction_id=ann["id"]).exists()
    assert not Wave.objects.filter(user=course.ann).exists() and not Reply.objects.filter(author=course.ann).exists()
    (shown,) = gallery(make_context(course.cara))["introductions"]
    assert shown["waves"] == 1 and shown["reply_count"] == 0 and shown["replies"] == []
