"""Helpers for the blog's browser tests: the sandbox's course unit holding the blog for the ``course`` fixture's
people, a small page object over the blog, and axe limited to the blog."""
from django.core.cache import cache
from playwright.sync_api import expect

from tests.xblocks.cohort_forum.browser.forum import NO_XSS, PHONE, no_horizontal_scroll, tab_to  # noqa: F401
from tests.xblocks.cohort_forum.browser.forum import serious_violations as forum_violations

BLOCK_TYPE = "social_reflection_blog"


class BlogSandbox:
    """The sandbox's first blog scenario (cohorts, tags proposed by the author), shown to the ``course`` fixture's
    people. ``settings`` (pytest-django's) points the sandbox at the fixture's course."""

    def __init__(self, course, settings, page_for):
        from workbench.runtime_util import reset_global_state

        from sandbox.runtime import SandboxRuntime
        from sandbox.scenarios import blocks_of_type, suite_scenarios
        from xblocks.core.context import get_placement
        from xblocks.core.models import Placement

        current = getattr(settings, "SOCIAL_LEARNING", None) or {}
        settings.SOCIAL_LEARNING = {**current, "LOCAL_COURSE_KEY": course.key}
        cache.clear()
        reset_global_state()
        self.scenario_name, scenario = suite_scenarios(BLOCK_TYPE)[0]
        (self.block,) = blocks_of_type(SandboxRuntime(""), scenario.usage_id, BLOCK_TYPE)
        self.course = course
        self.placement = get_placement(Placement.LOCAL, course.key, str(self.block.scope_ids.usage_id),
                                       str(self.block.display_name))
        self.people = {user.username: user for user in (course.ann, course.bob, course.cara, course.staff,
                                                         course.advocate)}
        self._page_for = page_for

    def context(self, username):
        from xblocks.core.context import build_context, local_roles
        from xblocks.core.groups import LocalGroups

        user = self.people[username]
        return build_context(user=user, placement=self.placement, scope=self.block.group_scope,
                             roles=local_roles(user, self.course.key), backend=LocalGroups())

    def settings(self):
        return {name: getattr(self.block, name) for name in self.block.component.setting_names}

    def seed(self, username, title, body, visibility="course", tags=()):
        """An entry written earlier by ``username``; returns it as the api does."""
        from xblocks.reflection_blog import api

        return api.create_entry(self.context(username), {"title": title, "body": body, "visibility": visibility,
                                                         "tags": list(tags)}, self.settings())

    def url(self, page):
        return f"{page.base_url}/?scenario={self.scenario_name}"

    def open(self, username, width=1280, page=None):
        """``username`` signed in, on the course unit with the blog started; a :class:`BlogView`."""
        if page is None:
            page = self._page_for(self.people[username], width=width)
            self.base_url = page.base_url
        else:  # another tab of a browser opened before
            page.base_url = self.base_url
        page.goto(self.url(page))
        view = BlogView(page)
        expect(view.root).to_have_attribute("data-sls-ready", "1")
        return view


class BlogView:
    """The blog on one person's page."""

    def __init__(self, page):
        self.page = page
        self.root = page.locator(".sls-blog")
        self.status = self.root.locator('[data-sls="status"]')
        self.alert = self.root.locator('[data-sls="alert"]')
        self.compose = self.root.locator('[data-sls="compose"]')
        self.form = self.root.locator('[data-sls="entry-form"]')
        self.feed = self.root.locator('[data-sls="feed-view"]')
        self.items = self.root.locator(".sls-blog__item")
        self.entry_view = self.root.locator('[data-sls="entry-view"]')
        self.entry = self.root.locator('[data-sls="entry"]')
        self.draft_note = self.root.locator('[data-sls="draft-note"]')

    def item(self, title):
        return self.items.filter(has=self.page.locator(".sls-blog__item-link", has_text=title))

    def write(self, title, body, level=None, tags=(), own_tags=""):
        """Open the form, fill it in (not sent)."""
        self.root.get_by_role("button", name="Write an entry").click()
        expect(self.compose).to_be_visible()
        self.form.get_by_label("Title").fill(title)
        self.form.get_by_label("Your reflection").fill(body)
        for tag in tags:
            self.form.get_by_label(tag, exact=True).check()
        if own_tags:
            self.form.get_by_label("Other tags").fill(own_tags)
        if level:
            self.form.get_by_label(level, exact=True).check()

    def publish(self, title, body, level=None, tags=(), own_tags=""):
        self.write(title, body, level, tags, own_tags)
        self.form.get_by_role("button", name="Publish").click()
        expect(self.status).to_have_text("Entry published.")
        expect(self.entry.locator("h3")).to_have_text(title)

    def open_entry(self, title):
        self.root.locator(".sls-blog__item-link", has_text=title).click()
        expect(self.entry_view).to_be_visible()
        expect(self.entry.locator("h3")).to_have_text(title)

    def back(self):
        self.root.get_by_role("button", name="Back to the entries").click()
        expect(self.feed).to_be_visible()


def serious_violations(page):
    """axe-core's serious and critical violations inside the blog."""
    return forum_violations(page, ".sls-blog")


WIDTHS = (1280, PHONE)


def check(view, screenshot, name, width):
    """The view as people see it: axe finds nothing serious, nothing sticks out sideways, and a screenshot."""
    screenshot(view.page, f"blog-{name}-{width}")
    assert serious_violations(view.page) == [], name
    no_horizontal_scroll(view.page, name)
