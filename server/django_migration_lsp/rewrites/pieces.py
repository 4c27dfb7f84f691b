"""Django's rendered statements → the steps of their safe form (pure text, PostgreSQL).

Each ``Piece`` is a group of statements run by one ``RunSQL`` with its reverse, and where it may
run: ``now`` (in this migration's transaction), ``outside`` (outside any transaction:
``CONCURRENTLY``; in this migration when it can be ``atomic = False``, else in the next one),
``next`` (in a later transaction than the ``now`` step: ``VALIDATE CONSTRAINT``). Names are the
ones in Django's statements.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

Group = Literal["now", "outside", "next"]

CREATE_INDEX_RE = re.compile(
    r'^\s*CREATE\s+INDEX\s+(?P<name>"[^"]+")\s+(?P<rest>ON\s.*?);?\s*$', re.IGNORECASE | re.S
)
ADD_CONSTRAINT_RE = re.compile(
    r'^\s*ALTER\s+TABLE\s+(?P<table>"[^"]+")\s+ADD\s+CONSTRAINT\s+(?P<name>"[^"]+")\s+'
    r"(?P<kind>CHECK|UNIQUE|FOREIGN\s+KEY)\s*(?P<rest>.*?);?\s*$",
    re.IGNORECASE | re.S,
)
COLUMNS_RE = re.compile(r'^\((?:"[^"]+"(?:,\s*)?)+\)$')
INLINE_FK_RE = re.compile(
    r'^\s*ALTER\s+TABLE\s+(?P<table>"[^"]+")\s+ADD\s+COLUMN\s+(?P<column>"[^"]+")\s.*?'
    r'\sCONSTRAINT\s+(?P<name>"[^"]+")\s+REFERENCES\s+(?P<target>"[^"]+")\s*\((?P<to>"[^"]+")\)'
    r"(?P<deferrable>\s+DEFERRABLE\s+INITIALLY\s+DEFERRED)?",
    re.IGNORECASE | re.S,
)


@dataclass(frozen=True)
class Piece:
    sql: tuple[str, ...]
    reverse: tuple[str, ...]  # empty: nothing to undo (RunSQL.noop)
    group: Group


def concurrent_index(statement: str) -> Piece | None:
    """``CREATE INDEX "n" ON …`` → built ``CONCURRENTLY``, dropped the same way backwards."""
    m = CREATE_INDEX_RE.match(statement)
    if not m:
        return None
    return Piece(
        (f"CREATE INDEX CONCURRENTLY {m['name']} {m['rest']};",),
        (f"DROP INDEX CONCURRENTLY IF EXISTS {m['name']};",),
        "outside",
    )


def _drop_constraint(table: str, name: str) -> str:
    return f"ALTER TABLE {table} DROP CONSTRAINT {name};"


def not_valid_then_validate(statement: str) -> tuple[Piece, Piece] | None:
    """``ADD CONSTRAINT … CHECK|FOREIGN KEY`` → ``NOT VALID`` now, ``VALIDATE`` next."""
    m = ADD_CONSTRAINT_RE.match(statement)
    if not m or m["kind"].upper() == "UNIQUE":
        return None
    table, name = m["table"], m["name"]
    add = f"ALTER TABLE {table} ADD CONSTRAINT {name} {m['kind']} {m['rest']} NOT VALID;"
    return (
        Piece((add,), (_drop_constraint(table, name),), "now"),
        Piece((f"ALTER TABLE {table} VALIDATE CONSTRAINT {name};",), (), "next"),
    )


def unique_using_index(statement: str) -> tuple[Piece, Piece] | None:
    """``ADD CONSTRAINT "n" UNIQUE (cols)`` → a unique index built concurrently under the
    constraint's name, then ``ADD CONSTRAINT "n" UNIQUE USING INDEX "n"`` (no scan, brief lock)."""
    m = ADD_CONSTRAINT_RE.match(statement)
    if not m or m["kind"].upper() != "UNIQUE" or not COLUMNS_RE.match(m["rest"].strip()):
        return None
    table, name, columns = m["table"], m["name"], m["rest"].strip()
    return (
        Piece(
            (f"CREATE UNIQUE INDEX CONCURRENTLY {name} ON {table} {columns};",),
            (f"DROP INDEX CONCURRENTLY IF EXISTS {name};",),
            "outside",
        ),
        Piece(
            (f"ALTER TABLE {table} ADD CONSTRAINT {name} UNIQUE USING INDEX {name};",),
            (_drop_constraint(table, name),),
            "outside",
        ),
    )


def inline_foreign_key(statement: str) -> tuple[Piece, Piece] | None:
    """The FK of ``ADD COLUMN … CONSTRAINT "n" REFERENCES …`` as its own ``NOT VALID``
    constraint now and ``VALIDATE`` next (the column itself is added without it)."""
    m = INLINE_FK_RE.match(statement)
    if not m:
        return None
    add = (
        f"ALTER TABLE {m['table']} ADD CONSTRAINT {m['name']} FOREIGN KEY ({m['column']}) "
        f"REFERENCES {m['target']} ({m['to']}){m['deferrable'] or ''}"
    )
    return not_valid_then_validate(add)


def steps_of(
    statements: Iterable[str], safe: Callable[[str], tuple[Piece, Piece] | None]
) -> tuple[list[Piece], int]:
    """Each statement as its ``safe`` steps, else as a concurrent index build: (the pieces, how
    many statements neither answers and so stay as the operation ran them)."""
    pieces: list[Piece] = []
    other = 0
    for statement in statements:
        steps = safe(statement)
        index = concurrent_index(statement) if steps is None else None
        if steps:
            pieces += steps
        elif index:
            pieces.append(index)
        else:
            other += 1
    return pieces, other
