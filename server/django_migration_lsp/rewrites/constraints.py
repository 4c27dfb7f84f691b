"""Constraints added without a long lock: CHECK ``NOT VALID`` now and ``VALIDATE`` in the next
migration; UNIQUE as a unique index built concurrently, then ``ADD CONSTRAINT … UNIQUE USING
INDEX`` (``AddConstraint`` of a plain-fields ``UniqueConstraint``, ``unique=True`` on
``AddField`` / ``AlterField``). The project state keeps the original operation."""

from __future__ import annotations

import ast

from .concurrent_index import field_call
from .model import Proposal, RenderedOp
from .pieces import not_valid_then_validate, steps_of, unique_using_index
from .pysource import PySource, call_name, constant, edited_call, keyword


def _constraint_kind(call: ast.Call) -> str | None:
    value = keyword(call, "constraint", 1)
    return call_name(value) if value is not None else None


def add_constraint(source: PySource, call: ast.Call, rendered: RenderedOp) -> Proposal | None:
    """``AddConstraint`` of a CHECK or a UNIQUE constraint on fields."""
    kind = _constraint_kind(call)
    if len(rendered.statements) != 1 or kind not in ("CheckConstraint", "UniqueConstraint"):
        return None
    statement = rendered.statements[0]
    if kind == "CheckConstraint":
        pieces = not_valid_then_validate(statement)
        code, title, suffix = "ADD_CHECK", "CHECK added NOT VALID, validated next", "validate"
    else:
        pieces = unique_using_index(statement)
        code = "ADD_UNIQUE"
        title, suffix = "unique index built concurrently, then ADD CONSTRAINT USING INDEX", "unique"
    if pieces is None:
        return None
    return Proposal(
        code=code,
        index=rendered.index,
        title=title,
        original=source.segment(call),
        column=source.column(call),
        pieces=pieces,
        follow_up_suffix=f"{suffix}_constraints",
    )


def unique_on_field(source: PySource, call: ast.Call, rendered: RenderedOp) -> Proposal | None:
    """``unique=True`` on AddField/AlterField → ``ADD CONSTRAINT … UNIQUE USING INDEX``."""
    field = field_call(call)
    if field is None or constant(keyword(field, "unique")) is not True:
        return None
    if constant(keyword(field, "db_index")) is True or constant(keyword(field, "primary_key")):
        return None
    pieces, other = steps_of(rendered.statements, unique_using_index)
    if not any(p.sql[0].startswith("CREATE UNIQUE") for p in pieces):
        return None
    return Proposal(
        code="ADD_UNIQUE",
        index=rendered.index,
        title=f"unique=True as a concurrent unique index + USING INDEX ({call_name(call)})",
        original=source.segment(call),
        column=source.column(call),
        plain=edited_call(source, call, field, remove=("unique",)),
        pieces=tuple(pieces),
        plain_statements=other,
        follow_up_suffix="unique_constraints",
    )
