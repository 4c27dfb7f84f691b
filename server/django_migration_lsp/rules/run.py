"""The rules: rendered operations of one migration in, rule hits out (pure).

``lint_operations`` runs the SQL rules over each operation's statements in migration order,
the operation-fact rules where SQL is missing or is a SQLite table rebuild, the RunPython rules,
and the RunSQL rules (reverse SQL included), attributing every hit to its operation.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..facts_schema import OperationFacts
from ..findings import RenderedOperation
from .catalogue import RULES, Rule, docs_url
from .facts import facts_hits
from .python_code import runpython_hits
from .sql import MigrationContext, analyse_operation, takes_exclusive_lock

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


def _leaves(ops: list[RenderedOperation]) -> list[RenderedOperation]:
    """Operations in execution order, SeparateDatabaseAndState replaced by its database ops."""
    out: list[RenderedOperation] = []
    for op in ops:
        if op.sub_operations:
            out.extend(op.sub_operations)
        elif op.kind != "SeparateDatabaseAndState":
            out.append(op)
    return out


def lint_operations(ops: list[RenderedOperation], vendor: str, *, atomic: bool) -> list[RuleHit]:
    """Every rule hit of one migration, one per (code, operation, sub-operation)."""
    vendor = (vendor or "").lower()
    leaves = _leaves(ops)
    ctx = MigrationContext(vendor=vendor, atomic=atomic)
    ctx.exclusive_lock = (
        atomic
        and vendor == "postgresql"
        and takes_exclusive_lock([s for op in leaves for s in op.statements])
    )
    hits: dict[tuple[str, int, int | None], RuleHit] = {}

    def add(op: RenderedOperation, code: str, statements: tuple[str, ...], detail: str) -> None:
        key = (code, op.index, op.sub_index)
        if key not in hits:
            hits[key] = RuleHit(code, op.index, op.sub_index, statements, detail)

    for op in leaves:
        created_before = set(ctx.created_tables)
        facts = OperationFacts.from_dict(op.facts)
        rebuild = bool(facts.table_remade)
        if op.statements and op.sql_origin != "python":
            for hit in analyse_operation(op.statements, ctx, rebuild=rebuild):
                add(op, hit.code, (hit.statement,), hit.detail)
        has_schema_facts = any(getattr(facts, k) is not None for k in SCHEMA_FACT_KEYS)
        if rebuild or (not op.statements and has_schema_facts):
            for code, detail in facts_hits(facts, vendor, created_before):
                add(op, code, tuple(op.statements), detail)
        for table in facts.tables_created or ():
            ctx.created_tables.add(table)
        if facts.runpython is not None:
            for code, detail in runpython_hits(facts.runpython):
                add(op, code, (), detail)
        runsql = facts.runsql
        if runsql is not None:
            if runsql.reversible is False:
                add(op, "RUNSQL_REVERSIBLE", (), "")
            reverse = list(runsql.reverse_statements)
            if reverse:
                reverse_ctx = MigrationContext(vendor=vendor, atomic=atomic)
                reverse_ctx.created_tables = set(ctx.created_tables)
                for hit in analyse_operation(reverse, reverse_ctx):
                    add(
                        op, hit.code, (hit.statement,), f"{hit.detail} (in the reverse SQL)".strip()
                    )
    return list(hits.values())


def message_for(hit: RuleHit, rule: Rule) -> str:
    """What is wrong (with the specifics), why it breaks a rolling deploy, and what to do."""
    what = rule.title
    if hit.detail:
        what = f"{what}: {hit.detail}"
    return f"{what}. {rule.why} {rule.fix}"
