"""A foreign key added to an existing table without locking both tables for a full check:
the column without its constraint and index, the constraint ``NOT VALID`` now, ``VALIDATE`` in
the next migration and its index built concurrently. The project state keeps the original."""

from __future__ import annotations

import ast

from .concurrent_index import field_call
from .model import Proposal, RenderedOp
from .pieces import inline_foreign_key, steps_of
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
