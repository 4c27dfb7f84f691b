"""``SET LOCAL lock_timeout`` in a migration whose transaction takes an ACCESS EXCLUSIVE lock on
an existing table: if the lock cannot be had quickly (a long query holds a conflicting one), the
migration fails after the timeout instead of queueing every query of the table behind it.

The setting is made by the first operation going forwards and by the last one going backwards
(``SET LOCAL`` lasts until the transaction ends). Only for migrations run in a transaction.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import replace

from .model import FixResult, MigrationInput, Rewritten
from .pysource import Edit, PySource, apply_edits, constant, keyword

LOCK_TIMEOUT = "5s"
SET_SQL = f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}';"
TITLE = f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}' before the first exclusive lock"
TABLE_STATEMENT_RE = re.compile(
    r"^\s*(?P<verb>ALTER\s+TABLE|DROP\s+TABLE|TRUNCATE|LOCK\s+TABLE)\s+(?:IF\s+EXISTS\s+)?"
    r'(?:ONLY\s+)?(?P<table>"[^"]+")(?P<rest>.*)$',
    re.IGNORECASE | re.S,
)
CREATE_TABLE_RE = re.compile(r'^\s*CREATE\s+TABLE\s+(?P<table>"[^"]+")', re.IGNORECASE)
WEAKER_RE = re.compile(r"\sVALIDATE\s+CONSTRAINT\s|\sFOREIGN\s+KEY\s", re.IGNORECASE)


def first_exclusive(statements: Iterable[tuple[int, str]]) -> int | None:
    """The index of the operation with the first ACCESS EXCLUSIVE statement on a table that
    existed before; None when there is none or the migration already sets ``lock_timeout``."""
    created: set[str] = set()
    found: int | None = None
    for index, statement in statements:
        if "lock_timeout" in statement.lower():
            return None
        if m := CREATE_TABLE_RE.match(statement):
            created.add(m["table"])
            continue
        m = TABLE_STATEMENT_RE.match(statement)
        if m and m["table"] not in created and not WEAKER_RE.search(m["rest"]):
            found = index if found is None else found
    return found


def forward_sql(text: str) -> list[tuple[int, str]]:
    """(operation index, statement) of every ``RunSQL(sql=[…])`` of a migration's text."""
    source = PySource(text)
    found: list[tuple[int, str]] = []
    for index, call in enumerate(source.operation_calls() or []):
        for node in ast.walk(call):
            if isinstance(node, ast.Call) and (sql := keyword(node, "sql", 0)) is not None:
                found += [
                    (index, c.value)
                    for c in ast.walk(sql)
                    if isinstance(c, ast.Constant) and isinstance(c.value, str)
                ]
    return found


def operations(indent: int) -> tuple[str, str]:
    """The first and the last operation (written at ``indent``)."""
    pad = " " * (indent + 4)
    first = (
        f"migrations.RunSQL(\n{pad}sql={SET_SQL!r},\n{pad}reverse_sql=migrations.RunSQL.noop,"
        f"\n{' ' * indent})"
    )
    last = (
        f"migrations.RunSQL(\n{pad}sql=migrations.RunSQL.noop,\n{pad}reverse_sql={SET_SQL!r},"
        f"\n{' ' * indent})"
    )
    return first, last


def runs_in_transaction(source: PySource) -> bool:
    assign = source.class_assign("atomic")
    return assign is None or constant(assign.value) is not False


def insert(text: str) -> str | None:
    """``text`` with the two operations added; None when it cannot be (not atomic, no list)."""
    source = PySource(text)
    assign = source.class_assign("operations")
    if assign is None or not isinstance(assign.value, (ast.List, ast.Tuple)):
        return None  # no list literal to add to (``operations = base + [...]``)
    elements = assign.value.elts
    if not elements or not runs_in_transaction(source):
        return None
    indent = source.column(elements[0])
    first, last = operations(indent)
    opening = source.start(assign.value) + 1
    closing = source.end(assign.value) - 1
    closing_line = source.line_start(closing)
    edits = [Edit(opening, opening, f"\n{' ' * indent}{first},")]
    if source.text[closing_line:closing].strip():
        edits.append(Edit(closing, closing, f", {last}"))
    else:
        after_last = source.end(elements[-1])
        comma = "," if not source.text[after_last:closing].strip().startswith(",") else ""
        edits.append(Edit(closing_line, closing_line, f"{' ' * indent}{last},\n"))
        if comma:
            edits.append(Edit(after_last, after_last, comma))
    return apply_edits(text, edits)


def add_to(result: FixResult, inp: MigrationInput) -> FixResult:
    """``SET LOCAL lock_timeout`` in this migration and the new one where they need it."""
    if inp.lock_timeout_configured:
        return result
    done = list(result.rewritten)
    text = result.text
    first = first_exclusive((op.index, s) for op in inp.operations for s in op.statements)
    if first is not None and (changed := insert(text)) is not None:
        text = changed
        done.append(Rewritten("LOCK_TIMEOUT", first, TITLE))
    new = result.new_migration
    if new is not None and first_exclusive(forward_sql(new.text)) is not None:
        changed = insert(new.text)
        new = replace(new, text=changed) if changed else new
    later = result.next_release
    if later is not None and first_exclusive(forward_sql(later.text)) is not None:
        changed = insert(later.text)
        later = replace(later, text=changed) if changed else later
    return replace(result, text=text, new_migration=new, next_release=later, rewritten=tuple(done))
