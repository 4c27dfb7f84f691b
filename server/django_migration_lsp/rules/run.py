"""The rules: rendered operations of one migration in, rule hits out (pure).

``lint_operations`` runs the SQL rules over each operation's statements in migration order,
the operation-fact rules where SQL is missing or is a SQLite table rebuild, the RunPython rules,
and the RunSQL rules (reverse SQL included), attributing every hit to its operation.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..facts_schema import OperationFacts
from ..findings import RenderedOperation
from . import mysql_ddl
from .catalogue import RULES, TIGHTENED_NOT_NULL, Rule, docs_url
from .facts import facts_hits
from .lock_rules import LockContext, lock_hits, runpython_hit, validated_not_null
from .locks import StatementLocks, statement_locks, type_change_rewrites
from .python_code import runpython_hits
from .sql import MigrationContext, analyse_operation, drop_target, takes_exclusive_lock

__all__ = ["RULES", "Rule", "RuleHit", "docs_url", "lint_operations", "message_for"]

SCHEMA_FACT_KEYS = (
    "column_added",
    "column_dropped",
    "tables_dropped",
    "column_renamed",
    "table_renamed",
    "column_altered",
    "unique_added",
    "index_added",
    "index_dropped",
)


@dataclass(frozen=True)
class RuleHit:
    code: str
    operation_index: int
    sub_index: int | None
    statements: tuple[str, ...]
    detail: str
    #: what the statement locks (PostgreSQL lock rules), for the finding's ``lock`` field
    lock: StatementLocks | None = None
    #: overrides the rule's default severity (``info`` for a contract-step drop)
    severity: str | None = None
    #: overrides the rule's why and fix (NOT_NULL on an existing column)
    advice: str | None = None


def _leaves(ops: list[RenderedOperation]) -> list[RenderedOperation]:
    """Operations in execution order, SeparateDatabaseAndState replaced by its database ops."""
    out: list[RenderedOperation] = []
    for op in ops:
        if op.sub_operations:
            out.extend(op.sub_operations)
        elif op.kind != "SeparateDatabaseAndState":
            out.append(op)
    return out


class _Hits:
    """The hits of one migration, at most one per (code, operation, sub-operation)."""

    def __init__(self, vendor: str) -> None:
        self.vendor = vendor
        self.by_key: dict[tuple[str, int, int | None], RuleHit] = {}

    def add(
        self,
        op: RenderedOperation,
        code: str,
        statements: tuple[str, ...],
        detail: str,
        lock: StatementLocks | None = None,
        severity: str | None = None,
    ) -> None:
        key = (code, op.index, op.sub_index)
        kept = self.by_key.get(key)
        if kept is None or _shown_first(statements, kept.statements):
            advice = _advice(code, OperationFacts.from_dict(op.facts), self.vendor)
            hit = RuleHit(code, op.index, op.sub_index, statements, detail, lock, severity, advice)
            self.by_key[key] = hit


def _advice(code: str, facts: OperationFacts, vendor: str) -> str | None:
    """The why and fix of a NOT_NULL that tightens an existing column (not an added one); on
    MySQL/MariaDB those of the codes its online DDL decides (``rules.mysql_ddl``)."""
    if vendor == "mysql":
        return mysql_ddl.advice(code, facts)
    altered = facts.column_altered
    tightens = altered is not None and altered.old_null is True and altered.new_null is False
    return TIGHTENED_NOT_NULL if code == "NOT_NULL" and tightens else None


def _shown_first(statements: tuple[str, ...], kept: tuple[str, ...]) -> bool:
    """Of two single statements hitting one code on one operation, the one a finding shows.

    Django renders some operations from sets (``AlterUniqueTogether`` drops and creates its
    indexes in set order), so the order of their statements changes with ``PYTHONHASHSEED``;
    the text order of the statements does not, and two identical runs report the same ``sql``.
    """
    return len(statements) == len(kept) == 1 and statements < kept


def lint_operations(
    ops: list[RenderedOperation],
    vendor: str,
    *,
    atomic: bool,
    postgres_version: int = 12,
    lock_timeout: bool = False,
) -> list[RuleHit]:
    """Every rule hit of one migration, one per (code, operation, sub-operation).

    ``lock_timeout``: the connection already sets one (then LOCK_TIMEOUT never fires).
    """
    vendor = (vendor or "").lower()
    leaves = _leaves(ops)
    ctx = MigrationContext(vendor=vendor, atomic=atomic)
    ctx.exclusive_lock = (
        atomic
        and vendor == "postgresql"
        and takes_exclusive_lock([s for op in leaves for s in op.statements])
    )
    hits = _Hits(vendor)
    locks = LockContext(atomic=atomic, version=postgres_version, lock_timeout=lock_timeout)
    for op in leaves:
        created_before = set(ctx.created_tables)
        facts = OperationFacts.from_dict(op.facts)
        rebuild = bool(facts.table_remade)
        if op.statements and op.sql_origin != "python":
            _sql_rules(op, facts, ctx, hits, rebuild=rebuild, locks=locks)
            if vendor == "postgresql":
                _lock_rules(op, facts, ctx, locks, hits)
        if vendor == "postgresql" and facts.runpython is not None:
            held = runpython_hit(locks)
            if held is not None:
                hits.add(op, held.code, (), held.detail)
        has_schema_facts = any(getattr(facts, k) is not None for k in SCHEMA_FACT_KEYS)
        # Oracle's SQL is not checked against a server: its facts always decide too, so the
        # verdicts with the driver are never weaker than facts-only ones without it
        by_facts = rebuild or vendor == "oracle" or not op.statements
        if by_facts and has_schema_facts:
            for code, detail in facts_hits(facts, vendor, created_before):
                hits.add(op, code, tuple(op.statements), detail)
        for table in facts.tables_created or ():
            ctx.created_tables.add(table)
        if facts.runpython is not None:
            for code, detail in runpython_hits(facts.runpython):
                hits.add(op, code, (), detail)
        if facts.runsql is not None:
            _runsql_rules(op, facts, ctx, hits)
    return [hit for hit in hits.by_key.values() if not _default_set_later(hit, ctx)]


def _default_set_later(hit: RuleHit, ctx: MigrationContext) -> bool:
    """A NOT_NULL column that a later operation gives a database default (RunSQL ``SET
    DEFAULT``, django-add-default-value): it ends the migration with one. Only where no other
    session sees the column in between (one transaction: atomic, transactional DDL)."""
    if hit.code != "NOT_NULL" or len(hit.statements) != 1:
        return False
    one_transaction = ctx.atomic and ctx.vendor in ("postgresql", "sqlite")
    return one_transaction and ctx.ends_with_default(hit.statements[0])


def _sql_rules(
    op: RenderedOperation,
    facts: OperationFacts,
    ctx: MigrationContext,
    hits: _Hits,
    *,
    rebuild: bool,
    locks: LockContext,
) -> None:
    """The django-migration-linter codes from the operation's SQL, made precise by its facts;
    on PostgreSQL each carries what its statement locks."""
    altered = facts.column_altered
    old_type = altered.old_type if altered is not None else None
    version = locks.version
    for hit in analyse_operation(op.statements, ctx, rebuild=rebuild):
        lock = None
        if ctx.vendor == "postgresql":
            lock = statement_locks(hit.statement, version, old_type=old_type)
        at = op.statements.index(hit.statement) if hit.statement in op.statements else 0
        before = op.statements[:at]
        pattern = ctx.vendor == "postgresql" and validated_not_null(locks, hit.statement, before)
        if hit.code == "NOT_NULL" and pattern:
            continue
        if hit.code == "ALTER_COLUMN" and ctx.vendor == "postgresql" and _widens(facts):
            continue
        if ctx.vendor == "mysql" and _mysql_no_change(hit.code, facts):
            continue
        if hit.code == "NOT_NULL" and _not_null_checked(facts):
            continue
        if hit.code == "ADD_UNIQUE" and rebuild:
            continue  # the rebuilt table's unique indexes, re-created: its facts say what is new
        if _contract_step(hit.statement, facts):
            detail = f"{hit.detail}, {CONTRACT_NOTE}".lstrip(", ")
            hits.add(op, hit.code, (hit.statement,), detail, lock, severity="info")
            continue
        hits.add(op, hit.code, (hit.statement,), hit.detail, lock)


def _lock_rules(
    op: RenderedOperation,
    facts: OperationFacts,
    ctx: MigrationContext,
    locks: LockContext,
    hits: _Hits,
) -> None:
    user_sql = op.sql_origin == "runsql"
    for hit in lock_hits(op.statements, facts, locks, ctx.created_tables, user_sql=user_sql):
        hits.add(op, hit.code, (hit.statement,), hit.detail, hit.lock)


def _runsql_rules(
    op: RenderedOperation, facts: OperationFacts, ctx: MigrationContext, hits: _Hits
) -> None:
    """RUNSQL_REVERSIBLE, and the SQL rules over the reverse SQL."""
    runsql = facts.runsql
    if runsql is None:
        return
    if runsql.reversible is False:
        hits.add(op, "RUNSQL_REVERSIBLE", (), "")
    reverse = list(runsql.reverse_statements)
    if not reverse:
        return
    reverse_ctx = MigrationContext(vendor=ctx.vendor, atomic=ctx.atomic)
    reverse_ctx.created_tables = set(ctx.created_tables)
    for hit in analyse_operation(reverse, reverse_ctx):
        hits.add(op, hit.code, (hit.statement,), f"{hit.detail} (in the reverse SQL)".strip())


CONTRACT_NOTE = (
    "which already left Django's state in an earlier migration (the contract step of a "
    "two-release removal): safe once no release that still uses it runs"
)


def _contract_step(statement: str, facts: OperationFacts) -> bool:
    """A DROP COLUMN / DROP TABLE of what is no longer in Django's state before the RunSQL."""
    if facts.runsql is None or not facts.runsql.outside_state:
        return False
    target = drop_target(statement)
    if target is None:
        return False
    table, column = target
    return (table if column is None else f"{table}.{column}") in facts.runsql.outside_state


def _mysql_no_change(code: str, facts: OperationFacts) -> bool:
    """An AlterField's ``MODIFY`` (MySQL restates the whole column) that keeps the column's type
    (or lengthens a VARCHAR in place), or keeps it NOT NULL: the facts say what changes."""
    if code == "ALTER_COLUMN":
        return mysql_ddl.changes_type(facts) is False
    if code == "NOT_NULL":
        return mysql_ddl.tightens(facts) is False
    return False


def _not_null_checked(facts: OperationFacts) -> bool:
    """SET NOT NULL on a column a CHECK (column IS NOT NULL) in the state already guards: no
    row old code writes changes verdict (the PostgreSQL 12 NOT NULL pattern's last step)."""
    altered = facts.column_altered
    return altered is not None and bool(altered.not_null_checked)


def _widens(facts: OperationFacts) -> bool:
    """A type change PostgreSQL makes without rewriting and that old code tolerates."""
    altered = facts.column_altered
    if altered is None or altered.old_type is None or altered.new_type is None:
        return False
    return not type_change_rewrites(altered.old_type, altered.new_type)


def message_for(hit: RuleHit, rule: Rule) -> str:
    """What is wrong (with the specifics), why it breaks a rolling deploy, and what to do."""
    what = rule.title
    if hit.detail:
        what = f"{what}: {hit.detail}"
    if hit.lock is not None and hit.lock.mode:
        tables = ", ".join(f'"{t}"' for t in hit.lock.tables)
        what = f"{what}. It takes {hit.lock.mode} on {tables} and {hit.lock.cost()}"
    if hit.severity == "info":
        return f"{what}."  # the detail says why it is safe
    return f"{what}. {hit.advice or f'{rule.why} {rule.fix}'}"
