"""English, Dutch and French: complete catalogues, and each runtime showing the learner's language.

- the catalogues: every marked string is in ``conf/locale``, translated in Dutch and French (not fuzzy),
  with the same placeholders, and every runtime's compiled catalogue matches (``xblocks.i18n``);
- the forum in the Workbench runtime (as the LMS renders it): template, default name and guidelines,
  and the JavaScript catalogue sent in the init data; an api error message in the learner's language;
- Studio: the author preview and the settings form (labels, help and choices);
- Open edX's ``XBlockI18nService``: with no OEP-58 catalogue it loads ``xblocks/translations`` alone;
- Django without ``LOCALE_PATHS`` (an Open edX or LTI site after ``pip install``) finds the apps' own;
- the sandbox and the LTI tool's pages follow ``Accept-Language``; the sandbox's language switcher.
"""
import gettext
import html
import importlib.resources
import json
import re
import shutil
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import translation
from django.utils.translation import gettext as django_gettext

from tests.sandbox.conftest import demo, workbench  # noqa: F401  pylint: disable=unused-import
from xblocks import i18n
from xblocks.cohort_forum import block as block_module
from xblocks.cohort_forum.frontdoor import JS_CONTEXT_STRINGS, JS_PLURALS, JS_STRINGS, SCOPE_CHOICES
from xblocks.core import component as registry
from xblocks.core.component import CORE_JS_PLURALS, CORE_JS_STRINGS

ROOT = Path(i18n.__file__).resolve().parent.parent
LANGUAGES = ("nl", "fr")
XML = ('<social_cohort_forum allow_anonymous="true" participation_required="2" '
       'prompt="Introduce yourself."/>')
PLACEHOLDER = re.compile(r"\{\w+\}|%\(\w+\)[sd]")


@pytest.fixture
def gettext_tools():
    """GNU gettext's msgfmt, msggrep, msgen: the checks fail (not skip) without them."""
    missing = [tool for tool in ("msgfmt", "msggrep", "msgen") if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"{missing} missing: install the Debian package gettext (make system-deps does)")


def catalogue(language, directory="conf/locale", domain="django"):
    """The compiled catalogue (what the runtime reads), as {msgid or (msgid, n): msgstr}."""
    return i18n.mo_catalog(ROOT / directory / language / "LC_MESSAGES" / f"{domain}.mo")


def translate(language, text, directory="xblocks/cohort_forum/locale"):
    with open(ROOT / directory / language / "LC_MESSAGES" / "django.mo", "rb") as handle:
        return gettext.GNUTranslations(handle).gettext(text)


def init_data(content):
    match = re.search(r'<script type="application/json" class="sls-forum-data">(.*?)</script>', content, re.S)
    assert match, "the forum's init JSON is missing"
    return json.loads(match.group(1))


def render(block, view="student_view"):
    return block.runtime.render(block, view, {}).content


# ----- the catalogues -------------------------------------------------------------------------------
def test_catalogues_are_complete_and_every_runtime_has_the_current_one(gettext_tools):
    """Fails when a string is marked but not extracted, untranslated, fuzzy, or a .mo is stale.

    Fix: ``python -m xblocks.i18n extract``, translate in conf/locale/{nl,fr}, ``python -m xblocks.i18n compile``.
    """
    assert i18n.problems() == []


@pytest.mark.parametrize("break_it, expected", [
    ("new_string", "lacks 1 marked strings"),
    ("unused_string", "strings no longer used"),
    ("untranslated", "untranslated or fuzzy"),
    ("fuzzy", "untranslated or fuzzy"),
    ("stale_mo", "does not match conf/locale"),
    ("missing_mo", "is missing"),
])
def test_the_check_notices_each_kind_of_stale_or_incomplete_catalogue(gettext_tools, tmp_path, break_it, expected):
    for top in (*i18n.SOURCE_DIRS, "conf"):
        shutil.copytree(ROOT / top, tmp_path / top, ignore=shutil.ignore_patterns("__pycache__", "static"))
    template = i18n.fresh_template(tmp_path)
    nl_po = tmp_path / "conf/locale/nl/LC_MESSAGES/django.po"
    forum_mo = tmp_path / "xblocks/cohort_forum/locale/nl/LC_MESSAGES/django.mo"
    if break_it == "new_string":
        context_py = tmp_path / "xblocks/core/context.py"
        context_py.write_text(context_py.read_text() + '\n\nNEW = _("A string nobody has translated yet.")\n')
        template = None
    elif break_it == "unused_string":
        template = template - {"Thread posted."}
    elif break_it == "untranslated":
        nl_po.write_text(nl_po.read_text().replace('msgstr "Topic geplaatst."', 'msgstr ""'))
    elif break_it == "fuzzy":
        nl_po.write_text(nl_po.read_text().replace('msgid "Thread posted."', '#, fuzzy\nmsgid "Thread posted."'))
    elif break_it == "stale_mo":
        shutil.copy(tmp_path / "xblocks/cohort_forum/locale/en/LC_MESSAGES/django.mo", forum_mo)
    elif break_it == "missing_mo":
        (tmp_path / "xblocks/translations/nl/LC_MESSAGES/text.mo").unlink()
    found = i18n.problems(tmp_path, template=template)
    assert any(expected in problem for problem in found), found


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_placeholders_and_plural_forms(gettext_tools, language):
    translated = catalogue(language)
    english = catalogue("en")
    assert len(translated) >= 400
    for key, text in translated.items():
        msgid = key[0] if isinstance(key, tuple) else key
        if isinstance(key, tuple):  # plural forms: the msgid is the singular; compare with the plural too
            assert sorted(PLACEHOLDER.findall(text)) in (
                sorted(PLACEHOLDER.findall(msgid)), sorted(PLACEHOLDER.findall(english.get(key, msgid)))), key
        else:
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(msgid)), key
        assert text.strip() and text == text.strip() or msgid != msgid.strip(), key
    header = i18n.po_header(ROOT / "conf/locale" / language / "LC_MESSAGES/django.po")
    assert header["plural-forms"] == i18n.PLURAL_FORMS[language]


def test_french_uses_non_breaking_spaces_before_double_punctuation():
    for text in catalogue("fr").values():
        assert not re.search(r" [:;!?»]|« ", text), text


def test_every_javascript_string_has_a_translation():
    """Every component's JavaScript strings (the shared front end's included) are translated."""
    singles = set(CORE_JS_STRINGS) | {text for c in registry.all_components() for text in c.js_strings}
    plurals = set(CORE_JS_PLURALS) | {pair for c in registry.all_components() for pair in c.js_plurals}
    assert set(JS_STRINGS) <= singles and set(JS_PLURALS) <= plurals
    for language in LANGUAGES:
        translated = catalogue(language, "xblocks/translations", "text")
        missing = [text for text in sorted(singles) if text not in translated]
        missing += [one for one, _other in plurals if (one, 0) not in translated or (one, 1) not in translated]
        assert not missing, (language, missing)


def test_the_package_ships_every_catalogue(tmp_path):
    manifest = (ROOT / "MANIFEST.in").read_text()
    assert "recursive-include xblocks" in manifest and "recursive-include lti" in manifest
    for line in manifest.splitlines():
        if line.startswith(("recursive-include xblocks", "recursive-include lti")):
            assert "*.po" in line and "*.mo" in line, line
    for directory, domain, _prefixes in i18n.TARGETS:
        for language in i18n.LANGUAGES:
            assert (ROOT / directory / language / "LC_MESSAGES" / f"{domain}.mo").is_file()


# ----- the forum in the Workbench runtime ------------------------------------------------------------
@pytest.mark.urls("workbench.urls")
@pytest.mark.parametrize("language, expected", [
    ("nl", ["Cohortforum", "Nieuw topic", "Begin een nieuw topic", "Wat wil je plaatsen?", "Communityrichtlijnen",
            "Wees vriendelijk en ga uit van goede bedoelingen", "Topics doorzoeken", "Sorteren op",
            "Recente activiteit", "Terug naar alle topics", "Anoniem plaatsen"]),
    ("fr", ["Forum de cohorte", "Nouveau sujet", "Lancer un nouveau sujet", "Que publiez-vous\u00a0?",
            "Règles de la communauté", "Soyez bienveillant", "Rechercher dans les sujets", "Trier par",
            "Activité récente", "Retour à tous les sujets", "Publier anonymement"]),
])
def test_the_forum_page_is_in_the_learners_language(course, make_block, language, expected):
    block = make_block(XML, "ann")
    with translation.override(language):
        content = render(block)
    text = html.unescape(content)
    for phrase in expected:
        assert phrase in text, phrase
    assert "New thread" not in text and "Community guidelines" not in text
    init = init_data(content)
    strings, plurals = init["i18n"]["strings"], init["i18n"]["plurals"]
    assert set(strings) == set(JS_STRINGS) | set(CORE_JS_STRINGS) | {
        f"{context}\x04{text}" for context, text in JS_CONTEXT_STRINGS}
    for msgid, shown in strings.items():  # a string with a context is keyed "context\x04text", as in the .mo
        # The forum's app catalogue, or core's for the shared front end's strings (Django merges both).
        assert shown == translate(language, msgid, "xblocks/core/locale" if msgid in CORE_JS_STRINGS
                                  else "xblocks/cohort_forum/locale"), msgid
    assert strings["Thread posted."] == {"nl": "Topic geplaatst.", "fr": "Sujet publié."}[language]
    assert plurals["{count} reply"] == {
        "nl": {"one": "{count} reactie", "other": "{count} reacties"},
        "fr": {"one": "{count} réponse", "other": "{count} réponses"},
    }[language]


@pytest.mark.urls("workbench.urls")
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_template_string_of_the_forum_is_translated(course, make_block, language):
    """Every string of forum.html appears translated on the page a learner or staff member sees."""
    block = make_block(XML, "ann")
    with translation.override(language):
        shown = html.unescape(render(block) + render(make_block.as_user(block, "sam")))
    source = (Path(block_module.__file__).parent / "templates/cohort_forum/forum.html").read_text()
    msgids = re.findall(r'{% trans "([^"]+)" %}', source) + re.findall(r"{% trans '([^']+)' %}", source)
    msgids += re.findall(r"{% blocktrans[^%]*%}(.*?){% endblocktrans %}", source)
    assert len(msgids) > 40
    for msgid in msgids:
        msgid = re.sub(r"{{ (\w+) }}", r"%(\1)s", msgid)
        translated = translate(language, msgid)
        assert translated != msgid or msgid in ("Question", "Discussion"), msgid
        assert translated.split("%(")[0] in shown, (msgid, translated)


@pytest.mark.urls("workbench.urls")
@pytest.mark.parametrize("language, message, field", [
    ("nl", "De titel mag niet leeg zijn.", "title"),
    ("fr", "Le titre ne peut pas être vide.", "title"),
])
def test_api_errors_come_back_in_the_learners_language(course, make_block, call_handler, language, message, field):
    block = make_block(XML, "ann")
    with translation.override(language):
        status, body = call_handler(block, "create_thread", {"title": "  ", "body": "Hello"})
        assert status == 400 and body["error"]["message"] == message
        assert body["error"]["fields"][field] == message
        status, body = call_handler(block, "create_thread", {"title": "x" * 500, "body": "Hello"})
        assert status == 400 and {"nl": "De titel is te lang", "fr": "Le titre dépasse"}[language] in \
            body["error"]["message"]
        status, body = call_handler(block, "list_threads", b"{not json")
        assert status == 400 and body["error"]["message"] == {
            "nl": "Het verzoek kon niet worden gelezen: het is geen geldige JSON.",
            "fr": "La requête n'a pas pu être lue\u00a0: ce n'est pas du JSON valide."}[language]


@pytest.mark.urls("workbench.urls")
def test_a_learner_outside_every_group_is_told_why_in_their_language(course, make_block):
    from tests.factories import UserFactory

    UserFactory(username="newbie")
    block = make_block(XML, "newbie")
    with translation.override("nl"):
        assert "Je zit nog niet in een groep van deze cursus" in html.unescape(render(block))
    with translation.override("fr"):
        anonymous = make_block.as_user(block, "")
        assert "Connectez-vous pour participer à ce forum." in html.unescape(render(anonymous))


# ----- Studio -----------------------------------------------------------------------------------------
@pytest.mark.urls("workbench.urls")
def test_studio_preview_and_settings_form_are_in_the_authors_language(course, make_block):
    block = make_block('<social_cohort_forum group_scope="course" has_score="true" participation_required="3"/>', "sam")
    with translation.override("nl"):
        preview = html.unescape(render(block, "author_view"))
        assert "Wie praat met wie" in preview and "Eén ruimte voor de hele cursus" in preview
        assert "Na 3 bijdragen (topics, reacties of opmerkingen)" in preview
        assert "Beoordeeld, gewicht 1,0" in preview  # a Dutch decimal comma and "Recente activiteit" in preview
    with translation.override("fr"):
        info = block._make_field_info("group_scope", block.fields["group_scope"])  # pylint: disable=protected-access
        assert info["display_name"] == "Qui échange avec qui"
        assert info["help"].startswith("Chaque cohorte ou équipe a son propre espace")
        assert [choice["display_name"] for choice in info["values"]] == [
            "Chaque cohorte a son propre espace", "Chaque équipe (d'un ensemble d'équipes) a son propre espace",
            "Un seul espace pour tout le cours"]
        info = block._make_field_info("has_score", block.fields["has_score"])  # pylint: disable=protected-access
        assert info["display_name"] == "Participation notée"
    # The module's choices are shared by every request: they stay English.
    assert SCOPE_CHOICES[0]["display_name"] == "Each cohort has its own space"


# ----- Open edX's XBlockI18nService ---------------------------------------------------------------------
class OpenEdxI18nService:
    """What ``XBlockI18nService`` (xmodule/modulestore/django.py) does for a block that has no OEP-58 (atlas)
    catalogue: ``gettext.translation("text", <root module>/translations, [to_locale(language)])``, used alone."""

    def __init__(self, block, language):
        root_module = getattr(block, "unmixed_class", type(block)).__module__.split(".")[0]
        with importlib.resources.as_file(importlib.resources.files(root_module) / "translations") as path:
            self.translator = gettext.translation("text", str(path), [translation.to_locale(language)])
        self.root_module = root_module

    def __getattr__(self, name):
        return getattr(self.translator, "gettext" if name == "ugettext" else name)


@pytest.mark.parametrize("language", ["nl", "nl-be", "fr", "fr-ca"])
def test_the_openedx_i18n_service_finds_the_bundled_catalogue(course, make_block, language):
    block = make_block(XML, "ann")
    service = OpenEdxI18nService(block, language)
    assert service.root_module == "xblocks"
    assert service.gettext("New thread") == {"nl": "Nieuw topic", "fr": "Nouveau sujet"}[language[:2]]
    assert service.ngettext("{count} reply", "{count} replies", 0) == {
        "nl": "{count} reacties", "fr": "{count} réponse"}[language[:2]]


@pytest.mark.urls("workbench.urls")
def test_the_block_renders_from_the_openedx_service_catalogue_alone(course, make_block):
    """Django is in Dutch but the service is French: what is French on the page came from text.mo."""
    block = make_block(XML, "ann")
    block.runtime._services["i18n"] = OpenEdxI18nService(block, "fr")  # pylint: disable=protected-access
    with translation.override("nl"):
        content = render(block)
    text = html.unescape(content)
    assert "Forum de cohorte" in text and "Soyez bienveillant" in text  # block.py through the service
    assert "Lancer un nouveau sujet" in text and "Rechercher dans les sujets" in text  # {% trans %} too
    assert init_data(content)["i18n"]["strings"]["Thread posted."] == "Sujet publié."
    # Every message the block's own code and templates use is in text.mo.
    text_mo = catalogue("fr", "xblocks/translations", "text")
    forum_mo = catalogue("fr", "xblocks/cohort_forum/locale")
    core_mo = catalogue("fr", "xblocks/core/locale")
    assert set(forum_mo) | set(core_mo) <= set(text_mo)


# ----- Django sites: apps' own locale directories, the sandbox and the LTI tool ---------------------------
@override_settings(LOCALE_PATHS=[])
def test_installed_apps_bring_their_own_catalogues():
    """An Open edX or LTI site after ``pip install`` has none of our LOCALE_PATHS."""
    with translation.override("nl"):
        assert django_gettext("New thread") == "Nieuw topic"  # xblocks.cohort_forum
        assert django_gettext("Whole course") == "Hele cursus"  # xblocks.core
        assert django_gettext("This activity could not open") == "Deze activiteit kon niet worden geopend"  # lti
    with translation.override("fr"):
        assert django_gettext("Sign in to take part.") == "Connectez-vous pour participer."
        assert django_gettext("Manage groups") == "Gérer les groupes"


@pytest.mark.parametrize("language, expected", [
    ("nl", ['lang="nl"', "Aangemeld als <strong>Sofie Willems</strong>", "Aanmelden als demopersoon",
            "Cursuseenheid", "Wat de blokken publiceerden", "Afmelden", "Nieuw topic", "Topics doorzoeken"]),
    ("fr", ['lang="fr"', "Connecté en tant que <strong>Sofie Willems</strong>",
            "Se connecter en tant que personne de démonstration", "Unité de cours", "Ce que les blocs ont publié",
            "Se déconnecter", "Nouveau sujet", "Rechercher dans les sujets"]),
])
def test_the_sandbox_follows_accept_language(client, demo, language, expected):  # noqa: F811
    client.force_login(demo.people["sofie"])
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=f"{language},en;q=0.5")
    assert response.status_code == 200 and response["Content-Language"] == language
    page = response.content.decode()
    for phrase in expected:
        assert phrase in page or phrase in html.unescape(page), phrase
    assert ">Sign in as a demo person<" not in page and ">New thread<" not in page
    strings = init_data(page)["i18n"]["strings"]
    assert strings["Reply posted."] == {"nl": "Reactie geplaatst.", "fr": "Réponse publiée."}[language]
    events = client.get("/sandbox/events/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert {"nl": "Gepubliceerde gebeurtenissen", "fr": "Événements publiés"}[language] in events


def test_the_sandbox_language_switcher(client, demo):  # noqa: F811
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'name="language"' in page and '<option value="nl" lang="nl">Nederlands</option>' in page
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert response.status_code == 302
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="fr"' in page and "Unité de cours" in html.unescape(page)
    assert '<option value="fr" lang="fr" selected>Français</option>' in page


@pytest.mark.django_db
@pytest.mark.parametrize("language, title, message", [
    ("nl", "Deze activiteit kon niet worden geopend", "Deze pagina is niet vanuit je cursus geopend."),
    ("fr", "Cette activité n'a pas pu s'ouvrir", "Cette page n'a pas été ouverte depuis votre cours."),
])
def test_the_lti_tool_pages_follow_the_browser_language(client, language, title, message):
    response = client.post("/lti/forum/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 401
    page = html.unescape(response.content.decode())
    assert f'lang="{language}"' in page and title in page and message in page
    # The page's address on its own (a reload asks the tab for the token; without one it says why, in the language).
    page = html.unescape(client.get("/lti/forum/?activity=1", HTTP_ACCEPT_LANGUAGE=language).content.decode())
    assert f'lang="{language}"' in page and title in page
    assert {"nl": "Dit tabblad heeft geen toegang meer", "fr": "Cet onglet n'a plus accès"}[language] in page
    response = client.post("/lti/api/forum/list_threads/", data="{}", content_type="application/json",
                           HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 401 and response.json()["error"]["message"].startswith(message)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_lti_forum_page_sends_the_translated_javascript_catalogue(language):
    from lti import door
    from xblocks.cohort_forum.frontdoor import FORUM

    with translation.override(language):
        strings = door.catalog(FORUM)["strings"]
    assert strings["Thread posted."] == translate(language, "Thread posted.")
    assert strings["Thread posted."] != "Thread posted."
