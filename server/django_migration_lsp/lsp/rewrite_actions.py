"""Safe rewrites as code actions (the same as ``django-migration-lsp fix``).

Per finding that has one: kind ``refactor.rewrite``, titled "Make zero-downtime: …", the
rewrites of that code (``fix --code CODE``); for the whole file, a source action with every
rewrite of the codes found in it. Built here from the worker's last rendering of the file
(statements carry Django's names) and the buffer's text: the rewrites are pure, no Django.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.workspace import TextDocument

from ..findings import MigrationResult
from ..rewrites import CODES, FixResult, MigrationInput, fix_migration
from ..rewrites.inputs import dependents_in_app, rendered_ops
from ..rewrites.rename_files import models_sources
from .diagnostics import SOURCE, data_of, utf16_col
from .rename_edits import other_file_edits

if TYPE_CHECKING:
    from .server import MigrationServer

TITLE = "Make zero-downtime: "
SOURCE_KIND = "source.makeZeroDowntime"
KINDS = [types.CodeActionKind.RefactorRewrite, SOURCE_KIND]


@dataclass(frozen=True)
class OpenBuffers:
    """The editor's open documents and whether it shows a disabled action with its reason: a
    rewrite that edits models.py computes the edit on models.py as saved."""

    documents: Mapping[str, TextDocument] = field(default_factory=dict)
    disabled_support: bool = False

    @functools.cached_property
    def texts(self) -> dict[str, str]:
        """Open text by resolved path: built only for a rewrite that edits another file (a
        code action request must not stat every open document)."""
        return {str(Path(d.path).resolve()): d.source for d in self.documents.values()}

    def unsaved(self, fixed: FixResult) -> list[str]:
        """The files besides the migration that ``fixed`` edits as saved while the editor holds
        other text for them (the edit's places would be off in the buffer)."""
        return [
            Path(changed.path).name
            for changed in fixed.other_files
            if self.texts.get(str(Path(changed.path).resolve()), changed.original)
            != changed.original
        ]

    def guard(self, action: types.CodeAction, fixed: FixResult) -> types.CodeAction | None:
        """``action``, disabled with the reason (or left out where the editor cannot show
        that) when a file it edits besides the migration has unsaved changes."""
        unsaved = self.unsaved(fixed)
        if not unsaved:
            return action
        if not self.disabled_support:
            return None
        names = ", ".join(unsaved)
        reason = f"{names} has unsaved changes: save it first (the rewrite edits it as saved)"
        action.disabled = types.CodeActionDisabled(reason=reason)
        action.edit = None
        return action


def open_buffers(ls: MigrationServer) -> OpenBuffers:
    """What ``ls``'s editor holds open, and whether it shows disabled actions."""
    capabilities = ls.client_capabilities.text_document
    code_action = capabilities.code_action if capabilities is not None else None
    support = bool(code_action is not None and code_action.disabled_support)
    return OpenBuffers(ls.workspace.text_documents, support)


def django_version(version: str | None) -> tuple[int, ...]:
    """``(5, 2)`` for the worker's "5.2.19" (empty when unknown or not numbers)."""
    parts = (version or "").split(".")[:2]
    return tuple(int(p) for p in parts) if all(p.isdigit() for p in parts) else ()


def rewrite_input(
    path: Path, text: str, result: MigrationResult, django: str | None = None
) -> MigrationInput:
    """What ``fix`` would read: the buffer's text, the rendered SQL, the sibling files, the
    worker's Django version."""
    siblings = {
        p.stem: p.read_text(encoding="utf-8", errors="replace")
        for p in path.parent.glob("*.py")
        if p.stem != "__init__"
    }
    dependents = dependents_in_app(result.app, result.name, siblings)
    return MigrationInput(
        app=result.app,
        name=result.name,
        path=str(path),
        text=text,
        vendor=result.vendor or "",
        operations=rendered_ops(result.operations),
        leaf=not dependents,
        dependents=tuple(dependents),
        taken_names=frozenset(siblings),
        models=models_sources(str(path)),
        django_version=django_version(django),
    )


def _created(path: str, text: str) -> list[types.CreateFile | types.TextDocumentEdit]:
    """A new file (never over an existing one) with ``text``."""
    new_uri = Path(path).as_uri()
    return [
        types.CreateFile(uri=new_uri, options=types.CreateFileOptions(overwrite=False)),
        types.TextDocumentEdit(
            text_document=types.OptionalVersionedTextDocumentIdentifier(uri=new_uri),
            edits=[types.TextEdit(types.Range(types.Position(0, 0), types.Position(0, 0)), text)],
        ),
    ]


def workspace_edit(uri: str, version: int | None, fixed: FixResult) -> types.WorkspaceEdit:
    """Replace the migration's text; create the new migration and the next release's one
    (``migrations/next_release/``) when there are."""
    lines = fixed.original.split("\n")
    end = types.Position(len(lines) - 1, utf16_col(lines[-1], len(lines[-1])))
    changes: list[
        types.TextDocumentEdit | types.CreateFile | types.RenameFile | types.DeleteFile
    ] = [
        types.TextDocumentEdit(
            text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version),
            edits=[types.TextEdit(types.Range(types.Position(0, 0), end), fixed.text)],
        )
    ]
    changes += other_file_edits(fixed)  # models.py for the renames
    if fixed.new_migration is not None:
        changes += _created(fixed.new_migration.path, fixed.new_migration.text)
    if fixed.next_release is not None:
        changes += _created(fixed.next_release.path, fixed.next_release.text)
    return types.WorkspaceEdit(document_changes=changes)


def _title(fixed: FixResult) -> str:
    titles = list(dict.fromkeys(r.title for r in fixed.rewritten))
    added = [m.name for m in (fixed.new_migration, fixed.next_release) if m is not None]
    where = f" (+ {', '.join(added)})" if added else ""
    return TITLE + "; ".join(titles) + where


def rewrite_actions(
    uri: str,
    path: Path,
    document: TextDocument,
    diagnostics: list[types.Diagnostic],
    result: MigrationResult | None,
    django: str | None = None,
    buffers: OpenBuffers | None = None,
) -> list[types.CodeAction]:
    """The rewrite actions for these diagnostics, and the whole-file one."""
    if result is None or not result.operations:
        return []
    text, version = document.source, document.version
    buffers = buffers if buffers is not None else OpenBuffers()
    inp = rewrite_input(path, text, result, django)
    actions: list[types.CodeAction | None] = []
    for code in dict.fromkeys(
        str(data_of(d).get("code")) for d in diagnostics if d.source == SOURCE
    ):
        if code not in CODES:
            continue
        fixed = fix_migration(inp, [code])
        if fixed.changed:
            action = types.CodeAction(
                title=_title(fixed),
                kind=types.CodeActionKind.RefactorRewrite,
                diagnostics=[d for d in diagnostics if data_of(d).get("code") == code],
                edit=workspace_edit(uri, version, fixed),
            )
            actions.append(buffers.guard(action, fixed))
    whole = whole_file_fix(inp, result)
    if whole is not None:
        found = sorted({f.code for f in result.findings} & CODES)
        action = types.CodeAction(
            title=TITLE + f"every rewrite of this migration ({', '.join(found)})",
            kind=SOURCE_KIND,
            edit=workspace_edit(uri, version, whole),
        )
        actions.append(buffers.guard(action, whole))
    return [a for a in actions if a is not None]


def whole_file_fix(inp: MigrationInput, result: MigrationResult) -> FixResult | None:
    """Every rewrite of the codes found in the migration, when any changes it: the source
    action's, and the Migrations view's "Make Zero-Downtime"."""
    found = sorted({f.code for f in result.findings} & CODES)
    if not found or not result.operations:
        return None
    fixed = fix_migration(inp, found)
    return fixed if fixed.changed else None
