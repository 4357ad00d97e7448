"""Browser fixtures: signed-in pages of the sandbox on a live server, and screenshots.

The browser itself (fixture ``chromium``, Debian's Chromium, see ``launch.py``) is shared by every
browser test of a run and defined in the root conftest.py. People sign in by session cookie, as the
sandbox's user switcher does.
"""
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

SCREENSHOTS = Path(os.environ.get("SLS_SCREENSHOTS", Path(settings.BASE_DIR) / "var" / "screenshots"))

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def page_for(chromium, live_server):
    """``page_for(user, width=1280)``: a new browser context signed in as ``user``; returns a Page."""
    contexts = []

    def _open(user, width=1280, height=900):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context = chromium.new_context(viewport={"width": width, "height": height})
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


@pytest.fixture
def screenshot():
    """``screenshot(page, name)`` saves a full-page PNG under var/screenshots for people to look at."""

    def _shot(page, name):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot
