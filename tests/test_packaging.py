"""The suite installs into Open edX the way the platform expects: pip install, migrate, nothing else.

- the XBlock is registered (``xblock.v1``) and loads;
- every Django app of the suite is found by edx-django-utils' plugin API, for the LMS and Studio,
  with its plugin settings and signal receivers;
- no model change lacks its migration;
- the wheel carries the templates, static files and migrations.
"""
import importlib.metadata
import io
import shutil
import subprocess
import sys
import types
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from edx_django_utils.plugins import add_plugins, connect_plugin_receivers, get_plugin_apps
from xblock.core import XBlock

from xblocks.core import signals
from xblocks.core.settings import DEFAULTS

ROOT = Path(__file__).resolve().parent.parent
DIST = "social-learning-suite"
PROJECT_TYPES = ("lms.djangoapp", "cms.djangoapp")
# Where Open edX sends the retirement signal (openedx/core/djangoapps/user_api/accounts/signals.py).
RETIRE_SIGNAL_MODULE = "openedx.core.djangoapps.user_api.accounts.signals"


def suite_app_configs():
    """Every Django app of the suite that Open edX runs (all of ``xblocks``), by AppConfig class path.

    The LTI tool (``lti``) runs beside the platforms it serves, not inside the LMS.
    """
    return {
        f"{type(config).__module__}.{type(config).__name__}"
        for config in apps.get_app_configs()
        if config.name.split(".")[0] == "xblocks"
    }


def test_the_suite_has_apps():
    assert {"xblocks.core.apps.CoreConfig", "xblocks.cohort_forum.apps.CohortForumConfig"} <= suite_app_configs()


def test_cohort_forum_block_is_registered_and_loads():
    entry_points = {ep.name: ep for ep in importlib.metadata.entry_points(group="xblock.v1")}
    ep = entry_points["social_cohort_forum"]
    assert ep.value == "xblocks.cohort_forum.block:CohortForumBlock"
    assert ep.dist.metadata["Name"] == DIST
    block_class = ep.load()
    assert issubclass(block_class, XBlock)
    assert XBlock.load_class("social_cohort_forum") is block_class


def test_every_suite_block_is_prefixed_and_loads():
    ours = [ep for ep in importlib.metadata.entry_points(group="xblock.v1") if ep.dist.metadata["Name"] == DIST]
    assert ours
    for ep in ours:
        assert ep.name.startswith("social_"), ep.name
        assert issubclass(ep.load(), XBlock), ep.name


@pytest.mark.parametrize("project_type", PROJECT_TYPES)
def test_lms_and_studio_discover_every_app(project_type):
    found = set(get_plugin_apps(project_type))
    missing = suite_app_configs() - found
    assert not missing, f"not registered for {project_type}: {sorted(missing)}"


@pytest.mark.parametrize("project_type", PROJECT_TYPES)
def test_plugin_settings_add_defaults_and_keep_operator_values(project_type, monkeypatch):
    """As lms/envs/common.py does: ``add_plugins(__name__, ProjectType.LMS, SettingsType.COMMON)``."""
    module = types.ModuleType("sls_platform_settings")
    module.SOCIAL_LEARNING = {"PAGE_SIZE": 50}
    monkeypatch.setitem(sys.modules, module.__name__, module)
    add_plugins(module.__name__, project_type, "common")
    assert module.SOCIAL_LEARNING == {**DEFAULTS, "PAGE_SIZE": 50}


@pytest.mark.django_db
def test_lms_connects_the_retirement_receiver(monkeypatch, django_user_model):
    """The LMS's plugin loader connects our receiver to USER_RETIRE_LMS_CRITICAL; sending it retires."""
    from django.dispatch import Signal

    platform_signals = types.ModuleType(RETIRE_SIGNAL_MODULE)
    platform_signals.USER_RETIRE_LMS_CRITICAL = Signal()
    monkeypatch.setitem(sys.modules, RETIRE_SIGNAL_MODULE, platform_signals)
    connect_plugin_receivers("lms.djangoapp")

    retired = []

    def record(sender, user, **kwargs):
        retired.append(user)

    signals.user_retired.connect(record, dispatch_uid="test_packaging.record")
    try:
        user = django_user_model.objects.create(username="leaving")
        platform_signals.USER_RETIRE_LMS_CRITICAL.send(sender=None, user=user, retired_username="retired_x",
                                                       retired_email="retired@example.invalid")
    finally:
        signals.user_retired.disconnect(dispatch_uid="test_packaging.record")
    assert retired == [user]


@pytest.mark.django_db
def test_no_migration_is_missing():
    labels = sorted({config.label for config in apps.get_app_configs()
                     if config.name.split(".")[0] in ("xblocks", "lti", "sandbox")})
    out = io.StringIO()
    try:
        call_command("makemigrations", *labels, check=True, dry_run=True, stdout=out)
    except SystemExit:  # a model change has no migration
        pytest.fail("Missing migrations:\n" + out.getvalue())


def test_wheel_carries_code_templates_static_and_migrations(tmp_path):
    """Build the wheel (offline, from a copy of the tree) and look inside."""
    source = tmp_path / "src"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "var", "build", "dist", "*.egg-info", "__pycache__", "node_modules", "*.sqlite3"))
    out = tmp_path / "dist"
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-input", "-q",
         "-w", str(out), str(source)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (wheel,) = out.glob("social_learning_suite-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(archive.read(n).decode() for n in names if n.endswith(".dist-info/entry_points.txt"))
    for package in ("xblocks/core", "xblocks/cohort_forum"):
        assert f"{package}/migrations/0001_initial.py" in names, package
    assert "xblocks/cohort_forum/block.py" in names
    # Every file of the packages ships: code, templates, static files, translations.
    shipped = {
        path.relative_to(source).as_posix()
        for top in ("xblocks", "lti") if (source / top).is_dir()
        for path in (source / top).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }
    assert any(name.endswith(".html") for name in shipped)
    assert not shipped - names, f"missing from the wheel: {sorted(shipped - names)}"
    assert not any(n.startswith(("tests/", "sandbox/", "bench/")) for n in names)
    assert "[xblock.v1]\nsocial_cohort_forum = xblocks.cohort_forum.block:CohortForumBlock" in entry_points
    for group in ("[lms.djangoapp]", "[cms.djangoapp]"):
        assert group in entry_points
    assert "social_core = xblocks.core.apps:CoreConfig" in entry_points
    assert "social_cohort_forum = xblocks.cohort_forum.apps:CohortForumConfig" in entry_points


def test_install_guide_documents_every_setting():
    guide = (ROOT / "docs" / "install-openedx.md").read_text(encoding="utf-8")
    from xblocks.cohort_forum.conf import DEFAULTS as FORUM_DEFAULTS  # pylint: disable=import-outside-toplevel

    undocumented = [key for key in {**DEFAULTS, **FORUM_DEFAULTS} if f"`{key}`" not in guide]
    assert not undocumented, f"add these SOCIAL_LEARNING keys to docs/install-openedx.md: {undocumented}"
