"""The editor's "Make zero-downtime" actions, through a real LSP client over stdio: applying the
workspace edit of an action gives exactly the files ``fix`` writes."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

import django
import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from django_migration_lsp.rewrites import CODES

from .projects import URL_VAR, cli, copy_scenario, migration_files

pytestmark = pytest.mark.asyncio(loop_scope="function")

NO_SERVER = "postgresql://nobody@127.0.0.1:1/none"
SERVER = ClientServerConfig(
    server_command=[sys.executable, "-m", "django_migration_lsp", "serve"],
    server_env={URL_VAR: NO_SERVER},
)


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient):
    yield
    await lsp_client.shutdown_session()


async def start(client: LanguageClient, root: Path) -> None:
    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        return None

    await client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
            initialization_options={"djangoMigrationLsp": {"debounceMs": 50}},
        )
    )


async def diagnostics_of(client: LanguageClient, path: Path) -> list[types.Diagnostic]:
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="python", version=1, text=path.read_text()
            )
        )
    )
    deadline = time.monotonic() + 120
    while not client.diagnostics.get(uri):
        assert time.monotonic() < deadline, "no diagnostics published"
        await asyncio.sleep(0.1)
    return client.diagnostics[uri]


def apply(edit: types.WorkspaceEdit) -> None:
    """Apply a workspace edit to the files on disk, as an editor does."""
    for change in edit.document_changes or []:
        if isinstance(change, types.CreateFile):
            target = Path(change.uri[len("file://") :])
            assert not target.exists()
            target.parent.mkdir(parents=True, exist_ok=True)  # as VS Code does
            target.write_text("")
            continue
        assert isinstance(change, types.TextDocumentEdit)
        target = Path(change.text_document.uri[len("file://") :])
        text = target.read_text()
        for e in sorted(change.edits, key=lambda e: (e.range.start.line, e.range.start.character))[
            ::-1
        ]:
            lines = [*text.splitlines(keepends=True), ""]
            starts = [sum(len(x) for x in lines[:i]) for i in range(len(lines))]
            start = starts[e.range.start.line] + e.range.start.character
            end = starts[min(e.range.end.line, len(lines) - 1)] + e.range.end.character
            text = text[:start] + e.new_text + text[end:]  # type: ignore[union-attr]
        target.write_text(text)


@pytest.mark.parametrize("scenario", ["add_index", "index_with_default"])
async def test_applying_the_rewrite_action_gives_the_files_fix_writes(
    client: LanguageClient, tmp_path: Path, scenario: str
):
    edited = copy_scenario(scenario, tmp_path / "edited")
    fixed = copy_scenario(scenario, tmp_path / "fixed")
    await start(client, edited)
    path = next((edited / "shop" / "migrations").glob("0002_*.py"))
    diagnostics = await diagnostics_of(client, path)
    found = sorted({str(d.code) for d in diagnostics} & CODES)
    assert "CREATE_INDEX" in found  # (with the AddField's default: LOCK_TIMEOUT too)
    index = [d for d in diagnostics if d.code == "CREATE_INDEX"]
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=path.as_uri()),
            range=index[0].range,
            context=types.CodeActionContext(diagnostics=index),
        )
    )
    rewrites = [
        a for a in actions or [] if isinstance(a, types.CodeAction) and a.kind == "refactor.rewrite"
    ]
    [action] = rewrites
    assert action.title.startswith("Make zero-downtime: build the index concurrently")
    [source] = [
        a
        for a in actions
        if isinstance(a, types.CodeAction) and a.kind == "source.makeZeroDowntime"
    ]

    assert cli(fixed, NO_SERVER, "fix", ".", "shop", path.stem, "--code", "CREATE_INDEX").code == 0
    apply(action.edit)
    assert migration_files(edited) == migration_files(fixed)
    assert migration_files(edited) != migration_files(copy_scenario(scenario, tmp_path / "orig"))
    if found == ["CREATE_INDEX"]:
        assert source.edit == action.edit  # one code found: the whole file gets the same


def files_written(project: Path) -> dict[str, str]:
    """The app's migrations and the next release's ones (``migrations/next_release/``)."""
    folder = project / "shop" / "migrations" / "next_release"
    later = {f"next_release/{p.name}": p.read_text() for p in sorted(folder.glob("0*.py"))}
    return {**migration_files(project), **later}


#: scenario -> (the code, its action's title start, the next release's migration)
TWO_RELEASES = {
    "delete_model": ("DROP_TABLE", "remove the model from the state now", "0004_drop_shop_tag"),
    "remove_field": (
        "DROP_COLUMN",
        "remove the field from the state now",
        "0003_drop_shop_item_name",
    ),
    "add_field_default": (
        "NOT_NULL",
        "keep the default in the database meanwhile",
        "0003_contract",
    ),
}


@pytest.mark.parametrize("scenario", sorted(TWO_RELEASES))
async def test_a_two_release_action_gives_both_releases_files_as_fix_does(
    client: LanguageClient, tmp_path: Path, scenario: str
):
    """DROP_COLUMN: the editor reads the column's type and nullability from the worker's facts,
    as ``fix`` does; NOT_NULL: the worker's Django version says db_default exists. The edit
    creates the next release's migration too."""
    code, title, later = TWO_RELEASES[scenario]
    if scenario == "add_field_default" and django.VERSION < (5, 0):
        pytest.skip("db_default came in Django 5.0: no action is offered before")
    edited = copy_scenario(scenario, tmp_path / "edited")
    fixed = copy_scenario(scenario, tmp_path / "fixed")
    await start(client, edited)
    path = sorted((edited / "shop" / "migrations").glob("0*.py"))[-1]
    found = [d for d in await diagnostics_of(client, path) if d.code == code]
    assert found
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=path.as_uri()),
            range=found[0].range,
            context=types.CodeActionContext(diagnostics=found),
        )
    )
    [action] = [
        a for a in actions or [] if isinstance(a, types.CodeAction) and a.kind == "refactor.rewrite"
    ]
    assert action.title.startswith(f"Make zero-downtime: {title}")
    assert action.title.endswith(f"(+ {later})")

    assert cli(fixed, NO_SERVER, "fix", ".", "shop", path.stem, "--code", code).code == 0
    apply(action.edit)
    assert f"next_release/{later}.py" in files_written(fixed)
    assert files_written(edited) == files_written(fixed)
