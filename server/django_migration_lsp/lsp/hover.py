"""Hover: the SQL an operation runs (pure)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from ..facts_schema import OperationFacts
from ..findings import MigrationResult, RenderedOperation
from ..rules.locks import statement_locks
from ..source import MigrationSource
from ..sqlscript import script_document, to_text

if TYPE_CHECKING:
    from .server import MigrationServer

VENDORS = {"postgresql": "PostgreSQL", "sqlite": "SQLite", "mysql": "MySQL", "oracle": "Oracle"}


async def hover_markdown(ls: MigrationServer, uri: str, position: types.Position) -> str | None:
    """The hover of the operation under ``position``: from the buffer's parse, or from the last
    parse that had no syntax error while the buffer is half-typed."""
    from .linting import uri_to_path

    path = uri_to_path(uri)
    result = ls.linter.results.get(str(path))
    document = ls.workspace.text_documents.get(uri)
    if result is None or document is None:
        return None
    source = await ls.linter.documents.parse(uri, document.source, str(path))
    if source.syntax_error is not None:
        source = ls.linter.documents.last_good(uri) or source
    index = operation_at(source, position.line, position.character)
    if index is None or index >= len(result.operations):
        return None
    runtime = ls.session.runtime_for(path)
    info = runtime.supervisor.info if runtime else None
    vendor = result.vendor or (info.vendor if info else None)
    return operation_markdown(result.operations[index], vendor)


def operation_at(source: MigrationSource, line: int, character: int) -> int | None:
    """Index of the operation whose call spans the 0-based position."""
    for op in source.operations or []:
        span = op.span
        after_start = (line + 1, character) >= (span.line, span.col)
        before_end = (line + 1, character) <= (span.end_line, span.end_col)
        if after_start and before_end:
            return op.index
    return None


def operation_markdown(op: RenderedOperation, vendor: str | None) -> str:
    """Markdown: what the operation is and the SQL it runs on the configured backend."""
    name = VENDORS.get(vendor or "", vendor or "the configured database")
    parts = [f"**{op.kind}** — {op.description}", ""]
    statements = op.shown  # a RunSQL script whole where the backend runs it whole
    if op.sql_origin == "python":
        parts.append("Runs Python code (no SQL of its own).")
    elif statements:
        parts.append(f"SQL on {name}:")
        parts.append("```sql\n" + "\n".join(statements) + "\n```")
        if vendor == "postgresql":
            parts.extend(lock_lines(op))
    elif op.error:
        parts.append(f"The SQL could not be rendered: {op.error}")
    else:
        parts.append(f"No SQL on {name} (a state-only change).")
    for note in op.notes:
        parts.append(f"> {note}")
    return "\n".join(parts)


def lock_lines(op: RenderedOperation) -> list[str]:
    """What each statement locks, and how its time scales (PostgreSQL lock model)."""
    altered = OperationFacts.from_dict(op.facts).column_altered
    old_type = altered.old_type if altered is not None else None
    lines = []
    for statement in op.statements:
        locks = statement_locks(statement, old_type=old_type)
        if locks is None or not locks.locks:
            continue
        held = ", ".join(f"{mode} on `{relation}`" for relation, mode in locks.locks)
        where = "" if locks.transactional else "; cannot run inside a transaction"
        lines.append(f"- {locks.what}: {held}; {locks.cost()}{where}")
    return ["", "Locks (PostgreSQL):", *lines] if lines else []


def migration_sql(result: MigrationResult) -> str:
    """A migration's whole SQL: a header line naming it, then what ``django-migration-lsp sql``
    prints (``sqlmigrate``'s layout, statements as Django executes them; one path for both)."""
    vendor = VENDORS.get(result.vendor or "", result.vendor or "")
    key = (result.app, result.name)
    every = [o for op in result.operations for o in (op, *op.sub_operations)]
    error = None if any(o.error for o in every) else result.error  # else shown per operation
    document = script_document(key, result.vendor, result.atomic, result.operations, error=error)
    return f"-- {result.app}.{result.name} on {vendor}\n" + to_text(document) + "\n"
