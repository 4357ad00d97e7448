"""The suite's translation catalogues: extract, compile and check (English source, Dutch, French).

The source of truth is ``conf/locale/<lang>/LC_MESSAGES/django.po`` at the repository root, made with
Django's ``makemessages`` over ``xblocks/``, ``lti/`` and ``sandbox/``. From it, ``compile`` writes
the catalogues where each runtime looks, each as ``.po`` and compiled ``.mo``:

- ``xblocks/core/locale``, ``xblocks/cohort_forum/locale``, ``xblocks/reflection_blog/locale``,
  ``xblocks/expert_finder/locale`` and
  ``lti/locale`` (domain ``django``):
  Django reads an installed app's ``locale`` directory by itself, so Open edX (the apps are plugin
  apps of the LMS and Studio) and the LTI tool's site find them after ``pip install``. Each holds
  the messages used in that app's files.
- ``xblocks/translations/<lang>/LC_MESSAGES/text.mo`` (domain ``text``): the catalogue Open edX's
  ``XBlockI18nService`` loads for the root module ``xblocks`` when no OEP-58 (atlas) catalogue is
  installed for it. The service then uses this catalogue alone, so it holds every message of
  ``xblocks/`` (block, templates, the JavaScript strings sent in the init data, api errors).
- ``conf/locale`` itself (``.mo``): the sandbox's ``LOCALE_PATHS``, sandbox strings included.

Run from the repository root, with the virtualenv's Python (``msgfmt`` and friends come from the
Debian package ``gettext``)::

    python -m xblocks.i18n extract   # new and changed strings into conf/locale (then translate them)
    python -m xblocks.i18n compile   # write every runtime's catalogue and compile the .mo files
    python -m xblocks.i18n check     # exit status 1 when a catalogue is stale or incomplete
"""
import gettext
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path("conf") / "locale"
LANGUAGES = ("en", "nl", "fr")
TRANSLATED = ("nl", "fr")  # every message needs a translation in these
PLURAL_FORMS = {
    "en": "nplurals=2; plural=(n != 1);",
    "nl": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
}
LANGUAGE_TEAMS = {"en": "English", "nl": "Dutch", "fr": "French"}
# (directory relative to the root, gettext domain, source files whose messages it holds)
TARGETS = (
    ("xblocks/core/locale", "django", ("xblocks/core/",)),
    ("xblocks/cohort_forum/locale", "django", ("xblocks/cohort_forum/",)),
    ("xblocks/reflection_blog/locale", "django", ("xblocks/reflection_blog/",)),
    ("xblocks/expert_finder/locale", "django", ("xblocks/expert_finder/",)),
    ("lti/locale", "django", ("lti/",)),
    ("xblocks/translations", "text", ("xblocks/",)),
)
SOURCE_DIRS = ("xblocks", "lti", "sandbox")
# What makemessages must not read: other trees, and the catalogues themselves.
IGNORE = ("locale", "translations", "static", "tests", "bench", "docs", "var", "build", "dist", "conf",
          "node_modules", "*.egg-info", "requirements", "setup.py", "conftest.py")


class CatalogueError(Exception):
    pass


def run(args, **kwargs):
    result = subprocess.run(args, capture_output=True, text=True, check=False, **kwargs)
    if result.returncode != 0:
        raise CatalogueError(f"{' '.join(map(str, args))} failed:\n{result.stderr}")
    return result.stdout


def _makemessages_command():
    from django.core.management.commands import makemessages  # pylint: disable=import-outside-toplevel

    class Command(makemessages.Command):
        # block.py marks strings with a no-op ``_`` and plural pairs with ``ngettext_noop(singular, plural)``.
        xgettext_options = makemessages.Command.xgettext_options + ["--keyword=ngettext_noop:1,2",
                                                                    "--keyword=pgettext_noop:1c,2"]

    return Command()


def extract(root=ROOT, languages=LANGUAGES, keep_pot=False):
    """Run makemessages from ``root`` into ``root/conf/locale`` (English source, Dutch, French)."""
    import django  # pylint: disable=import-outside-toplevel
    from django.core.management import call_command  # pylint: disable=import-outside-toplevel

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sandbox.settings")
    django.setup()
    root = Path(root)
    (root / SOURCE).mkdir(parents=True, exist_ok=True)
    here = os.getcwd()
    os.chdir(root)
    try:
        call_command(_makemessages_command(), locale=list(languages), domain="django", extensions=["html", "txt", "py"],
                     ignore_patterns=list(IGNORE), no_obsolete=True, no_wrap=True, add_location="file", keep_pot=keep_pot,
                     verbosity=0)
    finally:
        os.chdir(here)
    for language in languages:
        fix_header(root / SOURCE / language / "LC_MESSAGES" / "django.po", language)


def fix_header(po_path, language):
    """A clean header: not fuzzy, the language and its plural rule, UTF-8, no date churn."""
    text = po_path.read_text(encoding="utf-8")
    _header, sep, entries = text.partition("\n\n")
    values = {
        "Project-Id-Version": "social-learning-suite",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": "2026-01-01 00:00+0000",
        "PO-Revision-Date": "2026-01-01 00:00+0000",
        "Last-Translator": "Social Learning Suite",
        "Language-Team": LANGUAGE_TEAMS[language],
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": PLURAL_FORMS[language],
    }
    header = "\n".join([
        f"# Social Learning Suite: {LANGUAGE_TEAMS[language]} messages.",
        "# This file is distributed under the same license as the social-learning-suite package (AGPL-3.0).",
        "#",
        'msgid ""',
        'msgstr ""',
        *(f'"{key}: {value}\\n"' for key, value in values.items()),
    ])
    po_path.write_text(header + sep + entries, encoding="utf-8")


def _location_patterns(prefixes, depth=8):
    """``msggrep -N`` wildcards for every file under each prefix (a ``*`` does not cross a ``/``)."""
    return [arg for prefix in prefixes for level in range(1, depth + 1)
            for arg in ("-N", prefix + "/".join(["*"] * level))]


def write_target(root, directory, domain, prefixes, language):
    """The part of the source catalogue used in ``prefixes``, as ``directory/<lang>/LC_MESSAGES/<domain>.po|mo``."""
    source = Path(root) / SOURCE / language / "LC_MESSAGES" / "django.po"
    out_dir = Path(root) / directory / language / "LC_MESSAGES"
    out_dir.mkdir(parents=True, exist_ok=True)
    po_path = out_dir / f"{domain}.po"
    run(["msggrep", "--no-wrap", *_location_patterns(prefixes), "-o", str(po_path), str(source)])
    if not po_path.exists():  # msggrep writes nothing when no message matches
        po_path.write_text(Path(source).read_text(encoding="utf-8").split("\n\n")[0] + "\n", encoding="utf-8")
    compile_po(po_path)
    return po_path


def compile_po(po_path, mo_path=None, use_fuzzy=False):
    mo_path = Path(mo_path) if mo_path else Path(po_path).with_suffix(".mo")
    run(["msgfmt", "--check", *(["--use-fuzzy"] if use_fuzzy else []), "-o", str(mo_path), str(po_path)])
    return mo_path


def compile_all(root=ROOT):
    """Compile conf/locale and write every runtime's catalogue from it."""
    root = Path(root)
    written = []
    for language in LANGUAGES:
        written.append(compile_po(root / SOURCE / language / "LC_MESSAGES" / "django.po"))
        for directory, domain, prefixes in TARGETS:
            po_path = write_target(root, directory, domain, prefixes, language)
            written += [po_path, po_path.with_suffix(".mo")]
    return written


# ----- reading catalogues (Python's own gettext reads the compiled files) --------------------------
def mo_catalog(mo_path):
    """{msgid or (msgid, n): msgstr} of a compiled catalogue, without its header."""
    with open(mo_path, "rb") as handle:
        catalog = dict(gettext.GNUTranslations(handle)._catalog)  # pylint: disable=protected-access
    catalog.pop("", None)
    return catalog


def po_catalog(po_path):
    """What ``msgfmt`` makes of a ``.po`` file (untranslated and fuzzy messages left out)."""
    with tempfile.TemporaryDirectory() as tmp:
        return mo_catalog(compile_po(po_path, Path(tmp) / "out.mo"))


def po_msgids(po_path):
    """Every message id of a ``.po``/``.pot`` file, translated or not (``msgen`` fills them first)."""
    with tempfile.TemporaryDirectory() as tmp:
        filled = Path(tmp) / "filled.po"
        run(["msgen", "-o", str(filled), str(po_path)])
        # A fresh .pot's header has placeholders where msgfmt wants a plural rule.
        text = filled.read_text(encoding="utf-8").replace("nplurals=INTEGER; plural=EXPRESSION;", PLURAL_FORMS["en"])
        filled.write_text(text.replace("charset=CHARSET", "charset=UTF-8"), encoding="utf-8")
        return set(mo_catalog(compile_po(filled, Path(tmp) / "out.mo", use_fuzzy=True)))


def po_header(po_path):
    with tempfile.TemporaryDirectory() as tmp:
        with open(compile_po(po_path, Path(tmp) / "out.mo"), "rb") as handle:
            return gettext.GNUTranslations(handle).info()


def fresh_template(root=ROOT):
    """The messages the code marks today: makemessages over a copy of the sources, as a .pot's ids."""
    root = Path(root)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp)
        for top in SOURCE_DIRS:
            shutil.copytree(root / top, copy / top, ignore=shutil.ignore_patterns(
                "locale", "translations", "static", "__pycache__", "*.pyc", "*.mo", "*.po"))
        extract(copy, languages=("en",), keep_pot=True)
        return po_msgids(copy / SOURCE / "django.pot")


def problems(root=ROOT, template=None):
    """Every way the committed catalogues differ from what the code and conf/locale call for."""
    root = Path(root)
    found = []
    marked = fresh_template(root) if template is None else template
    for language in LANGUAGES:
        source = root / SOURCE / language / "LC_MESSAGES" / "django.po"
        if not source.exists():
            found.append(f"{source.relative_to(root)} is missing: run `python -m xblocks.i18n extract`")
            continue
        ids = po_msgids(source)
        if marked - ids:
            found.append(f"{source.relative_to(root)} lacks {len(marked - ids)} marked strings (run extract): "
                         f"{sorted(map(str, marked - ids))[:5]}")
        if ids - marked:
            found.append(f"{source.relative_to(root)} has {len(ids - marked)} strings no longer used (run extract): "
                         f"{sorted(map(str, ids - marked))[:5]}")
        compiled = po_catalog(source)
        if language in TRANSLATED:
            untranslated = ids - set(compiled)
            if untranslated:
                found.append(f"{source.relative_to(root)}: {len(untranslated)} strings untranslated or fuzzy: "
                             f"{sorted(map(str, untranslated))[:5]}")
        header = po_header(source)
        if header.get("plural-forms") != PLURAL_FORMS[language]:
            found.append(f"{source.relative_to(root)}: Plural-Forms should be {PLURAL_FORMS[language]!r}")
        expected = {(SOURCE / language / "LC_MESSAGES" / "django.mo"): compiled}
        with tempfile.TemporaryDirectory() as tmp:
            for directory, domain, prefixes in TARGETS:
                (Path(tmp) / SOURCE).mkdir(parents=True, exist_ok=True)
                shutil.copytree(root / SOURCE, Path(tmp) / SOURCE, dirs_exist_ok=True)
                po_path = write_target(tmp, directory, domain, prefixes, language)
                expected[Path(directory) / language / "LC_MESSAGES" / f"{domain}.mo"] = mo_catalog(
                    po_path.with_suffix(".mo"))
        for relative, catalog in expected.items():
            mo_path = root / relative
            if not mo_path.exists():
                found.append(f"{relative} is missing: run `python -m xblocks.i18n compile`")
            elif mo_catalog(mo_path) != catalog:
                found.append(f"{relative} does not match conf/locale: run `python -m xblocks.i18n compile`")
    return found


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    action = argv[0] if argv else "check"
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    if action == "extract":
        extract()
        print("Updated conf/locale/*/LC_MESSAGES/django.po; translate the new strings, then run compile.")
    elif action == "compile":
        for path in compile_all():
            print(Path(path).relative_to(ROOT))
    elif action == "check":
        found = problems()
        for problem in found:
            print(problem)
        if found:
            return 1
        print("Catalogues complete and up to date.")
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
