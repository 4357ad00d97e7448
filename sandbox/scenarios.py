"""Where the suite's blocks sit in the Workbench: its scenarios, and the blocks inside them."""
from workbench.scenarios import get_scenarios

FORUM_BLOCK_TYPE = "social_cohort_forum"


def _index(name):
    tail = name.rsplit(".", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def suite_scenarios(block_type=FORUM_BLOCK_TYPE):
    """The Workbench scenarios a block class declares, in its own order, as (name, scenario)."""
    found = [(name, sc) for name, sc in get_scenarios().items() if name.rsplit(".", 1)[0] == block_type]
    return sorted(found, key=lambda item: _index(item[0]))


def unit_scenarios():
    """Every scenario of the suite's components, component by component in registration order (the forum's
    first): the course units the sandbox's home page offers."""
    from xblocks.core import component  # pylint: disable=import-outside-toplevel

    return [item for registered in component.all_components() for item in suite_scenarios(registered.block_type)]


def blocks_of_type(runtime, usage_id, block_type=FORUM_BLOCK_TYPE):
    """Every block of ``block_type`` in the tree rooted at ``usage_id`` (the scenario), in page order."""
    found = []
    pending = [runtime.get_block(usage_id)]
    while pending:
        block = pending.pop(0)
        if block.scope_ids.block_type == block_type:
            found.append(block)
        pending[0:0] = [runtime.get_block(child) for child in getattr(block, "children", None) or []]
    return found
