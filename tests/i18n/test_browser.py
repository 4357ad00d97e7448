"""The forum in Dutch and French in headless Chromium: the browser asks for the language (Accept-Language),
the page answers in it, and the longer strings still fit at 360 px and 1280 px wide."""
import pytest
from playwright.sync_api import expect

from tests.xblocks.cohort_forum.browser.forum import PHONE, ForumSandbox, no_horizontal_scroll, serious_violations

pytestmark = pytest.mark.browser

WORDS = {
    "nl": {"new": "Nieuw topic", "title": "Titel", "post": "Je bericht", "send": "Topic plaatsen",
           "empty": "De titel mag niet leeg zijn.", "posted": "Topic geplaatst.", "one": "1 topic", "summary": "2 topics",
           "replies": "Nog geen reacties. Reageer als eerste.", "back": "Terug naar alle topics", "pin": "Vastzetten"},
    "fr": {"new": "Nouveau sujet", "title": "Titre", "post": "Votre message", "send": "Publier le sujet",
           "empty": "Le titre ne peut pas être vide.", "posted": "Sujet publié.", "one": "1 sujet", "summary": "2 sujets",
           "replies": "Pas encore de réponse\u00a0: soyez la première personne à répondre.",
           "back": "Retour à tous les sujets",
           "pin": "Épingler"},
}

# Whether the search field's placeholder is cut short (its text wider than the field's content box).
PLACEHOLDER_CUT = """(input) => {
  const style = getComputedStyle(input);
  const canvas = document.createElement('canvas').getContext('2d');
  canvas.font = style.font;
  const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return canvas.measureText(input.placeholder).width > room;
}"""


@pytest.fixture
def forum_in(transactional_db, course, settings, page_for):
    """``forum_in(language)``: the sandbox's forum for the ``course`` people, their browser asking for ``language``."""

    def _forum(language):
        return ForumSandbox(course, settings, lambda user, width=1280, height=900: page_for(
            user, width=width, height=height, language=language))

    return _forum


@pytest.mark.parametrize("language", ["nl", "fr"])
@pytest.mark.parametrize("width", [1280, PHONE])
def test_a_learner_posts_in_their_language_and_the_page_fits(forum_in, language, width):
    words = WORDS[language]
    forum = forum_in(language)
    forum.seed("cara", "Koffie na sessie 1?", "Wie doet mee?")
    view = forum.open("ann", width=width)
    page = view.page
    assert page.evaluate("document.documentElement.lang") == language
    expect(view.root.locator('[data-sls="summary"]')).to_have_text(words["one"])
    search = view.root.locator('input[type="search"]')
    assert not search.evaluate(PLACEHOLDER_CUT), search.get_attribute("placeholder")
    no_horizontal_scroll(page, f"{language} {width}: list")

    view.root.get_by_role("button", name=words["new"]).click()
    view.compose.get_by_role("button", name=words["send"]).click()
    expect(view.compose.locator('[data-sls-error="title"]')).to_have_text(words["empty"])  # the server's message
    view.compose.get_by_label(words["title"], exact=True).fill("Leesvoer voor week 2")
    view.compose.get_by_label(words["post"]).fill("Ik begon met **hoofdstuk 3**.")
    view.compose.get_by_role("button", name=words["send"]).click()
    expect(view.status).to_have_text(words["posted"])
    expect(view.thread_view).to_be_visible()
    expect(view.root.locator(".sls-replies")).to_contain_text(words["replies"])
    no_horizontal_scroll(page, f"{language} {width}: thread")
    view.root.get_by_role("button", name=words["back"]).click()
    expect(view.root.locator('[data-sls="summary"]')).to_have_text(words["summary"])


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_staff_tools_fit_on_a_phone_and_pass_axe(forum_in, language):
    words = WORDS[language]
    forum = forum_in(language)
    forum.seed("ann", "Slides van sessie 1", "Waar staan ze?", kind="question")
    forum.seed("bob", "Brussels meetup", "Who is in?")
    view = forum.open("sam", width=PHONE)
    no_horizontal_scroll(view.page, f"{language}: staff list")
    view.open_thread("Slides van sessie 1")
    expect(view.action(view.thread_post, "pin")).to_have_text(words["pin"])
    no_horizontal_scroll(view.page, f"{language}: staff thread")
    assert serious_violations(view.page) == []
