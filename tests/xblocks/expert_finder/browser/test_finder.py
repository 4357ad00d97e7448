"""The expert finder in headless Chromium, through the sandbox's course unit on a live server: search, see why,
open a profile, vouch, edit my profile; each view checked with axe at 1280 and 360 pixels wide and saved as a
screenshot to look at.

People come from the ``course`` fixture: Ann, Cara and Ada (community advocate) in Cohort A, Bob in Cohort B.
"""
import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.xblocks.cohort_forum.browser.forum import NO_XSS, PHONE, no_horizontal_scroll, serious_violations
from xblocks.cohort_forum import api as forum_api
from xblocks.cohort_forum.models import Thread
from xblocks.expert_finder.models import Profile, Vouch

pytestmark = pytest.mark.browser
BLOCK_TYPE = "social_expert_finder"


class FinderSandbox:
    """The sandbox's finder scenario, shown to the ``course`` fixture's people."""

    def __init__(self, course, settings, page_for, make_context):
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
        self.placement = get_placement(Placement.LOCAL, course.key, str(self.block.scope_ids.usage_id),
                                       str(self.block.display_name))
        self.course = course
        self.make_context = make_context
        self._page_for = page_for

    def context(self, user):
        return self.make_context(user, placement=self.placement, scope=self.block.group_scope)

    def open(self, user, width=1280):
        page = self._page_for(user, width=width)
        page.goto(f"{page.base_url}/?scenario={self.scenario_name}")
        root = page.locator(".sls-finder")
        expect(root).to_have_attribute("data-sls-ready", "1")
        return page, root


@pytest.fixture
def finder(transactional_db, course, settings, page_for, make_context):
    sandbox = FinderSandbox(course, settings, page_for, make_context)
    from xblocks.expert_finder import profiles
    from xblocks.expert_finder.frontdoor import FINDER

    # Cara answered a pricing question in the cohort forum; Ada endorsed it; Cara says she is advanced.
    forum = course.placement
    thread = forum_api.create_thread(make_context(course.ann, placement=forum), {
        "kind": "question", "title": "How do we price a new service?", "body": "Any method?"})["id"]
    post = forum_api.create_reply(make_context(course.cara, placement=forum), {
        "thread": thread, "body": "Start from value-based pricing: what is it worth to the customer?"})["id"]
    forum_api.endorse(make_context(course.advocate, placement=forum), {"id": post})
    profiles.save_profile(sandbox.context(course.cara), {
        "headline": "Retail pricing analyst <script>window.__xss=1</script>",
        "skills": [{"name": "Pricing", "level": 3}], "ask_me_about": "discounts, price lists",
        "languages": "Dutch, English", "about": "Ten years in retail."}, FINDER.defaults)
    profiles.note_member(sandbox.context(course.ann))
    return sandbox


def check(page, screenshot, name, width):
    screenshot(page, f"finder-{name}-{width}")
    assert serious_violations(page, ".sls-finder") == [], name
    no_horizontal_scroll(page, name)


@pytest.mark.parametrize("width", (1280, PHONE))
def test_search_see_why_open_a_profile_vouch_and_edit_my_profile(finder, course, screenshot, width):
    page, root = finder.open(course.ann, width)
    check(page, screenshot, "start", width)

    # Search, and see why.
    query = root.get_by_label("Who knows about…")
    query.fill("prices")
    query.press("Enter")
    result = root.locator(".sls-finder__result")
    expect(result).to_have_count(1)
    expect(root.locator('[data-sls="count"]')).to_have_text("1 person found")
    expect(result).to_contain_text("Cara Maes")
    expect(result).to_contain_text("1 endorsed answer about prices")
    expect(result).to_contain_text("self-rated advanced in Pricing")
    result.locator("summary").click()
    expect(result.locator(".sls-finder__evidence li")).to_contain_text("Answer · endorsed")
    check(page, screenshot, "results", width)

    # A misspelling is corrected, and said.
    query.fill("pricng")
    root.get_by_role("button", name="Search").click()
    expect(root.locator('[data-sls="corrected"]')).to_be_visible()
    expect(result).to_have_count(1)

    # Open her profile: what she says, the evidence, and vouch.
    root.get_by_role("button", name="Cara Maes — Open profile").click()
    profile = root.locator(".sls-finder__profile")
    expect(profile.get_by_role("heading", name="Cara Maes")).to_be_focused()
    expect(profile).to_contain_text("Pricing — advanced")
    expect(profile).to_contain_text("Retail pricing analyst <script>")
    expect(profile.locator(".sls-finder__evidence-list li")).to_contain_text("Answer · endorsed")
    assert page.evaluate(NO_XSS)
    check(page, screenshot, "profile", width)
    # Check the evidence: the answer as the forum shows it to Ann.
    profile.locator(".sls-finder__evidence-list button").click()
    view = root.locator(".sls-finder__evidence-view")
    expect(view.get_by_role("heading", name="How do we price a new service?")).to_be_focused()
    expect(view).to_contain_text("Start from value-based pricing")
    expect(view).to_contain_text("Written by Cara Maes")
    check(page, screenshot, "evidence", width)
    view.get_by_role("button", name="Back").click()
    expect(profile.locator(".sls-finder__evidence-list button")).to_be_focused()
    profile.get_by_label("What did you learn from them?").fill("pricing")
    profile.get_by_role("button", name="I learned this from them").click()
    expect(root.locator(".sls-finder__profile")).to_contain_text("1 peer vouched for pricing")
    assert Vouch.objects.filter(voucher=course.ann, user=course.cara).count() == 1
    # Ask her: a thread of our cohort's forum that mentions her.
    profile.get_by_label("Your question").fill("How would you price a one-day workshop?")
    profile.get_by_role("button", name="Ask", exact=True).click()
    expect(root.locator('[data-sls="status"]')).to_have_text(
        "Your question is in the forum, and Cara Maes is mentioned in it.")
    asked = Thread.objects.get(title="How would you price a one-day workshop?")
    assert asked.author == course.ann and asked.body == "@cara"
    root.get_by_role("button", name="Back to the results").click()
    expect(root.get_by_role("button", name="Cara Maes — Open profile")).to_be_focused()

    # Edit my profile: the meter moves.
    expect(root.locator(".sls-finder__me")).to_contain_text("How complete your profile is: 0%")
    root.get_by_role("button", name="Edit my profile").click()
    form = root.locator('[data-sls="profile-form"]')
    expect(root.get_by_role("heading", name="My profile")).to_be_focused()
    form.get_by_label("Headline").fill("Customer service, Ghent")
    form.get_by_label("Skill").fill("Complaints")
    form.get_by_label("Level").select_option("4")
    form.get_by_role("button", name="Add a skill").click()
    form.get_by_label("Skill").nth(1).fill("Dutch")
    form.get_by_label("Languages").fill("Dutch, French")
    form.get_by_label("What I want to learn").fill("pricing")
    check(page, screenshot, "edit", width)
    form.get_by_role("button", name="Save my profile").click()
    expect(root.locator('[data-sls="status"]')).to_have_text("Profile saved.")
    expect(root.locator(".sls-finder__me")).to_contain_text("How complete your profile is: 57%")
    # Who could help me learn it appears at once.
    helpers = root.locator(".sls-finder__suggestions")
    expect(helpers.locator(".sls-finder__result")).to_contain_text("could help you learn: pricing")
    expect(helpers.locator(".sls-finder__result")).to_contain_text("Cara Maes")
    check(page, screenshot, "suggestions", width)
    saved = Profile.objects.get(user=course.ann)
    assert saved.headline == "Customer service, Ghent" and saved.languages == "Dutch, French"
    assert list(saved.skills.values_list("name", "level")) == [("Complaints", 4), ("Dutch", 2)]


def test_a_bad_profile_keeps_what_was_typed_and_says_why(finder, course):
    page, root = finder.open(course.ann)
    root.get_by_role("button", name="Edit my profile").click()
    form = root.locator('[data-sls="profile-form"]')
    form.get_by_label("Headline").fill("Kept in the form")
    form.get_by_label("About me").fill("x" * 3001)
    expect(form.locator('[data-sls="counter"]').nth(1)).to_have_text("1 character too many")
    form.get_by_role("button", name="Save my profile").click()
    expect(form.locator('[data-sls-error="about"]')).to_contain_text("at most 3000")
    expect(form.get_by_label("About me")).to_be_focused()
    expect(form.get_by_label("Headline")).to_have_value("Kept in the form")
    assert not Profile.objects.filter(user=course.ann).exists()


def test_nobody_from_another_cohort_finds_a_cohort_profile(finder, course, settings):
    from xblocks.expert_finder import profiles
    from xblocks.expert_finder.frontdoor import FINDER

    profiles.save_profile(finder.context(course.cara), {"skills": [{"name": "Pricing", "level": 3}],
                                                        "visibility": "cohort"}, FINDER.defaults)
    page, root = finder.open(course.bob)
    query = root.get_by_label("Who knows about…")
    query.fill("pricing")
    query.press("Enter")
    expect(root.locator('[data-sls="count"]')).to_contain_text("Nobody matches")
    expect(root.locator(".sls-finder__result")).to_have_count(0)
