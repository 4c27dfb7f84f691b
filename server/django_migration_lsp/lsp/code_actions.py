"""Quick-fixes for findings (pure: diagnostics and texts in, code actions out)."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from ..edits import (
    TextEdit,
    add_ignore_comment,
    add_ignore_migration,
)
from ..source import parse_migration_source
from .diagnostics import SOURCE, data_of, to_range
from .pyproject_edit import exclude_code_in_pyproject


def _workspace_edit(uri: str, edits: list[TextEdit], text: str) -> types.WorkspaceEdit:
    lines = text.splitlines()
    return types.WorkspaceEdit(
        changes={
            uri: [types.TextEdit(range=to_range(e.span, lines), new_text=e.new_text) for e in edits]
        }
    )


def _pyproject_edit(path: Path, code: str) -> types.WorkspaceEdit:
    uri = path.as_uri()
    existing = path.read_text(encoding="utf-8") if path.exists() else None
    new_text = exclude_code_in_pyproject(existing, code)
    if existing is None:
        return types.WorkspaceEdit(
            document_changes=[
                types.CreateFile(uri=uri, kind="create"),
                types.TextDocumentEdit(
                    text_document=types.OptionalVersionedTextDocumentIdentifier(
                        uri=uri, version=None
                    ),
                    edits=[
                        types.TextEdit(
                            range=types.Range(types.Position(0, 0), types.Position(0, 0)),
                            new_text=new_text,
                        )
                    ],
                ),
            ]
        )
    lines = existing.splitlines()
    end = types.Position(len(lines), 0)
    return types.WorkspaceEdit(
        changes={
            uri: [types.TextEdit(range=types.Range(types.Position(0, 0), end), new_text=new_text)]
        }
    )


def _makemigrations_action(
    diagnostic: types.Diagnostic, project_root: Path | None
) -> types.CodeAction:
    """``makemigrations`` (``--merge`` for a conflict) for the app of a cross-check finding."""
    data = data_of(diagnostic)
    merge = data.get("check") == "MIGRATION_CONFLICT"
    app = data.get("app")
    return types.CodeAction(
        title=f"Run makemigrations{' --merge' if merge else ''} {app or ''}".rstrip(),
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        is_preferred=True,
        command=types.Command(
            title="makemigrations",
            command="djangoMigrationLsp.makemigrations",
            arguments=[str(project_root) if project_root else None, app, merge],
        ),
    )


def quick_fixes(
    uri: str,
    text: str,
    diagnostics: list[types.Diagnostic],
    project_root: Path | None,
    ignore_migration_provider: str = "django_migration_lsp.operations",
) -> list[types.CodeAction]:
    """For each of our findings: ignore it on the operation, ignore the migration, or exclude
    its code in pyproject.toml (the first is preferred: the least invasive)."""
    source = parse_migration_source(text)
    actions: list[types.CodeAction] = []
    migration_fix_added = False
    for diagnostic in diagnostics:
        data = data_of(diagnostic)
        check = data.get("check")
        if diagnostic.source == SOURCE and check in ("MISSING_MIGRATION", "MIGRATION_CONFLICT"):
            actions.append(_makemigrations_action(diagnostic, project_root))
            continue
        if diagnostic.source != SOURCE or "code" not in data:
            continue
        code = data["code"]
        op_index, sub_index = data.get("operation_index"), data.get("sub_index")
        if op_index is not None:
            edits = add_ignore_comment(source, op_index, sub_index, code)
            if edits:
                actions.append(
                    types.CodeAction(
                        title=f"Ignore {code} for this operation",
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[diagnostic],
                        is_preferred=True,
                        edit=_workspace_edit(uri, edits, text),
                    )
                )
        if not migration_fix_added:
            edits = add_ignore_migration(source, ignore_migration_provider)
            if edits:
                migration_fix_added = True
                actions.append(
                    types.CodeAction(
                        title="Ignore this migration (IgnoreMigration())",
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[d for d in diagnostics if d.source == SOURCE],
                        edit=_workspace_edit(uri, edits, text),
                    )
                )
        if project_root is not None:
            actions.append(
                types.CodeAction(
                    title=f"Exclude {code} in pyproject.toml (whole project)",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic],
                    edit=_pyproject_edit(project_root / "pyproject.toml", code),
                )
            )
    return actions
