"""A field removed over two releases (expand/contract), the column kept while old code runs.

This release: ``RemoveField`` for the state only, and the column made nullable (when it was
not) so the new code, which no longer writes it, can insert. A foreign key's constraint goes
now too, with Django's own statement: the new code no longer knows the relation, so when it
deletes a row the column points at, nothing clears the column and the constraint would refuse
the delete. Next release: a migration that drops the column (Django's own ``DROP COLUMN``),
reversed by adding it back as this release leaves it: nullable, same type, its index (the
name Django gives it) without the constraint. Needs the column from the operation's facts
(``RenderedOp.removed``); a many-to-many field has no column and is not answered here.

Backwards, this release does not ``SET NOT NULL`` again: the rows the new code inserted meanwhile
hold NULL there, so that statement would fail the rollback (and it would be a NOT NULL change,
with its scan, under the rollback's lock). The column stays nullable; the field in the state is
NOT NULL again, and the next ``AlterField`` Django generates for it says so.
"""

from __future__ import annotations

import ast
import re

from .model import Proposal, RemovedColumn, RenderedOp
from .pieces import Piece
from .pysource import PySource

DROP_COLUMN_RE = re.compile(r'^\s*ALTER\s+TABLE\s+"[^"]+"\s+DROP\s+COLUMN\s', re.IGNORECASE)
DROP_CONSTRAINT_RE = re.compile(
    r'ALTER\s+TABLE\s+"[^"]+"\s+DROP\s+CONSTRAINT\s+(?P<name>"[^"]+")', re.IGNORECASE
)


def _constraint_piece(removed: RemovedColumn, statements: tuple[str, ...]) -> Piece | None:
    """Django's statement dropping the foreign key constraint, reversed by adding it back."""
    if removed.references is None or len(statements) != 1:
        return None
    m = DROP_CONSTRAINT_RE.search(statements[0])
    if not m:
        return None
    target, to = removed.references
    add = (
        f'ALTER TABLE "{removed.table}" ADD CONSTRAINT {m["name"]} FOREIGN KEY '
        f'("{removed.column}") REFERENCES "{target}" ("{to}") DEFERRABLE INITIALLY DEFERRED;'
    )
    return Piece((statements[0],), (add,), "now")


def _restore(removed: RemovedColumn) -> tuple[str, ...]:
    """The column added back as this release leaves it (the reverse of the contract step)."""
    table, column = f'"{removed.table}"', f'"{removed.column}"'
    restore = [f"ALTER TABLE {table} ADD COLUMN {column} {removed.db_type} NULL;"]
    if removed.index:
        restore.append(f'CREATE INDEX "{removed.index}" ON {table} ({column});')
    return tuple(restore)


def state_only_removal(source: PySource, call: ast.Call, rendered: RenderedOp) -> Proposal | None:
    removed = rendered.removed
    statements = rendered.statements
    if removed is None or not statements or not DROP_COLUMN_RE.match(statements[-1]):
        return None
    pieces: list[Piece] = []
    if len(statements) > 1:
        constraint = _constraint_piece(removed, statements[:-1])
        if constraint is None:
            return None  # something else than the foreign key's constraint goes with it
        pieces.append(constraint)
    table, column = f'"{removed.table}"', f'"{removed.column}"'
    if not removed.null:
        pieces.append(
            Piece(
                (f"ALTER TABLE {table} ALTER COLUMN {column} DROP NOT NULL;",),
                (),  # backwards the column stays nullable: see the docstring
                "now",
            )
        )
    drop = Piece((statements[-1],), _restore(removed), "next")
    meanwhile = [
        *(["its foreign key constraint dropped now"] if len(statements) > 1 else []),
        *(["nullable meanwhile"] if not removed.null else []),
    ]
    return Proposal(
        code="DROP_COLUMN",
        index=rendered.index,
        title=(
            "remove the field from the state now, drop the column next release"
            + (f" ({', '.join(meanwhile)})" if meanwhile else "")
        ),
        original=source.segment(call),
        column=source.column(call),
        pieces=tuple(pieces),
        later=(drop,),
        later_name=f"drop_{removed.table}_{removed.column}",
    )
