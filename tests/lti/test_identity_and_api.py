"""Identity, roles and groups from launches; the forum API over the launch token."""
import pytest
from django.core.management import call_command

from lti.identity import context_key
from lti.models import LtiPerson
from tests.lti.conftest import forum_init
from xblocks.core.models import RoleAssignment

pytestmark = pytest.mark.django_db(transaction=True)
MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership#"


def api(tool, init, action, data, headers=None):
    response = tool.http.post(tool.platform.tool_url + init["urls"][action], json=data,
                              headers=headers if headers is not None else init["client"]["headers"])
    return response.status_code, response.json()


@pytest.mark.parametrize("role,roles,expected", [
    ("student", None, {"is_staff": False, "is_advocate": False}),
    ("staff", None, {"is_staff": True, "is_advocate": True}),          # Instructor
    ("instructor", None, {"is_staff": True, "is_advocate": True}),     # Administrator
    ("Community TA", None, {"is_staff": False, "is_advocate": True}),  # Learner + TeachingAssistant
    ("student", [MEMBERSHIP + "Mentor"], {"is_staff": False, "is_advocate": True}),
])
def test_lti_roles_map_to_suite_roles(platform, tool, role, roles, expected):
    page = tool.launch(platform.consumer(role=role, roles=roles, user_id=f"user-{role}", custom={"cohort": "A"}))
    assert page.status_code == 200, page.text[:1000]
    assert forum_init(page.text)["roles"] == expected


def test_roles_follow_the_latest_launch(platform, tool):
    course = context_key(platform.url, "course-1")
    tool.launch(platform.consumer(role="staff", user_id="u1"))
    user = LtiPerson.objects.get(subject="u1").user
    assert set(RoleAssignment.objects.filter(user=user, context_key=course).values_list("role", flat=True)) == {"staff"}
    page = tool.launch(platform.consumer(role="student", user_id="u1", custom={"cohort": "A"}))
    assert forum_init(page.text)["roles"]["is_staff"] is False
    assert not RoleAssignment.objects.filter(user=user, context_key=course).exists()


def test_same_subject_is_one_person_across_launches_and_links(platform, tool):
    tool.launch(platform.consumer(resource_link_id="l1", custom={"cohort": "A"}))
    tool.launch(platform.consumer(resource_link_id="l2", name="Ann Peeters-Maes", custom={"cohort": "A"}))
    person = LtiPerson.objects.get(issuer=platform.url, subject="learner-1")
    assert LtiPerson.objects.count() == 1
    assert person.user.get_full_name() == "Ann Peeters-Maes"


def test_learner_without_a_group_sees_why_the_forum_is_closed(platform, tool):
    page = tool.launch(platform.consumer())
    assert page.status_code == 200
    assert "You are not in a group of this course yet" in page.text
    assert "sls-forum--closed" in page.text


def test_whole_course_forum_needs_no_group(platform, tool):
    page = tool.launch(platform.consumer(custom={"group_scope": "course", "display_name": "Course Q&A"}))
    init = forum_init(page.text)
    assert init["settings"]["group_scope"] == "course"
    assert "Course Q&amp;A" in page.text


def test_invalid_link_settings_get_a_clear_page_and_write_nothing(platform, tool, rows):
    before = rows.count()
    page = tool.launch(platform.consumer(custom={"has_score": "true", "participation_required": "0"}))
    assert page.status_code == 400
    assert "A graded forum needs at least 1 required contribution" in page.text
    assert rows.count() == before


def test_cohorts_from_custom_parameters_keep_learners_apart(platform, tool):
    ann = forum_init(tool.launch(platform.consumer(user_id="ann", custom={"cohort": "Antwerp"})).text)
    bob = forum_init(tool.launch(platform.consumer(user_id="bob", name="Bob Janssens",
                                                   custom={"cohort": "Brussels"})).text)
    status, created = api(tool, ann, "create_thread", {"title": "Antwerp only", "body": "Hello cohort."})
    assert status == 200
    status, listed = api(tool, bob, "list_threads", {})
    assert status == 200 and listed["threads"] == []
    status, body = api(tool, bob, "get_thread", {"id": created["thread"]["id"] if "thread" in created else created["id"]})
    assert status == 404
    status, body = api(tool, bob, "list_threads", {"group": ann["current_group"]["key"]})
    assert status == 403 and body["error"]["code"] == "forbidden"


def test_api_errors_have_one_shape(platform, tool):
    init = forum_init(tool.launch(platform.consumer(custom={"cohort": "A"})).text)
    status, body = api(tool, init, "create_thread", {"title": "", "body": "x"})
    assert status == 400
    assert body["error"]["code"] == "invalid" and body["error"]["fields"]["title"]
    status, body = api(tool, init, "list_threads", {}, headers={})
    assert status == 401 and body["error"]["code"] == "no_launch"
    status, body = api(tool, init, "list_threads", {}, headers={"Authorization": "Bearer forged.token"})
    assert status == 401 and body["error"]["code"] == "bad_launch"
    response = tool.http.post(platform.tool_url + init["urls"]["list_threads"], data="[1]",
                              headers=init["client"]["headers"])
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid"


def test_drafts_are_kept_per_learner_and_restored_on_the_next_launch(platform, tool):
    init = forum_init(tool.launch(platform.consumer(custom={"cohort": "A"})).text)
    status, body = api(tool, init, "save_draft", {"key": "new", "title": "Half a thought", "body": "To be continued"})
    assert status == 200 and body["saved"]
    again = forum_init(tool.launch(platform.consumer(custom={"cohort": "A"})).text)
    assert again["drafts"]["new"]["title"] == "Half a thought"
    status, body = api(tool, again, "save_draft", {"key": "../../etc", "body": "x"})
    assert status == 400 and body["error"]["fields"]["key"]


def test_token_renewal(platform, tool):
    init = forum_init(tool.launch(platform.consumer(custom={"cohort": "A"})).text)
    response = tool.http.post(platform.tool_url + "/lti/api/renew/", headers=init["client"]["headers"])
    assert response.status_code == 200
    fresh = {"Authorization": "Bearer " + response.json()["token"]}
    assert api(tool, init, "list_threads", {}, headers=fresh)[0] == 200
    assert tool.http.post(platform.tool_url + "/lti/api/renew/").status_code == 401


def test_platform_command_registers_and_lists(transactional_db, capsys):
    call_command("lti_platform", "add", "--name", "Our Moodle", "--issuer", "https://moodle.example.org",
                 "--client-id", "abc", "--auth-url", "https://moodle.example.org/mod/lti/auth.php",
                 "--token-url", "https://moodle.example.org/mod/lti/token.php",
                 "--keyset-url", "https://moodle.example.org/mod/lti/certs.php", "--deployment", "7")
    call_command("lti_platform", "list")
    out = capsys.readouterr().out
    assert "Registered Our Moodle" in out and "deployment 7 (active)" in out
