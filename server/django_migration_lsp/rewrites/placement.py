"""Where the safe forms go: in place (``atomic = False`` when a step needs no transaction and
nothing else needs one), or split between this migration and one added after it (only after a
leaf), plus the next release's migration for steps that must wait for it."""

from __future__ import annotations

import ast
import os
from dataclasses import replace

from . import assemble
from .follow_up import migration_text, next_name
from .model import (
    FixResult,
    LaterMigration,
    MigrationInput,
    NewMigration,
    Proposal,
    RenderedOp,
    Rewritten,
    Skipped,
)
from .pysource import (
    Edit,
    PySource,
    apply_edits,
    atomic_false_edit,
    call_name,
    constant,
    import_edit,
    keyword,
    removal_edit,
)


def model_of(call: ast.expr) -> str | None:
    """The lower-case model name an operation works on (None for what is not a call)."""
    if not isinstance(call, ast.Call):
        return None
    kind = call_name(call) or ""
    value = keyword(call, "name", 0) if kind in ("CreateModel", "DeleteModel") else None
    value = value or keyword(call, "model_name", 0)
    name = constant(value)
    return name.lower() if isinstance(name, str) else None


def needs_transaction(rendered: RenderedOp) -> bool:
    """More than one statement (a failure in between would leave half of it applied)."""
    return rendered.kind == "RunPython" or len(rendered.statements) > 1


def in_place(source: PySource, calls: list[ast.expr], proposals: list[Proposal]) -> list[Edit]:
    edits: list[Edit] = []
    for p in proposals:
        call = calls[p.index]
        edits.append(Edit(source.start(call), source.end(call), assemble.in_place(p)))
    for module, name in sorted({i for p in proposals for i in p.imports}):
        edit = import_edit(source, module, name)
        if edit:
            edits.append(edit)
    if any(p.outside for p in proposals):
        edit = atomic_false_edit(source)
        if edit:
            edits.append(edit)
    return edits


def conflicting(calls: list[ast.expr], proposals: list[Proposal]) -> dict[int, int]:
    """Proposal index -> a later operation that stays and works on the same model."""
    moving = {p.index for p in proposals}
    found: dict[int, int] = {}
    for p in proposals:
        model = model_of(calls[p.index])
        for later in range(p.index + 1, len(calls)):
            other = calls[later]
            if later not in moving and isinstance(other, ast.Call) and model_of(other) == model:
                found[p.index] = later
                break
    return found


def blockers(inp: MigrationInput, proposals: list[Proposal]) -> list[int]:
    moving = {p.index for p in proposals}
    blockers = [o.index for o in inp.operations if o.index not in moving and needs_transaction(o)]
    return blockers + [p.index for p in proposals if p.plain_statements > 1]


def with_next_release(
    result: FixResult, inp: MigrationInput, source: PySource, proposals: list[Proposal]
) -> FixResult:
    """The next release's migration for the proposals rewritten that have a later step."""
    done = {r.operation_index for r in result.rewritten}
    later = [p for p in proposals if p.later and p.index in done]
    if not later:
        return result
    after = result.new_migration.name if result.new_migration else inp.name
    taken = inp.taken_names | {after}
    names = [p.later_name for p in later]
    name = next_name(after, names[0] if len(names) == 1 else "contract", taken)
    text = migration_text(
        source,
        (inp.app, after),
        [(t, p.column) for p in later for t in assemble.run_sql_texts(p.later, p.column)],
        autocommit=False,
        extra_imports=[],
        purpose="NEXT release: move it into migrations/ once this release runs everywhere",
    )
    path = os.path.join(os.path.dirname(inp.path), "next_release", f"{name}.py")
    return replace(result, next_release=LaterMigration(name, path, text))


def reason_for(blockers: list[int], proposals: list[Proposal]) -> str:
    if blockers:
        return (
            f"operation {', '.join(map(str, sorted(set(blockers))))} of this migration needs a "
            "transaction, so the steps that cannot run in one need a migration of their own"
        )
    return "the VALIDATE step must run in a later transaction, in the migration after this one"


def moved(
    base: FixResult,
    inp: MigrationInput,
    source: PySource,
    calls: list[ast.expr],
    proposals: list[Proposal],
    skipped: list[Skipped],
    blockers: list[int],
) -> FixResult:
    why = reason_for(blockers, proposals)
    if not inp.leaf:
        reason = (
            f"{why}, and one can only be added after a leaf migration "
            f"({', '.join(inp.dependents)} depends on this one)"
        )
        skipped += [Skipped(p.code, p.index, reason) for p in proposals]
        return finished(base, inp.text, None, [], skipped)
    conflicts = conflicting(calls, proposals)
    for index, later in conflicts.items():
        p = next(p for p in proposals if p.index == index)
        reason = (
            f"{why}, but operation {later} after it works on the same model and would then "
            "run before it"
        )
        skipped.append(Skipped(p.code, index, reason))
    proposals = [p for p in proposals if p.index not in conflicts]
    if not proposals:
        return finished(base, inp.text, None, [], skipped)
    edits = []
    for p in proposals:
        call = calls[p.index]
        kept = assemble.staying(p)
        edits.append(
            removal_edit(source, call)
            if kept is None
            else Edit(source.start(call), source.end(call), kept)
        )
    suffixes = {p.follow_up_suffix for p in proposals}
    name = next_name(
        inp.name, suffixes.pop() if len(suffixes) == 1 else "zero_downtime", inp.taken_names
    )
    follow_ops = [(t, p.column) for p in proposals for t in assemble.moving(p)]
    text = migration_text(
        source,
        (inp.app, inp.name),
        follow_ops,
        autocommit=any(p.outside for p in proposals),
        extra_imports=sorted({i for p in proposals for i in p.imports}),
        purpose="what must run after it, in a transaction of its own or in none",
    )
    path = os.path.join(os.path.dirname(inp.path), f"{name}.py")
    done = [Rewritten(p.code, p.index, p.title, f"moved to {name}") for p in proposals]
    return finished(
        base, apply_edits(inp.text, edits), NewMigration(name, path, text), done, skipped
    )


def finished(
    base: FixResult,
    text: str,
    new: NewMigration | None,
    done: list[Rewritten],
    skipped: list[Skipped],
) -> FixResult:
    return FixResult(
        base.app,
        base.name,
        base.path,
        base.original,
        text,
        new_migration=new,
        rewritten=tuple(done),
        skipped=tuple(skipped),
    )
