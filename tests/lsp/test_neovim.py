"""Real Neovim (Debian's 0.7) headless against the server: the diagnostics it shows."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import copy_example

PROBE = Path(__file__).with_name("probe.lua")


@pytest.mark.skipif(
    shutil.which("nvim") is None and not os.environ.get("CI"),
    reason="neovim is not installed (bash .ci/test installs it)",
)
def test_neovim_shows_the_diagnostic_on_the_operation(tmp_path: Path):
    root = copy_example(tmp_path / "shop")
    target = root / "catalog/migrations/0004_remove_product_legacy_code.py"
    out = tmp_path / "diagnostics.json"
    env = dict(
        os.environ,
        PROBE_ROOT=str(root),
        PROBE_FILE=str(target),
        PROBE_OUT=str(out),
        PROBE_PYTHON=sys.executable,
        HOME=str(tmp_path),
        XDG_STATE_HOME=str(tmp_path),
    )
    proc = subprocess.run(
        ["nvim", "--headless", "-u", "NONE", "-c", f"luafile {PROBE}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=150,
        cwd=root,
    )
    assert out.exists(), proc.stderr[-2000:]
    result = json.loads(out.read_text())
    assert result["ok"], result
    (diagnostic,) = result["diagnostics"]
    assert diagnostic["code"] == "DROP_COLUMN"
    assert diagnostic["source"] == "django-migration-lsp"
    assert (diagnostic["lnum"], diagnostic["col"]) == (7, 8)  # `migrations.RemoveField(`
    assert diagnostic["severity"] == 1  # vim.diagnostic.severity.ERROR
    assert "legacy_code" in diagnostic["message"]
