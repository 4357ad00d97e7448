"""The platform's own groups: learners launched from the test platform act in their Moodle group, read from a
local stand-in of Moodle's web services (tests/lti/moodle.py), or in the groups a launch names (Canvas).

Moodle's user id is the launch's ``sub`` and its course id the context's id, as Moodle 4.5 sends them.
"""
import html
import logging
import re
import time
import types

import pytest
from django.core.cache import cache

from lti.models import LearnerState, MoodleWebService, PlatformGroupSync
from tests.lti.conftest import forum_init, groups_form, launch_data
from tests.lti.moodle import MoodleStandIn
from xblocks.core import groups_api
from xblocks.core.models import LocalGroup

COURSE = "42"


@pytest.fixture
def moodle(platform):
    standin = MoodleStandIn()
    MoodleWebService.objects.create(registration=platform.registration, base_url=standin.url + "/",
                                    token=standin.token)
    yield standin
    standin.stop()


def launch(platform, tool, user_id, name="Ann Peeters", link="link-1", custom=None, role="student"):
    return tool.launch(platform.consumer(user_id=user_id, name=name, context_id=COURSE, resource_link_id=link,
                                         role=role, custom=custom))


def group_of(page):
    assert page.status_code == 200, re.findall(r'<main.*?</main>', page.text, re.S)
    return forum_init(page.text)["current_group"]["name"]


def user_calls(moodle):
    return moodle.functions("core_group_get_course_user_groups")


def later(monkeypatch, seconds):
    """Move the cache's clock ``seconds`` on: what it keeps for less has expired."""
    now = time.time()
    monkeypatch.setattr("django.core.cache.backends.locmem.time", types.SimpleNamespace(time=lambda: now + seconds))


def test_learner_acts_in_their_moodle_group_and_a_cached_launch_calls_no_moodle(platform, tool, moodle, caplog):
    moodle.add_group(COURSE, 7, "Antwerp", members=[5, 6])
    moodle.add_group(COURSE, 8, "Brussels", members=[9])
    caplog.set_level(logging.DEBUG)
    ann = launch(platform, tool, "5")
    assert group_of(ann) == "Antwerp"
    assert user_calls(moodle) == [{"courseid": COURSE, "userid": "5"}]
    group = LocalGroup.objects.get(name="Antwerp")
    assert (group.source, group.external_id) == ("moodle", "7")
    assert group_of(launch(platform, tool, "5")) == "Antwerp"
    assert len(user_calls(moodle)) == 1  # read once, then kept
    assert group_of(launch(platform, tool, "9", name="Bob Janssens")) == "Brussels"
    assert moodle.token not in caplog.text
    # No switcher for a learner in one group.
    assert "sls-lti-your-group" not in ann.text


def test_learners_of_two_moodle_groups_never_see_each_others_threads(platform, tool, moodle):
    moodle.add_group(COURSE, 7, "Antwerp", members=[5])
    moodle.add_group(COURSE, 8, "Brussels", members=[9])
    ann = forum_init(launch(platform, tool, "5").text)
    bob = forum_init(launch(platform, tool, "9", name="Bob Janssens").text)
    response = tool.http.post(platform.tool_url + ann["urls"]["create_thread"], json={"title": "Antwerp only",
                              "body": "Hello group."}, headers=ann["client"]["headers"])
    assert response.status_code == 200
    listed = tool.http.post(platform.tool_url + bob["urls"]["list_threads"], json={},
                            headers=bob["client"]["headers"]).json()
    assert listed["threads"] == []


def test_learner_in_no_moodle_group_sees_the_not_in_a_group_page(platform, tool, moodle):
    moodle.add_group(COURSE, 7, "Antwerp", members=[6])
    page = launch(platform, tool, "5")
    assert page.status_code == 200
    assert "You are not in a group of this course yet" in page.text


def switcher(page):
    match = re.search(r'<form class="sls-lti-bar sls-lti-switch" method="post" action="([^"]+)">\s*'
                      r'<input type="hidden" name="launch" value="([^"]+)">', page.text)
    assert match, page.text[:3000]
    options = re.findall(r'<option value="([^"]+)"( selected)?>([^<]+)</option>', page.text.split('class="sls-lti-bar sls-lti-switch"')[1].split("</form>")[0])
    return match.group(1), html.unescape(match.group(2)), {html.unescape(n): (k, bool(s)) for k, s, n in options}


def test_learner_in_two_groups_switches_and_the_choice_is_kept_for_that_activity(platform, tool, moodle):
    moodle.add_group(COURSE, 7, "Antwerp", members=[5])
    moodle.add_group(COURSE, 8, "Brussels", members=[5])
    page = launch(platform, tool, "5")
    assert group_of(page) == "Antwerp"
    action, token, options = switcher(page)
    assert set(options) == {"Antwerp", "Brussels"} and options["Antwerp"][1]
    switched = tool.http.post(platform.tool_url + action, data={"launch": token, "group": options["Brussels"][0]})
    assert group_of(switched) == "Brussels"
    assert switcher(switched)[2]["Brussels"][1]
    # The old page's token no longer stands; the choice is kept at the next launch of this activity only.
    assert tool.http.post(platform.tool_url + action, data={"launch": token, "group": options["Antwerp"][0]}
                          ).status_code == 403
    assert group_of(launch(platform, tool, "5")) == "Brussels"
    assert group_of(launch(platform, tool, "5", link="link-2")) == "Antwerp"
    # A group the learner is not in is refused with a clear page.
    other = groups_api.create_group(_course_key(platform), "Ghent")[0]
    _action, token, _options = switcher(launch(platform, tool, "5"))
    refused = tool.http.post(platform.tool_url + action, data={"launch": token, "group": f"cohort:{other.id}"})
    assert refused.status_code == 400 and "You are not in that group" in refused.text


def test_an_activity_can_follow_one_grouping(platform, tool, moodle):
    moodle.add_group(COURSE, 7, "Antwerp", members=[5])
    moodle.add_group(COURSE, 8, "Project team 1", members=[5])
    moodle.groupings["11"] = (COURSE, "Projects", [8])
    assert group_of(launch(platform, tool, "5", link="projects", custom={"sls_grouping": "11"})) == "Project team 1"
    assert user_calls(moodle)[-1] == {"courseid": COURSE, "userid": "5", "groupingid": "11"}
    page = launch(platform, tool, "5", link="forum")
    assert group_of(page) == "Antwerp"
    assert "sls-lti-your-group" in page.text  # in two groups of the course, one in this activity's grouping


def test_a_change_in_moodle_is_seen_once_the_kept_groups_expire(platform, tool, moodle, monkeypatch):
    moodle.add_group(COURSE, 7, "Antwerp", members=[5])
    moodle.add_group(COURSE, 8, "Brussels", members=[])
    assert group_of(launch(platform, tool, "5")) == "Antwerp"
    moodle.members[7], moodle.members[8] = [], [5]
    assert group_of(launch(platform, tool, "5")) == "Antwerp"
    assert len(user_calls(moodle)) == 1
    later(monkeypatch, 301)
    assert group_of(launch(platform, tool, "5")) == "Brussels"
    assert len(user_calls(moodle)) == 2


@pytest.mark.parametrize("break_it, code", [
    (lambda m: setattr(m, "token", "another-token"), "moodle_bad_token"),
    (lambda m: m.allowed.discard("core_group_get_course_user_groups"), "moodle_function_not_allowed"),
    (lambda m: m.stop(), "moodle_unreachable"),
    (lambda m: setattr(m, "delay", 5), "moodle_timeout"),
])
def test_when_moodle_fails_the_last_known_groups_are_used_and_the_teacher_is_told(platform, tool, moodle, settings,
                                                                                   monkeypatch, break_it, code):
    moodle.add_group(COURSE, 7, "Antwerp", members=[5])
    assert group_of(launch(platform, tool, "5")) == "Antwerp"
    break_it(moodle)
    if code == "moodle_timeout":  # Moodle answers in 5 s: the tool waits 3
        settings.SOCIAL_LEARNING_LTI = {**settings.SOCIAL_LEARNING_LTI, "HTTP_TIMEOUT_SECONDS": 3}
    later(monkeypatch, 301)
    assert group_of(launch(platform, tool, "5")) == "Antwerp"
    sync = PlatformGroupSync.objects.get()
    assert sync.error_code == code and sync.synced is not None
    teacher = launch(platform, tool, "1", name="Tess Teacher", role="staff")
    assert "groups could not be read from the platform" in teacher.text
    page = groups_page(platform, tool, teacher)
    assert "The last call to Moodle failed" in page.text and code in page.text


def groups_page(platform, tool, teacher_page):
    path, token = groups_form(teacher_page.text)  # the page's "Manage groups" button posts the token
    return tool.http.post(platform.tool_url + path, data={"launch": html.unescape(token)})


def test_the_teachers_page_shows_the_groups_their_source_and_a_refresh(platform, tool, moodle):
    moodle.add_group(COURSE, 7, "Antwerp", members=[5, 6, 7])
    moodle.add_group(COURSE, 8, "Brussels", members=[9])
    teacher = launch(platform, tool, "1", name="Tess Teacher", role="staff")
    assert "sls-lti-groups-error" not in teacher.text
    page = groups_page(platform, tool, teacher)
    assert "Not read from Moodle yet." in page.text and "Refresh from Moodle now" in page.text
    token = re.search(r'name="launch" value="([^"]+)"><input type="hidden" name="action" value="refresh"',
                      page.text).group(1)
    groups_api.create_group(_course_key(platform), "Mentors")
    refreshed = tool.http.post(platform.tool_url + "/lti/groups/", data={"launch": html.unescape(token),
                                                                        "action": "refresh"})
    assert refreshed.status_code == 200, refreshed.text[:2000]
    assert "Groups read from Moodle: 2." in refreshed.text
    table = refreshed.text.split('id="sls-seen-groups-table"')[1].split("</table>")[0]
    rows = {re.sub(r"<[^>]+>", " ", r).split()[0]: " ".join(re.sub(r"<[^>]+>", " ", r).split())
            for r in re.findall(r"<tr><th scope=\"row\">.*?</tr>", table, re.S)}
    assert rows["Antwerp"] == "Antwerp Moodle 3 in Moodle"
    assert rows["Brussels"] == "Brussels Moodle 1 in Moodle"
    assert rows["Mentors"] == "Mentors Managed in the tool 0 seen at launches"
    assert "Last read from Moodle" in refreshed.text
    # A learner can never reach it.
    learner = launch(platform, tool, "5")
    token = launch_data(learner.text)["token"]
    for response in (tool.http.post(platform.tool_url + "/lti/groups/", data={"launch": token}),
                     tool.http.post(platform.tool_url + "/lti/groups/", data={"launch": token, "action": "refresh"})):
        assert response.status_code == 403 and "Only course staff" in response.text


def _course_key(platform):
    from lti.identity import context_key
    return context_key(platform.url, COURSE)


def test_a_group_set_by_hand_in_the_tool_comes_first(platform, tool, moodle):
    moodle.add_group(COURSE, 7, "Antwerp", members=[5])
    assert group_of(launch(platform, tool, "5")) == "Antwerp"
    from lti.models import LtiPerson
    user = LtiPerson.objects.get(subject="5").user
    groups_api.put_in_cohort(user, _course_key(platform), "Mentored")
    assert group_of(launch(platform, tool, "5")) == "Mentored"
    assert LearnerState.objects.get(user=user).group_key == ""
    # Moodle's membership is still known (and shown on the teacher's page), the teacher's assignment untouched.
    assert [g.name for g in groups_api.platform_groups_of(user, _course_key(platform), "moodle")] == ["Antwerp"]


def test_groups_named_in_the_launch_need_no_web_service(platform, tool):
    page = launch(platform, tool, "ann", custom={"sls_groups": "g-104,g-101"})
    assert group_of(page) == "Group g-101"
    assert "sls-lti-your-group" in page.text
    assert set(LocalGroup.objects.values_list("source", flat=True)) == {"launch"}
    # An unexpanded substitution means the platform sent none.
    cache.clear()
    assert "You are not in a group" in launch(platform, tool, "bob", name="Bob", custom={
        "sls_groups": "$Canvas.group.contextIds"}).text


def test_the_teacher_chooses_a_grouping_when_adding_the_activity(platform, tool, moodle):
    from tests.lti.test_advantage import JWT_FIELD, RETURN_ACTION, choose, deep_link_launch

    moodle.add_group(COURSE, 7, "Antwerp", members=[5])
    moodle.add_group(COURSE, 8, "Project team 1", members=[5])
    moodle.groupings["11"] = (COURSE, "Projects", [8])
    page = deep_link_launch(tool, platform.consumer(role="staff", user_id="1", context_id=COURSE))
    assert "Moodle groups this activity follows" in page.text and "Grouping “Projects”" in page.text
    chosen = choose(tool, page, sls_grouping="11")
    assert chosen.status_code == 200, chosen.text[:1000]
    tool.http.post(RETURN_ACTION.search(chosen.text).group(1), data={"JWT": JWT_FIELD.search(chosen.text).group(1)})
    [item] = platform.deep_link_items
    assert item["custom"]["sls_grouping"] == "11"
    assert group_of(launch(platform, tool, "5", link="dl", custom=item["custom"])) == "Project team 1"
    # Without the function allowed, the form says so and still adds the activity (all groups).
    moodle.allowed.discard("core_group_get_course_groupings")
    page = deep_link_launch(tool, platform.consumer(role="staff", user_id="1", context_id=COURSE))
    assert page.status_code == 200 and "groupings could not be read from Moodle" in page.text
    assert "call core_group_get_course_groupings" in page.text and "All groups of the course" in page.text


def test_the_token_is_write_only_in_the_admin(platform):
    from lti.admin import MoodleWebServiceForm

    form = MoodleWebServiceForm(data={"registration": platform.registration.pk, "base_url": "https://moodle.example.org",
                                      "token": "", "is_active": "on"})
    assert not form.is_valid() and "token" in form.errors  # a new service needs one
    form = MoodleWebServiceForm(data={"registration": platform.registration.pk, "base_url": "https://moodle.example.org",
                                      "token": "secret-token-123", "is_active": "on"})
    ws = form.save()
    shown = MoodleWebServiceForm(instance=ws)
    assert "secret-token-123" not in shown.as_p()
    kept = MoodleWebServiceForm(instance=ws, data={"registration": platform.registration.pk,
                                                   "base_url": "https://moodle2.example.org", "token": "",
                                                   "is_active": "on"})
    assert kept.is_valid(), kept.errors
    kept.save()
    ws.refresh_from_db()
    assert (ws.base_url, ws.token) == ("https://moodle2.example.org", "secret-token-123")


def test_a_refresh_without_the_grouping_functions_still_reads_the_groups(platform, tool, moodle):
    moodle.add_group(COURSE, 7, "Antwerp", members=[5])
    moodle.allowed -= {"core_group_get_course_groupings", "core_group_get_groupings"}
    teacher = launch(platform, tool, "1", name="Tess Teacher", role="staff")
    page = groups_page(platform, tool, teacher)
    token = re.search(r'name="launch" value="([^"]+)"><input type="hidden" name="action" value="refresh"',
                      page.text).group(1)
    refreshed = tool.http.post(platform.tool_url + "/lti/groups/", data={"launch": html.unescape(token),
                                                                        "action": "refresh"})
    assert "Groups read from Moodle: 1." in refreshed.text and "The last call to Moodle failed" not in refreshed.text
    moodle.token = "revoked"
    refused = tool.http.post(platform.tool_url + "/lti/groups/", data={"launch": html.unescape(token),
                                                                      "action": "refresh"})
    assert refused.status_code == 400
    assert "Moodle refused the tool&#x27;s web service token" in refused.text
    assert "The last call to Moodle failed" in refused.text and "Antwerp" in refused.text
