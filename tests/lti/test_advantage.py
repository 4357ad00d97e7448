"""LTI Advantage against Open edX's consumer: Deep Linking both ways, NRPS roster and groups, AGS scores,
Dynamic Registration, and the tool's key rotation."""
import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from lti_tool.models import Key, LtiDeployment, LtiRegistration

from lti import keys
from lti.models import LtiPerson
from tests.lti.conftest import forum_init, groups_form

pytestmark = pytest.mark.django_db(transaction=True)
TOKEN_FIELD = re.compile(r'name="token" value="([^"]+)"')
JWT_FIELD = re.compile(r'name="JWT" value="([^"]+)"')
RETURN_ACTION = re.compile(r'<form method="post" action="([^"]+)" data-sls-lti="deep-link-return"')


def deep_link_launch(tool, consumer):
    return tool.launch(consumer, message_type="LtiDeepLinkingRequest")


def choose(tool, page, **values):
    form = {"token": TOKEN_FIELD.search(page.text).group(1), "display_name": "Week 2: your questions",
            "prompt": "Ask anything.\nReally anything.", "guidelines": "Be kind.", "group_scope": "cohort",
            "participation_required": "2", "weight": "1", "default_sort": "votes", "allow_anonymous": "on"}
    form.update(values)
    form = {k: v for k, v in form.items() if v is not None}
    return tool.http.post(tool.platform.tool_url + "/lti/deep-link/", data=form)


def test_deep_linking_both_ways(platform, tool):
    deep_link_page = page = deep_link_launch(tool, platform.consumer(role="staff", user_id="teacher"))
    assert page.status_code == 200 and "Add a cohort forum" in page.text
    chosen = choose(tool, page, has_score="on")
    assert chosen.status_code == 200, chosen.text[:1000]
    return_url = RETURN_ACTION.search(chosen.text).group(1)
    assert return_url == platform.url + "/deep-link-return"
    answer = tool.http.post(return_url, data={"JWT": JWT_FIELD.search(chosen.text).group(1)})
    assert answer.status_code == 200 and "Activity added" in answer.text
    [item] = platform.deep_link_items
    assert item["type"] == "ltiResourceLink" and item["title"] == "Week 2: your questions"
    assert item["lineItem"]["scoreMaximum"] == 2
    # The platform launches the configured link: its custom parameters carry the settings.
    page = tool.launch(platform.consumer(custom={**item["custom"], "cohort": "A"}, resource_link_id="dl-link"))
    init = forum_init(page.text)
    assert init["settings"]["default_sort"] == "votes" and init["settings"]["allow_anonymous"] is True
    assert init["settings"]["graded"] is True and init["settings"]["participation_required"] == 2
    assert "Week 2: your questions" in page.text and "Really anything." in page.text
    # A selection is answered once.
    again = tool.http.post(platform.tool_url + "/lti/deep-link/", data={
        "token": TOKEN_FIELD.search(deep_link_page.text).group(1), "display_name": "Twice"})
    assert again.status_code == 400 and "has expired" in again.text


def test_deep_linking_validates_like_studio_and_refuses_learners(platform, tool):
    page = deep_link_launch(tool, platform.consumer(role="staff", user_id="teacher"))
    refused = choose(tool, page, has_score="on", participation_required="0")
    assert refused.status_code == 400
    assert "A graded forum needs at least 1 required contribution" in refused.text
    refused = choose(tool, page, display_name="   ")
    assert refused.status_code == 400 and "Enter a display name" in refused.text
    refused = choose(tool, page, participation_required="many")
    assert refused.status_code == 400 and "has a value of the wrong kind" in refused.text
    assert not platform.deep_link_items
    learner_page = deep_link_launch(tool, platform.consumer(role="student"))
    assert learner_page.status_code == 403 and "Only instructors" in learner_page.text
    expired = tool.http.post(platform.tool_url + "/lti/deep-link/", data={"token": "forged"})
    assert expired.status_code == 400 and "has expired" in expired.text


def test_roster_from_nrps_and_groups_managed_by_the_instructor(platform, tool):
    member = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
    platform.members = [
        {"user_id": "teacher", "name": "Tess Teacher", "given_name": "Tess", "family_name": "Teacher",
         "roles": [member + "Instructor"], "status": "Active"},
        {"user_id": "ann", "given_name": "Ann", "family_name": "Peeters", "roles": [member + "Learner"],
         "status": "Active"},
        {"user_id": "bob", "given_name": "Bob", "family_name": "Janssens", "roles": [member + "Learner"],
         "status": "Active"},
    ]
    page = tool.launch(platform.consumer(role="staff", user_id="teacher", name="Tess Teacher"))
    assert "Manage groups" in page.text
    _groups_path, token = groups_form(page.text)
    synced = tool.http.post(platform.tool_url + "/lti/groups/", data={"launch": token, "action": "sync"})
    assert synced.status_code == 200 and "Roster updated: 3 people." in synced.text
    assert "Bob Janssens" in synced.text and LtiPerson.objects.filter(subject="bob").exists()
    for name in ("Antwerp", "Brussels"):
        created = tool.http.post(platform.tool_url + "/lti/groups/", data={"launch": token, "action": "create",
                                                                            "name": name})
        assert f"Group “{name}” created." in created.text
    duplicate = tool.http.post(platform.tool_url + "/lti/groups/", data={"launch": token, "action": "create",
                                                                          "name": "Antwerp"})
    assert duplicate.status_code == 400 and "already a group named" in duplicate.text
    ids = dict(re.findall(r'<option value="(\d+)"[^>]*>(\w+)</option>', created.text))
    by_name = {v: k for k, v in ids.items()}
    people = {LtiPerson.objects.get(subject=s).user_id: s for s in ("ann", "bob")}
    form = {"launch": token, "action": "assign"}
    for user_id, subject in people.items():
        form[f"person-{user_id}"] = by_name["Antwerp" if subject == "ann" else "Brussels"]
    saved = tool.http.post(platform.tool_url + "/lti/groups/", data=form)
    assert "Groups saved: 2 changes." in saved.text
    ann = forum_init(tool.launch(platform.consumer(user_id="ann", name="Ann Peeters")).text)
    assert ann["current_group"]["name"] == "Antwerp"
    # Learners cannot open the groups page with their own launch.
    learner_token = ann["client"]["headers"]["Authorization"][7:]
    refused = tool.open("/lti/groups/", learner_token)
    assert refused.status_code == 403 and "Only course staff" in refused.text


def test_participation_score_goes_to_the_gradebook(platform, tool):
    custom = {"sls_settings": json.dumps({"has_score": True, "participation_required": 2}), "cohort": "A"}
    init = forum_init(tool.launch(platform.consumer(custom=custom)).text)
    headers = init["client"]["headers"]
    url = platform.tool_url + init["urls"]["create_thread"]
    first = tool.http.post(url, json={"title": "One", "body": "First contribution."}, headers=headers).json()
    assert first["participation"] == {"required": 2, "count": 1, "complete": False}
    second = tool.http.post(url, json={"title": "Two", "body": "Second contribution."}, headers=headers).json()
    assert second["participation"]["complete"] is True
    tool.http.post(url, json={"title": "Three", "body": "Beyond the goal."}, headers=headers)
    assert [(s["scoreGiven"], s["scoreMaximum"], s["gradingProgress"]) for s in platform.scores] == [
        (1, 2, "Pending"), (2, 2, "FullyGraded")]
    assert {s["userId"] for s in platform.scores} == {"learner-1"}
    assert platform.scores[0]["lineitem"] == "/lineitems/1"
    assert platform.token_requests == 1  # the access token is reused


def test_dynamic_registration(platform, tool):
    config_url = platform.url + "/.well-known/openid-configuration"
    page = tool.http.get(platform.tool_url + "/lti/register/", params={"openid_configuration": config_url,
                                                                      "registration_token": "reg-token-1"})
    assert page.status_code == 200 and platform.url in page.text
    done = tool.http.post(platform.tool_url + "/lti/register/", data={"openid_configuration": config_url,
                                                                      "registration_token": "reg-token-1"})
    assert done.status_code == 200 and "org.imsglobal.lti.close" in done.text
    [sent] = platform.registrations
    assert sent["authorization"] == "Bearer reg-token-1"
    config = sent["body"]["https://purl.imsglobal.org/spec/lti-tool-configuration"]
    assert config["domain"] == platform.tool_url.split("://", 1)[1]
    assert sent["body"]["initiate_login_uri"] == platform.login_url
    assert sent["body"]["redirect_uris"] == [platform.launch_url]
    assert {m["type"] for m in config["messages"]} >= {"LtiDeepLinkingRequest"}
    registration = LtiRegistration.objects.get(client_id="dynamic-client-1")
    assert registration.keyset_url == platform.url + "/jwks"
    assert LtiDeployment.objects.get(registration=registration).is_active
    # The new registration launches.
    page = tool.launch(platform.consumer(client_id="dynamic-client-1", deployment_id="dyn-deployment-1",
                                         custom={"cohort": "A"}))
    assert page.status_code == 200 and forum_init(page.text)["user"]["name"] == "Ann Peeters"
    bad = tool.http.get(platform.tool_url + "/lti/register/",
                        params={"openid_configuration": platform.url + "/no-such-configuration"})
    assert bad.status_code == 424 and "could not read your platform" in bad.text


def test_key_rotation_keeps_the_old_key_during_its_grace(platform, tool, settings):
    settings.SOCIAL_LEARNING_LTI = {**settings.SOCIAL_LEARNING_LTI, "KEY_GRACE_SECONDS": 3600}
    first = keys.current_key()
    served = tool.http.get(platform.tool_jwks_url).json()
    assert [k["kid"] for k in served["keys"]] == [str(first)]
    second, retired = keys.rotate()
    assert retired == 0
    served = tool.http.get(platform.tool_jwks_url).json()
    assert {k["kid"] for k in served["keys"]} == {str(first), str(second)}
    assert keys.current_key() == second
    # Service calls are signed with the new key and the platform accepts them.
    custom = {"sls_settings": json.dumps({"has_score": True, "participation_required": 1}), "cohort": "A"}
    init = forum_init(tool.launch(platform.consumer(custom=custom)).text)
    tool.http.post(platform.tool_url + init["urls"]["create_thread"], json={"title": "T", "body": "B"},
                   headers=init["client"]["headers"])
    assert platform.scores and platform.scores[-1]["scoreGiven"] == 1
    assert keys.retire_superseded(now=timezone.now() + timedelta(minutes=30)) == 0
    assert keys.retire_superseded(now=timezone.now() + timedelta(hours=2)) == 1
    assert not Key.objects.get(pk=first.pk).is_active
    served = tool.http.get(platform.tool_jwks_url).json()
    assert [k["kid"] for k in served["keys"]] == [str(second)]
