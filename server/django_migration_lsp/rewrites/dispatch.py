"""Which rewrite applies to which operation, and how the proposals become files.

One table maps an operation's class name to the functions that may propose its safe form.
Proposals that must run outside a transaction stay in the migration (made ``atomic = False``)
when nothing else in it needs a transaction; otherwise they move to a migration added after it,
which only a leaf migration can get.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable

from . import (
    concurrent_index,
    constraints,
    db_default,
    foreign_key,
    lock_timeout,
    not_null,
    placement,
    removal,
    table_removal,
)
from .model import FixResult, MigrationInput, Proposal, RenderedOp, Rewritten, Skipped
from .pysource import PySource, apply_edits, call_name
from .rename_pass import rename_pass

Proposer = Callable[[PySource, ast.Call, RenderedOp], Proposal | None]

PROPOSERS: dict[str, tuple[Proposer, ...]] = {
    "AddIndex": (concurrent_index.swap_index_operation,),
    "RemoveIndex": (concurrent_index.swap_index_operation,),
    "AlterIndexTogether": (concurrent_index.index_together,),
    "AddField": (
        foreign_key.add_foreign_key,
        constraints.unique_on_field,
        concurrent_index.db_index_on_field,
        db_default.keep_default_in_database,
    ),
    "AlterField": (
        constraints.unique_on_field,
        foreign_key.alter_foreign_key,
        concurrent_index.db_index_on_field,
        not_null.set_not_null,
    ),
    "AddConstraint": (constraints.add_constraint,),
    "RemoveField": (removal.state_only_removal, table_removal.state_only_table_removal),
    "DeleteModel": (table_removal.state_only_table_removal,),
}
#: proposers whose safe form needs a newer Django than 4.2 (``db_default`` came in 5.0)
MINIMUM_DJANGO: dict[Proposer, tuple[int, int]] = {
    db_default.keep_default_in_database: db_default.FIRST_DJANGO_WITH_DB_DEFAULT,
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
        "DROP_COLUMN",
        "NOT_NULL",
        "DROP_TABLE",
        "RENAME_COLUMN",
        "RENAME_TABLE",
    }
)


def _created_here(calls: list[ast.expr], index: int, model: str | None) -> int | None:
    for i, other in enumerate(calls[:index]):
        if call_name(other) == "CreateModel" and placement.model_of(other) == model:
            return i
    return None


def _why_not(
    calls: list[ast.expr], inp: MigrationInput, proposer: Proposer, proposal: Proposal
) -> str | None:
    """Why ``proposal`` is not made here (None: it is)."""
    minimum = MINIMUM_DJANGO.get(proposer)
    if minimum is not None and inp.django_version < minimum:
        runs = ".".join(map(str, inp.django_version)) or "an unknown version"
        return (
            f"its safe form needs Django {'.'.join(map(str, minimum))} (db_default) and this "
            f"project runs {runs}: keep a database default by hand while the old code runs "
            "(RunSQL ALTER COLUMN ... SET DEFAULT now, DROP DEFAULT next release), or add the "
            "field with null=True"
        )
    created = _created_here(calls, proposal.index, placement.model_of(calls[proposal.index]))
    if created is not None:
        return (
            f"the table is created by operation {created} of this migration: nothing "
            "uses it yet, so its lock blocks no one and no rewrite is needed"
        )
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
            reason = _why_not(calls, inp, proposer, proposal)
            if reason is not None:
                skipped.append(Skipped(proposal.code, rendered.index, reason))
                continue
            proposals.append(proposal)
            break
    return proposals, skipped


def fix_migration(inp: MigrationInput, codes: Iterable[str] | None = None) -> FixResult:
    """The zero-downtime form of ``inp``'s risky operations (only ``codes`` when given)."""
    wanted = frozenset(c.upper() for c in codes) if codes is not None else None
    renames = rename_pass(inp, wanted)  # state-only renames first: same operation indexes
    result = renames.merged(_rewrite(renames.input, wanted))
    if result.refused or (wanted is not None and "LOCK_TIMEOUT" not in wanted):
        return result
    return lock_timeout.add_to(result, renames.input)


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
        return placement.finished(base, inp.text, None, [], skipped)
    blockers = placement.blockers(inp, proposals) if any(p.outside for p in proposals) else []
    if not blockers and not any(p.needs_next for p in proposals):
        text = apply_edits(inp.text, placement.in_place(source, calls, proposals))
        done = [Rewritten(p.code, p.index, p.title) for p in proposals]
        result = placement.finished(base, text, None, done, skipped)
    else:
        result = placement.moved(base, inp, source, calls, proposals, skipped, blockers)
    return placement.with_next_release(result, inp, source, proposals)


def _refuse(base: FixResult, reason: str) -> FixResult:
    return FixResult(base.app, base.name, base.path, base.original, base.original, refused=reason)
