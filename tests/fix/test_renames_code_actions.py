"""The rename rewrites in the editor, through a real LSP client over stdio: the "Make
zero-downtime" action's one workspace edit changes the migration and models.py, and applying it
gives exactly the two files ``fix`` writes."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from .projects import cli
from .renames import copy_rename, project_files
from .test_code_actions import NO_SERVER, SERVER, apply, diagnostics_of, start

pytestmark = pytest.mark.asyncio(loop_scope="function")


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient):
    yield
    await lsp_client.shutdown_session()


@pytest.mark.parametrize(
    ("scenario", "code", "title"),
    [
        ("rename_field", "RENAME_COLUMN", 'rename the field only, keep its column "name"'),
        ("rename_foreign_key", "RENAME_COLUMN", 'keep its column "item_id"'),
        ("rename_model", "RENAME_TABLE", 'rename the model only, keep its table "shop_item"'),
    ],
)
async def test_the_rename_action_edits_the_migration_and_models_py_as_fix_does(
    client: LanguageClient, tmp_path: Path, scenario: str, code: str, title: str
):
    edited = copy_rename(scenario, tmp_path / "edited")
    fixed = copy_rename(scenario, tmp_path / "fixed")
    await start(client, edited)
    path = next((edited / "shop" / "migrations").glob("0002_*.py"))
    diagnostics = [d for d in await diagnostics_of(client, path) if d.code == code]
    assert diagnostics
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=path.as_uri()),
            range=diagnostics[0].range,
            context=types.CodeActionContext(diagnostics=diagnostics),
        )
    )
    [action] = [
        a for a in actions or [] if isinstance(a, types.CodeAction) and a.kind == "refactor.rewrite"
    ]
    assert action.title.startswith("Make zero-downtime: ") and title in action.title
    assert "also edits shop/models.py" in action.title
    assert action.edit is not None
    uris = {c.text_document.uri for c in action.edit.document_changes or []}  # type: ignore[union-attr]
    assert uris == {path.as_uri(), (edited / "shop" / "models.py").as_uri()}

    assert cli(fixed, NO_SERVER, "fix", ".", "shop", path.stem, "--code", code).code == 0
    apply(action.edit)
    assert project_files(edited) == project_files(fixed)
    assert project_files(edited) != project_files(copy_rename(scenario, tmp_path / "orig"))


async def test_a_rename_action_waits_for_an_unsaved_models_py(
    client: LanguageClient, tmp_path: Path
):
    # the edit of models.py is computed on the file as saved: on a buffer holding other text its
    # places would be off, so the action is shown disabled with the reason until it is saved
    root = copy_rename("rename_field", tmp_path / "edited")
    await start(client, root)
    path = next((root / "shop" / "migrations").glob("0002_*.py"))
    diagnostics = [d for d in await diagnostics_of(client, path) if d.code == "RENAME_COLUMN"]
    models = root / "shop" / "models.py"
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(
                models.as_uri(), "python", 1, "# not saved yet\n" + models.read_text()
            )
        )
    )

    async def rewrites() -> list[types.CodeAction]:
        actions = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=path.as_uri()),
                range=diagnostics[0].range,
                context=types.CodeActionContext(diagnostics=diagnostics),
            )
        )
        return [
            a
            for a in actions or []
            if isinstance(a, types.CodeAction) and a.title.startswith("Make zero-downtime: ")
        ]

    shown = await rewrites()
    assert shown and all(a.edit is None and a.disabled is not None for a in shown)
    assert "models.py has unsaved changes: save it first" in shown[0].disabled.reason
    outcome = await client.workspace_execute_command_async(  # the Migrations view's action
        types.ExecuteCommandParams(
            command="djangoMigrationLsp.makeZeroDowntime", arguments=[path.as_uri()]
        )
    )
    assert outcome["applied"] is False and "models.py has unsaved changes" in outcome["message"]
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=models.as_uri(), version=2),
            [types.TextDocumentContentChangeWholeDocument(text=models.read_text())],
        )
    )
    shown = await rewrites()
    assert shown and all(a.edit is not None and a.disabled is None for a in shown)
