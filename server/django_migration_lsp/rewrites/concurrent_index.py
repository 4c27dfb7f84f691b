"""Indexes built and dropped without blocking writes (PostgreSQL ``CONCURRENTLY``).

- ``AddIndex`` → ``AddIndexConcurrently``, ``RemoveIndex`` → ``RemoveIndexConcurrently``
  (django.contrib.postgres: same state, same index name);
- ``db_index=True`` on ``AddField`` / ``AlterField`` → the operation for the state; for the
  database the field without ``db_index`` plus the very ``CREATE INDEX`` statements Django
  renders for it (names included: the ``_like`` one too) run ``CONCURRENTLY``;
- ``AlterIndexTogether`` that only adds indexes → the operation for the state; for the database
  the ``CREATE INDEX`` statements Django renders for it run ``CONCURRENTLY`` (one that also drops
  an index is left as it is: reversing the drop needs the old index's definition).
"""

from __future__ import annotations

import ast

from .model import Proposal, RenderedOp
from .pieces import concurrent_index
from .pysource import PySource, call_name, constant, edited_call, keyword

POSTGRES_OPERATIONS = "django.contrib.postgres.operations"


def swap_index_operation(source: PySource, call: ast.Call, rendered: RenderedOp) -> Proposal:
    """``AddIndex``/``RemoveIndex`` → their ``…Concurrently`` forms (imported by name)."""
    kind = call_name(call) or ""
    new_name = f"{kind}Concurrently"
    adding = kind == "AddIndex"
    text = source.segment(call)
    swapped = new_name + text[source.end(call.func) - source.start(call) :]
    return Proposal(
        code="CREATE_INDEX" if adding else "DROP_INDEX",
        index=rendered.index,
        title=f"{'build' if adding else 'drop'} the index concurrently ({new_name})",
        original=text,
        column=source.column(call),
        swap=swapped,
        imports=((POSTGRES_OPERATIONS, new_name),),
        follow_up_suffix="concurrent_indexes",
    )


def field_call(call: ast.Call) -> ast.Call | None:
    """The ``field=`` argument of AddField/AlterField when it is a call."""
    value = keyword(call, "field", 2)
    return value if isinstance(value, ast.Call) else None


def db_index_on_field(source: PySource, call: ast.Call, rendered: RenderedOp) -> Proposal | None:
    """``db_index=True`` on AddField/AlterField → the index built concurrently, same names."""
    field = field_call(call)
    if field is None or constant(keyword(field, "db_index")) is not True:
        return None
    if constant(keyword(field, "unique")) is True or constant(keyword(field, "primary_key")):
        return None  # Django builds these indexes with the constraint, not from db_index
    if any("REFERENCES" in s.upper() for s in rendered.statements):
        return None  # a foreign key: the foreign-key rewrite's
    pieces = [p for s in rendered.statements if (p := concurrent_index(s))]
    if not pieces:
        return None
    return Proposal(
        code="CREATE_INDEX",
        index=rendered.index,
        title=f"build the index of db_index=True concurrently ({call_name(call)} + RunSQL)",
        original=source.segment(call),
        column=source.column(call),
        plain=edited_call(source, call, field, remove=("db_index",)),
        pieces=tuple(pieces),
        plain_statements=len(rendered.statements) - len(pieces),
        follow_up_suffix="concurrent_indexes",
    )


def index_together(source: PySource, call: ast.Call, rendered: RenderedOp) -> Proposal | None:
    """``AlterIndexTogether`` adding indexes (and dropping none) → built concurrently, same
    names."""
    statements = [s for s in rendered.statements if s.strip()]
    pieces = [p for s in statements if (p := concurrent_index(s))]
    if not statements or len(pieces) != len(statements):
        return None
    return Proposal(
        code="CREATE_INDEX",
        index=rendered.index,
        title="build the index_together indexes concurrently (SeparateDatabaseAndState + RunSQL)",
        original=source.segment(call),
        column=source.column(call),
        pieces=tuple(pieces),
        follow_up_suffix="concurrent_indexes",
    )
