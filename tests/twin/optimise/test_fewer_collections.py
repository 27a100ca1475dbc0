"""The optimiser collects cyclic garbage less often while it runs and puts the collector back after."""

from __future__ import annotations

import gc
import weakref

import pytest

from twin.optimise.optimiser import YOUNG_OBJECTS_PER_COLLECTION, fewer_collections

pytestmark = pytest.mark.unit


def test_thresholds_and_frozen_objects_are_restored_on_exit():
    before = (gc.get_threshold(), gc.get_freeze_count())
    with fewer_collections():
        assert gc.get_threshold()[0] == max(before[0][0], YOUNG_OBJECTS_PER_COLLECTION)
        assert gc.get_threshold()[1:] == before[0][1:]
        assert gc.get_freeze_count() > before[1]  # what was alive on entry is left out of the passes
    assert (gc.get_threshold(), gc.get_freeze_count()) == before


def test_restored_when_the_run_fails():
    before = (gc.get_threshold(), gc.get_freeze_count())
    with pytest.raises(RuntimeError, match="solver"), fewer_collections():
        raise RuntimeError("solver failed")
    assert (gc.get_threshold(), gc.get_freeze_count()) == before


def test_cyclic_garbage_is_still_collected_automatically():
    class Node:
        pass

    with fewer_collections():
        first = Node()
        first.self = first
        gone = weakref.ref(first)
        del first
        for _ in range(3 * YOUNG_OBJECTS_PER_COLLECTION):  # no gc.collect(): the collector runs by itself
            node = Node()
            node.self = node
        assert gone() is None
