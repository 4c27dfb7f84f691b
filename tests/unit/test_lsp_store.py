"""The diagnostics store: layers merged per file, stale layers cleared, a project's own taken
away when its folder goes."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from django_migration_lsp.lsp.store import DiagnosticsStore


def diagnostic(code: str) -> types.Diagnostic:
    zero = types.Position(0, 0)
    return types.Diagnostic(range=types.Range(zero, zero), message=code, code=code)


def test_layers_merge_and_clear_independently():
    published: dict[str, list[str]] = {}
    store = DiagnosticsStore(lambda uri, ds: published.__setitem__(uri, [d.code for d in ds]))
    one, two = Path("/p/one"), Path("/p/two")
    store.set("file:///a.py", "lint", [diagnostic("DROP_COLUMN")], one)
    store.set("file:///a.py", "checks", [diagnostic("MISSING_MIGRATION")], one)
    store.set("file:///a.py", "problem", [diagnostic("WORKER_CRASH")], one)
    assert published["file:///a.py"] == ["WORKER_CRASH", "DROP_COLUMN", "MISSING_MIGRATION"]
    store.clear("file:///a.py", "problem")
    assert published["file:///a.py"] == ["DROP_COLUMN", "MISSING_MIGRATION"]
    store.set("file:///b.py", "lint", [diagnostic("ADD_INDEX")], one)
    store.set("file:///c.py", "lint", [diagnostic("ADD_INDEX")], two)
    store.keep_only("lint", one, {"file:///a.py"})  # b.py was not linted any more
    assert published["file:///b.py"] == [] and published["file:///c.py"] == ["ADD_INDEX"]
    store.drop_project(one)
    assert published["file:///a.py"] == [] and published["file:///c.py"] == ["ADD_INDEX"]
    assert store.uris("lint") == {"file:///c.py"}
