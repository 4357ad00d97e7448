"""Uploads and file answers through both front doors: the XBlock's handlers (the Workbench runtime) and the tool's
endpoints (a launch from lti-consumer-xblock's consumer). An image is uploaded as a form, attached to an entry,
fetched by a reader as bytes with headers that stop sniffing and scripting, and answers 404 to a peer who may not
read the entry; the export gives each person their own blog only. Queries per request stay constant."""
import io
import json
import zipfile

import pytest
import webob
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.lti.test_queries import in_process_platform  # noqa: F401  (fixture)
from tests.xblocks.cohort_forum.test_queries_every_action import suite_queries
from tests.xblocks.reflection_blog.media_files import gps_exif, gps_of, png, png_bomb
from tests.xblocks.reflection_blog.test_queries import READ_BUDGET, WRITE_BUDGET, seed
from tests.xblocks.reflection_blog.test_tool import TOOL_EXTRA, call, launch
from xblocks.core.models import Placement

XML = '<social_reflection_blog display_name="Blog" author_tags="module 1, at work"/>'
SAFE_HEADERS = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'; sandbox",
                "Cache-Control": "private, no-store"}


def handle(block, name, request):
    response = block.runtime.handle(block, name, request)
    body = json.loads(response.body) if response.content_type == "application/json" else response.body
    return response, body


def upload_request(fields, files):
    post = dict(fields)
    post.update({name: (filename, content) for name, (filename, content) in files.items()})
    request = webob.Request.blank("/", POST=post)
    request.method = "POST"
    return request


def json_request(data):
    request = webob.Request.blank("/")
    request.method = "POST"
    request.body = json.dumps(data).encode()
    request.content_type = "application/json"
    return request


@pytest.fixture
def blocks(course, make_block):
    first = make_block(XML, "ann")
    return {name: make_block.as_user(first, name) for name in ("ann", "cara", "bob", "sam")}


# ----- the XBlock door ------------------------------------------------------------------------------------
@pytest.mark.urls("workbench.urls")
def test_an_image_through_the_xblock_handlers(blocks):
    response, body = handle(blocks["ann"], "upload_media", upload_request(
        {"alt": "Our plan on the whiteboard"}, {"file": ("IMG_0001.png", png(exif=gps_exif()))}))
    assert response.status_code == 200, body
    image = body["media"]
    response, body = handle(blocks["ann"], "create_entry", json_request(
        {"title": "Plan", "body": "What we planned", "visibility": "group", "media": [image["id"]]}))
    assert response.status_code == 200 and body["media"][0]["id"] == image["id"]
    response, content = handle(blocks["cara"], "media_file", json_request({"id": image["id"]}))
    assert response.status_code == 200 and response.content_type == "image/jpeg"
    assert {name: response.headers[name] for name in SAFE_HEADERS} == SAFE_HEADERS
    assert response.headers["Content-Disposition"].startswith("inline; filename=")
    assert gps_of(content) == {} and content[:3] == b"\xff\xd8\xff"
    response, body = handle(blocks["bob"], "media_file", json_request({"id": image["id"]}))
    assert response.status_code == 404 and body["error"]["code"] == "not_found"


@pytest.mark.urls("workbench.urls")
def test_hostile_uploads_are_refused_in_the_one_error_shape(blocks):
    for filename, content, status, field in (("drawing.png", b"<svg onload='alert(1)'/>", 415, "file"),
                                             ("bomb.png", png_bomb(), 400, "file"),
                                             ("photo.png", png(), 400, "alt")):
        fields = {"alt": "A picture"} if field != "alt" else {}
        response, body = handle(blocks["ann"], "upload_media", upload_request(fields, {"file": (filename, content)}))
        assert response.status_code == status and field in body["error"]["fields"], body


@pytest.mark.urls("workbench.urls")
def test_the_export_through_the_xblock_is_ones_own_blog(blocks):
    for name, title in (("ann", "Ann private"), ("bob", "Bob public")):
        response, body = handle(blocks[name], "create_entry", json_request(
            {"title": title, "body": "text", "visibility": "private" if name == "ann" else "course"}))
        assert response.status_code == 200, body
    response, content = handle(blocks["bob"], "export_blog", json_request({"user": "ann"}))
    assert response.status_code == 200 and response.content_type == "application/zip"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    text = "".join(zipfile.ZipFile(io.BytesIO(content)).read(n).decode() for n in zipfile.ZipFile(
        io.BytesIO(content)).namelist())
    assert "Bob public" in text and "Ann private" not in text


@pytest.mark.urls("workbench.urls")
@pytest.mark.django_db(transaction=True)
def test_media_actions_cost_the_same_on_a_busy_blog(course, blocks, make_block):
    blocks["ann"].social_context()
    course.placement = Placement.objects.get(resource_key=str(blocks["ann"].scope_ids.usage_id))

    def fresh(name):  # a new request: nothing cached on the block
        return make_block.as_user(blocks["ann"], name)

    def measure():
        counts = {}
        with CaptureQueriesContext(connection) as queries:
            response, body = handle(fresh("ann"), "upload_media", upload_request({"alt": "x"}, {"file": ("a.png", png())}))
        assert response.status_code == 200, body
        counts["upload"] = suite_queries(queries.captured_queries)
        image = body["media"]["id"]
        with CaptureQueriesContext(connection) as queries:
            response, body = handle(fresh("ann"), "add_video_link", json_request({"url": "https://youtu.be/dQw4w9WgXcQ"}))
        counts["video link"] = suite_queries(queries.captured_queries)
        link = body["media"]["id"]
        response, entry = handle(fresh("ann"), "create_entry", json_request(
            {"title": "T", "body": "B", "visibility": "group", "media": [image, link]}))
        for name, who, action, data in (("file", "cara", "media_file", {"id": image}),
                                        ("entry with media", "cara", "get_entry", {"id": entry["id"]}),
                                        ("feed", "cara", "list_entries", {}),
                                        ("export", "ann", "export_blog", {}),
                                        ("delete media", "ann", "delete_media", {"id": link})):
            with CaptureQueriesContext(connection) as queries:
                response, body = handle(fresh(who), action, json_request(data))
            assert response.status_code == 200, (name, body)
            counts[name] = suite_queries(queries.captured_queries)
        return counts

    seed(course, per_person=5, comments=1)
    small = measure()
    seed(course, per_person=100, comments=3)
    large = measure()
    print(large)
    assert large == small
    assert all(count <= (READ_BUDGET if name in ("file", "entry with media", "feed", "export") else WRITE_BUDGET)
               for name, count in large.items()), large


# ----- the tool's door ------------------------------------------------------------------------------------
def tool_upload(client, init, fields, files):
    response = client.post(init["urls"]["upload_media"], data={**fields, **files},
                           HTTP_AUTHORIZATION=init["client"]["headers"]["Authorization"])
    return response.status_code, response.json()


def tool_file(client, init, action, data):
    return client.post(init["urls"][action], data=data, content_type="application/json",
                       HTTP_AUTHORIZATION=init["client"]["headers"]["Authorization"])


def test_an_image_through_the_tool(in_process_platform, client):  # noqa: F811
    ann, _ann = launch(in_process_platform, "ann", "Ann Peeters", "Antwerp")
    cara, _cara = launch(in_process_platform, "cara", "Cara Maes", "Antwerp")
    bob, _bob = launch(in_process_platform, "bob", "Bob Janssens", "Brussels")
    assert ann["media"]["draft"] == []
    photo = io.BytesIO(png(exif=gps_exif()))
    photo.name = "IMG_0001.png"
    status, body = tool_upload(client, ann, {"alt": "Our plan"}, {"file": photo})
    assert status == 200, body
    image = body["media"]["id"]
    # A reload of the page lists the draft's media.
    again, _ann = launch(in_process_platform, "ann", "Ann Peeters", "Antwerp")
    assert [m["id"] for m in again["media"]["draft"]] == [image]
    status, entry = call(client, ann, "create_entry", {"title": "Plan", "body": "B", "visibility": "group",
                                                       "media": [image]})
    assert status == 200 and [m["id"] for m in entry["media"]] == [image]
    response = tool_file(client, cara, "media_file", {"id": image})
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert {name: response[name] for name in SAFE_HEADERS} == SAFE_HEADERS
    assert gps_of(response.content) == {}
    response = tool_file(client, bob, "media_file", {"id": image})
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    # Refusals keep the one error shape.
    svg = io.BytesIO(b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>")
    svg.name = "innocent.png"
    status, body = tool_upload(client, ann, {"alt": "x"}, {"file": svg})
    assert status == 415 and body["error"]["code"] == "unsupported_media_type"
    status, body = call(client, ann, "upload_media", {"alt": "x"})
    assert status == 415 and body["error"]["code"] == "unsupported_media_type"


def test_the_export_through_the_tool_is_ones_own_blog(in_process_platform, client, settings):  # noqa: F811
    settings.SOCIAL_LEARNING = {"UPLOAD_MAX_BYTES": 10_000_000, "reflection_blog": {"POSTS_PER_WINDOW": 1000}}
    ann, _ann = launch(in_process_platform, "ann", "Ann Peeters", "Antwerp")
    cara, _cara = launch(in_process_platform, "cara", "Cara Maes", "Antwerp")
    assert call(client, ann, "create_entry", {"title": "Ann secret", "body": "x", "visibility": "private"})[0] == 200
    response = tool_file(client, cara, "export_blog", {})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "index.html" in names and not [n for n in names if n.startswith("entries/")]
    # Over the upload limit: refused before the body is read, in the one error shape.
    settings.SOCIAL_LEARNING = {"UPLOAD_MAX_BYTES": 100}
    status, body = tool_upload(client, ann, {"alt": "x"}, {"file": io.BytesIO(png())})
    assert status == 413 and body["error"]["code"] == "too_large"
    assert TOOL_EXTRA == 2


def test_a_form_with_too_much_text_or_a_broken_body_keeps_the_one_error_shape(in_process_platform, client,  # noqa: F811
                                                                              settings):
    ann, _ann = launch(in_process_platform, "ann", "Ann Peeters", "Antwerp")
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    status, body = tool_upload(client, ann, {"alt": "x" * 5000}, {"file": io.BytesIO(png())})
    assert status == 413 and body["error"]["code"] == "too_large"
    response = client.post(ann["urls"]["upload_media"], data=b"--nope\r\ngarbage", content_type="multipart/form-data",
                           HTTP_AUTHORIZATION=ann["client"]["headers"]["Authorization"])
    assert response.status_code == 400 and response.json()["error"]["code"] in ("invalid", "bad_request")


def test_an_upload_declared_too_large_is_refused_before_its_body_is_read(in_process_platform, client):  # noqa: F811
    ann, _ann = launch(in_process_platform, "ann", "Ann Peeters", "Antwerp")
    response = client.post(ann["urls"]["upload_media"], data={"alt": "x", "file": io.BytesIO(png())},
                           CONTENT_LENGTH=str(10 ** 10), HTTP_AUTHORIZATION=ann["client"]["headers"]["Authorization"])
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"
