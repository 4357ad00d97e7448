"""pytest bootstrap for the whole suite.

Settings: ``tests/settings.py`` (SQLite; ``SLS_DB=mariadb`` for MariaDB). Fixtures:
- ``course``: a local course with two cohorts, two learners (one per cohort), a staff member and
  a community advocate, as a namespace;
- ``make_context``: build the api context for a user, as a front door would;
- ``make_block`` / ``call_handler``: load a block in the real XBlock Workbench runtime as a given
  user and call its JSON handlers, returning (status, body); ``published`` collects what blocks
  published through the runtime (tracking, completion and grade events).
"""
import json
import os
import types

import pytest
import webob

from tests.factories import COURSE_KEY, LocalGroupFactory, MembershipFactory, PlacementFactory, RoleFactory, UserFactory


@pytest.fixture
def course(db):
    cohort_a = LocalGroupFactory(name="Cohort A")
    cohort_b = LocalGroupFactory(name="Cohort B")
    ann = UserFactory(username="ann", first_name="Ann", last_name="Peeters")
    bob = UserFactory(username="bob", first_name="Bob", last_name="Janssens")
    cara = UserFactory(username="cara", first_name="Cara", last_name="Maes")
    MembershipFactory(group=cohort_a, user=ann)
    MembershipFactory(group=cohort_a, user=cara)
    MembershipFactory(group=cohort_b, user=bob)
    staff = UserFactory(username="sam", first_name="Sam", last_name="Staff")
    RoleFactory(user=staff, role="staff")
    advocate = UserFactory(username="ada", first_name="Ada", last_name="Advocate")
    MembershipFactory(group=cohort_a, user=advocate)
    RoleFactory(user=advocate, role="advocate")
    placement = PlacementFactory(resource_key="forum-under-test")
    return types.SimpleNamespace(
        key=COURSE_KEY, placement=placement, cohort_a=cohort_a, cohort_b=cohort_b,
        ann=ann, bob=bob, cara=cara, staff=staff, advocate=advocate,
        group_a=f"cohort:{cohort_a.id}", group_b=f"cohort:{cohort_b.id}",
    )


@pytest.fixture
def make_context(course):
    from xblocks.core.context import build_context, local_roles
    from xblocks.core.groups import LocalGroups

    def _make(user, group=None, scope="cohort", placement=None, events=None):
        placement = placement or course.placement
        emit = (lambda name, data: events.append((name, data))) if events is not None else None
        return build_context(user=user, placement=placement, scope=scope, roles=local_roles(user, placement.context_key),
                             backend=LocalGroups(), requested_group=group, emit=emit)

    return _make


@pytest.fixture
def published():
    return []


@pytest.fixture
def make_block(db, published, settings):
    """``make_block(xml, username)`` parses block XML in the Workbench runtime; ``make_block.as_user(block, u)``
    loads the same block for another user."""
    from workbench.runtime import WorkbenchRuntime

    settings.SOCIAL_LEARNING = {**getattr(settings, "SOCIAL_LEARNING", {}), "LOCAL_COURSE_KEY": COURSE_KEY}

    class RecordingRuntime(WorkbenchRuntime):
        def publish(self, block, event_type, event_data):
            published.append((self.user_id, event_type, event_data))
            super().publish(block, event_type, event_data)

    def runtime_for(username):
        return RecordingRuntime(username)

    def _make(xml, username):
        runtime = runtime_for(username)
        usage_id = runtime.parse_xml_string(xml)
        return runtime.get_block(usage_id)

    def as_user(block, username):
        return runtime_for(username).get_block(block.scope_ids.usage_id)

    _make.as_user = as_user
    return _make


@pytest.fixture
def call_handler():
    """``call_handler(block, name, data, method="POST")`` -> (status_code, decoded JSON body)."""

    def _call(block, name, data=None, method="POST"):
        request = webob.Request.blank("/")
        request.method = method
        request.body = json.dumps(data if data is not None else {}).encode() if not isinstance(data, bytes) else data
        request.content_type = "application/json"
        response = block.runtime.handle(block, name, request)
        try:
            body = json.loads(response.body)
        except ValueError:
            body = response.body.decode()
        return response.status_code, body

    return _call


class FrozenClock:
    """The rate limit's clock, frozen inside a window; ``advance(seconds)`` moves it."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """Every test runs on a frozen rate-limit clock, a few seconds into a minute (and an hour, and a day), so
    that no test depends on when it runs (a window boundary crossed mid-test once made a test fail)."""
    from xblocks.core import ratelimit  # pylint: disable=import-outside-toplevel

    frozen = FrozenClock(1_800_000_000.0 - 1_800_000_000.0 % 86400 + 5.0)
    monkeypatch.setattr(ratelimit, "_now", frozen)
    return frozen


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: no rate-limit window or cached placement id leaks between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request through LocaleMiddleware leaves its language active in the thread (each real request
    sets its own); tests start and end in the default language so that none depends on another."""
    from django.utils import translation  # pylint: disable=import-outside-toplevel

    yield
    translation.deactivate()



@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright (no browser download): one for the whole run, whichever
    browser tests run and in whichever order (Playwright's sync API allows one instance per thread)."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API keeps an event loop
    from playwright.sync_api import sync_playwright  # pylint: disable=import-outside-toplevel

    from tests.browser.launch import CHROMIUM, CHROMIUM_ARGS  # pylint: disable=import-outside-toplevel

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def screenshot():
    """``screenshot(page, name)`` saves a full-page PNG under var/screenshots (``SLS_SCREENSHOTS``) for people
    to look at."""
    from pathlib import Path  # pylint: disable=import-outside-toplevel

    from django.conf import settings  # pylint: disable=import-outside-toplevel

    folder = Path(os.environ.get("SLS_SCREENSHOTS", Path(settings.BASE_DIR) / "var" / "screenshots"))

    def _shot(page, name):
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot


@pytest.fixture
def page_for(chromium, live_server):
    """``page_for(user, width=1280, language=None, timezone_id=None)``: a new browser context signed in by session
    cookie as ``user``, as the sandbox's switcher does, its browser asking for ``language`` and living in time zone
    ``timezone_id`` (an IANA name) when given; returns a Page."""
    contexts = []

    def _open(user, width=1280, height=900, language=None, timezone_id=None):
        from django.conf import settings  # pylint: disable=import-outside-toplevel
        from django.test import Client  # pylint: disable=import-outside-toplevel

        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        options = {"locale": language, "extra_http_headers": {"Accept-Language": language}} if language else {}
        if timezone_id:
            options["timezone_id"] = timezone_id
        context = chromium.new_context(viewport={"width": width, "height": height}, **options)
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value,
                              "url": live_server.url}])
        context.set_default_timeout(10000)
        contexts.append(context)
        page = context.new_page()
        page.base_url = live_server.url
        return page

    yield _open
    for context in contexts:
        context.close()


def pytest_collection_modifyitems(config, items):  # pylint: disable=unused-argument
    """With pytest-xdist (``make test`` and ``make test-mariadb`` run two workers), the browser tests run in two
    groups, each on one worker, one test after the other: the tool's and the sandbox's pages (with the forum's), and
    the other components' pages. A worker then runs one Chromium at a time, and both workers take the rest."""
    for item in items:
        if item.get_closest_marker("browser"):
            path = str(item.path)
            pages = any(f"/tests/{folder}/" in path for folder in ("lti", "sandbox", "i18n", "xblocks/cohort_forum"))
            item.add_marker(pytest.mark.xdist_group("browser-tool-and-forum" if pages else "browser-components"))
