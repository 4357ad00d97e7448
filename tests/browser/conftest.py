"""Browser fixtures of the forum's browser tests: screenshots.

The browser (``chromium``, Debian's Chromium, see ``launch.py``) and signed-in pages (``page_for``)
are shared by every browser test of a run and defined in the root conftest.py.
"""
import os
from pathlib import Path

import pytest
from django.conf import settings

SCREENSHOTS = Path(os.environ.get("SLS_SCREENSHOTS", Path(settings.BASE_DIR) / "var" / "screenshots"))

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def screenshot():
    """``screenshot(page, name)`` saves a full-page PNG under var/screenshots for people to look at."""

    def _shot(page, name):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot
