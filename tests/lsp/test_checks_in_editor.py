"""Cross-checks in the editor: a model change without migration, on its line in models.py,
fixed by the makemigrations code action; unapplied migrations after runChecks."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from lsprotocol import types

from .conftest import codes, copy_example, start, wait_for

pytestmark = pytest.mark.asyncio(loop_scope="function")


async def test_missing_migration_on_the_model_line_and_makemigrations(bare, tmp_path: Path):
    root = copy_example(tmp_path / "shop")
    models = root / "catalog" / "models.py"
    text = models.read_text().replace(
        "    weight = models.DecimalField(",
        "    barcode = models.CharField(max_length=13, null=True)\n"
        "    weight = models.DecimalField(",
    )
    models.write_text(text)
    await start(bare, [root])
    uri = models.as_uri()
    await wait_for(lambda: codes(bare, uri) == ["MISSING_MIGRATION"])
    (diagnostic,) = bare.diagnostics[uri]
    barcode_line = text.splitlines().index(
        "    barcode = models.CharField(max_length=13, null=True)"
    )
    assert diagnostic.range.start.line == barcode_line
    assert diagnostic.message.startswith("Add field barcode to product")
    bare.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)
        )
    )
    actions = await bare.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic]),
        )
    )
    # (lsprotocol's client-side converter reads a CodeAction carrying a command as a Command)
    (action,) = actions or []
    assert action.title == "Run makemigrations catalog"
    await bare.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command="djangoMigrationLsp.makemigrations", arguments=[str(root), "catalog", False]
        )
    )
    new = sorted((root / "catalog" / "migrations").glob("0016_*.py"))
    assert len(new) == 1
    await wait_for(lambda: codes(bare, uri) == [])
    await wait_for(lambda: new[0].as_uri() in bare.diagnostics)


async def test_run_checks_reports_unapplied_migrations(bare, tmp_path: Path):
    root = copy_example(tmp_path / "shop")
    env = dict(os.environ)  # the example's default SQLite file, inside the copy
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DJANGO_MIGRATION_LSP_EXAMPLE_SQLITE", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate"], cwd=root, env=env, check=True, capture_output=True
    )
    with sqlite3.connect(root / "db.sqlite3") as conn:  # as if the last two were not applied
        conn.execute(
            "DELETE FROM django_migrations WHERE app = 'orders' AND name IN "
            "('0011_order_priority', '0012_alter_order_status')"
        )
    await start(bare, [root])
    drop = (root / "catalog/migrations/0004_remove_product_legacy_code.py").as_uri()
    await wait_for(lambda: codes(bare, drop) == ["DROP_COLUMN"])
    summary = await bare.workspace_execute_command_async(
        types.ExecuteCommandParams(command="djangoMigrationLsp.runChecks", arguments=[])
    )
    findings = summary["findings"]
    unapplied = sorted(f["migration"] for f in findings if f["code"] == "UNAPPLIED_MIGRATION")
    assert unapplied == ["0011_order_priority", "0012_alter_order_status"]
    uri = (root / "orders/migrations/0011_order_priority.py").as_uri()
    await wait_for(lambda: "UNAPPLIED_MIGRATION" in codes(bare, uri))
    info = next(d for d in bare.diagnostics[uri] if d.code == "UNAPPLIED_MIGRATION")
    assert info.severity == types.DiagnosticSeverity.Information
