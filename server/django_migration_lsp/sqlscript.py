"""A migration's SQL as Django executes it: the one path behind ``django-migration-lsp sql``
and the editor's "Show Migration SQL" (pure, no Django).

Each operation shows its statements as they run: a RunSQL script whole where the backend runs
it whole (``RenderedOperation.run_as``), the statements Django defers to the migration's end
(``RenderedOperation.deferred``) at the end, attributed to the operation that deferred them.
The text is ``sqlmigrate``'s layout; the document is ``sql --format json``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .findings import RenderedOperation

Where = tuple[int, int | None]


def attach_as_run(
    operations: Iterable[RenderedOperation],
    deferred: Mapping[Where, list[str]],
    as_run: Mapping[Where, list[str]],
) -> None:
    """Record on each operation (and sub-operation) what the renderer noted about how Django
    runs it: its deferred statements and its RunSQL script as executed."""
    for op in operations:
        for one in [op, *op.sub_operations]:
            where = (one.index, one.sub_index)
            one.deferred = list(deferred.get(where, []))
            run = as_run.get(where)
            one.run_as = list(run) if run is not None else None
        if op.sub_operations:
            op.deferred = [s for sub in op.sub_operations for s in sub.deferred]


def operation_entry(op: RenderedOperation) -> dict[str, Any]:
    """One operation of the document: its own statements as run, its deferred ones apart."""
    own = op.statements[: len(op.statements) - len(op.deferred)] if op.deferred else op.statements
    entry: dict[str, Any] = {
        "index": op.index,
        "sub_index": op.sub_index,
        "kind": op.kind,
        "description": op.description,
        "statements": list(op.run_as) if op.run_as is not None else list(own),
        "deferred": list(op.deferred),
        "notes": list(op.notes),
        "error": op.error,
    }
    if op.sub_operations:
        subs = [operation_entry(sub) for sub in op.sub_operations]
        entry["sub_operations"] = subs
        entry["statements"] = [s for sub in subs for s in sub["statements"]]
        entry["deferred"] = [s for sub in subs for s in sub["deferred"]]
    return entry


def script_document(
    key: tuple[str, str],
    vendor: str | None,
    atomic: bool,
    operations: Iterable[RenderedOperation],
    *,
    backwards: bool = False,
    error: str | None = None,
) -> dict[str, Any]:
    """The JSON document of ``sql --format json`` (version 1)."""
    return {
        "version": 1,
        "app": key[0],
        "name": key[1],
        "vendor": vendor,
        "backwards": backwards,
        "atomic": atomic,
        "error": error,
        "operations": [operation_entry(op) for op in operations],
    }


def all_entries(operations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The document's operations and their sub-operations, in order."""
    out = []
    for op in operations:
        out.append(op)
        out.extend(op.get("sub_operations", []))
    return out


def to_text(document: dict[str, Any]) -> str:
    """``sqlmigrate``'s layout: BEGIN/COMMIT when atomic, a comment per operation, the
    deferred statements last (Django runs them at the end of the migration)."""
    lines: list[str] = ["BEGIN;"] if document["atomic"] else []
    deferred: list[str] = []
    for op in document["operations"]:
        lines += ["--", f"-- {op['description']}", "--"]
        if op["error"]:
            lines.append(f"-- could not be rendered: {op['error']}")
        lines += [f"-- {note}" for note in op["notes"]]
        if op["kind"] == "RunPython":
            lines.append("-- (Python code: no SQL)")
        lines += op["statements"]
        deferred += op["deferred"]
    if deferred:
        lines += ["--", "-- Deferred to the end of the migration", "--", *deferred]
    if document["error"]:
        lines.append(f"-- {document['error']}")
    if document["atomic"]:
        lines.append("COMMIT;")
    return "\n".join(lines)
