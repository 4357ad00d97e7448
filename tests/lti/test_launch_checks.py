"""Every check on a launch: a bad launch gets a clear error page with a 4xx status and writes nothing."""
import time

import jwt
import pytest
from lti_tool.models import LtiDeployment

from tests.lti.conftest import forum_init, opened
from tests.lti.platform import new_rsa_pem, query_of

pytestmark = pytest.mark.django_db(transaction=True)


def signed(consumer, login_data, mutate=None, expiration=3600, key_pem=None, kid=None):
    """An id_token for this login, signed by the platform's key (or ``key_pem``), after ``mutate(message)``."""
    auth = query_of(login_data["auth_url"])
    message = consumer.get_lti_launch_message()
    message["nonce"] = auth["nonce"]
    now = int(time.time())
    if expiration is not None:
        message.update({"iat": now, "exp": now + expiration})
    if mutate:
        mutate(message)
    token = jwt.encode(message, key_pem or consumer.key_handler.key.key, algorithm="RS256",
                       headers={"kid": kid or consumer.key_handler.key.key_id})
    return {"state": auth["state"], "id_token": token}


def refused(response, status, text, code):
    assert response.status_code == status, response.text[:1500]
    assert text in response.text
    assert f'data-sls-lti-error="{code}"' in response.text
    assert "This activity could not open" in response.text


@pytest.fixture
def begun(platform, tool):
    """A consumer and a login begun in the browser (its page data, with the browser's secret)."""
    consumer = platform.consumer()
    response, login_data = tool.login(consumer)
    assert response.status_code == 200 and login_data
    return consumer, login_data


def test_well_formed_launch_is_accepted_as_control(platform, tool, begun, rows):
    consumer, login_data = begun
    before = rows.count()
    response = tool.post_launch(signed(consumer, login_data), login_data["secret"])
    assert opened(response)
    assert rows.count()["Placement"] == before["Placement"] + 1


def test_platform_post_without_binding_gets_the_check_page_and_writes_nothing(tool, begun, rows):
    consumer, login_data = begun
    before = rows.count()
    response = tool.post_launch(signed(consumer, login_data))
    assert response.status_code == 200
    assert 'name="sls_binding"' in response.text and "id_token" in response.text
    assert rows.count() == before


@pytest.mark.parametrize("case", [
    "no_id_token", "unknown_state", "browser_mismatch", "malformed_jwt", "tampered", "other_key", "unknown_kid",
    "unknown_issuer", "bad_azp", "several_audiences_without_azp", "missing_exp", "expired", "issued_in_future",
    "missing_iat", "bad_nonce", "unknown_deployment", "inactive_deployment", "no_roles",
])
def test_each_check_refuses_with_a_clear_page_and_writes_nothing(platform, tool, begun, rows, case):
    consumer, login_data = begun
    secret = login_data["secret"]
    now = int(time.time())
    expected = {
        "no_id_token": (400, "carried no id_token", "no_id_token"),
        "unknown_state": (403, "did not start in this browser", "unknown_state"),
        "browser_mismatch": (403, "could not be tied to your browser", "browser_mismatch"),
        "malformed_jwt": (400, "not a valid JWT", "malformed_jwt"),
        "tampered": (403, "signature is not valid", "bad_signature"),
        "other_key": (403, "signature is not valid", "bad_signature"),
        "unknown_kid": (403, "a key your course platform does not publish", "bad_signature"),
        "unknown_issuer": (403, "not registered with the tool", "unknown_registration"),
        "bad_azp": (403, "authorized party (azp) is another tool", "bad_azp"),
        "several_audiences_without_azp": (403, "no authorized party (azp)", "bad_azp"),
        "missing_exp": (403, "no “exp” claim", "missing_exp"),
        "expired": (403, "has expired", "expired"),
        "issued_in_future": (403, "issued in the future", "issued_in_future"),
        "missing_iat": (403, "no “iat” claim", "missing_iat"),
        "bad_nonce": (403, "does not belong to this login (nonce)", "bad_nonce"),
        "unknown_deployment": (403, "is not registered with the tool", "unknown_deployment"),
        "inactive_deployment": (403, "not active yet", "inactive_deployment"),
        "no_roles": (400, "The launch message is incomplete", "invalid_message"),
    }[case]
    fields = signed(consumer, login_data)
    if case == "no_id_token":
        fields.pop("id_token")
    elif case == "unknown_state":
        fields["state"] = "state-that-was-never-issued"
    elif case == "browser_mismatch":
        secret = "a-secret-from-another-browser"
    elif case == "malformed_jwt":
        fields["id_token"] = "not.a-jwt"
    elif case == "tampered":
        header, _payload, signature = fields["id_token"].split(".")
        other = signed(consumer, login_data, lambda m: m.update({"sub": "someone-else"}))["id_token"].split(".")[1]
        fields["id_token"] = ".".join([header, other, signature])
    elif case == "other_key":
        fields = signed(consumer, login_data, key_pem=new_rsa_pem())
    elif case == "unknown_kid":
        fields = signed(consumer, login_data, key_pem=new_rsa_pem(), kid="rotated-away")
    elif case == "unknown_issuer":
        fields = signed(consumer, login_data, lambda m: m.update({"iss": "https://unknown.example.org"}))
    elif case == "bad_azp":
        fields = signed(consumer, login_data, lambda m: m.update({"azp": "another-tool"}))
    elif case == "several_audiences_without_azp":
        def several(m):
            m["aud"] = [platform.client_id, "another-tool"]
            m.pop("azp")
        fields = signed(consumer, login_data, several)
    elif case == "missing_exp":
        fields = signed(consumer, login_data, expiration=None, mutate=lambda m: m.update({"iat": now}))
    elif case == "expired":
        fields = signed(consumer, login_data, lambda m: m.update({"iat": now - 3600, "exp": now - 120}))
    elif case == "issued_in_future":
        fields = signed(consumer, login_data, lambda m: m.update({"iat": now + 600, "exp": now + 3600}))
    elif case == "missing_iat":
        fields = signed(consumer, login_data, expiration=None, mutate=lambda m: m.update({"exp": now + 600}))
    elif case == "bad_nonce":
        fields = signed(consumer, login_data, lambda m: m.update({"nonce": "a-nonce-of-another-login"}))
    elif case == "unknown_deployment":
        fields = signed(consumer, login_data, lambda m: m.update(
            {"https://purl.imsglobal.org/spec/lti/claim/deployment_id": "deployment-nobody-added"}))
    elif case == "inactive_deployment":
        LtiDeployment.objects.filter(deployment_id=platform.deployment_id).update(is_active=False)
    elif case == "no_roles":
        fields = signed(consumer, login_data, lambda m: m.pop("https://purl.imsglobal.org/spec/lti/claim/roles"))
    before = rows.count()
    response = tool.post_launch(fields, secret)
    refused(response, *expected)
    assert rows.count() == before


def test_small_clock_skew_is_accepted(tool, begun):
    consumer, login_data = begun
    now = int(time.time())
    fields = signed(consumer, login_data, lambda m: m.update({"iat": now + 30, "exp": now + 600}))
    assert opened(tool.post_launch(fields, login_data["secret"]))


def test_replayed_launch_post_is_refused_and_writes_nothing(tool, begun, rows):
    consumer, login_data = begun
    fields = signed(consumer, login_data)
    assert opened(tool.post_launch(fields, login_data["secret"]))
    before = rows.count()
    refused(tool.post_launch(fields, login_data["secret"]), 403, "already used", "replayed")
    assert rows.count() == before


def test_login_from_an_unregistered_platform_is_refused(platform, tool):
    response = tool.http.get(platform.login_url, params={"iss": "https://elsewhere.example.org", "login_hint": "x",
                                                         "target_link_uri": platform.launch_url, "client_id": "c"})
    refused(response, 403, "not registered with the tool", "unknown_registration")
    response = tool.http.get(platform.login_url, params={"iss": platform.url, "target_link_uri": platform.launch_url})
    refused(response, 400, "no login_hint", "no_login_hint")


def test_platform_jwks_is_fetched_once_for_many_launches(platform, tool):
    for link in ("link-1", "link-2", "link-3"):
        assert tool.launch(platform.consumer(resource_link_id=link)).status_code == 200
    assert platform.jwks_requests == 1


def test_rotated_platform_key_is_fetched_again(platform, tool):
    assert tool.launch(platform.consumer()).status_code == 200
    platform.key_pem, platform.key_id = new_rsa_pem(), "platform-key-2"
    assert tool.launch(platform.consumer(resource_link_id="link-2")).status_code == 200
    assert platform.jwks_requests == 2


def test_launches_in_several_tabs_do_not_overwrite_each_other(platform, tool):
    first = forum_init(tool.launch(platform.consumer(resource_link_id="link-a", custom={"cohort": "A"})).text)
    second = forum_init(tool.launch(platform.consumer(resource_link_id="link-b", custom={"cohort": "A"})).text)
    headers_a = first["client"]["headers"]
    headers_b = second["client"]["headers"]
    assert headers_a != headers_b
    url = platform.tool_url + first["urls"]["create_thread"]
    created = tool.http.post(url, json={"title": "Only in A", "body": "Posted in the first tab."}, headers=headers_a)
    assert created.status_code == 200, created.text
    listed_a = tool.http.post(platform.tool_url + first["urls"]["list_threads"], json={}, headers=headers_a).json()
    listed_b = tool.http.post(platform.tool_url + second["urls"]["list_threads"], json={}, headers=headers_b).json()
    assert [t["title"] for t in listed_a["threads"]] == ["Only in A"]
    assert listed_b["threads"] == []
