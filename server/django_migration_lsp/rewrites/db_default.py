"""A NOT NULL column added with a Python ``default`` kept by the database meanwhile (Django 5+).

Django fills the existing rows with the default and then drops it (``ADD COLUMN … DEFAULT x NOT
NULL`` + ``DROP DEFAULT``): from then on an insert by the old code, which does not know the
column, fails. The safe form: ``SeparateDatabaseAndState`` whose state operation is the
original (the project state, and so ``makemigrations``, see no change) and whose database
operation is the same ``AddField`` with ``db_default=`` the same value, so the column keeps a
database default while the old code runs; the next release's migration drops it (reversed by
setting it again, Django's own literal). Only for a constant default in the source: a callable
(``uuid.uuid4``, ``timezone.now``) would give every row the old code inserts the same value.
"""

from __future__ import annotations

import ast
import re

from .concurrent_index import field_call
from .model import Proposal, RenderedOp
from .pieces import Piece
from .pysource import PySource, call_name, constant, edited_call, keyword

#: Django's first statement of an AddField with a default: the column and the default's literal
ADD_WITH_DEFAULT_RE = re.compile(
    r'^\s*ALTER\s+TABLE\s+(?P<table>"[^"]+")\s+ADD\s+COLUMN\s+(?P<column>"[^"]+")\s.*?'
    r"\sDEFAULT\s+(?P<literal>.+?)\s+NOT\s+NULL\s*;?\s*$",
    re.IGNORECASE | re.S,
)
DROP_DEFAULT_RE = re.compile(
    r'^\s*ALTER\s+TABLE\s+(?P<table>"[^"]+")\s+ALTER\s+COLUMN\s+(?P<column>"[^"]+")\s+'
    r"DROP\s+DEFAULT\s*;?\s*$",
    re.IGNORECASE,
)
FIRST_DJANGO_WITH_DB_DEFAULT = (5, 0)


def _constant_default(node: ast.expr | None) -> bool:
    """A literal: ``0``, ``-1``, ``"x"``, ``True`` (not None: NOT NULL would refuse it)."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        node = node.operand
        return isinstance(node, ast.Constant) and isinstance(node.value, (int, float))
    return isinstance(node, ast.Constant) and node.value is not None


def keep_default_in_database(
    source: PySource, call: ast.Call, rendered: RenderedOp
) -> Proposal | None:
    """``AddField`` of a NOT NULL field with a constant ``default`` (two statements); the
    caller offers it on Django >= 5.0 only (``FIRST_DJANGO_WITH_DB_DEFAULT``)."""
    if len(rendered.statements) != 2:
        return None
    field = field_call(call)
    if field is None or keyword(field, "db_default") is not None:
        return None
    default = keyword(field, "default")
    if not _constant_default(default) or constant(keyword(field, "null")) is True:
        return None
    added = ADD_WITH_DEFAULT_RE.match(rendered.statements[0])
    dropped = DROP_DEFAULT_RE.match(rendered.statements[1])
    if (
        not added
        or not dropped
        or added.group("table", "column") != dropped.group("table", "column")
    ):
        return None
    table, column = added["table"], added["column"]
    assert default is not None
    value = source.segment(default)
    restore = f"ALTER TABLE {table} ALTER COLUMN {column} SET DEFAULT {added['literal']};"
    return Proposal(
        code="NOT_NULL",
        index=rendered.index,
        title=(
            f"keep the default in the database meanwhile ({call_name(field)}(db_default={value}), "
            "dropped next release)"
        ),
        original=source.segment(call),
        column=source.column(call),
        plain=edited_call(source, call, field, settings={"db_default": value}),
        plain_statements=1,
        later=(Piece((rendered.statements[1],), (restore,), "next"),),
        later_name=f"drop_default_{table.strip(chr(34))}_{column.strip(chr(34))}",
    )
