"""One walk over a migration plan: render the wanted migrations, advance the state over the rest.

Used for the graph in use and, once more, for the graph of a squash's originals; migrations
outside ``todo`` only move the project state forward (no SQL, no rules), so a walk costs little
more than Django's own state building when few migrations are wanted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

Key = tuple[str, str]
#: (plan position, the state before that position) -> None; called at every position
Checkpoint = Callable[[int, Any], None]


def walk(
    renderer: Any,
    nodes: dict[Key, Any],
    plan: list[Key],
    todo: set[Key],
    state: Any,
    start: int = 0,
    checkpoint: Checkpoint | None = None,
) -> Iterator[tuple[Key, Any]]:
    """Yield ``(key, RenderedMigration)`` for each key of ``todo`` in plan order, from
    ``plan[start]`` with ``state`` (the state before it); stops once ``todo`` is rendered.
    Keys rendered are removed from ``todo``."""
    for position in range(start, len(plan)):
        if not todo:
            return
        if checkpoint is not None:
            checkpoint(position, state)
        key = plan[position]
        if key in todo:
            todo.discard(key)
            yield key, renderer.render_migration(nodes[key], state)
        else:
            renderer.advance(nodes[key], state)
