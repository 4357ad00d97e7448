"""``compat`` is the only module that touches edx-platform, and only inside its functions."""
import subprocess
import sys
from pathlib import Path

import pytest

from xblocks.core import compat


def test_importing_the_suite_imports_nothing_from_the_platform():
    code = (
        "import sys\n"
        "import xblocks.core.compat, xblocks.core.groups, xblocks.core.context, xblocks.cohort_forum.api\n"
        "platform = [m for m in sys.modules if m.split('.')[0] in ('openedx', 'lms', 'cms', 'common', 'opaque_keys',"
        " 'xmodule')]\n"
        "print(','.join(platform))\n"
    )
    env_setup = "import os, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'tests.settings'); django.setup()\n"
    result = subprocess.run([sys.executable, "-c", env_setup + code], capture_output=True, text=True, check=True,
                            cwd=Path(__file__).resolve().parents[2])
    assert result.stdout.strip() == ""


def test_compat_module_imports_only_the_standard_library_at_top_level():
    import ast  # pylint: disable=import-outside-toplevel

    tree = ast.parse(open(compat.__file__, encoding="utf-8").read())
    modules = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            modules |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            modules.add((node.module or "").split(".")[0])
    assert modules <= set(sys.stdlib_module_names)


def test_outside_openedx_it_says_so():
    assert compat.running_in_openedx() is False


@pytest.mark.parametrize("call", [
    lambda: compat.is_course_cohorted("course-v1:A+B+C"),
    lambda: compat.get_course_cohorts("course-v1:A+B+C"),
    lambda: compat.get_course_member_ids("course-v1:A+B+C"),
    lambda: compat.get_team_member_ids("team-1"),
])
def test_platform_functions_fail_loudly_outside_openedx(call):
    with pytest.raises(ImportError):
        call()


def test_no_teams_service_means_no_team():
    assert compat.get_team(None, object(), "course-v1:A+B+C", "projects") is None
