"""What a refused or odd request to the tool's LTI addresses gets: the platform's own post replayed, the GET
Moodle makes when an activity is saved, oversized messages, and the warning every refusal logs."""
import logging

import pytest

from tests.lti.conftest import opened

from tests.lti.test_launch_checks import begun, refused, signed  # noqa: F401  # begun: a fixture

pytestmark = pytest.mark.django_db(transaction=True)

LOGGER = "social_learning.lti"


def test_replaying_the_platforms_own_post_says_the_launch_was_already_used(tool, begun, rows):
    consumer, login_data = begun
    fields = signed(consumer, login_data)
    assert opened(tool.post_launch(fields, login_data["secret"]))
    before = rows.count()
    # Reload or back in the course: the platform's form post comes again, without the browser's secret
    # (the check page removed it once used).
    for binding in (None, ""):
        response = tool.post_launch(fields, binding)
        refused(response, 403, "already used", "replayed")
        assert "open the activity again from your course" in response.text
        assert "could not be tied to your browser" not in response.text
    assert rows.count() == before


@pytest.mark.parametrize("language, text", [
    ("en", "This is the tool's launch address"),
    ("nl", "Dit is het startadres van de tool"),
    ("fr", "Ceci est l'adresse de lancement de l'outil"),
])
def test_get_of_the_launch_address_says_what_it_is(platform, tool, rows, language, text):
    before = rows.count()
    response = tool.http.get(platform.launch_url, headers={"Accept-Language": language})
    assert response.status_code == 200
    assert text in response.text
    assert "data-sls-lti-error" not in response.text and "<form" not in response.text
    assert rows.count() == before


def test_refused_launch_is_logged_with_its_code_and_issuer_and_never_the_token(platform, tool, begun, caplog):
    consumer, login_data = begun
    fields = signed(consumer, login_data, lambda m: m.update({"nonce": "a-nonce-of-another-login"}))
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        refused(tool.post_launch(fields, login_data["secret"]), 403, "nonce", "bad_nonce")
    records = [r for r in caplog.records if r.name == LOGGER]
    assert len(records) == 1 and records[0].levelno == logging.WARNING
    line = records[0].getMessage()
    assert "bad_nonce" in line and platform.url in line and platform.client_id in line
    assert fields["id_token"] not in caplog.text
    for part in fields["id_token"].split("."):
        assert part not in caplog.text
    assert "Ann Peeters" not in caplog.text and "ann@example.com" not in caplog.text


def test_refused_login_is_logged_with_the_claimed_issuer(platform, tool, caplog):
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        response = tool.http.get(platform.login_url, params={"iss": "https://elsewhere.example.org", "login_hint": "x",
                                                             "client_id": "c"})
    refused(response, 403, "not registered with the tool", "unknown_registration")
    line = next(r.getMessage() for r in caplog.records if r.name == LOGGER)
    assert "unknown_registration" in line and "https://elsewhere.example.org" in line


def test_signed_id_token_over_the_limit_is_refused_before_any_jwt_work(platform, tool, begun, rows, settings):
    consumer, login_data = begun
    fields = signed(consumer, login_data, lambda m: m.update(
        {"https://purl.imsglobal.org/spec/lti/claim/custom": {"padding": "x" * 70_000}}))
    before = rows.count()
    for binding in (login_data["secret"], None):  # the browser's post, and the platform's post
        response = tool.post_launch(fields, binding)
        refused(response, 413, "too large", "token_too_large")
    assert platform.jwks_requests == 0
    assert rows.count() == before
    # The same token under a raised limit is a valid launch.
    settings.SOCIAL_LEARNING_LTI = {**settings.SOCIAL_LEARNING_LTI, "MAX_JWT_BYTES": 256 * 1024}
    assert opened(tool.post_launch(fields, login_data["secret"]))


@pytest.mark.parametrize("debug", [False, True])
def test_post_over_the_upload_limit_gets_the_error_page_never_a_traceback(platform, tool, rows, settings, debug):
    settings.DEBUG = debug
    before = rows.count()
    response = tool.post_launch({"id_token": "x" * (3 * 1024 * 1024), "state": "s"})
    refused(response, 413, "too large", "too_large")
    assert "Traceback" not in response.text and "RequestDataTooBig" not in response.text
    assert rows.count() == before


def test_other_posted_jwts_over_the_limit_are_refused(platform, tool):
    big = "x" * (65 * 1024)
    refused(tool.http.post(platform.tool_url + "/lti/deep-link/", data={"token": big}), 413, "too large",
            "token_too_large")
    response = tool.http.post(platform.tool_url + "/lti/register/",
                              data={"openid_configuration": platform.url + "/openid", "registration_token": big})
    refused(response, 413, "too large", "token_too_large")


def test_html_request_refused_before_any_view_gets_a_page(rf):
    from xblocks.core.errorviews import bad_request

    response = bad_request(rf.post("/somewhere/", HTTP_ACCEPT="text/html"))
    assert response.status_code == 400
    assert b"This request could not be read" in response.content and b"<h1>" in response.content
