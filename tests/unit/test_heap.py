"""``heap.frozen_heap``: the objects alive when a lint starts are left out of the collector's
work while it runs, and handed back after; a process that froze objects itself is left alone."""

from __future__ import annotations

import gc

from django_migration_lsp.heap import YOUNG_THRESHOLD, frozen_heap


def test_objects_alive_at_the_start_are_frozen_while_it_runs_and_handed_back():
    assert gc.get_freeze_count() == 0
    thresholds = gc.get_threshold()
    alive = [object() for _ in range(10)]
    with frozen_heap():
        assert gc.get_freeze_count() > len(alive)
        assert gc.get_threshold()[0] == max(YOUNG_THRESHOLD, thresholds[0])
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == thresholds


def test_handed_back_even_when_the_lint_raises():
    try:
        with frozen_heap():
            raise RuntimeError("the lint failed")
    except RuntimeError:
        pass
    assert gc.get_freeze_count() == 0


def test_a_process_that_froze_objects_itself_is_left_as_it_is():
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        thresholds = gc.get_threshold()
        with frozen_heap():
            assert gc.get_threshold() == thresholds
        assert gc.get_freeze_count() == frozen  # not unfrozen by the lint
    finally:
        gc.unfreeze()
