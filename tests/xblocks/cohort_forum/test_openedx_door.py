"""The forum inside Open edX: the LMS, Studio's preview and component handlers, teams and masquerade.

The runtimes carry the services the platform gives a block (see ``tests/openedx.py`` for the
platform file each fake follows); cohorts, teams and roles are faked behind ``compat`` only.
"""
import json
import logging
import re

import pytest

from tests import openedx
from tests.factories import COURSE_KEY
from xblocks.cohort_forum.models import Thread, ThreadState
from xblocks.core import compat, signals
from xblocks.core.context import STAFF

pytestmark = pytest.mark.urls("workbench.urls")

XML = '<social_cohort_forum display_name="Week 1 forum" participation_required="0"/>'
TEAM_XML = '<social_cohort_forum display_name="Project forum" group_scope="team" teamset_id="projects"/>'


@pytest.fixture
def platform(monkeypatch, course):
    """A cohorted course: ann, cara and ada in Mornings (7), bob in Evenings (8); teams in 'projects'."""
    cohorts = {course.ann.id: (7, "Mornings"), course.cara.id: (7, "Mornings"), course.advocate.id: (7, "Mornings"),
               course.bob.id: (8, "Evenings")}
    members = {7: [course.ann.id, course.cara.id, course.advocate.id], 8: [course.bob.id]}
    monkeypatch.setattr(compat, "running_in_openedx", lambda: True)
    monkeypatch.setattr(compat, "is_course_cohorted", lambda course_key: True)
    monkeypatch.setattr(compat, "get_cohort", lambda user, course_key: cohorts.get(user.id))
    monkeypatch.setattr(compat, "get_course_cohorts", lambda course_key: [(7, "Mornings"), (8, "Evenings")])
    monkeypatch.setattr(compat, "get_cohort_member_ids", lambda course_key, cohort_id: members.get(cohort_id, []))
    monkeypatch.setattr(compat, "get_course_member_ids", lambda course_key: list(cohorts))
    monkeypatch.setattr(compat, "get_teams", lambda course_key, teamset_id: [("team-red", "Red")])
    monkeypatch.setattr(compat, "get_team_member_ids",
                        lambda team_id: [course.ann.id, course.cara.id] if team_id == "team-red" else [])
    monkeypatch.setattr(compat, "is_forum_advocate", lambda user, course_key: user == course.advocate)
    course.teams = openedx.TeamsService({(COURSE_KEY, "projects"): [("team-red", "Red", [course.ann, course.cara])]})
    return course


@pytest.fixture
def forum(platform, make_block):
    first = make_block(XML, "ann")

    def load(user, xml_block=None):
        return make_block.as_user(xml_block or first, user.username)

    load.first = first
    return load


def init_of(html):
    match = re.search(r'<script type="application/json" class="sls-forum-data">(.*?)</script>', html, re.S)
    return json.loads(match.group(1)) if match else None


def lms(block, user, **kwargs):
    openedx.lms_runtime(block.runtime, user, **kwargs)
    return block


@pytest.fixture
def evening_thread(forum, platform, call_handler):
    status, body = call_handler(lms(forum(platform.bob), platform.bob), "create_thread",
                                {"title": "Evenings only", "body": "Private to our cohort"})
    assert status == 200, body
    return body["id"]


# ----- Studio ------------------------------------------------------------------------------------------
class TestStudio:
    def test_any_account_in_the_preview_reads_no_cohort_and_writes_nothing(self, forum, platform, call_handler,
                                                                              evening_thread):
        ann = forum(platform.ann)
        openedx.studio_preview_runtime(ann.runtime, platform.ann)
        for name, data in [("list_threads", {"group": "all"}), ("get_thread", {"id": evening_thread}),
                           ("create_thread", {"title": "Hi", "body": "From Studio", "group": "cohort:8"}),
                           ("hide", {"target": "thread", "id": evening_thread}),
                           ("delete", {"target": "thread", "id": evening_thread}),
                           ("save_draft", {"key": "new", "body": "x"})]:
            status, body = call_handler(ann, name, data)
            assert status == 403, (name, body)
            assert body["error"]["code"] == "studio"
            assert "Preview the unit in the LMS" in body["error"]["message"]
            assert "Evenings only" not in json.dumps(body)
        thread = Thread.objects.get(pk=evening_thread)
        assert Thread.objects.count() == 1 and not thread.hidden and not thread.deleted

    def test_the_preview_role_staff_is_not_staff(self, forum, platform):
        block = forum(platform.ann)
        openedx.studio_preview_runtime(block.runtime, platform.ann)
        attrs = block.runtime.service(block, "user").get_current_user().opt_attrs
        assert attrs["edx-platform.user_role"] == "staff"  # what Studio says of every account
        assert STAFF not in block.runtime_identity().roles

    def test_the_preview_shows_sample_threads_and_no_real_post(self, forum, platform, evening_thread):
        block = forum(platform.staff)
        openedx.studio_preview_runtime(block.runtime, platform.staff, instructors=[platform.staff])
        html = block.runtime.render(block, "student_view", {}).content
        assert "Sample threads" in html and "Introduce yourself here" in html
        assert "Evenings only" not in html and init_of(html) is None

    def test_component_handler_runs_no_learner_handler(self, forum, platform, call_handler):
        block = forum(platform.bob)
        openedx.studio_component_runtime(block.runtime, platform.bob)
        status, body = call_handler(block, "create_thread", {"title": "Not enrolled", "body": "Still posting?"})
        assert status == 403 and body["error"]["code"] == "studio"
        assert not Thread.objects.exists()

    def test_settings_are_saved_only_by_those_who_may_write_to_the_course(self, forum, platform, call_handler):
        outsider = forum(platform.bob)
        openedx.studio_component_runtime(outsider.runtime, platform.bob, authors=[platform.staff])
        status, body = call_handler(outsider, "submit_studio_edits", {"values": {"display_name": "Taken over"}})
        assert status == 403 and "Only course staff" in body["error"]["message"]
        assert forum(platform.staff).display_name == "Week 1 forum"

        author = forum(platform.staff)
        openedx.studio_component_runtime(author.runtime, platform.staff, authors=[platform.staff])
        status, body = call_handler(author, "submit_studio_edits", {"values": {"display_name": "Week 1: meet"}})
        assert status == 200, body
        assert forum(platform.ann).display_name == "Week 1: meet"


# ----- LMS roles and teams --------------------------------------------------------------------------------
class TestLms:
    def test_staff_only_from_user_is_staff(self, forum, platform):
        block = forum(platform.ann)
        block.runtime._services["user"] = openedx.UserService(platform.ann, user_role="staff")  # pylint: disable=protected-access
        assert STAFF not in block.runtime_identity().roles
        staff = lms(forum(platform.staff), platform.staff, staff=True)
        assert STAFF in staff.runtime_identity().roles

    def test_learners_keep_to_their_cohort(self, forum, platform, call_handler, evening_thread):
        status, body = call_handler(lms(forum(platform.ann), platform.ann), "list_threads", {"group": "all"})
        assert status == 200 and body["threads"] == []
        status, body = call_handler(lms(forum(platform.ann), platform.ann), "get_thread", {"id": evening_thread})
        assert status == 404

    def test_a_team_forum_works_for_team_members(self, platform, make_block, call_handler):
        first = make_block(TEAM_XML, "ann")
        ann = lms(make_block.as_user(first, "ann"), platform.ann, teams=platform.teams)
        html = ann.runtime.render(ann, "student_view", {}).content
        assert init_of(html)["current_group"] == {"key": "team:team-red", "name": "Red"}
        status, body = call_handler(ann, "create_thread", {"title": "Our plan", "body": "Draft one"})
        assert status == 200, body
        cara = lms(make_block.as_user(first, "cara"), platform.cara, teams=platform.teams)
        status, body = call_handler(cara, "list_threads", {})
        assert status == 200 and [t["title"] for t in body["threads"]] == ["Our plan"]
        bob = lms(make_block.as_user(first, "bob"), platform.bob, teams=platform.teams)
        assert "not in a group" in bob.runtime.render(bob, "student_view", {}).content
        status, body = call_handler(bob, "list_threads", {})
        assert status == 403

    def test_compat_gives_the_teams_service_a_course_id_string(self, platform):
        assert compat.get_team(platform.teams, platform.ann, COURSE_KEY, "projects") == ("team-red", "Red")
        with pytest.raises(AttributeError):  # what the platform does with a CourseKey object
            platform.teams.get_team(platform.ann, compat.course_key_object(COURSE_KEY), "projects")

    def test_the_page_names_the_sites_csrf_cookie(self, forum, platform, settings):
        settings.CSRF_COOKIE_NAME = "lms_csrftoken"
        block = lms(forum(platform.ann), platform.ann)
        init = init_of(block.runtime.render(block, "student_view", {}).content)
        assert init["client"]["csrfCookieName"] == "lms_csrftoken"


# ----- masquerade ---------------------------------------------------------------------------------------------
class TestViewAsLearner:
    @pytest.fixture
    def as_ann(self, forum, platform):
        block = forum(platform.ann)
        openedx.lms_runtime(block.runtime, openedx.masquerade_as(platform.ann, platform.staff))
        return block

    def test_the_learners_view_is_shown_read_only(self, as_ann, platform, published):
        html = as_ann.runtime.render(as_ann, "student_view", {}).content
        init = init_of(html)
        assert "You are viewing this as Ann Peeters" in init["read_only"]
        assert init["current_group"]["name"] == "Mornings"
        assert as_ann.show_in_read_only_mode is True
        assert [kind for _u, kind, _d in published if kind == "completion"] == []

    def test_nothing_is_written_in_the_learners_name(self, as_ann, forum, platform, call_handler):
        status, mine = call_handler(lms(forum(platform.cara), platform.cara), "create_thread",
                                    {"title": "Morning news", "body": "Hello"})
        assert status == 200
        for name, data in [("create_thread", {"title": "By staff", "body": "As Ann"}),
                           ("create_reply", {"thread": mine["id"], "body": "As Ann"}),
                           ("vote", {"target": "thread", "id": mine["id"]}),
                           ("follow", {"id": mine["id"]}),
                           ("flag", {"target": "thread", "id": mine["id"]}),
                           ("save_draft", {"key": "new", "body": "As Ann"})]:
            status, body = call_handler(as_ann, name, data)
            assert status == 403, (name, body)
            assert body["error"]["code"] == "read_only" and "Ann Peeters" in body["error"]["message"]
        assert Thread.objects.count() == 1 and Thread.objects.get().vote_count == 0
        assert as_ann.drafts == {}
        status, page = call_handler(as_ann, "list_threads", {})
        assert status == 200 and page["threads"][0]["unread"] is True
        status, thread = call_handler(as_ann, "get_thread", {"id": mine["id"]})
        assert status == 200 and thread["title"] == "Morning news"
        assert not ThreadState.objects.filter(user_id=platform.ann.id).exists()  # not even "read"


# ----- retirement --------------------------------------------------------------------------------------------------
def test_retirement_never_fails_the_platforms_step(course, caplog):
    def broken(sender, user, **kwargs):
        raise RuntimeError("disk full")

    signals.user_retired.connect(broken, dispatch_uid="test-broken")
    try:
        with caplog.at_level(logging.ERROR, logger="xblocks.core.signals"):
            signals.retire_user(sender=None, user=course.ann)  # as USER_RETIRE_LMS_CRITICAL.send calls it
    finally:
        signals.user_retired.disconnect(dispatch_uid="test-broken")
    assert "failed" in caplog.text and "disk full" in caplog.text
