"""A launch that follows Moodle's groups costs the same queries whatever the number of groups, members and
learners' groups; a launch whose groups are kept (cached) makes no call to Moodle; the page with the "Your group"
switcher reads nothing more than the page without it."""
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lti.models import MoodleWebService
from tests.lti import platform as platforms
from tests.lti.conftest import launch_data
from tests.lti.moodle import MoodleStandIn
from tests.lti.test_queries import in_process_platform  # noqa: F401  # pylint: disable=unused-import

COURSE = "42"


def launch_queries(platform, user_id):
    """(queries of the launch post, queries of the page reloaded, its HTML) of a whole launch of ``user_id``."""
    browser = platforms.ClientBrowser(platform, Client())
    consumer = platform.consumer(user_id=user_id, context_id=COURSE)
    _response, login_data = browser.login(consumer)
    fields = browser.authorize(consumer, login_data)
    with CaptureQueriesContext(connection) as launch:
        response = browser.post_launch(fields, login_data["secret"])
    assert response.status_code == 200, response.content[:2000]  # the launch answers with the page itself
    kept = launch_data(response.content.decode())
    with CaptureQueriesContext(connection) as page:  # the page again, as a reload posts the tab's token
        page_response = browser.client.post(kept["address"], {"launch": kept["token"]})
    assert page_response.status_code == 200
    return len(launch), len(page), page_response.content.decode()


def test_launch_queries_do_not_grow_with_moodle_groups(in_process_platform):  # noqa: F811
    moodle = MoodleStandIn()
    try:
        MoodleWebService.objects.create(registration=in_process_platform.registration, base_url=moodle.url,
                                        token=moodle.token)
        moodle.add_group(COURSE, 1, "Group 1", members=[5, 6])
        moodle.add_group(COURSE, 2, "Group 2", members=[6])
        for person in ("5", "6"):  # first launches mirror the groups
            launch_queries(in_process_platform, person)
        cache.clear()
        small_read = {person: launch_queries(in_process_platform, person)[:2] for person in ("5", "6")}
        calls = len(moodle.calls)
        small = {person: launch_queries(in_process_platform, person)[:2] for person in ("5", "6")}
        assert len(moodle.calls) == calls  # kept: no call to Moodle

        for number in range(3, 40):
            moodle.add_group(COURSE, number, f"Group {number}", members=[5, 6, *range(100, 100 + number)])
        cache.clear()  # as when the kept groups expire
        for person in ("5", "6"):
            launch_queries(in_process_platform, person)  # the learners' new groups are mirrored
        cache.clear()
        read_again = {person: launch_queries(in_process_platform, person) for person in ("5", "6")}
        assert len(moodle.calls) == calls + 4
        cached = {person: launch_queries(in_process_platform, person) for person in ("5", "6")}
        assert len(moodle.calls) == calls + 4
        assert {p: c[:2] for p, c in cached.items()} == small
        assert {p: c[:2] for p, c in read_again.items()} == small_read
        assert "sls-lti-your-group" in cached["5"][2]
    finally:
        moodle.stop()
