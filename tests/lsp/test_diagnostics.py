"""End to end through a real LSP client: diagnostics, quick-fixes, hover."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from .conftest import codes, wait_for

pytestmark = pytest.mark.asyncio(loop_scope="function")


def uri_of(root: Path, relative: str) -> str:
    return (root / relative).as_uri()


async def test_workspace_diagnostics_on_the_operation_lines(client: LanguageClient, root: Path):
    uri = uri_of(root, "catalog/migrations/0004_remove_product_legacy_code.py")
    await wait_for(lambda: codes(client, uri) == ["DROP_COLUMN"])
    (diagnostic,) = client.diagnostics[uri]
    assert diagnostic.range.start == types.Position(7, 8)  # `migrations.RemoveField(` line 8
    assert diagnostic.range.end == types.Position(10, 9)
    assert diagnostic.source == "django-migration-lsp"
    assert diagnostic.severity == types.DiagnosticSeverity.Error
    assert diagnostic.code_description.href.endswith("docs/rules.md#drop-column")
    assert "later release" in diagnostic.message and "SQL: ALTER TABLE" in diagnostic.message
    # every migration of the project is published, not only open files
    other = uri_of(root, "orders/migrations/0002_backfill_quantities.py")
    await wait_for(
        lambda: codes(client, other) == ["RUNPYTHON_ARGS_NAMING_CONVENTION", "RUNPYTHON_REVERSIBLE"]
    )
    # the server's log reaches the client as window/logMessage, with its level (not as stderr,
    # which editors show as errors)
    ready = [m for m in client.log_messages if "worker ready" in m.message]
    assert ready and ready[0].type == types.MessageType.Info, client.log_messages
    assert "Django" in ready[0].message and "44 migrations" in ready[0].message


async def test_did_change_lints_the_unsaved_buffer(client: LanguageClient, root: Path):
    path = root / "catalog/migrations/0002_product_description.py"
    uri = path.as_uri()
    text = path.read_text()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)
        )
    )
    await wait_for(lambda: uri in client.diagnostics and codes(client, uri) == [])
    edited = text.replace(
        "operations = [",
        'operations = [\n        migrations.RemoveField(model_name="product", name="sku"),',
    )
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=edited)],
        )
    )
    await wait_for(lambda: codes(client, uri) == ["DROP_COLUMN"])
    assert client.diagnostics[uri][0].range.start.line == 7
    # half-typed: a syntax error at its place, server alive
    broken = edited.replace('name="sku"),', 'name="sku",')
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=3),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=broken)],
        )
    )
    await wait_for(lambda: codes(client, uri) == ["DROP_COLUMN", "RENDER_ERROR"])
    error = next(d for d in client.diagnostics[uri] if d.code == "RENDER_ERROR")
    assert error.severity == types.DiagnosticSeverity.Error
    assert error.range.start.line >= 7  # at the error, as Python reports it
    # other files keep their findings
    other = uri_of(root, "catalog/migrations/0004_remove_product_legacy_code.py")
    assert codes(client, other) == ["DROP_COLUMN"]


async def _open(client: LanguageClient, path: Path) -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="python", version=1, text=path.read_text())
        )
    )
    await wait_for(lambda: codes(client, uri))
    return uri


def apply_lsp_edits(text: str, edits: list[types.TextEdit]) -> str:
    """Apply LSP text edits (ASCII files: UTF-16 columns are code points)."""
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))

    def offset(pos: types.Position) -> int:
        return offsets[pos.line] + pos.character if pos.line < len(lines) else len(text)

    ordered = sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character))
    for e in reversed(ordered):
        text = text[: offset(e.range.start)] + e.new_text + text[offset(e.range.end) :]
        lines = text.splitlines(keepends=True)
        offsets = [0]
        for line in lines:
            offsets.append(offsets[-1] + len(line))
    return text


async def _apply(client: LanguageClient, path: Path, action: types.CodeAction) -> None:
    """Apply a code action as an editor would, then save."""
    edit = action.edit
    assert edit is not None and edit.changes
    for uri, edits in edit.changes.items():
        target = Path(uri[len("file://") :])
        text = apply_lsp_edits(target.read_text() if target.exists() else "", list(edits))
        target.write_text(text)
        if target != path:  # as an editor's file watcher reports it
            client.workspace_did_change_watched_files(
                types.DidChangeWatchedFilesParams(
                    changes=[types.FileEvent(uri=uri, type=types.FileChangeType.Changed)]
                )
            )
        else:
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=5),
                    content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
                )
            )
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=path.as_uri())
        )
    )


async def _actions(client: LanguageClient, uri: str) -> list[types.CodeAction]:
    diagnostics = client.diagnostics[uri]
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diagnostics[0].range,
            context=types.CodeActionContext(diagnostics=diagnostics),
        )
    )
    return [a for a in result or [] if isinstance(a, types.CodeAction)]


@pytest.mark.parametrize("which", ["operation", "migration", "pyproject"])
async def test_each_quick_fix_removes_the_diagnostic(client: LanguageClient, root: Path, which):
    path = root / "catalog/migrations/0004_remove_product_legacy_code.py"
    uri = await _open(client, path)
    actions = await _actions(client, uri)
    titles = [a.title for a in actions]
    assert titles == [
        "Ignore DROP_COLUMN for this operation",
        "Ignore this migration (IgnoreMigration())",
        "Exclude DROP_COLUMN in pyproject.toml (whole project)",
    ]
    assert [a.is_preferred for a in actions] == [True, None, None]
    action = actions[["operation", "migration", "pyproject"].index(which)]
    await _apply(client, path, action)
    if which == "pyproject":
        # a pyproject change restarts the worker, which lints the project again
        await wait_for(lambda: codes(client, uri) == [], timeout=90)
        assert 'exclude_migration_tests = ["DROP_COLUMN"]' in (root / "pyproject.toml").read_text()
    else:
        await wait_for(lambda: codes(client, uri) == [])
        compile(path.read_text(), str(path), "exec")  # still a loadable module


async def test_hover_shows_the_sql(client: LanguageClient, root: Path):
    path = root / "catalog/migrations/0003_product_stock.py"
    uri = await _open(client, path)
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(9, 12)
        )
    )
    assert hover is not None
    value = hover.contents.value  # type: ignore[union-attr]
    assert "**AddField**" in value and "SQL on SQLite" in value and "```sql" in value
    assert "new__catalog_product" in value
    sql = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="djangoMigrationLsp.showMigrationSql", arguments=[uri])
    )
    assert sql.startswith("-- catalog.0003_product_stock on SQLite")


async def test_watched_file_changes(client: LanguageClient, root: Path):
    new = root / "catalog/migrations/0016_remove_product_weight.py"
    uri = new.as_uri()
    new.write_text(
        "from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n"
        '    dependencies = [("catalog", "0015_product_catalog_prod_title_idx")]\n\n'
        '    operations = [\n        migrations.RemoveField(model_name="product", name="weight"),\n    ]\n'
    )
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=uri, type=types.FileChangeType.Created)]
        )
    )
    await wait_for(lambda: codes(client, uri) == ["DROP_COLUMN"])
    new.unlink()
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=uri, type=types.FileChangeType.Deleted)]
        )
    )
    await wait_for(lambda: codes(client, uri) == [])
