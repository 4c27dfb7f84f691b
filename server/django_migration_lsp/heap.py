"""The objects alive when a lint starts, left out of the garbage collector's work while it runs.

A lint allocates millions of short-lived objects (model classes rendered per operation, their
fields, statements, findings), so Python's cyclic collector runs its full collections many times,
and each one walks every object alive: Django, the apps' models and every loaded migration, which
outlive the lint. ``frozen_heap`` moves those to the collector's permanent generation for the
lint's duration (``gc.freeze``) and hands them back after (``gc.unfreeze``), so what they hold is
collected as before once the lint ends. Meanwhile the youngest generation is collected every
``YOUNG_THRESHOLD`` allocations instead of 700: fewer young objects are still alive (and
walked, and promoted) when a collection runs, for a few megabytes more at the peak. Pure: the
standard library only.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: allocations between two collections of the youngest generation while a lint runs
YOUNG_THRESHOLD = 10_000


@contextmanager
def frozen_heap() -> Iterator[None]:
    """While the block runs, full collections skip the objects alive at its start and young
    ones run less often. Objects frozen before (by the process itself, or by Python 3.12 at
    start-up: ``gc.get_freeze_count()`` is 375 there) are not frozen again, since
    ``gc.unfreeze`` would hand those back too: then only the threshold changes. A collector
    turned off is left off."""
    if not gc.isenabled():
        yield
        return
    thresholds = gc.get_threshold()
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    gc.set_threshold(max(YOUNG_THRESHOLD, thresholds[0]), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        if freeze:
            gc.unfreeze()
