"""The LTI tool speaks the language the platform launched in (``launch_presentation.locale``), else the browser's.

Launched by Open edX's own LTI 1.3 consumer (lti-consumer-xblock) on a live server, as in tests/lti.
"""
import re

import pytest

from lti import identity, tokens
from tests.lti.conftest import forum_init, fresh_cache, lti_settings, platform, tool  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)
PRESENTATION = identity.CLAIM + "launch_presentation"
TOKEN_FIELD = re.compile(r'name="token" value="([^"]+)"')
LANGUAGE_FIELD = re.compile(r'name="language" value="([^"]+)"')


def consumer_in(platform, locale=None, **kwargs):  # noqa: F811
    """The platform's consumer, its launches naming ``locale`` (Moodle and Canvas send the person's language).

    Open edX's consumer leaves extra claims out of Deep Linking requests; here they carry it too.
    """
    consumer = platform.consumer(**kwargs)
    if locale is not None:
        claim = {PRESENTATION: {"document_target": "iframe", "locale": locale}}
        consumer.set_extra_claim(claim)
        deep_linking_claim = consumer.dl.get_lti_deep_linking_launch_claim
        consumer.dl.get_lti_deep_linking_launch_claim = lambda *args, **kwargs: {
            **deep_linking_claim(*args, **kwargs), **claim}
    return consumer


def api(tool, init, action, data, headers=None):  # noqa: F811
    response = tool.http.post(tool.platform.tool_url + init["urls"][action], json=data,
                              headers=headers or init["client"]["headers"])
    return response.status_code, response.json(), response


@pytest.mark.parametrize("body, expected", [
    ({PRESENTATION: {"locale": "fr-BE"}}, "fr"),
    ({PRESENTATION: {"locale": "nl_NL"}}, "nl"),
    ({PRESENTATION: {"locale": "NL"}}, "nl"),
    ({PRESENTATION: {"locale": "en-US"}}, "en"),
    ({PRESENTATION: {"locale": "de-DE"}}, ""),
    ({PRESENTATION: {"locale": ""}}, ""),
    ({PRESENTATION: {"locale": 5}}, ""),
    ({PRESENTATION: "fr"}, ""),
    ({}, ""),
])
def test_launch_language_from_the_launch_presentation_claim(body, expected):
    assert identity.launch_language(body) == expected


def test_the_launch_token_keeps_its_language_when_renewed():
    token = tokens.read(tokens.issue(1, 2, {"learner"}, language="fr"))
    assert token.language == "fr"
    assert tokens.read(token.renewed()).language == "fr"
    assert tokens.read(tokens.issue(1, 2, {"learner"})).language == ""


def test_the_forum_follows_the_platforms_language_over_the_browsers(platform, tool):  # noqa: F811
    tool.http.headers["Accept-Language"] = "nl"
    page = tool.launch(consumer_in(platform, "fr-BE", custom={"cohort": "A"}))
    assert page.status_code == 200, page.text[:1000]
    assert page.headers["Content-Language"] == "fr" and '<html lang="fr">' in page.text
    assert "Nouveau sujet" in page.text and "Forum de cohorte" in page.text
    init = forum_init(page.text)
    assert init["i18n"]["strings"]["Thread posted."] == "Sujet publié."
    # The API answers in the launch's language too, whatever the browser asks for.
    status, body, response = api(tool, init, "create_thread", {"title": "", "body": "Bonjour"})
    assert status == 400 and body["error"]["message"] == "Le titre ne peut pas être vide."
    assert response.headers["Content-Language"] == "fr"
    # ... also with a renewed token.
    renewed = tool.http.post(platform.tool_url + "/lti/api/renew/", headers=init["client"]["headers"]).json()["token"]
    status, body, _response = api(tool, init, "create_thread", {"title": "", "body": "x"},
                                  headers={"Authorization": "Bearer " + renewed})
    assert body["error"]["message"] == "Le titre ne peut pas être vide."


def test_without_a_locale_the_tool_follows_the_browser(platform, tool):  # noqa: F811
    tool.http.headers["Accept-Language"] = "nl-BE,nl;q=0.9"
    page = tool.launch(consumer_in(platform, None, custom={"cohort": "A"}))
    assert '<html lang="nl">' in page.text and "Nieuw topic" in page.text
    status, body, _response = api(tool, forum_init(page.text), "create_thread", {"title": "", "body": "Hallo"})
    assert body["error"]["message"] == "De titel mag niet leeg zijn."
    # A language the tool does not offer: the browser's.
    tool.http.headers["Accept-Language"] = "fr"
    page = tool.launch(consumer_in(platform, "de-DE", user_id="learner-2", custom={"cohort": "A"}))
    assert '<html lang="fr">' in page.text and "Nouveau sujet" in page.text


def test_a_learner_without_a_group_is_told_why_in_the_launch_language(platform, tool):  # noqa: F811
    page = tool.launch(consumer_in(platform, "nl-NL"))
    assert page.status_code == 200
    assert "Je zit nog niet in een groep van deze cursus" in page.text


def test_deep_linking_in_the_instructors_language_keeps_defaults_following_learners(platform, tool):  # noqa: F811
    tool.http.headers["Accept-Language"] = "en"
    page = tool.launch(consumer_in(platform, "nl-BE", role="staff", user_id="teacher"),
                       message_type="LtiDeepLinkingRequest")
    assert page.status_code == 200 and "Een cohortforum toevoegen" in page.text
    assert 'value="Cohortforum"' in page.text and "Wees vriendelijk en ga uit van goede bedoelingen" in page.text
    assert LANGUAGE_FIELD.search(page.text).group(1) == "nl"
    guidelines = re.search(r'<textarea id="sls-dl-guidelines" name="guidelines" rows="6">(.*?)</textarea>',
                           page.text, re.S).group(1)
    form = {"token": TOKEN_FIELD.search(page.text).group(1), "language": "nl", "display_name": "Cohortforum",
            "prompt": "", "guidelines": guidelines.replace("&#x27;", "'").replace("\n", "\r\n"),
            "group_scope": "cohort", "participation_required": "1", "weight": "1", "default_sort": "activity"}
    chosen = tool.http.post(platform.tool_url + "/lti/deep-link/", data=form)
    assert chosen.status_code == 200, chosen.text[:1000]
    assert "“Cohortforum” wordt aan je cursus toegevoegd…" in chosen.text
    [item] = platform.deep_link_items or [None]
    if item is None:  # the platform stores the items when the return form is posted
        from tests.lti.test_advantage import JWT_FIELD, RETURN_ACTION

        tool.http.post(RETURN_ACTION.search(chosen.text).group(1), data={"JWT": JWT_FIELD.search(chosen.text).group(1)})
        [item] = platform.deep_link_items
    assert item["title"] == "Cohortforum"
    # The unchanged default name and guidelines are stored as the defaults: each learner sees them in theirs.
    assert "display_name" not in item["custom"]["sls_settings"] and "guidelines" not in item["custom"]["sls_settings"]
    tool.http.headers["Accept-Language"] = "fr"
    page = tool.launch(consumer_in(platform, None, custom={**item["custom"], "cohort": "A"}, resource_link_id="dl"))
    assert "Forum de cohorte" in page.text and "Soyez bienveillant" in page.text


def test_deep_linking_without_a_locale_follows_the_browser(platform, tool):  # noqa: F811
    tool.http.headers["Accept-Language"] = "fr-BE,fr;q=0.9"
    page = tool.launch(consumer_in(platform, None, role="staff", user_id="teacher"), message_type="LtiDeepLinkingRequest")
    assert "Ajouter un forum de cohorte" in page.text and 'value="Forum de cohorte"' in page.text
    assert LANGUAGE_FIELD.search(page.text).group(1) == "fr"
