"""Fixtures for every test under tests/ (the root conftest.py holds the suite's own).

A component's query-budget tests measure that component alone: the receivers other components connect to
core's signals (today the expert finder's, which record evidence of forum posts and blog entries) are
disconnected while a test about queries runs outside the finder's own tests. What those receivers cost is
measured by their component (tests/xblocks/expert_finder/test_queries.py), so each budget stays with its owner.
The forum's and the blog's every-action tests also run with every receiver connected (``listening=True``): the
whole cost of each request must then still not grow with the data.

Known: the reflection blog tells of a whole blog's deletion, and of a retired person's entries, with one
``contribution_changed`` per entry; the finder then writes per entry. Core's signal now takes ``object_ids`` for
many at once (the finder applies it in two statements), and the blog's cost tests hold once the blog sends it.
"""
import pytest


def _about_queries(node):
    """A test of queries or of a request's cost (by its name or its module's)."""
    names = (node.name, node.module.__name__.rsplit(".", 1)[-1])
    return any(word in name for name in names for word in ("quer", "cost"))


def _everyone_listening(node):
    """A test run with every component's receivers connected (parametrised ``listening=True``): it checks that the
    whole cost, receivers included, stays the same whatever the amount of data."""
    callspec = getattr(node, "callspec", None)
    return bool(callspec and callspec.params.get("listening"))


@pytest.fixture(autouse=True)
def _budgets_measure_their_own_component(request):
    if ("expert_finder" in request.node.module.__name__ or not _about_queries(request.node)
            or _everyone_listening(request.node)):
        yield
        return
    from xblocks.expert_finder import evidence  # pylint: disable=import-outside-toplevel

    for signal, receiver, uid in evidence.RECEIVERS:
        signal.disconnect(receiver, dispatch_uid=uid)
    try:
        yield
    finally:
        for signal, receiver, uid in evidence.RECEIVERS:
            signal.connect(receiver, dispatch_uid=uid)
