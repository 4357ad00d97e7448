"""The shared front end (``xblocks/core/static/core/``): one list of files, loaded in that order by both
front doors, each file extending ``window.SocialLearning`` once, and every string it shows in the
catalogue a component sends its page."""
import re
from pathlib import Path

import pytest

from xblocks.core import component as registry
from xblocks.core.component import CORE_JS_PLURALS, CORE_JS_STRINGS
from xblocks.core import assets

CORE = Path(assets.__file__).parent
XML = '<social_cohort_forum display_name="Week 1 forum"/>'
STRING = r"""(['"])((?:\\.|(?!\1).)*)\1"""

pytestmark = pytest.mark.urls("workbench.urls")


def core_source(path):
    return (CORE / path).read_text(encoding="utf-8")


def test_the_list_names_every_core_file_once_core_js_first():
    on_disk = {f"static/core/{path.name}" for path in (CORE / "static" / "core").iterdir()}
    assert assets.CORE_JS[0] == "static/core/core.js"
    assert len(set(assets.CORE_JS)) == len(assets.CORE_JS)
    assert set(assets.CORE_JS) | set(assets.CORE_CSS) == on_disk


@pytest.mark.parametrize("path", assets.CORE_JS[1:])
def test_each_module_extends_social_learning_once(path):
    source = core_source(path)
    assert "const SLS = global.SocialLearning;" in source
    assert re.search(r"if \(!SLS \|\| SLS\.\w+\) \{\s*return;", source), "loaded twice, it must keep the first"
    assert source.rstrip().endswith("}(window));")


def test_every_core_string_is_in_every_components_catalogue():
    """A component's page gets its strings from the component's catalogue: the core's are in each one."""
    source = "\n".join(core_source(path) for path in assets.CORE_JS)
    singles = {m[1] for m in re.findall(r"(?<![\w])_\(" + STRING, source)}
    plurals = {m[1] for m in re.findall(r"(?<![\w])n_\(" + STRING, source)}
    assert "Draft saved." in singles and "{count} character left" in plurals
    assert singles == set(CORE_JS_STRINGS)
    assert plurals == {singular for singular, _plural in CORE_JS_PLURALS}
    for component in registry.all_components():
        catalog = component.catalog(lambda text: text, lambda one, other, n: one if n == 1 else other)
        assert singles <= set(catalog["strings"]) and plurals <= set(catalog["plurals"]), component.key


def test_the_xblock_links_its_files_core_first_and_inlines_none(make_block, client):
    """Core's files as the core app's static files, the component's from the runtime's resource URLs: each
    answers with its file, and the page carries no script or style inline but its start-up."""
    from xblocks.cohort_forum.frontdoor import FORUM

    block = make_block(XML, "ann")
    frag = block.student_view({})
    js = [resource for resource in frag.resources if resource.mimetype == "application/javascript"]
    css = [resource for resource in frag.resources if resource.mimetype == "text/css"]
    assert {resource.kind for resource in js + css} == {"url"}
    assert [r.data for r in js] == ([f"/static/{path.removeprefix('static/')}" for path in assets.CORE_JS]
                                    + [f"/resource/social_cohort_forum/{path}" for path in FORUM.page.js])
    assert [r.data for r in css] == ([f"/static/{path.removeprefix('static/')}" for path in assets.CORE_CSS]
                                     + [f"/resource/social_cohort_forum/{path}" for path in FORUM.page.css])
    assert "SocialLearning" not in frag.body_html()
    own = client.get(js[-1].data)
    assert own.status_code == 200 and own["Content-Type"] == "text/javascript"
    assert b"window.SocialCohortForumBlock" in b"".join(own)
    assert client.get("/resource/social_cohort_forum/static/../block.py").status_code == 404


def test_the_core_app_holds_its_static_files():
    from django.contrib.staticfiles import finders

    for path in assets.CORE_JS + assets.CORE_CSS:
        assert Path(finders.find(assets.static_name(path))).read_text(encoding="utf-8") == core_source(path)
