"""Faults end to end: broken settings, hanging and crashing imports, files outside projects,
two projects in one workspace, and no orphan workers after shutdown."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from lsprotocol import types

from .conftest import codes, copy_example, start, wait_for

pytestmark = pytest.mark.asyncio(loop_scope="function")


def worker_pids(root: Path) -> list[int]:
    """Worker processes whose working directory is ``root``."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
            cwd = os.readlink(f"/proc/{entry}/cwd")
        except OSError:
            continue
        if b"django_migration_lsp.worker" in cmdline and Path(cwd) == root:
            pids.append(int(entry))
    return pids


async def test_broken_settings_one_clear_diagnostic_and_static_checks(bare, tmp_path: Path):
    root = copy_example(tmp_path / "shop")
    settings = root / "shopsite" / "settings.py"
    settings.write_text(settings.read_text() + "\nimport does_not_exist_anywhere\n")
    await start(bare, [root])
    uri = settings.as_uri()
    await wait_for(lambda: codes(bare, uri) == ["PROJECT_LOAD_ERROR"])
    (diagnostic,) = bare.diagnostics[uri]
    assert "does_not_exist_anywhere" in diagnostic.message
    assert diagnostic.range.start.line == len(settings.read_text().splitlines()) - 1
    await wait_for(lambda: any("does_not_exist_anywhere" in m.message for m in bare.messages))
    # static checks still work: a syntax error half-way through typing
    migration = root / "catalog/migrations/0002_product_description.py"
    bare.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(
                uri=migration.as_uri(),
                language_id="python",
                version=1,
                text=migration.read_text().replace("),\n    ]", ",\n    ]"),
            )
        )
    )
    await wait_for(lambda: codes(bare, migration.as_uri()) == ["RENDER_ERROR"])
    # and the rules on what a migration's source alone tells, saying why it is only that
    drop = root / "catalog/migrations/0004_remove_product_legacy_code.py"
    bare.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(
                uri=drop.as_uri(), language_id="python", version=1, text=drop.read_text()
            )
        )
    )
    await wait_for(lambda: codes(bare, drop.as_uri()) == ["DROP_COLUMN"])
    assert "does not load" in bare.diagnostics[drop.as_uri()][0].message
    # fixing the settings (the watcher reports it) brings the project up
    settings.write_text(settings.read_text().replace("import does_not_exist_anywhere\n", ""))
    bare.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=uri, type=types.FileChangeType.Changed)]
        )
    )
    await wait_for(lambda: codes(bare, uri) == [], timeout=30)
    await wait_for(
        lambda: (
            codes(bare, drop.as_uri()) == ["DROP_COLUMN"]
            and "source alone" not in bare.diagnostics[drop.as_uri()][0].message
        )
    )


async def test_hanging_import_times_out_and_the_worker_restarts(bare, tmp_path: Path):
    root = copy_example(tmp_path / "shop")
    await start(bare, [root], requestTimeout=3)
    drop = (root / "catalog/migrations/0004_remove_product_legacy_code.py").as_uri()
    await wait_for(lambda: codes(bare, drop) == ["DROP_COLUMN"])
    first = worker_pids(root)
    assert len(first) == 1
    path = root / "catalog/migrations/0002_product_description.py"
    hanging = "import time\ntime.sleep(3600)\n" + path.read_text()
    bare.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=path.as_uri(), language_id="python", version=1, text=hanging)
        )
    )
    await wait_for(lambda: codes(bare, path.as_uri()) == ["WORKER_TIMEOUT"], timeout=30)
    assert "hangs" in bare.diagnostics[path.as_uri()][0].message
    await wait_for(lambda: worker_pids(root) and worker_pids(root) != first, timeout=30)
    assert first[0] not in worker_pids(root)  # the hung worker was killed
    # the server lives on: fixing the buffer lints it again
    bare.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=path.as_uri(), version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=path.read_text())],
        )
    )
    await wait_for(lambda: codes(bare, path.as_uri()) == [], timeout=30)


async def test_crashing_worker_is_restarted_then_given_up(bare, tmp_path: Path):
    root = copy_example(tmp_path / "shop")
    await start(bare, [root])
    path = root / "catalog/migrations/0002_product_description.py"
    drop = (root / "catalog/migrations/0004_remove_product_legacy_code.py").as_uri()
    await wait_for(lambda: codes(bare, drop) == ["DROP_COLUMN"])
    crashing = "import os\nos._exit(3)\n" + path.read_text()
    bare.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(
                uri=path.as_uri(), language_id="python", version=1, text=crashing
            )
        )
    )
    await wait_for(lambda: codes(bare, path.as_uri()) == ["WORKER_CRASH"], timeout=30)
    await wait_for(lambda: len(worker_pids(root)) == 1, timeout=30)  # restarted
    # settings that kill the process every time: restarts stop after 5 in a row
    settings = root / "shopsite" / "settings.py"
    settings.write_text("import os\nos._exit(4)\n")
    bare.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=settings.as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    await wait_for(lambda: any("times in a row" in m.message for m in bare.messages), timeout=60)
    assert worker_pids(root) == []


async def test_two_projects_and_a_file_outside_any(bare, tmp_path: Path):
    one = copy_example(tmp_path / "workspace" / "one")
    two = copy_example(tmp_path / "workspace" / "two")
    (two / "catalog/migrations/0004_remove_product_legacy_code.py").write_text(
        (two / "catalog/migrations/0004_remove_product_legacy_code.py")
        .read_text()
        .replace("migrations.RemoveField(", "migrations.RemoveField(  # migration-lint: ignore")
    )
    await start(bare, [tmp_path / "workspace"])
    drop = "catalog/migrations/0004_remove_product_legacy_code.py"
    await wait_for(lambda: codes(bare, (one / drop).as_uri()) == ["DROP_COLUMN"])
    await wait_for(lambda: (two / drop).as_uri() in bare.diagnostics)
    assert codes(bare, (two / drop).as_uri()) == []
    assert len(worker_pids(one)) == 1 and len(worker_pids(two)) == 1
    outside = tmp_path / "elsewhere" / "migrations" / "0001_x.py"
    outside.parent.mkdir(parents=True)
    outside.write_text("x = (\n")
    bare.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(
                uri=outside.as_uri(), language_id="python", version=1, text=outside.read_text()
            )
        )
    )
    hover = await bare.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=outside.as_uri()),
            position=types.Position(0, 0),
        )
    )
    assert hover is None
    assert outside.as_uri() not in bare.diagnostics


async def test_shutdown_leaves_no_worker_behind(bare, tmp_path: Path):
    root = copy_example(tmp_path / "shop")
    await start(bare, [root])
    await wait_for(lambda: len(worker_pids(root)) == 1)
    await bare.shutdown_session()
    bare.capabilities = None  # the fixture's own shutdown has nothing left to do
    await wait_for(lambda: worker_pids(root) == [], timeout=10)


async def test_untrusted_workspace_static_checks_only_no_worker(bare, tmp_path: Path):
    """`trusted: false` (VS Code's Restricted Mode): nothing of the project is imported, and
    what the source alone tells is still reported."""
    root = copy_example(tmp_path / "shop")
    await start(bare, [root], trusted=False)
    broken = root / "catalog/migrations/0016_half_typed.py"
    broken.write_text(
        "from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n"
        '    dependencies = [("catalog", "0015_product_catalog_prod_title_idx")]\n\n'
        '    operations = [\n        migrations.RemoveField(model_name="product", name="sku"\n    ]\n'
    )
    for path in (broken, root / "catalog/migrations/0004_remove_product_legacy_code.py"):
        bare.text_document_did_open(
            types.DidOpenTextDocumentParams(
                types.TextDocumentItem(
                    uri=path.as_uri(), language_id="python", version=1, text=path.read_text()
                )
            )
        )
    await wait_for(lambda: codes(bare, broken.as_uri()) == ["RENDER_ERROR"])
    drop = root / "catalog/migrations/0004_remove_product_legacy_code.py"
    await wait_for(lambda: codes(bare, drop.as_uri()) == ["DROP_COLUMN"])
    (diagnostic,) = bare.diagnostics[drop.as_uri()]
    assert "Restricted Mode" in diagnostic.message
    assert diagnostic.range.start.line == 7  # the RemoveField call, as with the worker
    assert worker_pids(root) == []
