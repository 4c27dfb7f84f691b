"""``heap.frozen_heap``: the objects alive when a lint starts are left out of the collector's
work while it runs, and handed back after; objects frozen before (by the process, or by Python
3.12 at start-up) stay as they were."""

from __future__ import annotations

import gc

import pytest

from django_migration_lsp.heap import YOUNG_THRESHOLD, frozen_heap


@pytest.fixture
def unfrozen():
    """A process with nothing frozen (Python 3.12 freezes some objects at start-up)."""
    before = gc.get_freeze_count()
    gc.unfreeze()
    yield
    if before:
        gc.freeze()


def test_objects_alive_at_the_start_are_frozen_while_it_runs_and_handed_back(unfrozen):
    thresholds = gc.get_threshold()
    alive = [object() for _ in range(10)]
    with frozen_heap():
        assert gc.get_freeze_count() > len(alive)
        assert gc.get_threshold()[0] == max(YOUNG_THRESHOLD, thresholds[0])
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == thresholds


def test_handed_back_even_when_the_lint_raises(unfrozen):
    thresholds = gc.get_threshold()
    with pytest.raises(RuntimeError), frozen_heap():
        raise RuntimeError("the lint failed")
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == thresholds


def test_objects_frozen_before_stay_frozen_and_nothing_more_is(unfrozen):
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        thresholds = gc.get_threshold()
        with frozen_heap():
            assert gc.get_freeze_count() == frozen
            assert gc.get_threshold()[0] == max(YOUNG_THRESHOLD, thresholds[0])
        assert gc.get_freeze_count() == frozen  # not handed back by the lint
        assert gc.get_threshold() == thresholds
    finally:
        gc.unfreeze()
