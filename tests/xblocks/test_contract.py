"""The component contract, checked for every registered component (today the cohort forum; each new
component is checked by these same tests without adding any).

- The XBlock door is derived from the declaration: one field per setting, editable in Studio, one
  handler per action.
- Studio's form and the tool's link settings (``Component.clean_settings``, which the Deep Linking
  form and custom parameters go through) accept and refuse the same values with the same messages,
  for a bad value of every setting made from its spec.
- Every action answers the one error shape: a body that is not a JSON object, a wrong method, and an
  unknown action; an upload action also for a body that is not a multipart form (415), one over the upload
  limit (413, refused before it is read) and a form without what it needs (400); a file action answers its
  errors as JSON too.
- The page renders in the XBlock door with the component's entry point and init data.
"""
import json

import pytest
import webob
from django.utils.translation import gettext
from importlib.metadata import entry_points

from xblocks.core import actions, component as registry
from xblocks.core.component import BOOLEAN, CHOICE, FLOAT, INTEGER, MULTILINE, TEXT, UPLOAD
from xblocks.core.errors import NotFound

pytestmark = pytest.mark.urls("workbench.urls")

COMPONENTS = registry.all_components()


def test_every_component_is_registered_and_has_an_xblock_entry_point():
    assert COMPONENTS, "no component registered"
    names = {ep.name for ep in entry_points(group="xblock.v1")}
    for component in COMPONENTS:
        assert component.block_type in names
        assert registry.get(component.key) is component


def block_class(component):
    (ep,) = [ep for ep in entry_points(group="xblock.v1") if ep.name == component.block_type]
    return ep.load()


def bad_values(spec):
    """A value Studio and the tool must both refuse, for each kind of setting."""
    if spec.kind in (INTEGER, FLOAT):
        yield "not a number"
        if spec.minimum is not None:
            yield spec.minimum - 1
        if spec.maximum is not None:
            yield spec.maximum + 1
    elif spec.kind == CHOICE:
        yield "no-such-choice"
    elif spec.kind in (TEXT, MULTILINE) and spec.max_length:
        yield "x" * (spec.max_length + 1)
    elif spec.kind == BOOLEAN:
        yield {"not": "a boolean"}  # both read any JSON value as true or false, as XBlock's Boolean does
    yield ""  # an empty form field


CASES = [(c, spec.name, value) for c in COMPONENTS for spec in c.settings for value in bad_values(spec)]


@pytest.fixture
def block_of(course, make_block):
    def make(component, username="sam"):
        return make_block(f"<{component.block_type}/>", username)

    return make


def call(block, name, body, method="POST", content_type="application/json", length=None):
    request = webob.Request.blank("/")
    request.method = method
    request.body = body if isinstance(body, bytes) else json.dumps(body).encode()
    request.content_type = content_type
    if length is not None:
        request.environ["CONTENT_LENGTH"] = str(length)
    response = block.runtime.handle(block, name, request)
    assert response.content_type == "application/json", (name, response.content_type)
    return response.status_code, json.loads(response.body)


MULTIPART = "multipart/form-data; boundary=sls"
EMPTY_FORM = b'--sls\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--sls--\r\n'


@pytest.mark.parametrize("component", COMPONENTS, ids=lambda c: c.key)
def test_the_xblock_is_derived_from_the_declaration(component):
    cls = block_class(component)
    assert tuple(cls.editable_fields) == component.setting_names
    for spec in component.settings:
        field = cls.fields[spec.name]
        assert field.default == spec.default and field.display_name == spec.label
    for name in component.handlers:
        assert getattr(getattr(cls, name), "_is_xblock_handler", False), name


@pytest.mark.parametrize("component, name, value", CASES, ids=lambda v: str(v)[:30])
def test_studio_and_the_tool_accept_and_refuse_the_same_values_with_the_same_message(component, name, value,
                                                                                      block_of, call_handler):
    _settings, tool_errors = component.clean_settings({name: value}, gettext)
    status, body = call_handler(block_of(component), "submit_studio_edits", {"values": {name: value}, "defaults": []})
    if not tool_errors:
        assert status == 200, (name, value, body)
        return
    assert status == 400, body
    studio_messages = [m["text"] for m in body["error"]["messages"]]
    assert sorted(studio_messages) == sorted(tool_errors.values())


@pytest.mark.parametrize("component", COMPONENTS, ids=lambda c: c.key)
def test_what_only_the_spec_says_is_checked_too(component):
    """Too long text, a value outside the choices or the range: refused from the spec alone."""
    refused = [spec.name for spec in component.settings for value in bad_values(spec)
               if spec.kind != BOOLEAN and value != "" and not component.clean_settings({spec.name: value}, gettext)[1]]
    assert refused == []


@pytest.mark.parametrize("component", COMPONENTS, ids=lambda c: c.key)
def test_defaults_are_accepted_by_both(component, block_of, call_handler):
    settings, errors = component.clean_settings({}, gettext)
    assert errors == {} and settings == component.defaults
    status, body = call_handler(block_of(component), "submit_studio_edits",
                                {"values": {s.name: s.default for s in component.settings
                                            if s.kind != TEXT or s.default}, "defaults": []})
    assert status == 200, body


@pytest.mark.parametrize("component", COMPONENTS, ids=lambda c: c.key)
def test_every_action_answers_the_one_error_shape(component, block_of):
    block = block_of(component, "ann")
    for name in component.handlers:
        if component.action_kind(name) == UPLOAD:
            status, body = call(block, name, b"[1, 2]")
            assert status == 415 and body["error"]["code"] == "unsupported_media_type", (name, body)
            status, body = call(block, name, EMPTY_FORM, content_type=MULTIPART, length=10 ** 9)
            assert status == 413 and body["error"]["code"] == "too_large", (name, body)
            status, body = call(block, name, EMPTY_FORM, content_type=MULTIPART)
            assert status == 400 and set(body["error"]) >= {"code", "message"}, (name, body)
            continue
        status, body = call(block, name, b"[1, 2]")
        assert status == 400 and set(body["error"]) >= {"code", "message"}, (name, body)
        status, body = call(block, name, b"{not json")
        assert status == 400 and body["error"]["code"] == "invalid", (name, body)
        status, body = call(block, name, {}, method="GET")
        assert status == 405 and body["error"]["code"] == "method_not_allowed", (name, body)


@pytest.mark.parametrize("component", COMPONENTS, ids=lambda c: c.key)
def test_an_unknown_action_is_not_found(component, make_context, course):
    with pytest.raises(NotFound):
        actions.run_action(component, "no_such_action", make_context(course.ann), {}, component.defaults,
                           actions.DoorState(), gettext)


@pytest.mark.parametrize("component", COMPONENTS, ids=lambda c: c.key)
def test_the_page_renders_in_the_xblock_door(component, block_of):
    block = block_of(component, "ann")
    html = block.runtime.render(block, "student_view", {}).content
    assert f"data-init='{component.page.entry_point}'" in html
    for handler in component.handlers:
        assert handler in html


@pytest.mark.parametrize("component", COMPONENTS, ids=lambda c: c.key)
def test_the_insights_summary_is_read_only_data(component, course, django_assert_max_num_queries):
    assert component.summary is not None, "every component offers insights a read-only summary"
    with django_assert_max_num_queries(3):
        summary = component.summary(course.key)
    json.dumps(summary)
