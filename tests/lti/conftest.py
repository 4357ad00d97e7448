"""LTI fixtures: a test platform (lti-consumer-xblock's consumer) talking to the tool on a live server.

- ``platform``: the :class:`tests.lti.platform.TestPlatform` serving on 127.0.0.1, registered in
  the tool with one active deployment;
- ``tool``: a ``requests`` session against the live server with helpers to log in and launch
  as the platform's browser would (``tool.login(consumer)``, ``tool.launch(consumer)``);
- ``rows``: counts of the rows a launch writes (for "nothing was written" checks).
"""
import json
import re
import types
from urllib.parse import urljoin

import pytest
import requests
from django.contrib.auth import get_user_model

from tests.lti.platform import LOGIN_DATA, TestPlatform, query_of, register


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test's platform has new keys, perhaps at a port an earlier test used: forget cached JWKS."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def lti_settings(settings):
    # lti-consumer-xblock names the platform in every launch (tool_platform claim).
    settings.PLATFORM_NAME = "Test platform"
    # The sandbox's settings let the tool call the test platforms on 127.0.0.1 (ALLOWED_PLATFORM_HOSTS).
    settings.SOCIAL_LEARNING_LTI = {**settings.SOCIAL_LEARNING_LTI, "LEEWAY_SECONDS": 60}


@pytest.fixture
def platform(live_server, transactional_db):
    test_platform = TestPlatform(live_server.url).start()
    register(test_platform)
    yield test_platform
    test_platform.stop()


class ToolClient:
    """The browser's side of a launch, over HTTP."""

    def __init__(self, platform):
        self.platform = platform
        self.http = requests.Session()

    def login(self, consumer, message_type="LtiResourceLinkRequest", **kwargs):
        """GET the login initiation; returns (response, login data from the page or None)."""
        url = self.platform.preflight_url(consumer, message_type=message_type, **kwargs)
        response = self.http.get(url, allow_redirects=False)
        match = LOGIN_DATA.search(response.text)
        return response, (json.loads(match.group(1)) if match else None)

    def authorize(self, consumer, login_data):
        """What the platform's authorization endpoint signs for this login."""
        return consumer.generate_launch_request(query_of(login_data["auth_url"]))

    def post_launch(self, fields, binding=None):
        data = dict(fields)
        if binding is not None:
            data["sls_binding"] = binding
        return self.http.post(self.platform.launch_url, data=data, allow_redirects=False)

    def launch(self, consumer, message_type="LtiResourceLinkRequest", **kwargs):
        """A whole launch; returns the launch's answer (the forum page itself, or an error page)."""
        response, login_data = self.login(consumer, message_type=message_type, **kwargs)
        assert login_data, response.text
        signed = self.authorize(consumer, login_data)
        return self.post_launch(signed, login_data["secret"])

    def open(self, path, token, **data):
        """What a page's form does to open another page of the activity (or itself again): POST the token."""
        return self.http.post(urljoin(self.platform.tool_url, path), data={"launch": token, **data},
                              allow_redirects=False)


@pytest.fixture
def tool(platform):
    return ToolClient(platform)


def count_rows():
    from lti_tool.models import LtiContext, LtiDeployment, LtiMembership, LtiResourceLink, LtiUser

    from lti.models import LearnerState, LtiPerson, LtiPlacement
    from xblocks.core.models import LocalGroup, LocalGroupMembership, Placement, RoleAssignment

    models = [get_user_model(), LtiUser, LtiPerson, LtiContext, LtiMembership, LtiResourceLink, LtiDeployment,
              Placement, LtiPlacement, RoleAssignment, LocalGroup, LocalGroupMembership, LearnerState]
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def rows():
    return types.SimpleNamespace(count=count_rows)


LAUNCH_DATA = re.compile(r'<script id="sls-lti-launch" type="application/json">(.*?)</script>', re.S)


def launch_data(page_html):
    """What a page of the tool keeps for its tab: ``{token, activity, address, renew}``."""
    match = LAUNCH_DATA.search(page_html)
    assert match, page_html[:2000]
    return json.loads(match.group(1))


def opened(response):
    """Whether a launch (or a page's POST) answered with the activity's page itself."""
    return response.status_code == 200 and 'id="sls-lti-launch"' in response.text


GROUPS_FORM = re.compile(r'<form method="post" action="(/lti/groups/)"><input type="hidden" name="launch" value="([^"]+)">')


def groups_form(page_html):
    """``(path, token)`` of the page's "Manage groups" button (a form that posts the launch token)."""
    match = GROUPS_FORM.search(page_html)
    assert match, page_html[:2000]
    return match.group(1), match.group(2)


FORUM_DATA = re.compile(r'<script type="application/json" class="sls-forum-data">(.*?)</script>', re.S)


def forum_init(page_html):
    start = page_html.find("data-sls-lti-root")
    match = FORUM_DATA.search(page_html, max(start, 0))
    assert match, page_html[:2000]
    return json.loads(match.group(1))
