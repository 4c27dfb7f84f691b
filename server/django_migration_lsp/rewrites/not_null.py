"""``AlterField`` null → NOT NULL without a scan under ACCESS EXCLUSIVE (PostgreSQL 12+):
``CHECK (col IS NOT NULL) NOT VALID`` now; in the next migration ``VALIDATE`` it (writes go
on), ``SET NOT NULL`` (no scan: the validated check proves it), and drop the check."""

from __future__ import annotations

import ast
import hashlib
import re

from .model import Proposal, RenderedOp
from .pieces import Piece
from .pysource import PySource

SET_NOT_NULL_RE = re.compile(
    r'^\s*ALTER\s+TABLE\s+(?P<table>"[^"]+")\s+ALTER\s+COLUMN\s+(?P<column>"[^"]+")\s+'
    r"SET\s+NOT\s+NULL\s*;?\s*$",
    re.IGNORECASE,
)
MAX_NAME = 63  # PostgreSQL's identifier length


def check_name(table: str, column: str) -> str:
    """The temporary check's name: ``<table>_<column>_notnull``, hashed down to 63 bytes."""
    name = f"{table.strip(chr(34))}_{column.strip(chr(34))}_notnull"
    if len(name.encode()) > MAX_NAME:
        digest = hashlib.sha1(name.encode()).hexdigest()[:8]
        name = f"{name.encode()[: MAX_NAME - 17].decode(errors='ignore')}_{digest}_notnull"
    return f'"{name}"'


def set_not_null(source: PySource, call: ast.Call, rendered: RenderedOp) -> Proposal | None:
    """An AlterField whose only statement is ``SET NOT NULL``."""
    if len(rendered.statements) != 1:
        return None
    m = SET_NOT_NULL_RE.match(rendered.statements[0])
    if not m:
        return None
    table, column = m["table"], m["column"]
    name = check_name(table, column)
    add = f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({column} IS NOT NULL) NOT VALID;"
    drop = f"ALTER TABLE {table} DROP CONSTRAINT {name};"
    return Proposal(
        code="NOT_NULL_SCAN",
        index=rendered.index,
        title="NOT NULL via a CHECK validated next, then SET NOT NULL without a scan",
        original=source.segment(call),
        column=source.column(call),
        pieces=(
            Piece((add,), (drop,), "now"),
            Piece((f"ALTER TABLE {table} VALIDATE CONSTRAINT {name};",), (), "next"),
            Piece(
                (f"ALTER TABLE {table} ALTER COLUMN {column} SET NOT NULL;",),
                (f"ALTER TABLE {table} ALTER COLUMN {column} DROP NOT NULL;",),
                "next",
            ),
            Piece((drop,), (add,), "next"),
        ),
        follow_up_suffix="set_not_null",
    )
