"""A foreign key added to an existing table without locking both tables for a full check:
the column without its constraint and index, the constraint ``NOT VALID`` now, ``VALIDATE`` in
the next migration and its index built concurrently. The project state keeps the original.
The same for a foreign key an ``AlterField`` (re-)creates (its target changed, its column's
type, ``db_constraint`` turned on): the field altered without the constraint, then the
constraint Django names ``NOT VALID`` and validated next."""

from __future__ import annotations

import ast

from .concurrent_index import field_call
from .model import Proposal, RenderedOp
from .pieces import Piece, inline_foreign_key, not_valid_then_validate, steps_of
from .pysource import PySource, call_name, constant, edited_call, keyword

FOREIGN_KEYS = ("ForeignKey", "OneToOneField")


def add_foreign_key(source: PySource, call: ast.Call, rendered: RenderedOp) -> Proposal | None:
    """``AddField`` of a ``ForeignKey`` (with its database constraint)."""
    field = field_call(call)
    if field is None or call_name(field) not in FOREIGN_KEYS:
        return None
    if constant(keyword(field, "db_constraint")) is False or call_name(field) == "OneToOneField":
        return None  # no constraint; a one-to-one's unique constraint is another rewrite's
    pieces, other = steps_of(rendered.statements, inline_foreign_key)
    if not any("FOREIGN KEY" in p.sql[0] for p in pieces):
        return None
    return Proposal(
        code="ADD_FOREIGN_KEY",
        index=rendered.index,
        title="foreign key NOT VALID, validated next, its index built concurrently",
        original=source.segment(call),
        column=source.column(call),
        plain=edited_call(
            source, call, field, settings={"db_constraint": "False", "db_index": "False"}
        ),
        pieces=tuple(pieces),
        plain_statements=other + 1,
        follow_up_suffix="validate_constraints",
    )


def _added_foreign_key(statement: str) -> tuple[Piece, Piece] | None:
    steps = not_valid_then_validate(statement)
    return steps if steps is not None and "FOREIGN KEY" in steps[0].sql[0].upper() else None


def alter_foreign_key(source: PySource, call: ast.Call, rendered: RenderedOp) -> Proposal | None:
    """``AlterField`` to a ``ForeignKey`` whose constraint Django adds (again)."""
    field = field_call(call)
    if field is None or call_name(field) != "ForeignKey":
        return None  # a one-to-one's unique constraint is another rewrite's
    if constant(keyword(field, "db_constraint")) is False:
        return None
    pieces, other = steps_of(rendered.statements, _added_foreign_key)
    if not any("FOREIGN KEY" in p.sql[0] for p in pieces):
        return None
    settings = {"db_constraint": "False"}
    if any(p.sql[0].startswith("CREATE INDEX CONCURRENTLY") for p in pieces):
        settings["db_index"] = "False"  # an index it builds: built concurrently instead
    return Proposal(
        code="ADD_FOREIGN_KEY",
        index=rendered.index,
        title="foreign key re-created NOT VALID, validated next",
        original=source.segment(call),
        column=source.column(call),
        plain=edited_call(source, call, field, settings=settings),
        pieces=tuple(pieces),
        plain_statements=other,
        follow_up_suffix="validate_constraints",
    )
