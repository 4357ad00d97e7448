"""Sandbox fixtures: the Workbench's scenarios loaded afresh, and the seeded demo course."""
import io
import types

import pytest
from django.core.cache import cache
from django.core.management import call_command


@pytest.fixture
def workbench(db):
    """The Workbench's scenarios, parsed again inside this test's database.

    The Workbench keeps its parsed scenarios in process-wide state and their fields in the
    database; a test's rollback would leave the first without the second.
    """
    from workbench.runtime_util import reset_global_state

    cache.clear()  # placements and rate-limit counters from other tests' (rolled back) data
    reset_global_state()
    yield
    cache.clear()


@pytest.fixture
def demo(workbench):
    """The sandbox's demo course, seeded as ``make run`` does; people by username."""
    from django.contrib.auth import get_user_model

    from sandbox.scenarios import blocks_of_type, suite_scenarios
    from sandbox.runtime import SandboxRuntime

    call_command("seed_demo", stdout=io.StringIO())
    name, scenario = suite_scenarios()[0]
    (forum,) = blocks_of_type(SandboxRuntime(""), scenario.usage_id)
    people = {user.username: user for user in get_user_model().objects.all()}
    return types.SimpleNamespace(people=people, scenario_name=name, scenario=scenario,
                                 forum_usage_id=str(forum.scope_ids.usage_id))
