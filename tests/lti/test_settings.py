"""One validation for both doors: a Deep Linking selection and Studio's form accept and refuse the same
forum settings with the same messages, and the Deep Linking form shows each message beside its field."""
import re

import pytest
from django.test import Client

from lti import components
from xblocks.cohort_forum.frontdoor import FORUM
from tests.lti import platform as platforms

GOOD = {"display_name": "Week 2: your questions", "prompt": "Ask **anything**.", "guidelines": "Be kind.",
        "group_scope": "course", "allow_anonymous": True, "participation_required": 3, "has_score": True,
        "weight": 2.5, "default_sort": "votes"}
BAD = [
    {"display_name": "   "},
    {"display_name": "x" * 256},
    {"group_scope": "everyone"},
    {"group_scope": "team", "teamset_id": ""},
    {"participation_required": -1},
    {"participation_required": 1001},
    {"participation_required": "a few"},
    {"participation_required": 0, "has_score": True},
    {"default_sort": "random"},
    {"weight": -1},
    {"prompt": "x" * 5001},
    {"guidelines": "x" * 10001},
    {"display_name": "", "weight": -2, "default_sort": "random"},
]


@pytest.mark.urls("workbench.urls")
@pytest.mark.parametrize("bad", BAD)
def test_deep_linking_and_studio_refuse_the_same_values_with_the_same_messages(course, make_block, call_handler,
                                                                               bad):
    block = make_block('<social_cohort_forum display_name="Week 1 forum"/>', "sam")  # sam: staff of the course
    status, body = call_handler(block, "submit_studio_edits", {"values": {**GOOD, **bad}, "defaults": []})
    assert status == 400
    with pytest.raises(components.SettingsError) as refused:
        components.clean_settings(FORUM, {**GOOD, **bad})
    assert refused.value.messages == [message["text"] for message in body["error"]["messages"]]
    assert set(refused.value.fields) <= set(GOOD) | {"teamset_id"}


@pytest.mark.urls("workbench.urls")
def test_deep_linking_and_studio_accept_the_same_values(course, make_block, call_handler):
    block = make_block('<social_cohort_forum display_name="Week 1 forum"/>', "sam")
    assert call_handler(block, "submit_studio_edits", {"values": GOOD, "defaults": []})[0] == 200
    settings = components.clean_settings(FORUM, GOOD)
    assert {name: getattr(block, name) for name in settings} == settings


@pytest.fixture
def in_process_platform(transactional_db):
    platform = platforms.TestPlatform("http://testserver").start()
    platforms.register(platform)
    yield platform
    platform.stop()


def test_the_deep_linking_form_shows_each_message_beside_its_field(in_process_platform):
    browser = platforms.ClientBrowser(in_process_platform, Client())
    teacher = in_process_platform.consumer(role="staff", user_id="teacher", name="Tess Teacher")
    page = browser.launch(teacher, message_type="LtiDeepLinkingRequest", user_id="teacher").content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    answer = browser.client.post("/lti/deep-link/", {
        "token": token, "display_name": " ", "prompt": "", "guidelines": "Be kind.", "group_scope": "cohort",
        "participation_required": "0", "has_score": "on", "weight": "1", "default_sort": "votes"})
    assert answer.status_code == 400
    html = answer.content.decode()
    # The display name and the graded checkbox are marked and described by their own message ...
    assert re.search(r'id="sls-dl-name"[^>]*aria-invalid="true" aria-describedby="sls-dl-name-error"', html)
    assert re.search(r'<p class="sls-lti-field-error" id="sls-dl-name-error">Enter a display name', html)
    assert re.search(r'id="sls-dl-graded"[^>]*aria-invalid="true" aria-describedby="sls-dl-graded-error"', html)
    assert 'id="sls-dl-graded-error">A graded forum needs at least 1 required contribution' in html
    # ... the summary links to them, and the fields that are fine are not marked.
    assert '<a href="#sls-dl-name">Enter a display name' in html and '<a href="#sls-dl-graded">' in html
    assert html.count('aria-invalid="true"') == 2
    assert 'value="Be kind."' not in html and ">Be kind.</textarea>" in html  # what was typed is kept
