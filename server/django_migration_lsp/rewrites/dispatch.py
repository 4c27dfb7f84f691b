"""Which rewrite applies to which operation, and how the proposals become files.

One table maps an operation's class name to the functions that may propose its safe form.
Proposals that must run outside a transaction stay in the migration (made ``atomic = False``)
when nothing else in it needs a transaction; otherwise they move to a migration added after it,
which only a leaf migration can get.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Callable, Iterable
from dataclasses import replace

from . import (
    assemble,
    concurrent_index,
    constraints,
    foreign_key,
    lock_timeout,
    not_null,
    removal,
)
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

Proposer = Callable[[PySource, ast.Call, RenderedOp], Proposal | None]

PROPOSERS: dict[str, tuple[Proposer, ...]] = {
    "AddIndex": (concurrent_index.swap_index_operation,),
    "RemoveIndex": (concurrent_index.swap_index_operation,),
    "AddField": (
        foreign_key.add_foreign_key,
        constraints.unique_on_field,
        concurrent_index.db_index_on_field,
    ),
    "AlterField": (
        constraints.unique_on_field,
        concurrent_index.db_index_on_field,
        not_null.set_not_null,
    ),
    "AddConstraint": (constraints.add_constraint,),
    "RemoveField": (removal.state_only_removal,),
}

#: the codes a rewrite can answer (for ``--code`` and the editor's actions)
CODES = frozenset(
    {
        "CREATE_INDEX",
        "DROP_INDEX",
        "ADD_CHECK",
        "ADD_UNIQUE",
        "ADD_FOREIGN_KEY",
        "NOT_NULL_SCAN",
        "LOCK_TIMEOUT",
    }
)


def model_of(call: ast.Call) -> str | None:
    """The lower-case model name an operation works on."""
    kind = call_name(call) or ""
    value = keyword(call, "name", 0) if kind in ("CreateModel", "DeleteModel") else None
    value = value or keyword(call, "model_name", 0)
    name = constant(value)
    return name.lower() if isinstance(name, str) else None


def _created_here(calls: list[ast.expr], index: int, model: str | None) -> int | None:
    for i, other in enumerate(calls[:index]):
        if call_name(other) == "CreateModel" and model_of(other) == model:  # type: ignore[arg-type]
            return i
    return None


def _propose(
    source: PySource, calls: list[ast.expr], inp: MigrationInput, codes: frozenset[str] | None
) -> tuple[list[Proposal], list[Skipped]]:
    proposals: list[Proposal] = []
    skipped: list[Skipped] = []
    for call, rendered in zip(calls, inp.operations, strict=True):
        if not isinstance(call, ast.Call):
            continue
        for proposer in PROPOSERS.get(call_name(call) or "", ()):
            proposal = proposer(source, call, rendered)
            if proposal is None or (codes is not None and proposal.code not in codes):
                continue
            created = _created_here(calls, rendered.index, model_of(call))
            if created is not None:
                skipped.append(
                    Skipped(
                        proposal.code,
                        rendered.index,
                        f"the table is created by operation {created} of this migration: nothing "
                        "uses it yet, so its lock blocks no one and no rewrite is needed",
                    )
                )
                continue
            proposals.append(proposal)
            break
    return proposals, skipped


def _needs_transaction(rendered: RenderedOp) -> bool:
    """More than one statement (a failure in between would leave half of it applied)."""
    return rendered.kind == "RunPython" or len(rendered.statements) > 1


def _in_place(source: PySource, calls: list[ast.expr], proposals: list[Proposal]) -> list[Edit]:
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


def _conflicts(calls: list[ast.expr], proposals: list[Proposal]) -> dict[int, int]:
    """Proposal index -> a later operation that stays and works on the same model."""
    moving = {p.index for p in proposals}
    found: dict[int, int] = {}
    for p in proposals:
        model = model_of(calls[p.index])  # type: ignore[arg-type]
        for later in range(p.index + 1, len(calls)):
            other = calls[later]
            if later not in moving and isinstance(other, ast.Call) and model_of(other) == model:
                found[p.index] = later
                break
    return found


def _blockers(inp: MigrationInput, proposals: list[Proposal]) -> list[int]:
    moving = {p.index for p in proposals}
    blockers = [o.index for o in inp.operations if o.index not in moving and _needs_transaction(o)]
    return blockers + [p.index for p in proposals if p.plain_statements > 1]


def fix_migration(inp: MigrationInput, codes: Iterable[str] | None = None) -> FixResult:
    """The zero-downtime form of ``inp``'s risky operations (only ``codes`` when given)."""
    wanted = frozenset(c.upper() for c in codes) if codes is not None else None
    result = _rewrite(inp, wanted)
    if result.refused or (wanted is not None and "LOCK_TIMEOUT" not in wanted):
        return result
    return _with_lock_timeout(result, inp)


def _with_lock_timeout(result: FixResult, inp: MigrationInput) -> FixResult:
    """``SET LOCAL lock_timeout`` in this migration and the new one where they need it."""
    if inp.lock_timeout_configured:
        return result
    done = list(result.rewritten)
    text = result.text
    first = lock_timeout.first_exclusive(
        (op.index, s) for op in inp.operations for s in op.statements
    )
    if first is not None and (changed := lock_timeout.insert(text)) is not None:
        text = changed
        done.append(Rewritten("LOCK_TIMEOUT", first, lock_timeout.TITLE))
    new = result.new_migration
    if (
        new is not None
        and lock_timeout.first_exclusive(lock_timeout.forward_sql(new.text)) is not None
    ):
        changed = lock_timeout.insert(new.text)
        new = replace(new, text=changed) if changed else new
    later = result.next_release
    if (
        later is not None
        and lock_timeout.first_exclusive(lock_timeout.forward_sql(later.text)) is not None
    ):
        changed = lock_timeout.insert(later.text)
        later = replace(later, text=changed) if changed else later
    return replace(result, text=text, new_migration=new, next_release=later, rewritten=tuple(done))


def _rewrite(inp: MigrationInput, wanted: frozenset[str] | None) -> FixResult:
    base = FixResult(inp.app, inp.name, inp.path, inp.text, inp.text)
    if inp.vendor != "postgresql":
        return _refuse(base, f"the rewrites are PostgreSQL's; this database is {inp.vendor}")
    try:
        source = PySource(inp.text)
    except SyntaxError as exc:
        where = f"{inp.path}:{exc.lineno}:{(exc.offset or 1)}"
        return _refuse(base, f"{where}: {exc.msg}: the file must parse before it can be rewritten")
    calls = source.operation_calls()
    if calls is None or len(calls) != len(inp.operations):
        return _refuse(
            base,
            f"{inp.path}: `operations` is not a literal list of the operations Django loads, so "
            "they cannot be rewritten in the source",
        )
    proposals, skipped = _propose(source, calls, inp, wanted)
    if not proposals:
        return _done(base, inp.text, None, [], skipped)
    blockers = _blockers(inp, proposals) if any(p.outside for p in proposals) else []
    if not blockers and not any(p.needs_next for p in proposals):
        text = apply_edits(inp.text, _in_place(source, calls, proposals))
        done = [Rewritten(p.code, p.index, p.title) for p in proposals]
        result = _done(base, text, None, done, skipped)
    else:
        result = _moved(base, inp, source, calls, proposals, skipped, blockers)
    return _with_next_release(result, inp, source, proposals)


def _with_next_release(
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
        purpose="NEXT release: move it into migrations/ once no running code uses the columns",
    )
    path = os.path.join(os.path.dirname(inp.path), "next_release", f"{name}.py")
    return replace(result, next_release=LaterMigration(name, path, text))


def _why(blockers: list[int], proposals: list[Proposal]) -> str:
    if blockers:
        return (
            f"operation {', '.join(map(str, sorted(set(blockers))))} of this migration needs a "
            "transaction, so the steps that cannot run in one need a migration of their own"
        )
    return "the VALIDATE step must run in a later transaction, in the migration after this one"


def _moved(
    base: FixResult,
    inp: MigrationInput,
    source: PySource,
    calls: list[ast.expr],
    proposals: list[Proposal],
    skipped: list[Skipped],
    blockers: list[int],
) -> FixResult:
    why = _why(blockers, proposals)
    if not inp.leaf:
        reason = (
            f"{why}, and one can only be added after a leaf migration "
            f"({', '.join(inp.dependents)} depends on this one)"
        )
        skipped += [Skipped(p.code, p.index, reason) for p in proposals]
        return _done(base, inp.text, None, [], skipped)
    conflicts = _conflicts(calls, proposals)
    for index, later in conflicts.items():
        p = next(p for p in proposals if p.index == index)
        reason = (
            f"{why}, but operation {later} after it works on the same model and would then "
            "run before it"
        )
        skipped.append(Skipped(p.code, index, reason))
    proposals = [p for p in proposals if p.index not in conflicts]
    if not proposals:
        return _done(base, inp.text, None, [], skipped)
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
    return _done(base, apply_edits(inp.text, edits), NewMigration(name, path, text), done, skipped)


def _refuse(base: FixResult, reason: str) -> FixResult:
    return FixResult(base.app, base.name, base.path, base.original, base.original, refused=reason)


def _done(
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
