"""``seed_demo`` builds the demo course once; running it again changes nothing."""
import io

from django.contrib.auth import get_user_model
from django.core.management import call_command

from sandbox.demo import ADMIN_USERNAME
from sandbox.runtime import SandboxRuntime
from sandbox.scenarios import blocks_of_type, suite_scenarios
from xblocks.cohort_forum import api
from xblocks.cohort_forum.models import Flag, Post, Thread, Vote
from xblocks.core.context import build_context, get_placement, local_roles
from xblocks.core.groups import LocalGroups
from xblocks.core.models import LocalGroup, LocalGroupMembership, Placement, RoleAssignment
from xblocks.core.settings import conf

MODELS = [get_user_model(), LocalGroup, LocalGroupMembership, RoleAssignment, Placement, Thread, Post, Vote, Flag]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_seed_demo_is_idempotent(workbench):
    out = io.StringIO()
    call_command("seed_demo", "--base-url", "http://127.0.0.1:8000", stdout=out)
    first = counts()
    assert "http://127.0.0.1:8000/admin/" in out.getvalue()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first
    assert first["LocalGroup"] == 2
    assert first["Thread"] > 0 and first["Post"] > 0 and first["Vote"] > 0
    assert RoleAssignment.objects.filter(role=RoleAssignment.ADVOCATE).count() == 1
    assert RoleAssignment.objects.filter(role=RoleAssignment.STAFF).count() == 1
    assert get_user_model().objects.get(username=ADMIN_USERNAME).is_superuser


def test_seeded_threads_live_where_the_workbench_forum_reads(workbench):
    call_command("seed_demo", stdout=io.StringIO())
    _name, scenario = suite_scenarios()[0]
    (block,) = blocks_of_type(SandboxRuntime(""), scenario.usage_id)
    placement = get_placement(Placement.LOCAL, conf("LOCAL_COURSE_KEY"), str(block.scope_ids.usage_id))
    cohorts = list(LocalGroup.objects.filter(context_key=conf("LOCAL_COURSE_KEY")))
    seen = []
    for cohort in cohorts:
        learner = cohort.members.exclude(roleassignment__isnull=False).first()
        ctx = build_context(user=learner, placement=placement, scope=block.group_scope,
                            roles=local_roles(learner, placement.context_key), backend=LocalGroups())
        page = api.list_threads(ctx, {})
        assert page["total"] > 0
        assert {t["group"]["key"] if t.get("group") else ctx.group.key for t in page["threads"]} == {ctx.group.key}
        seen.append({t["id"] for t in page["threads"]})
    assert not seen[0] & seen[1]  # each cohort sees its own threads only
