"""A field removed over two releases (expand/contract), the column kept while old code runs.

This release: ``RemoveField`` for the state only, and the column made nullable (when it was
not) so the new code, which no longer writes it, can insert. Next release: a migration that
drops the column (Django's own ``DROP COLUMN`` statement), reversed by adding it back as a
nullable column of the same type. Needs the column's nullability and type from the project
state (``RenderedOp.removed``); plain columns only (no relation, no many-to-many table).
"""

from __future__ import annotations

import ast

from .model import Proposal, RenderedOp
from .pieces import Piece
from .pysource import PySource


def state_only_removal(source: PySource, call: ast.Call, rendered: RenderedOp) -> Proposal | None:
    removed = rendered.removed
    if removed is None or len(rendered.statements) != 1:
        return None
    table, column = f'"{removed.table}"', f'"{removed.column}"'
    pieces: tuple[Piece, ...] = ()
    if not removed.null:
        pieces = (
            Piece(
                (f"ALTER TABLE {table} ALTER COLUMN {column} DROP NOT NULL;",),
                (f"ALTER TABLE {table} ALTER COLUMN {column} SET NOT NULL;",),
                "now",
            ),
        )
    drop = Piece(
        (rendered.statements[0],),
        (f"ALTER TABLE {table} ADD COLUMN {column} {removed.db_type} NULL;",),
        "next",
    )
    return Proposal(
        code="DROP_COLUMN",
        index=rendered.index,
        title=(
            "remove the field from the state now, drop the column next release"
            + ("" if removed.null else " (nullable meanwhile)")
        ),
        original=source.segment(call),
        column=source.column(call),
        pieces=pieces,
        later=(drop,),
        later_name=f"drop_{removed.table}_{removed.column}",
    )
