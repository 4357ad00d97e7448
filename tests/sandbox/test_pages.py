"""The sandbox's pages: the course unit with a user switcher, the events page, the Workbench's own
pages, and the admin screens staff use to manage cohorts and roles."""
import json
import re

import pytest
from django.contrib.auth import get_user_model

from sandbox.models import PublishedEvent
from xblocks.core.models import LocalGroup, LocalGroupMembership, RoleAssignment


def test_home_offers_every_demo_person_and_shows_the_forum(client, demo):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for username in ("ann", "sofie", "sarah", "jonas"):
        assert f'name="username" value="{username}"' in html
    assert 'value="admin"' not in html  # the superuser signs in through the admin, with a password
    assert "Community advocate" in html and "Staff" in html
    assert re.search(f"data-usage=[\"']{re.escape(demo.forum_usage_id)}[\"']", html)  # the forum, in the unit
    assert "Not signed in" in html


def test_one_click_sign_in_then_the_forum_acts_as_that_person(client, demo):
    response = client.post("/sandbox/sign-in/", {"username": "sofie", "next": "/?scenario=" + demo.scenario_name})
    assert response.status_code == 302
    assert response["Location"] == "/?scenario=" + demo.scenario_name
    html = client.get(response["Location"]).content.decode()
    assert "Signed in as <strong>Sofie Willems</strong>" in html
    assert 'aria-pressed="true" class="sb-person is-current"' in html

    response = client.post("/sandbox/sign-out/", {"next": "https://elsewhere.example/"})
    assert response["Location"] == "/"  # never sent off-site
    assert "Not signed in" in client.get("/").content.decode()


def test_sign_in_refuses_superusers_unknown_people_and_get(client, demo):
    assert client.post("/sandbox/sign-in/", {"username": "admin"}).status_code == 404
    assert client.post("/sandbox/sign-in/", {"username": "nobody"}).status_code == 404
    assert client.get("/sandbox/sign-in/").status_code == 405
    assert "_auth_user_id" not in client.session


def test_published_events_are_kept_and_listed(client, demo):
    client.force_login(demo.people["emma"])
    response = client.post(f"/handler/{demo.forum_usage_id}/create_thread/",
                           data=json.dumps({"title": "Events?", "body": "Let us see."}), content_type="application/json")
    assert response.status_code == 200, response.content
    kinds = dict(PublishedEvent.objects.values_list("event_type", "kind"))
    assert kinds["social_learning.forum.thread.created"] == "tracking"
    event = PublishedEvent.objects.get(event_type="social_learning.forum.thread.created")
    assert (event.username, event.usage_id, event.block_type) == ("emma", demo.forum_usage_id, "social_cohort_forum")
    assert event.data["thread_id"] == response.json()["id"]

    page = client.get("/sandbox/events/", {"kind": "tracking"}).content.decode()
    assert "social_learning.forum.thread.created" in page
    assert "social_learning.forum.thread.created" not in client.get("/sandbox/events/", {"kind": "grade"}).content.decode()
    listed = client.get("/sandbox/events.json", {"after": 0}).json()["events"]
    assert "social_learning.forum.thread.created" in [e["event_type"] for e in listed]
    assert client.get("/sandbox/events.json", {"after": max(e["id"] for e in listed)}).json() == {"events": []}
    assert "social_learning.forum.thread.created" in client.get("/").content.decode()  # the panel


def test_workbench_pages_still_work(client, demo):
    client.force_login(demo.people["ann"])
    index = client.get("/workbench/").content.decode()
    assert f"/scenario/{demo.scenario_name}/" in index
    for url in (f"/scenario/{demo.scenario_name}/", f"/view/{demo.scenario_name}/"):
        response = client.get(url + "?student=sofie")
        assert response.status_code == 200, url
        assert demo.forum_usage_id in response.content.decode()
    assert client.get("/scenario/no-such-scenario/").status_code == 404
    assert client.get("/handler/no-such-usage/list_threads/").status_code == 404


@pytest.fixture
def admin_client_demo(client, demo):
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


@pytest.mark.parametrize("model", ["social_core/placement", "social_core/localgroup", "social_core/roleassignment",
                                   "social_cohort_forum/thread", "social_cohort_forum/post",
                                   "social_cohort_forum/flag", "sandbox/publishedevent"])
def test_admin_lists(admin_client_demo, model):
    response = admin_client_demo.get(f"/admin/{model}/")
    assert response.status_code == 200
    if model == "social_cohort_forum/thread":
        assert "Welcome! Introduce yourself here" in response.content.decode()


def test_admin_forum_content_is_read_only(admin_client_demo):
    from xblocks.cohort_forum.models import Thread

    thread = Thread.objects.first()
    page = admin_client_demo.get(f"/admin/social_cohort_forum/thread/{thread.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert admin_client_demo.get("/admin/social_cohort_forum/thread/add/").status_code == 403


def test_admin_moves_a_learner_and_refuses_a_second_cohort(admin_client_demo, demo):
    ghent, brussels = (LocalGroup.objects.get(name__startswith=city) for city in ("Ghent", "Brussels"))
    ann = demo.people["ann"]
    members = list(LocalGroupMembership.objects.filter(group=brussels))
    form = {
        "context_key": brussels.context_key, "kind": brussels.kind, "name": brussels.name,
        "localgroupmembership_set-TOTAL_FORMS": str(len(members) + 1),
        "localgroupmembership_set-INITIAL_FORMS": str(len(members)),
        "localgroupmembership_set-MIN_NUM_FORMS": "0", "localgroupmembership_set-MAX_NUM_FORMS": "1000",
    }
    for i, membership in enumerate(members):
        form.update({f"localgroupmembership_set-{i}-id": str(membership.pk),
                     f"localgroupmembership_set-{i}-group": str(brussels.pk),
                     f"localgroupmembership_set-{i}-user": str(membership.user_id)})
    new = len(members)
    form.update({f"localgroupmembership_set-{new}-group": str(brussels.pk),
                 f"localgroupmembership_set-{new}-user": str(ann.pk)})
    url = f"/admin/social_core/localgroup/{brussels.pk}/change/"
    response = admin_client_demo.post(url, form)
    assert response.status_code == 200  # the form again, with the reason
    assert "is already in Ghent spring intake" in response.content.decode()
    assert LocalGroupMembership.objects.get(user=ann).group == ghent

    LocalGroupMembership.objects.filter(user=ann).delete()  # out of Ghent first, then into Brussels
    response = admin_client_demo.post(url, form)
    assert response.status_code == 302
    assert LocalGroupMembership.objects.get(user=ann).group == brussels


def test_admin_gives_a_role(admin_client_demo, demo):
    response = admin_client_demo.post("/admin/social_core/roleassignment/add/", {
        "context_key": "course-v1:Demo+SLS+2026", "user": demo.people["emma"].pk, "role": "advocate"})
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user=demo.people["emma"], role="advocate").exists()
