"""The shared front end (``xblocks/core/static/core/``): one list of files, loaded in that order by both
front doors, each file extending ``window.SocialLearning`` once, and every string it shows in the
catalogue a component sends its page."""
import re
from pathlib import Path

import pytest

from xblocks.cohort_forum.frontdoor import JS_PLURALS, JS_STRINGS
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


def test_every_core_string_is_in_the_forums_catalogue():
    """A component's page gets its strings from the component's catalogue: the core's must be in it."""
    source = "\n".join(core_source(path) for path in assets.CORE_JS)
    singles = {m[1] for m in re.findall(r"(?<![\w])_\(" + STRING, source)}
    plurals = {m[1] for m in re.findall(r"(?<![\w])n_\(" + STRING, source)}
    assert "Draft saved." in singles and "{count} character left" in plurals
    assert singles - set(JS_STRINGS) == set()
    assert plurals - {singular for singular, _plural in JS_PLURALS} == set()


def test_both_doors_load_the_core_files_in_order_before_the_component(make_block):
    from lti import door as lti_door
    from xblocks.cohort_forum.frontdoor import FORUM

    expected = [core_source(path) for path in assets.CORE_JS]
    _css, scripts = lti_door.assets(FORUM)
    assert scripts[:len(expected)] == expected and len(scripts) == len(expected) + 1
    assert "window.SocialCohortForumBlock" in scripts[-1]

    block = make_block(XML, "ann")
    frag = block.runtime.render(block, "student_view", {})
    loaded = [resource.data for resource in frag.resources if resource.mimetype == "application/javascript"]
    assert loaded[:len(expected)] == expected
    assert "window.SocialCohortForumBlock" in loaded[len(expected)]
    styles = [resource.data for resource in frag.resources if resource.mimetype == "text/css"]
    assert styles[:len(assets.CORE_CSS)] == [core_source(path) for path in assets.CORE_CSS]
