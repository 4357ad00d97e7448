"""Hostile or broken requests to a component's JSON handler, through the sandbox's real HTTP stack
(Django's CSRF middleware, the Workbench's handler view, the block): every one answers the one JSON
error shape with a 4xx, never a 500 or an HTML page, and writes nothing."""
import json

import pytest
from django.test import Client

from xblocks.cohort_forum.models import Thread


def post(client, demo, body, content_type="application/json", handler="create_thread"):
    return client.post(f"/handler/{demo.forum_usage_id}/{handler}/", data=body, content_type=content_type)


def error_of(response):
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    error = response.json()["error"]
    assert error["code"] and error["message"]
    return error


@pytest.mark.parametrize("body, status, code", [
    ("[" * 100000 + "]" * 100000, 400, "invalid"),  # nested too deeply for the parser
    (json.dumps({"title": "Big", "body": "x" * 300000}), 413, "too_large"),
    ("{not json", 400, "invalid"),
    ("[1, 2]", 400, "invalid"),
    (b"\xff\xfe", 400, "invalid"),
])
def test_bad_bodies(client, demo, body, status, code):
    client.force_login(demo.people["ann"])
    response = post(client, demo, body)
    assert response.status_code == status
    assert error_of(response)["code"] == code
    assert not Thread.objects.filter(title="Big").exists()


def test_a_form_post_instead_of_json(client, demo):
    client.force_login(demo.people["ann"])
    before = Thread.objects.count()
    response = client.post(f"/handler/{demo.forum_usage_id}/create_thread/", {"title": "Form", "body": "post"})
    assert response.status_code == 415 and error_of(response)["code"] == "unsupported_media_type"
    assert Thread.objects.count() == before


def test_a_wrong_method(client, demo):
    client.force_login(demo.people["ann"])
    response = client.get(f"/handler/{demo.forum_usage_id}/list_threads/")
    assert response.status_code == 405 and error_of(response)["code"] == "method_not_allowed"


@pytest.mark.parametrize("token", [None, "wrong-token-wrong-token-wrong-token-wrong-token-wrong-token-1234"])
def test_a_missing_or_bad_csrf_token(demo, token):
    client = Client(enforce_csrf_checks=True)
    client.force_login(demo.people["ann"])
    before = Thread.objects.count()
    headers = {"HTTP_X_CSRFTOKEN": token} if token else {}
    response = client.post(f"/handler/{demo.forum_usage_id}/create_thread/",
                           data=json.dumps({"title": "No token", "body": "x"}), content_type="application/json",
                           **headers)
    assert response.status_code == 403 and error_of(response)["code"] == "csrf"
    assert Thread.objects.count() == before


def test_a_page_request_still_gets_djangos_csrf_page(demo):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/sandbox/sign-in/", {"username": "ann"})
    assert response.status_code == 403 and response["Content-Type"].startswith("text/html")


def test_a_body_over_djangos_own_limit(client, demo, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    client.force_login(demo.people["ann"])
    response = post(client, demo, json.dumps({"title": "Huge", "body": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}))
    assert response.status_code == 400 and error_of(response)["code"] == "bad_request"
    assert not Thread.objects.filter(title="Huge").exists()
