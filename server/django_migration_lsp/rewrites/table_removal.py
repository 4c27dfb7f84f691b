"""A model or a many-to-many field removed over two releases, its tables kept while old code
runs (``DeleteModel``, ``RemoveField`` of a ``ManyToManyField`` with an auto-created table).

This release: the operation for the state only; the foreign key constraints of the tables it
drops go now (Django's names, reversed by Django's own ``ADD CONSTRAINT`` statements): the new
code no longer knows these rows, so when it deletes a row they point at, nothing deletes them
and the constraint would refuse the delete. The old code still reads and writes the tables.
Next release: Django's ``DROP TABLE`` statements, reversed by Django's statements creating the
tables again (``RenderedOp.recreated``, from the operation's facts) without those constraints,
as this release leaves them. Nothing else needs to change: no code of the new release inserts
into these tables, so their NOT NULL columns stay as they are.
"""

from __future__ import annotations

import ast
import re

from .model import Proposal, RenderedOp
from .pieces import ADD_CONSTRAINT_RE, Piece
from .pysource import PySource, call_name

DROP_TABLE_RE = re.compile(r'^\s*DROP\s+TABLE\s+(?P<table>"[^"]+")(\s+CASCADE)?\s*;?\s*$', re.I)


def _foreign_keys(recreated: tuple[str, ...]) -> list[Piece]:
    """Each foreign key constraint of the tables, dropped now and added back backwards."""
    pieces = []
    for statement in recreated:
        m = ADD_CONSTRAINT_RE.match(statement)
        if m and m["kind"].upper().startswith("FOREIGN"):
            drop = f"ALTER TABLE {m['table']} DROP CONSTRAINT {m['name']};"
            pieces.append(Piece((drop,), (statement,), "now"))
    return pieces


def state_only_table_removal(
    source: PySource, call: ast.Call, rendered: RenderedOp
) -> Proposal | None:
    """``DeleteModel`` / ``RemoveField`` whose statements are only ``DROP TABLE``."""
    drops = [DROP_TABLE_RE.match(s) for s in rendered.statements]
    if not rendered.recreated or not drops or not all(drops):
        return None
    constraints = _foreign_keys(rendered.recreated)
    kept = {s for p in constraints for s in p.reverse}
    restore = tuple(s for s in rendered.recreated if s not in kept)
    tables = [m["table"].strip('"') for m in drops if m]
    model = call_name(call) == "DeleteModel"
    what = "the model" if model else "the many-to-many field"
    its = "its tables" if len(tables) > 1 else "its table"
    return Proposal(
        code="DROP_TABLE",
        index=rendered.index,
        title=(
            f"remove {what} from the state now, drop {its} next release"
            + (" (the foreign key constraints dropped now)" if constraints else "")
        ),
        original=source.segment(call),
        column=source.column(call),
        pieces=tuple(constraints),
        later=(Piece(tuple(rendered.statements), restore, "next"),),
        later_name=f"drop_{tables[-1]}",
    )
