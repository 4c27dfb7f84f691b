"""Lock rules (PostgreSQL): the lock model applied to one migration's statements in order (pure).

What each statement locks comes from ``locks.statement_locks``; this module decides which of
those are hazards on a table that existed before the migration: constraints checked under a
lock, scans and rewrites, ``CONCURRENTLY`` inside a transaction, no ``lock_timeout``, and data
steps that run while an ACCESS EXCLUSIVE lock is held.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..facts_schema import OperationFacts
from .locks import ACCESS_EXCLUSIVE, StatementLocks, sets_lock_timeout, statement_locks
from .sql import IDENT, _table_detail, skeleton, unquote

CONSTRAINT_NAME = re.compile(rf"\b(?:ADD|VALIDATE) CONSTRAINT (?P<name>{IDENT})")
VALIDATE = re.compile(rf"^ALTER TABLE (?P<table>{IDENT}) VALIDATE CONSTRAINT (?P<name>{IDENT})")
SET_NOT_NULL = re.compile(
    rf"^ALTER TABLE (?P<table>{IDENT}) ALTER COLUMN (?P<column>{IDENT}) SET NOT NULL\b"
)


@dataclass(frozen=True)
class LockHit:
    code: str
    statement: str
    detail: str
    lock: StatementLocks | None


@dataclass
class LockContext:
    """What the migration did so far, as far as locks go."""

    atomic: bool
    version: int
    lock_timeout: bool = False
    lock_timeout_reported: bool = False
    exclusive_on: str | None = None  # an existing table ACCESS EXCLUSIVE-locked so far
    not_valid: set[str] = field(default_factory=set)
    #: (table, constraint) validated earlier in this migration (``VALIDATE CONSTRAINT``)
    validated: set[tuple[str, str]] = field(default_factory=set)


def note_validation(ctx: LockContext, statement: str) -> None:
    """Remember a ``VALIDATE CONSTRAINT`` (the PostgreSQL 12 NOT NULL pattern's middle step)."""
    match = VALIDATE.match(skeleton(statement))
    if match:
        ctx.validated.add((unquote(match["table"]), unquote(match["name"])))


def validated_not_null(ctx: LockContext, statement: str, before: Sequence[str] = ()) -> bool:
    """``SET NOT NULL`` after this migration validated a check on the same table that names the
    column (``CHECK (col IS NOT NULL)`` added ``NOT VALID`` by an earlier migration, as
    ``django-migration-lsp fix`` writes it): PostgreSQL 12+ proves the column from the check and
    does not scan. The check's text lives in that earlier migration, so it is recognised by the
    names: the table, and the column within the constraint's name."""
    match = SET_NOT_NULL.match(skeleton(statement))
    if match is None or ctx.version < 12:
        return False
    table, column = unquote(match["table"]), unquote(match["column"])
    validated = set(ctx.validated)
    for earlier in before:
        found = VALIDATE.match(skeleton(earlier))
        if found:
            validated.add((unquote(found["table"]), unquote(found["name"])))
    return any(t == table and column in name for t, name in validated)


_CONSTRAINT_CODES = {
    "add foreign key": "ADD_FOREIGN_KEY",
    "add check constraint": "ADD_CHECK",
    "add exclusion constraint": "ADD_EXCLUSION",
}


def lock_hits(
    statements: list[str],
    facts: OperationFacts,
    ctx: LockContext,
    created: set[str],
    *,
    user_sql: bool,
) -> list[LockHit]:
    """Lock hits of one operation's statements; updates ``ctx`` for the operations after it.

    ``user_sql``: the statements are RunSQL (their data changes are data steps; the schema
    editor's own backfill UPDATE is part of its operation).
    """
    hits: list[LockHit] = []
    altered = facts.column_altered
    old_type = altered.old_type if altered is not None else None
    for statement in statements:
        if sets_lock_timeout(statement):
            # SET LOCAL lasts until commit: nothing when each statement commits on its own
            local = skeleton(statement).startswith("SET LOCAL")
            ctx.lock_timeout = ctx.lock_timeout or ctx.atomic or not local
            continue
        locks = statement_locks(statement, ctx.version, old_type=old_type)
        if locks is None or not locks.tables:
            continue
        if locks.what == "data change" and not user_sql:
            continue
        hits.extend(_statement_hits(statement, locks, ctx, created, facts))
        note_validation(ctx, statement)
    return hits


def _statement_hits(
    statement: str,
    locks: StatementLocks,
    ctx: LockContext,
    created: set[str],
    facts: OperationFacts,
) -> list[LockHit]:
    if not locks.transactional:
        if ctx.atomic:
            return [LockHit("CONCURRENTLY_IN_TRANSACTION", statement, "", locks)]
        return []
    table = locks.tables[0]
    if table in created:
        return []
    detail = f'index "{table}"' if locks.what == "drop index" else _table_detail(table)
    hits: list[LockHit] = []
    if locks.what == "data change":
        if ctx.atomic and ctx.exclusive_on:
            hits.append(_holds(statement, ctx.exclusive_on, locks))
        return hits
    match = CONSTRAINT_NAME.search(skeleton(statement))
    name = unquote(match["name"]) if match else None
    code = _CONSTRAINT_CODES.get(locks.what)
    if code and locks.scan:
        hits.append(LockHit(code, statement, detail, locks))
    elif code and name:
        ctx.not_valid.add(name)
    validating = locks.what == "validate constraint" and ctx.atomic
    if validating and name in ctx.not_valid:
        hits.append(LockHit("VALIDATE_IN_TRANSACTION", statement, detail, locks))
    checked = _not_null_checked(facts) or validated_not_null(ctx, statement)
    if locks.what == "set not null" and not checked:
        hits.append(LockHit("NOT_NULL_SCAN", statement, _column_detail(table, facts), locks))
    if locks.rewrite:
        hits.append(LockHit("TABLE_REWRITE", statement, detail, locks))
    if locks.mode == ACCESS_EXCLUSIVE:
        if not ctx.lock_timeout and not ctx.lock_timeout_reported:
            ctx.lock_timeout_reported = True
            hits.append(LockHit("LOCK_TIMEOUT", statement, detail, locks))
        if ctx.exclusive_on is None:
            ctx.exclusive_on = table
    return hits


def _holds(statement: str, table: str, locks: StatementLocks | None) -> LockHit:
    return LockHit(
        "DATA_MIGRATION_HOLDS_LOCKS",
        statement,
        f'ACCESS EXCLUSIVE on table "{table}" is held while it runs',
        locks,
    )


def runpython_hit(ctx: LockContext) -> LockHit | None:
    """DATA_MIGRATION_HOLDS_LOCKS for a RunPython step after lock-taking DDL in the transaction."""
    if ctx.atomic and ctx.exclusive_on:
        return _holds("", ctx.exclusive_on, None)
    return None


def _not_null_checked(facts: OperationFacts) -> bool:
    altered = facts.column_altered
    return bool(altered is not None and altered.not_null_checked)


def _column_detail(table: str, facts: OperationFacts) -> str:
    altered = facts.column_altered
    return _table_detail(table, altered.column if altered is not None else None)
