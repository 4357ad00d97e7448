"""The tool knows no component: its page, API and Deep Linking form come from the registry, and the old
forum URLs answer as the new ones until the next release."""
import html
import json
import re
from urllib.parse import urlsplit

import pytest
from django.test import override_settings

from lti.views.deep_linking import field_id, offered
from tests.lti.conftest import forum_init, launch_data
from tests.lti.test_advantage import TOKEN_FIELD
from xblocks.cohort_forum.frontdoor import FORUM
from xblocks.core import component as registry
from xblocks.core.component import INTEGER, TEXT, UPLOAD, Component, Page, Participation, Setting

pytestmark = pytest.mark.django_db(transaction=True)


def launched(platform, tool, **kwargs):
    page = tool.launch(platform.consumer(custom={"cohort": "A"}, **kwargs))
    assert page.status_code == 200, page.text[:1000]
    return page, launch_data(page.text)["token"]


def post(tool, path, data, headers):
    response = tool.http.post(tool.platform.tool_url + path, json=data, headers=headers)
    return response.status_code, response.json()


def test_a_launch_opens_the_components_page_which_names_its_entry_point(platform, tool):
    page, _token = launched(platform, tool)
    assert urlsplit(launch_data(page.text)["address"]).path == "/lti/page/cohort_forum/"
    assert f'<script id="sls-lti-entry" type="application/json">"{FORUM.page.entry_point}"</script>' in page.text
    assert "window[read('sls-lti-entry')]" in page.text and "SocialCohortForumBlock(null" not in page.text
    init = forum_init(page.text)
    assert init["urls"] == {name: f"/lti/api/v1/cohort_forum/{name}/" for name in FORUM.handlers}


def test_the_old_page_url_answers_as_the_new_one(platform, tool):
    _page, token = launched(platform, tool)
    new = tool.open("/lti/page/cohort_forum/", token)
    old = tool.open("/lti/forum/", token)
    assert new.status_code == old.status_code == 200
    assert forum_init(new.text) == forum_init(old.text)
    other = tool.open("/lti/page/reflection_blog/", token)  # the token is for this activity's component only
    assert other.status_code == 403 and 'data-sls-lti-error="wrong_activity"' in other.text


def test_the_new_and_the_old_api_urls_answer_the_same(platform, tool):
    page, _token = launched(platform, tool)
    headers = forum_init(page.text)["client"]["headers"]
    status, created = post(tool, "/lti/api/v1/cohort_forum/create_thread/",
                           {"title": "Hello", "body": "First post", "kind": "discussion"}, headers)
    assert status == 200, created
    new = post(tool, "/lti/api/v1/cohort_forum/list_threads/", {}, headers)
    old = post(tool, "/lti/api/forum/list_threads/", {}, headers)
    assert new[0] == 200 and new == old and new[1]["threads"][0]["title"] == "Hello"
    # The same refusals, with the same error shape.
    for path in ("/lti/api/v1/cohort_forum/no_such_action/", "/lti/api/forum/no_such_action/"):
        assert post(tool, path, {}, headers) == (404, {"error": {"code": "not_found", "message": "Unknown action."}})
    assert post(tool, "/lti/api/v1/no_such_component/list_threads/", {}, headers)[0] == 404
    assert (post(tool, "/lti/api/v1/cohort_forum/list_threads/", {}, {})
            == post(tool, "/lti/api/forum/list_threads/", {}, {}))


def test_the_deep_linking_form_is_built_from_the_settings_spec(platform, tool):
    page = tool.launch(platform.consumer(role="staff", user_id="teacher"), message_type="LtiDeepLinkingRequest")
    text = html.unescape(page.text)
    assert page.status_code == 200
    assert 'name="sls_component" value="cohort_forum"' in text
    for spec in offered(FORUM):
        element_id = field_id(FORUM, spec.name)
        assert re.search(f'<label for="{element_id}">[^<]+</label>', text), spec.name
        assert f'id="{element_id}" name="{spec.name}"' in text
    labels = {spec.name: spec.label for spec in offered(FORUM)}
    labels.pop("has_score")  # the tool's own label says where the score goes
    assert all(f">{label}</label>" in text for label in labels.values())
    assert 'name="teamset_id"' not in text and 'value="team"' not in text  # teams are the tool's own groups
    # Several components: a picker, with the first registered (the forum) chosen; one alone: nothing to pick.
    assert ('name="sls_choose" value="cohort_forum" class="sls-lti-button" aria-pressed="true"' in text) == (
        len(registry.all_components()) > 1)


@pytest.fixture
def second_component(monkeypatch):
    notes = Component(
        key="test_notes", block_type="test_notes", title="Shared notes", package="xblocks.cohort_forum",
        settings=(Setting("display_name", TEXT, "Shared notes", "Display name", strip=True),
                  Setting("columns", INTEGER, 3, "Columns", minimum=1, maximum=6, step=1)),
        validate=lambda values, gettext, known=None: {} if values["columns"] <= 6 else {"columns": "At most 6."},
        actions={}, page=Page(template="", closed_template="", author_template="", js=(), css=(), entry_point="Notes",
                              data=None, base_context=None, author_context=None),
        participation=Participation(count=lambda ctx, settings: 0), update_drafts=None)
    monkeypatch.setattr(registry, "_REGISTRY", {**registry._REGISTRY, notes.key: notes})  # pylint: disable=protected-access
    return notes


def test_the_deep_linking_picker_lists_the_registry_and_shows_the_chosen_components_form(platform, tool,
                                                                                           second_component):
    page = tool.launch(platform.consumer(role="staff", user_id="teacher"), message_type="LtiDeepLinkingRequest")
    assert page.status_code == 200
    for component in registry.all_components():
        assert f'name="sls_choose" value="{component.key}"' in page.text and component.title in page.text
    token = TOKEN_FIELD.search(page.text).group(1)
    chosen = tool.http.post(tool.platform.tool_url + "/lti/deep-link/", data={"token": token, "sls_choose": "test_notes"})
    assert chosen.status_code == 200
    assert '<h1>Shared notes</h1>' in chosen.text and 'name="sls_component" value="test_notes"' in chosen.text
    assert re.search(r'<input type="number" id="sls-dl-columns" name="columns" value="3" min="1" max="6" step="1"',
                     chosen.text)
    assert 'name="group_scope"' not in chosen.text
    refused = tool.http.post(tool.platform.tool_url + "/lti/deep-link/", data={
        "token": TOKEN_FIELD.search(chosen.text).group(1), "sls_component": "test_notes", "columns": "9"})
    assert refused.status_code == 400
    assert re.search(r'id="sls-dl-columns"[^>]*aria-invalid="true" aria-describedby="sls-dl-columns-error"',
                     refused.text)
    assert '<a href="#sls-dl-columns">At most 6.</a>' in refused.text
    unknown = tool.http.post(tool.platform.tool_url + "/lti/deep-link/", data={
        "token": TOKEN_FIELD.search(refused.text).group(1), "sls_component": "nothing"})
    assert unknown.status_code == 400


def test_hostile_requests_to_the_api_get_the_one_error_shape_and_write_nothing(platform, tool):
    from xblocks.cohort_forum.models import Thread

    page, _token = launched(platform, tool)
    headers = forum_init(page.text)["client"]["headers"]
    url = tool.platform.tool_url + "/lti/api/v1/cohort_forum/create_thread/"
    cases = [
        ("[" * 100000 + "]" * 100000, "application/json", 400, "invalid"),
        ('{"title": "Big", "body": "' + "x" * 300000 + '"}', "application/json", 413, "too_large"),
        ("{not json", "application/json", 400, "invalid"),
        ("title=Form&body=post", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
    ]
    for body, content_type, status, code in cases:
        response = tool.http.post(url, data=body.encode(), headers={**headers, "Content-Type": content_type})
        assert response.status_code == status, (code, response.text[:200])
        assert response.headers["Content-Type"].startswith("application/json")
        assert response.json()["error"]["code"] == code
    response = tool.http.get(url, headers=headers)
    assert response.status_code == 405 and response.json()["error"]["code"] == "method_not_allowed"
    assert not Thread.objects.exists()


@pytest.mark.parametrize("component", registry.all_components(), ids=lambda c: c.key)
def test_every_component_opens_and_answers_the_one_error_shape_in_the_tool(platform, tool, component):
    """The tool's half of the contract test (tests/xblocks/test_contract.py): a link to the component opens
    its page, which names its entry point and every action's URL, and each action refuses a body that
    is not a JSON object with the one error shape (an upload action: a body that is not a multipart form, 415;
    one over the upload limit, 413)."""
    page = tool.launch(platform.consumer(custom={"sls_component": component.key, "cohort": "A"}))
    assert page.status_code == 200, page.text[:1000]
    assert urlsplit(launch_data(page.text)["address"]).path == f"/lti/page/{component.key}/"
    assert f'<script id="sls-lti-entry" type="application/json">"{component.page.entry_point}"</script>' in page.text
    args = json.loads(re.search(r'<script id="sls-lti-args" type="application/json">(.*?)</script>', page.text,
                                re.S).group(1))
    assert args["urls"] == {name: f"/lti/api/v1/{component.key}/{name}/" for name in component.handlers}
    token = launch_data(page.text)["token"]
    for name, url in args["urls"].items():
        response = tool.http.post(tool.platform.tool_url + url, data=b"[1, 2]",
                                  headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        upload = component.action_kind(name) == UPLOAD
        assert response.status_code == (415 if upload else 400), (name, response.text[:200])
        assert set(response.json()["error"]) >= {"code", "message"}
        if upload:
            response = tool.http.post(tool.platform.tool_url + url, files={"file": ("a.bin", b"x" * 2048)},
                                      headers={"Authorization": f"Bearer {token}"})
            assert response.status_code != 413, (name, response.text[:200])
            with override_settings(SOCIAL_LEARNING={"UPLOAD_MAX_BYTES": 1024}):
                response = tool.http.post(tool.platform.tool_url + url, files={"file": ("a.bin", b"x" * 2048)},
                                          headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == 413 and response.json()["error"]["code"] == "too_large", name


def test_the_page_links_its_files_which_the_browser_may_keep_a_year(platform, tool):
    from xblocks.core import assets

    page, _token = launched(platform, tool)
    scripts = re.findall(r'<script src="([^"]+)"></script>', page.text)
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)">', page.text)
    assert len(scripts) == len(assets.CORE_JS) + len(FORUM.page.js) and len(styles) == len(assets.CORE_CSS) + 1
    css, js = assets.page_files(FORUM)
    for package, path in css + js:  # none inlined
        assert assets.read(package, path).decode()[-300:] not in page.text
    for url, (package, path) in zip(scripts + styles, js + css):
        assert url == f"/lti/assets/{package}/{assets.digest(package, path)}/{path}"
        answer = tool.http.get(tool.platform.tool_url + url)
        assert answer.status_code == 200 and answer.content == assets.read(package, path)
        assert answer.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert answer.headers["Content-Type"] == ("text/javascript; charset=utf-8" if path.endswith(".js")
                                                  else "text/css; charset=utf-8")
    # A page from before an upgrade gets today's file, not to be kept; nothing else of the package is served.
    stale = tool.http.get(tool.platform.tool_url + scripts[-1].replace(assets.digest(*js[-1]), "0" * 12))
    assert stale.status_code == 200 and "max-age=0" in stale.headers["Cache-Control"]
    for path in ("xblocks.cohort_forum/0/block.py", "xblocks.core/0/settings.py", "lti/0/keys.py"):
        assert tool.http.get(f"{tool.platform.tool_url}/lti/assets/{path}").status_code == 404
