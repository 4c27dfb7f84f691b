"""In the editor, an operation the real ``migrate`` raises on (Django 5.1+ on SQLite: a
RenameIndex of an index_together index a rebuild dropped) is an error diagnostic on that
operation, saying why and the safe way. Real project on disk, real client over stdio."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from ..engine.conftest import write_project
from ..engine.test_sqlite_index_together import DROPS_INDEX_TOGETHER, INITIAL, REBUILD, RENAME
from .conftest import start, wait_for

pytestmark = [
    pytest.mark.asyncio(loop_scope="function"),
    pytest.mark.skipif(not DROPS_INDEX_TOGETHER, reason="Django 4.2 re-creates the index"),
]


async def test_rename_index_migrate_crashes_on_is_an_error_on_its_line(bare, tmp_path: Path):
    migrations = {"0001_initial": INITIAL, "0002_rebuild": REBUILD, "0003_rename": RENAME}
    root = write_project(tmp_path / "site", {"shop": migrations})
    (root / "pyproject.toml").write_text('[tool.django-migration-lsp]\nscope = "all"\n')
    path = root / "shop/migrations/0003_rename.py"
    await start(bare, [root])
    uri = path.as_uri()
    bare.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="python", version=1, text=RENAME)
        )
    )

    def crash() -> types.Diagnostic | None:
        found = [d for d in bare.diagnostics.get(uri, []) if "would crash" in d.message]
        return found[0] if found else None

    diagnostic = await wait_for(crash, timeout=90)
    assert isinstance(diagnostic, types.Diagnostic)
    assert diagnostic.code == "RENDER_ERROR"
    assert diagnostic.severity == types.DiagnosticSeverity.Error
    assert diagnostic.range.start == types.Position(7, 8)  # the RenameIndex call
    assert "rebuild in shop.0002_rebuild (operation 1) dropped it" in diagnostic.message
    assert "migrations.AddIndex(" in diagnostic.message
