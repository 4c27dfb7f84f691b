"""One walk over a migration plan: render the wanted migrations, advance the state over the rest.

Used for the graph in use and, once more, for the graph of a squash's originals; migrations
outside ``todo`` only move the project state forward (no SQL, no rules), so a walk costs little
more than Django's own state building when few migrations are wanted.
"""

from __future__ import annotations

import hashlib
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


class Checkpoints:
    """States before every ``every``-th position of a plan, kept between walks.

    Each is keyed by the exact plan prefix before it (migration keys and the identity of their
    classes), so re-rendering one migration, as the editor does on each save, starts close to it
    instead of at the beginning, and a changed migration upstream invalidates what follows.
    """

    def __init__(self, every: int) -> None:
        self.every = every
        self.saved: dict[int, tuple[str, Any]] = {}

    @staticmethod
    def signatures(plan: list[Key], nodes: dict[Key, Any]) -> list[str]:
        """Per plan position, a digest of the plan before it."""
        signatures = []
        digest = hashlib.sha1()
        for key in plan:
            signatures.append(digest.hexdigest())
            digest.update(f"{key}{id(type(nodes[key]))};".encode())
        return signatures

    def start(
        self, first: int, signatures: list[str], initial: Callable[[], Any]
    ) -> tuple[int, Any]:
        """(position, a copy of the state there): the latest valid checkpoint at or before
        ``first``, else the beginning with ``initial()``."""
        for position in sorted(self.saved, reverse=True):
            signature, state = self.saved[position]
            valid = position < len(signatures) and signatures[position] == signature
            if position <= first and valid:
                return position, state.clone()
        return 0, initial()

    def hook(self, signatures: list[str]) -> Checkpoint:
        """The ``checkpoint`` callable of a walk that records states as it passes."""

        def checkpoint(position: int, state: Any) -> None:
            if position % self.every == 0:
                saved = self.saved.get(position)
                if saved is None or saved[0] != signatures[position]:
                    self.saved[position] = (signatures[position], state.clone())

        return checkpoint
