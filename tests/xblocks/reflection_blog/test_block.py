"""The blog's XBlock: its page in the learner's language, every string the JavaScript shows translated, Studio's
settings validated with one message per field, the mobile app's data, and the closed page."""
import html
import json
import re
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext

from xblocks.reflection_blog import frontdoor
from xblocks.reflection_blog.frontdoor import BLOG, JS_PLURALS, JS_STRINGS, PARTS

pytestmark = pytest.mark.urls("workbench.urls")
STATIC = Path(frontdoor.__file__).parent / "static" / "reflection_blog"
XML = '<social_reflection_blog display_name="Blog" author_tags="module 1, at work"/>'


def render(block):
    return block.runtime.render(block, "student_view", {}).content


def init_data(content):
    match = re.search(r'<script type="application/json" class="sls-blog-data">(.*?)</script>', content, re.S)
    assert match, "the blog's init JSON is missing"
    return json.loads(match.group(1))


def test_every_string_the_javascript_shows_is_in_the_catalogue():
    string = r"""(['"])((?:\\.|(?!\1).)*)\1"""
    source = "\n".join(path.read_text() for path in sorted(STATIC.glob("*.js")))
    singles = {m[1] for m in re.findall(r"(?<![\w])_\(" + string, source)}
    plurals = {m[1] for m in re.findall(r"(?<![\w])n_\(" + string, source)}
    assert singles and plurals
    catalog = BLOG.catalog(lambda text: text, lambda one, other, n: one)
    assert singles - set(catalog["strings"]) == set()
    assert plurals - set(catalog["plurals"]) == set()
    # And nothing listed that no script shows (a part adds its own with its script).
    assert set(JS_STRINGS) - singles == set()
    assert {one for one, _other in JS_PLURALS} - plurals == set()


def test_each_part_has_its_script_and_its_declarations():
    for part in PARTS:
        name = part.__name__.rsplit(".", 1)[-1]
        assert f"static/reflection_blog/blog-{name}.js" in BLOG.page.js
        assert (STATIC / f"blog-{name}.js").exists()
        assert isinstance(part.ACTIONS, dict) and callable(part.page_data)
    assert BLOG.page.js[0] == "static/reflection_blog/blog.js"


@pytest.mark.parametrize("language, expected", [
    ("nl", ["Reflectieblog", "Een bericht schrijven", "Wie het kan lezen", "Alleen ik", "Ik en mijn coach",
            "Zoek in de berichten die je mag lezen", "Niemand behalve jij leest een privébericht."]),
    ("fr", ["Blog de réflexion", "Écrire un billet", "Qui peut le lire", "Moi seul", "Moi et mon coach",
            "Rechercher dans les billets que vous pouvez lire", "Personne d'autre que vous ne lit un billet privé."]),
])
def test_the_blog_page_is_in_the_learners_language(course, make_block, language, expected):
    block = make_block('<social_reflection_blog author_tags="module 1"/>', "ann")
    with translation.override(language):
        content = render(block)
    text = html.unescape(re.sub(r"<script.*?</script>", "", content, flags=re.S))  # the page, not its init data
    for phrase in expected:
        assert phrase in text, phrase
    assert "Write an entry" not in text and "Who can read it" not in text
    init = init_data(content)
    strings = init["i18n"]["strings"]
    with translation.override(language):
        for msgid, shown in strings.items():
            assert shown == gettext(msgid), msgid
        assert [level["label"] for level in init["levels"]] == [gettext(t) for t in (
            "Only me", "Me and my coach", "My group", "The whole course")]
    assert init["i18n"]["plurals"]["{count} comment"]["other"] == {
        "nl": "{count} opmerkingen", "fr": "{count} commentaires"}[language]


def test_api_answers_come_back_in_the_learners_language(course, make_block, call_handler):
    block = make_block(XML, "ann")
    with translation.override("fr"):
        status, body = call_handler(block, "create_entry", {"title": "T", "body": "B", "visibility": "world"})
    assert status == 400
    assert body["error"]["fields"]["visibility"] == "Ce blog ne permet pas ce choix de qui peut lire un billet."
    with translation.override("nl"):
        status, body = call_handler(block, "create_entry", {"title": "T", "body": "B", "visibility": "private"})
    assert status == 200 and body["audience"] == "Alleen jij kunt dit bericht lezen."


@pytest.mark.parametrize("values, field, message", [
    ({"default_visibility": "course", "allow_course": False}, "default_visibility",
     "New entries cannot start at a level you do not allow: allow it, or choose another."),
    ({"group_scope": "course", "default_visibility": "group"}, "default_visibility",
     "A blog without groups cannot start entries as shared with the group: choose another level, or what “my group” "
     "means."),
    ({"allow_private": False, "allow_coach": False, "allow_group": False, "allow_course": False}, "allow_private",
     "Allow at least one choice of who reads an entry."),
    ({"free_tags": False}, "free_tags", "List the tags learners may choose from, or let them add their own."),
    ({"free_tags": False, "tags_required": True}, "tags_required",
     "Learners cannot add a tag of their own, so list at least one tag for them to choose from."),
    ({"group_scope": "team"}, "teamset_id", "Enter the teamset ID: it is required when groups are teams."),
    ({"has_score": True, "participation_required": 0}, "has_score",
     "A graded blog needs at least 1 required entry: the score is entries out of it."),
    ({"display_name": "  "}, "display_name", "Enter a display name: learners see it as the blog's heading."),
])
def test_studio_and_the_tool_refuse_bad_settings_with_one_message_per_field(course, make_block, call_handler,
                                                                           values, field, message):
    _settings, errors = BLOG.clean_settings(values, gettext)
    assert errors == {field: message}
    status, body = call_handler(make_block("<social_reflection_blog/>", "sam"), "submit_studio_edits",
                                {"values": values, "defaults": []})
    assert status == 400 and [m["text"] for m in body["error"]["messages"]] == [message]


def test_studio_saves_good_settings_and_the_preview_shows_them(course, make_block, call_handler):
    block = make_block(XML, "sam")
    values = {"default_visibility": "group", "allow_private": False, "author_tags": "insight, plan", "free_tags": False,
              "tags_required": True}
    status, body = call_handler(block, "submit_studio_edits", {"values": values, "defaults": []})
    assert status == 200, body
    preview = html.unescape(block.runtime.render(block, "author_view", {}).content)
    assert "insight, plan" in preview and "The learner's group" in preview
    assert "The learner and their coach, The learner's group, The whole course" in preview


def test_a_learner_only_sees_the_levels_the_author_allows(course, make_block):
    block = make_block('<social_reflection_blog allow_private="false" default_visibility="course"/>', "ann")
    init = init_data(render(block))
    assert [level["value"] for level in init["levels"]] == ["coach", "group", "course"]
    assert init["default_visibility"] == "course"


def test_the_mobile_app_reads_the_settings_and_the_handlers(course, make_block):
    block = make_block(XML, "ann")
    data = block.student_view_data()
    assert data["author_tags"] == ["module 1", "at work"] and data["display_name"] == "Blog"
    assert set(data["handlers"]) == set(BLOG.handlers) and "create_entry" in data["handlers"]


def test_someone_not_signed_in_gets_the_closed_page(course, make_block, call_handler):
    block = make_block(XML, "ann")
    visitor = make_block.as_user(block, "")
    assert "Sign in to keep your reflection blog." in render(visitor)
    status, body = call_handler(visitor, "list_entries", {})
    assert status == 403 and body["error"]["code"] == "forbidden"


def test_a_draft_is_refused_with_a_message_when_it_cannot_be_kept(course, make_block, call_handler):
    block = make_block(XML, "ann")
    status, body = call_handler(block, "save_draft", {"key": "../etc", "body": "x"})
    assert status == 400 and body["error"]["fields"] == {"key": "Invalid."}
    status, body = call_handler(block, "save_draft", {"key": "new", "title": "T", "body": "x" * 50001})
    assert status == 400 and "too long to keep as a draft" in body["error"]["message"]
    status, body = call_handler(block, "save_draft", {"key": "new", "title": "T", "body": "Half", "tags": ["a"],
                                                      "visibility": "group", "version": 3})
    assert status == 200 and body["saved"]
    again = make_block.as_user(block, "ann")
    draft = init_data(render(again))["drafts"]["new"]
    assert (draft["title"], draft["body"], draft["tags"], draft["visibility"]) == ("T", "Half", ["a"], "group")
