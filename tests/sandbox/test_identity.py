"""In the sandbox a block acts as the person signed in, whatever ``?student=`` the URL carries."""
import json

import pytest
from django.test import RequestFactory

from sandbox.middleware import WorkbenchIdentityMiddleware
from sandbox.models import PublishedEvent
from xblocks.cohort_forum.models import Thread
from xblocks.core.models import LocalGroupMembership


def call(client, demo, handler, data, student):
    response = client.post(f"/handler/{demo.forum_usage_id}/{handler}/?student={student}",
                           data=json.dumps(data), content_type="application/json")
    return response.status_code, response.json()


def test_a_learner_cannot_post_as_someone_else(client, demo):
    ann = demo.people["ann"]
    client.force_login(ann)
    status, body = call(client, demo, "create_thread", {"title": "Who am I?", "body": "Written by Ann."}, "sofie")
    assert status == 200, body
    thread = Thread.objects.get(pk=body["id"])
    assert thread.author == ann
    ann_cohort = LocalGroupMembership.objects.get(user=ann).group_id
    assert thread.group_key == f"cohort:{ann_cohort}"
    assert set(PublishedEvent.objects.values_list("username", flat=True)) == {"ann"}


def test_a_learner_cannot_borrow_staff_rights_or_another_cohort(client, demo):
    client.force_login(demo.people["ann"])
    for student, data in [("sarah", {"group": "all"}), ("sofie", {})]:
        status, body = call(client, demo, "list_threads", data, student)
        assert status == 200, body
        titles = {t["title"] for t in body["threads"]}
        assert "Welcome! Introduce yourself here" in titles  # Ann's cohort (Ghent)
        assert "Study buddy for the data-literacy module?" not in titles  # Sofie's cohort (Brussels)
    sofies_cohort = LocalGroupMembership.objects.get(user=demo.people["sofie"]).group_id
    status, body = call(client, demo, "list_threads", {"group": f"cohort:{sofies_cohort}"}, "sarah")
    assert status == 403, body


def test_nobody_signed_in_is_nobody_whatever_the_url_says(client, demo):
    status, body = call(client, demo, "create_thread", {"title": "Hello", "body": "Text"}, "ann")
    assert status == 403, body
    assert body["error"]["code"] == "forbidden"
    assert not Thread.objects.filter(title="Hello").exists()


@pytest.mark.parametrize("path", ["/view/x/", "/scenario/x/", "/handler/x/y/", "/unauth_handler/x/y/",
                                  "/aside_handler/x/y/"])
def test_middleware_replaces_student_on_every_workbench_url(path, django_user_model):
    seen = {}

    def view(request):
        seen["student"] = request.GET.get("student")
        seen["other"] = request.GET.get("activate_block_id")

    request = RequestFactory().get(path, {"student": "sofie", "activate_block_id": "b1"})
    request.user = django_user_model(username="ann")
    WorkbenchIdentityMiddleware(view)(request)
    assert seen == {"student": "ann", "other": "b1"}

    anonymous = RequestFactory().get(path, {"student": "sofie"})
    from django.contrib.auth.models import AnonymousUser

    anonymous.user = AnonymousUser()
    WorkbenchIdentityMiddleware(view)(anonymous)
    assert seen["student"] == ""
