"""Helpers for the forum's browser tests: the sandbox's course unit for the ``course`` fixture's people,
a small page object over the forum, and the checks the tests share (keyboard, phone width, axe)."""
from django.core.cache import cache
from playwright.sync_api import expect

PHONE = 360
NO_XSS = "() => window.__xss === undefined"

# What a keyboard user hears for the focused element, near enough: its label or its text.
FOCUSED_NAME = """() => {
  const node = document.activeElement;
  if (!node || node === document.body) { return ''; }
  if (node.labels && node.labels.length) { return node.labels[0].textContent.trim(); }
  return (node.getAttribute('aria-label') || node.textContent || '').replace(/\\s+/g, ' ').trim();
}"""

# Elements that stick out to the right of the viewport (to say *what* makes a page scroll sideways).
WIDE_ELEMENTS = """() => {
  const width = document.documentElement.clientWidth;
  return Array.from(document.querySelectorAll('body *'))
    .filter(node => node.getBoundingClientRect().right > width + 0.5 && node.getClientRects().length)
    .slice(0, 8)
    .map(node => node.tagName.toLowerCase() + (node.className && node.className.baseVal === undefined
      ? '.' + String(node.className).trim().split(/\\s+/).join('.') : '')
      + ' right=' + Math.round(node.getBoundingClientRect().right));
}"""


class ForumSandbox:
    """The sandbox's first forum scenario, shown to the ``course`` fixture's people.

    The sandbox reads its course from ``SOCIAL_LEARNING["LOCAL_COURSE_KEY"]``; pytest-django's
    ``settings`` fixture changes it for the live server's thread too.
    """

    def __init__(self, course, settings, page_for):
        from workbench.runtime_util import reset_global_state

        from sandbox.runtime import SandboxRuntime
        from sandbox.scenarios import blocks_of_type, suite_scenarios
        from xblocks.core.context import get_placement
        from xblocks.core.models import Placement

        current = getattr(settings, "SOCIAL_LEARNING", None) or {}
        settings.SOCIAL_LEARNING = {**current, "LOCAL_COURSE_KEY": course.key}
        cache.clear()  # placement ids and rate-limit windows of earlier tests
        reset_global_state()  # the Workbench's scenarios, parsed again into this test's database
        _name, scenario = suite_scenarios()[0]
        (self.block,) = blocks_of_type(SandboxRuntime(""), scenario.usage_id)
        self.course = course
        self.placement = get_placement(Placement.LOCAL, course.key, str(self.block.scope_ids.usage_id),
                                       str(self.block.display_name))
        self.people = {user.username: user for user in (course.ann, course.bob, course.cara, course.staff,
                                                         course.advocate)}
        self._page_for = page_for

    def _context(self, username):
        from xblocks.core.context import build_context, local_roles
        from xblocks.core.groups import LocalGroups

        user = self.people[username]
        return build_context(user=user, placement=self.placement, scope=self.block.group_scope,
                             roles=local_roles(user, self.course.key), backend=LocalGroups())

    def seed(self, username, title, body, kind="discussion"):
        """A thread written earlier by ``username`` in their cohort; returns its id."""
        from xblocks.cohort_forum import api

        data = {"title": title, "body": body, "kind": kind}
        return api.create_thread(self._context(username), data, allow_anonymous=True)["id"]

    def seed_reply(self, username, thread_id, body):
        from xblocks.cohort_forum import api

        return api.create_reply(self._context(username), {"thread": thread_id, "body": body})["id"]

    def open(self, username, width=1280):
        """``username`` signed in, on the course unit with the forum started; a :class:`ForumView`."""
        page = self._page_for(self.people[username], width=width)
        page.goto(page.base_url + "/")
        view = ForumView(page)
        expect(view.root).to_have_attribute("data-sls-ready", "1")
        expect(page.locator(".sb-who")).to_contain_text(self.people[username].get_full_name())
        return view


class ForumView:
    """The forum on one person's page."""

    def __init__(self, page):
        self.page = page
        self.root = page.locator(".sls-forum")
        self.status = self.root.locator('[data-sls="status"]')
        self.compose = self.root.locator('[data-sls="compose"]')
        self.list_view = self.root.locator('[data-sls="list-view"]')
        self.thread_view = self.root.locator('[data-sls="thread-view"]')
        self.thread_post = self.root.locator(".sls-post--thread")
        self.thread_title = self.thread_post.locator(".sls-thread-title")
        self.replies = self.root.locator(".sls-post--reply")
        self.reply_box = self.root.locator('[data-sls="reply-box"]')

    def item(self, title):
        """The list entry of the thread whose title contains ``title``."""
        return self.root.locator(".sls-thread-item").filter(
            has=self.page.locator(".sls-thread-item__open", has_text=title))

    def open_thread(self, title):
        self.root.locator(".sls-thread-item__open", has_text=title).click()
        expect(self.thread_view).to_be_visible()
        expect(self.thread_title).to_contain_text(title)

    def reload_list(self):
        """The page loaded again at its list (a plain reload reopens the thread its address names)."""
        self.page.goto(self.page.url.split("#")[0])
        expect(self.root).to_have_attribute("data-sls-ready", "1")

    def back(self):
        self.root.get_by_role("button", name="Back to all threads").click()
        expect(self.list_view).to_be_visible()

    @staticmethod
    def action(article, name):
        """A post's own action button (not those of the replies or comments inside it)."""
        return article.locator(f':scope > .sls-post__actions [data-action="{name}"]')

    def post_thread(self, title, body):
        """Open the new-thread form, fill it in and send it (what follows is for the caller to check)."""
        self.root.get_by_role("button", name="New thread").click()
        self.root.get_by_label("Title").fill(title)
        self.root.get_by_label("Your post").fill(body)
        self.root.get_by_role("button", name="Post thread").click()

    def reply(self, text):
        """Reply to the open thread through its reply form and wait for the reply to be shown."""
        count = self.replies.count()
        self.reply_box.get_by_label("Write a reply").fill(text)
        self.reply_box.get_by_role("button", name="Post reply").click()
        expect(self.replies).to_have_count(count + 1)
        expect(self.reply_box.get_by_label("Write a reply")).to_have_value("")


def tab_to(page, name, backwards=False, limit=60):
    """Press Tab (Shift+Tab) until the focused element's label or text contains ``name``."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focused = page.evaluate(FOCUSED_NAME)
        if name in focused:
            return
        seen.append(focused)
    raise AssertionError(f"{name!r} was not reached with the keyboard; focus went through {seen}")


def no_horizontal_scroll(page, where):
    width = page.evaluate("document.scrollingElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport, (where, width, page.evaluate(WIDE_ELEMENTS))


def serious_violations(page, selector=".sls-forum"):
    """axe-core's serious and critical violations inside the component (the forum by default), with the elements
    concerned."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context={"include": [[selector]]})
    return [(v["id"], v["impact"], v["help"], [node["target"] for node in v["nodes"]][:5])
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
