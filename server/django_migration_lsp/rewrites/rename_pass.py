"""The rename rewrites over one migration, before the others run (pure).

Each RenameField / RenameModel that renames something in the database becomes its state-only
form in place (one operation for one, so the other rewrites see the same operation indexes);
the models module gets the matching ``db_column`` / ``db_table``. The other rewrites then work
on the new text, with the renamed operations' statements gone (they run no SQL any more).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, replace

from .model import ChangedFile, FixResult, MigrationInput, Rewritten, Skipped
from .models_source import SourceProblem
from .pysource import Edit, PySource, apply_edits, call_name
from .rename import PROPOSERS, RenameEdit

FROM_IMPORT_RE = re.compile(r"^from (?P<module>[\w.]+) import (?P<names>.+)$")
CODE_OF = {"RenameField": "RENAME_COLUMN", "RenameModel": "RENAME_TABLE"}
NOT_LEAF = (
    "the safe form takes the model's definition from models.py, which says what it is after "
    "the app's last migration; {dependents} come(s) after this one and may change it again"
)

PENDING = (
    "models.py changes model {model} in ways no migration has yet (makemigrations would write "
    "them): the state would take them from models.py without the database getting them; run "
    "makemigrations first, then fix"
)


@dataclass(frozen=True)
class RenamePass:
    #: the migration with the renames rewritten (their statements gone)
    input: MigrationInput
    original: str
    rewritten: tuple[Rewritten, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    other_files: tuple[ChangedFile, ...] = ()

    def merged(self, result: FixResult) -> FixResult:
        """``result`` (of the other rewrites, on ``input``) with the renames in it."""
        if result.refused:
            return replace(result, original=self.original, text=self.original)
        return replace(
            result,
            original=self.original,
            rewritten=self.rewritten + result.rewritten,
            skipped=self.skipped + result.skipped,
            other_files=self.other_files,
        )


def _import_edits(source: PySource, statements: set[str]) -> list[Edit]:
    """The imports the new operations need: a name added to a ``from M import …`` of the same
    module when there is one, else a line after the last import."""
    imports = [n for n in source.tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    present = set(source.import_statements())
    edits: list[Edit] = []
    for statement in sorted(statements - present):
        m = FROM_IMPORT_RE.match(statement)
        same = next(
            (
                n
                for n in imports
                if m and isinstance(n, ast.ImportFrom) and n.module == m["module"] and not n.level
            ),
            None,
        )
        if m and same is not None and source.text[source.end(same) - 1] != ")":
            at = source.end(same)
            edits.append(Edit(at, at, f", {m['names']}"))
            continue
        at = source.line_end(source.end(imports[-1])) if imports else 0
        edits.append(Edit(at, at, f"{statement}\n"))
    return edits


def _changed_files(inp: MigrationInput, found: list[RenameEdit]) -> tuple[ChangedFile, ...]:
    files = []
    for file in inp.models:
        edits = sorted(
            {f.models_edit for f in found if f.models_path == file.path and f.models_edit},
            key=lambda e: (e.start, e.end),
        )
        if edits:
            text = apply_edits(file.text, list(edits))
            files.append(ChangedFile(file.path, file.text, text, tuple(edits)))
    return tuple(files)


def _proposals(
    source: PySource, calls: list[ast.expr], inp: MigrationInput, wanted: frozenset[str] | None
) -> tuple[list[RenameEdit], list[Skipped]]:
    found: list[RenameEdit] = []
    skipped: list[Skipped] = []
    for call, rendered in zip(calls, inp.operations, strict=True):
        kind = call_name(call) or ""
        if not isinstance(call, ast.Call) or kind not in PROPOSERS:
            continue
        try:
            edit = PROPOSERS[kind](source, call, rendered, inp)
        except SourceProblem as exc:
            code = CODE_OF[kind]
            if wanted is None or code in wanted:
                skipped.append(Skipped(code, rendered.index, f"{exc}"))
            continue
        if edit is None or (wanted is not None and edit.code not in wanted):
            continue
        if not inp.leaf:
            reason = NOT_LEAF.format(dependents=", ".join(inp.dependents))
            skipped.append(Skipped(edit.code, edit.index, reason))
            continue
        if edit.model in inp.pending_models:
            skipped.append(Skipped(edit.code, edit.index, PENDING.format(model=edit.model)))
            continue
        found.append(edit)
    return found, skipped


def rename_pass(inp: MigrationInput, wanted: frozenset[str] | None) -> RenamePass:
    """The renames of ``inp`` in their safe form (only the ``wanted`` codes when given)."""
    unchanged = RenamePass(inp, inp.text)
    if inp.vendor != "postgresql":
        return unchanged
    try:
        source = PySource(inp.text)
    except SyntaxError:
        return unchanged
    calls = source.operation_calls()
    if (
        calls is None
        or len(calls) != len(inp.operations)
        or "migrations" not in (source.bound_names())
    ):
        return unchanged
    found, skipped = _proposals(source, calls, inp, wanted)
    edits = [Edit(source.start(calls[f.index]), source.end(calls[f.index]), f.text) for f in found]
    edits += _import_edits(source, {i for f in found for i in f.imports})
    done = {f.index for f in found}
    operations = tuple(replace(o, statements=()) if o.index in done else o for o in inp.operations)
    return RenamePass(
        replace(inp, text=apply_edits(inp.text, edits), operations=operations),
        inp.text,
        tuple(Rewritten(f.code, f.index, f.title) for f in found),
        tuple(skipped),
        _changed_files(inp, found),
    )
