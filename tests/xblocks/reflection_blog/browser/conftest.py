"""The reflection blog's browser tests: the ``blog`` fixture (the sandbox's course unit on a live server, with the
``course`` fixture's people)."""
import pytest

from tests.xblocks.reflection_blog.browser.blog import BlogSandbox


@pytest.fixture
def blog(transactional_db, course, settings, page_for):  # pylint: disable=unused-argument
    return BlogSandbox(course, settings, page_for)
