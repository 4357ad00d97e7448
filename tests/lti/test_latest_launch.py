"""What a launch may change: a group named by one activity's launch applies to that activity only (the course's
groups, set by the instructor in the tool, stay as they are), and a page's launch token stands only while the
person's latest launch agrees with it (the same roles, the same group of the activity)."""
import re

import pytest

from lti.models import LtiPerson
from tests.lti.conftest import forum_init, groups_form
from tests.lti.test_identity_and_api import api
from xblocks.core.models import LocalGroupMembership

pytestmark = pytest.mark.django_db(transaction=True)
MEMBER = "http://purl.imsglobal.org/vocab/lis/v2/membership#"


def memberships():
    return sorted(LocalGroupMembership.objects.values_list("user_id", "group_id", "context_key", "kind"))


def group_shown_for(groups_html, user_id):
    """The group selected for a person on the instructor's groups page."""
    select = re.search(rf'<select id="sls-person-{user_id}".*?</select>', groups_html, re.S).group(0)
    selected = re.search(r'<option value="\d+" selected>([^<]+)</option>', select)
    return selected.group(1) if selected else None


def teacher_puts_in_groups(platform, tool, assignments):
    """The instructor launches activity 2, fetches the roster and puts people in groups of the course."""
    platform.members = [
        {"user_id": "teacher", "given_name": "Tess", "family_name": "Teacher", "roles": [MEMBER + "Instructor"],
         "status": "Active"},
        {"user_id": "ann", "given_name": "Ann", "family_name": "Peeters", "roles": [MEMBER + "Learner"],
         "status": "Active"},
        {"user_id": "bob", "given_name": "Bob", "family_name": "Janssens", "roles": [MEMBER + "Learner"],
         "status": "Active"},
        {"user_id": "cara", "given_name": "Cara", "family_name": "Maes", "roles": [MEMBER + "Learner"],
         "status": "Active"},
    ]
    page = tool.launch(platform.consumer(role="staff", user_id="teacher", name="Tess Teacher",
                                         resource_link_id="act-2", link_title="Week 2 forum"))
    _path, token = groups_form(page.text)
    post = lambda **data: tool.open("/lti/groups/", token, **data)  # noqa: E731
    assert "Roster updated: 4 people." in post(action="sync").text
    for name in sorted(set(assignments.values())):
        assert f"Group “{name}” created." in post(action="create", name=name).text
    listed = tool.open("/lti/groups/", token).text
    ids = {name: value for value, name in re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', listed)}
    form = {f"person-{LtiPerson.objects.get(subject=subject).user_id}": ids[name]
            for subject, name in assignments.items()}
    assert "Groups saved" in post(action="assign", **form).text
    return token


def test_a_group_named_by_one_activity_applies_to_that_activity_only(platform, tool):
    groups_token = teacher_puts_in_groups(platform, tool, {"ann": "B", "bob": "B"})
    ann_id = LtiPerson.objects.get(subject="ann").user_id

    def launch(user_id, link, custom=None):
        page = tool.launch(platform.consumer(user_id=user_id, name=user_id.title(), resource_link_id=link,
                                             link_title=link, custom=custom))
        assert page.status_code == 200, page.text[:500]
        return forum_init(page.text)

    bob_2 = launch("bob", "act-2")
    assert api(tool, bob_2, "create_thread", {"title": "Group B's plan", "body": "Only for B."})[0] == 200
    before = memberships()
    ann_1 = launch("ann", "act-1", {"cohort": "A"})
    cara_1 = launch("cara", "act-1", {"cohort": "A"})
    assert memberships() == before  # a launch never changes the course's groups
    assert ann_1["current_group"]["name"] == "A"
    assert api(tool, cara_1, "create_thread", {"title": "Group A's plan", "body": "Only for A."})[0] == 200
    assert [t["title"] for t in api(tool, ann_1, "list_threads", {})[1]["threads"]] == ["Group A's plan"]

    ann_2 = launch("ann", "act-2")  # after activity 1: activity 2 still shows the group the teacher chose
    assert ann_2["current_group"]["name"] == "B"
    assert [t["title"] for t in api(tool, ann_2, "list_threads", {})[1]["threads"]] == ["Group B's plan"]
    # Activity 1's page still works in A, the group that activity named.
    assert [t["title"] for t in api(tool, ann_1, "list_threads", {})[1]["threads"]] == ["Group A's plan"]
    # Who can be @mentioned follows the same groups: A's people in activity 1, B's in activity 2.
    assert [m["username"] for m in api(tool, ann_1, "mention_candidates", {"q": ""})[1]["members"]] == [
        LtiPerson.objects.get(subject="cara").user.username]
    assert [m["username"] for m in api(tool, ann_2, "mention_candidates", {"q": ""})[1]["members"]] == [
        LtiPerson.objects.get(subject="bob").user.username]
    assert memberships() == before
    assert group_shown_for(tool.open("/lti/groups/", groups_token).text, ann_id) == "B"
    # Another launch of activity 1 (as Moodle sends it each time) changes nothing either.
    assert launch("ann", "act-1", {"cohort": "A"})["current_group"]["name"] == "A"
    assert memberships() == before


def test_a_learner_whom_only_an_activity_names_has_no_group_elsewhere(platform, tool):
    assert forum_init(tool.launch(platform.consumer(resource_link_id="act-1", custom={"cohort": "A"})).text)[
        "current_group"]["name"] == "A"
    other = tool.launch(platform.consumer(resource_link_id="act-2"))
    assert "You are not in a group of this course yet" in other.text
    assert memberships() == []


def test_an_older_page_stops_working_once_the_person_launched_with_other_roles(platform, tool):
    staff_page = tool.launch(platform.consumer(role="staff", user_id="u1", name="Sam Staff"))
    staff = forum_init(staff_page.text)
    assert staff["roles"]["is_staff"] is True
    staff_token = staff["client"]["headers"]["Authorization"][7:]
    learner = forum_init(tool.launch(platform.consumer(role="student", user_id="u1", name="Sam Staff",
                                                       custom={"cohort": "A"})).text)
    status, created = api(tool, learner, "create_thread", {"title": "Mine", "body": "Hello."})
    assert status == 200
    thread_id = created["thread"]["id"] if "thread" in created else created["id"]

    status, body = api(tool, staff, "pin", {"id": thread_id, "on": True})
    assert status == 403 and body["error"]["code"] == "launch_replaced"
    assert "open the activity again from your course" in body["error"]["message"]
    renewed = tool.http.post(platform.tool_url + "/lti/api/renew/", headers=staff["client"]["headers"])
    assert renewed.status_code == 403 and renewed.json()["error"]["code"] == "launch_replaced"
    assert set(renewed.json()) == {"error"}
    reloaded = tool.open("/lti/page/cohort_forum/", staff_token)
    assert reloaded.status_code == 403 and "open the activity again from your course" in reloaded.text
    groups = tool.open("/lti/groups/", staff_token)
    assert groups.status_code == 403 and "Manage groups" not in groups.text

    # The latest launch's page works, as a learner's.
    assert api(tool, learner, "list_threads", {})[0] == 200
    status, body = api(tool, learner, "pin", {"id": thread_id, "on": True})
    assert status == 403 and body["error"]["code"] == "forbidden"
    renewed = tool.http.post(platform.tool_url + "/lti/api/renew/", headers=learner["client"]["headers"])
    assert renewed.status_code == 200
    fresh = {"Authorization": "Bearer " + renewed.json()["token"]}
    assert api(tool, learner, "list_threads", {}, headers=fresh)[0] == 200


def test_roles_of_the_latest_launch_apply_in_every_activity_of_the_course(platform, tool):
    staff = forum_init(tool.launch(platform.consumer(role="staff", user_id="u1", resource_link_id="act-1")).text)
    assert api(tool, staff, "list_threads", {})[0] == 200
    tool.launch(platform.consumer(role="student", user_id="u1", resource_link_id="act-2", custom={"cohort": "A"}))
    status, body = api(tool, staff, "list_threads", {})
    assert status == 403 and body["error"]["code"] == "launch_replaced"


def test_a_new_launch_with_the_same_roles_keeps_other_pages_working(platform, tool):
    first = forum_init(tool.launch(platform.consumer(custom={"cohort": "A"})).text)
    second = forum_init(tool.launch(platform.consumer(custom={"cohort": "A"})).text)
    assert api(tool, first, "list_threads", {})[0] == 200
    assert api(tool, second, "list_threads", {})[0] == 200
    # The activity names another group from now on: the older page's token is refused.
    tool.launch(platform.consumer(custom={"cohort": "B"}))
    status, body = api(tool, second, "list_threads", {})
    assert status == 403 and body["error"]["code"] == "launch_replaced"
