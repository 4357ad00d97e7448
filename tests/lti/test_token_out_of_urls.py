"""The launch token never travels in a URL, so no access log, proxy log or Referer holds it; it lives minutes
unless its open page renews it, and it opens only what its launch established: that person's page, actions and
groups page of that activity (one placement of one deployment, one component), with the roles of their latest
launch there.

Over HTTP against the live server, whose access log is Django's own request log (``runserver``'s lines).
"""
import dataclasses
import logging
import re
import time

import pytest
from django.core.servers.basehttp import WSGIRequestHandler
from django.test.testcases import QuietWSGIRequestHandler
from lti_tool.models import LtiDeployment

from lti import tokens
from lti.models import LtiPlacement
from tests.lti.conftest import forum_init, groups_form, launch_data, opened
from tests.lti.test_identity_and_api import api

pytestmark = pytest.mark.django_db(transaction=True)
LOGGERS = ("", "django", "django.server", "django.request", "social_learning", "social_learning.lti", "lti")


class Recorder(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines = []

    def handle(self, record):  # once per record, though the handler sits on several loggers of one line
        if not getattr(record, "_sls_recorded", False):
            record._sls_recorded = True  # pylint: disable=protected-access
            super().handle(record)

    def emit(self, record):
        if record.name.startswith(("django", "social_learning", "lti")):
            self.lines.append(record.getMessage())


@pytest.fixture
def server_log(monkeypatch):
    """Every line the live server and the tool log: the request lines runserver writes (the test server is quiet
    otherwise), Django's request warnings, the tool's refusals."""
    monkeypatch.setattr(QuietWSGIRequestHandler, "log_message", WSGIRequestHandler.log_message)
    recorder = Recorder()
    saved = []
    for name in LOGGERS:
        logger = logging.getLogger(name)
        saved.append((logger, logger.level))
        if name:  # the root logger keeps its level: the test's own HTTP client logs below it
            logger.setLevel(logging.DEBUG)
        logger.addHandler(recorder)
    yield recorder.lines
    for logger, level in saved:
        logger.removeHandler(recorder)
        logger.setLevel(level)


def parts(token):
    """What of a token would open a page if a log kept it: the token, and its signature on its own."""
    return [token, token.rsplit(":", 1)[-1]]


def test_no_log_line_of_a_launch_and_its_pages_holds_the_token(platform, tool, server_log):
    staff = tool.launch(platform.consumer(role="staff", user_id="teacher", name="Tess Teacher"))
    assert opened(staff)
    launch = launch_data(staff.text)
    token = launch["token"]
    assert re.fullmatch(r"/lti/page/cohort_forum/\?activity=\d+", launch["address"])
    seen = [token]
    # The page's calls, a renewal, the page opened again (as a reload does), the groups page and one of its forms.
    init = forum_init(staff.text)
    assert api(tool, init, "list_threads", {})[0] == 200
    renewed = tool.http.post(platform.tool_url + "/lti/api/renew/", headers=init["client"]["headers"])
    seen.append(renewed.json()["token"])
    assert tool.http.get(platform.tool_url + launch["address"]).status_code == 200  # the reload's small page
    assert opened(tool.open(launch["address"], seen[-1]))
    path, groups_token = groups_form(staff.text)
    shown = tool.open(path, groups_token)  # the "Manage groups" button: the page, with no action run
    assert shown.status_code == 200 and "Groups of this course" in shown.text and 'role="alert"' not in shown.text
    assert tool.open(path, groups_token, action="create", name="Antwerp").status_code == 200
    # Refusals are logged too: a forged token, an old page URL that still carries one.
    assert tool.open("/lti/page/cohort_forum/", token[:-3] + "abc").status_code == 401
    old = tool.http.get(platform.tool_url + "/lti/page/cohort_forum/", params={"launch": token})
    assert old.status_code == 200 and "sls-lti-args" not in old.text  # the reload's page; the query opens nothing

    requests_logged = [line for line in server_log if re.match(r'"(GET|POST) ', line)]
    assert any(line.startswith('"POST /lti/launch/ ') for line in requests_logged)
    assert any(line.startswith('"GET /lti/page/cohort_forum/?activity=') for line in requests_logged)
    assert any(line.startswith('"POST /lti/groups/ ') for line in requests_logged)
    leaks = [line for line in server_log if any(part in line for value in seen for part in parts(value))
             and "launch=" not in line]
    assert leaks == []
    # Only the old URL the test itself asked for carries a token in a log line.
    assert [line for line in server_log if "launch=" in line] == [
        line for line in requests_logged if line.startswith('"GET /lti/page/cohort_forum/?launch=')]


def test_the_page_answers_a_post_and_a_get_of_its_address_opens_nothing_by_itself(platform, tool):
    page = tool.launch(platform.consumer(custom={"cohort": "A"}))
    launch = launch_data(page.text)
    assert "?launch=" not in page.text and "launch=" not in launch["address"]
    # A reload's GET: the small page that asks the tab for the token; nothing of the activity is in it.
    reloaded = tool.http.get(platform.tool_url + launch["address"])
    assert reloaded.status_code == 200 and "SlsLtiLaunch.resume(" in reloaded.text
    assert "sls-lti-args" not in reloaded.text and launch["token"] not in reloaded.text
    # With the token the tab kept, posted: the page again.
    again = tool.open(launch["address"], launch["token"])
    assert opened(again) and forum_init(again.text)["current_group"]["name"] == "A"
    assert again.headers["Referrer-Policy"] == "same-origin" and "no-store" in again.headers["Cache-Control"]


def test_a_token_opens_only_its_own_activity_component_and_deployment(platform, tool):
    first = launch_data(tool.launch(platform.consumer(custom={"cohort": "A"})).text)
    second = tool.launch(platform.consumer(resource_link_id="link-2", link_title="Blog",
                                           custom={"cohort": "A", "sls_component": "reflection_blog"}))
    assert opened(second)
    blog = launch_data(second.text)
    # The forum's token opens neither the blog's page nor its actions (nor the other way round).
    for path, token in (("/lti/page/reflection_blog/", first["token"]), ("/lti/page/cohort_forum/", blog["token"])):
        refused = tool.open(path, token)
        assert refused.status_code == 403 and 'data-sls-lti-error="wrong_activity"' in refused.text
    blog_action = re.search(r'"(/lti/api/v1/reflection_blog/[a-z_]+/)"', second.text).group(1)
    response = tool.http.post(platform.tool_url + blog_action, json={},
                              headers={"Authorization": "Bearer " + first["token"]})
    assert response.status_code == 403 and response.json()["error"]["code"] == "wrong_activity"
    # A learner's token does not open the groups page either.
    assert tool.open("/lti/groups/", first["token"]).status_code == 403
    # Once the activity belongs to another deployment of the platform, its old tokens open nothing.
    placement = LtiPlacement.objects.get(placement_id=first["activity"])
    other = LtiDeployment.objects.create(registration=placement.deployment.registration, deployment_id="other",
                                         is_active=True)
    LtiPlacement.objects.filter(pk=placement.pk).update(deployment=other)
    refused = tool.open("/lti/page/cohort_forum/", first["token"])
    assert refused.status_code == 403 and 'data-sls-lti-error="wrong_activity"' in refused.text
    renewal = tool.http.post(platform.tool_url + "/lti/api/renew/", headers={"Authorization": "Bearer " + first["token"]})
    assert renewal.status_code == 403 and renewal.json()["error"]["code"] == "wrong_activity"


def test_a_token_lives_minutes_unless_its_page_renews_it(platform, tool, monkeypatch):
    launch = launch_data(tool.launch(platform.consumer(custom={"cohort": "A"})).text)
    now = time.time()
    # Ten minutes on, the open page renews its token; six minutes later the token it was opened with no longer
    # opens it (a copy of it is useless), the renewed one does. The clock moves for the server too.
    monkeypatch.setattr(time, "time", lambda: now + 10 * 60)
    renewed = tool.http.post(platform.tool_url + "/lti/api/renew/",
                             headers={"Authorization": "Bearer " + launch["token"]}).json()["token"]
    monkeypatch.setattr(time, "time", lambda: now + 16 * 60)
    expired = tool.open(launch["address"], launch["token"])
    assert expired.status_code == 401 and 'data-sls-lti-error="launch_expired"' in expired.text
    assert opened(tool.open(launch["address"], renewed))
    # A page renewed all day: its token of a minute ago stands, but past the ceiling after the launch it is renewed
    # no more.
    page_token = tokens.read(renewed)
    monkeypatch.setattr(time, "time", lambda: now + 12 * 3600 - 60)
    latest = dataclasses.replace(page_token, issued=int(now + 12 * 3600 - 60)).encode()
    monkeypatch.setattr(time, "time", lambda: now + 12 * 3600 + 60)
    assert opened(tool.open(launch["address"], latest))
    fresh = tool.http.post(platform.tool_url + "/lti/api/renew/", headers={"Authorization": "Bearer " + latest})
    assert fresh.status_code == 401 and fresh.json()["error"]["code"] == "launch_expired"
