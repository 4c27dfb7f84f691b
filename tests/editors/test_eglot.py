"""Emacs with eglot running the docs/editors.md recipe verbatim (Debian's emacs-nox 28 with
elpa-eglot, or an Emacs 29+ with eglot built in), in batch mode."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import DROP, assert_quick_fixes, copy_example, recipe, run_probe

PROBE = Path(__file__).with_name("probe_eglot.el")
EMACS = shutil.which("emacs")

pytestmark = pytest.mark.skipif(
    EMACS is None and not os.environ.get("CI"),
    reason="emacs is not installed (bash .ci/test installs emacs-nox and elpa-eglot)",
)


def test_the_documented_eglot_recipe_shows_the_diagnostic_and_its_quick_fixes(tmp_path: Path):
    root = copy_example(tmp_path / "shop")
    subprocess.run(["git", "init", "-q", str(root)], check=True)  # eglot's project: the repo
    init = tmp_path / "init.el"
    init.write_text(recipe("Emacs (eglot)", "elisp"))
    assert "eglot-server-programs" in init.read_text()
    argv = [str(EMACS), "--batch", "-l", str(init), "-l", str(PROBE)]
    result = run_probe(argv, root, root / DROP)
    assert Path(result["root"].replace("~", str(tmp_path), 1)).resolve() == root.resolve()
    (diagnostic,) = result["diagnostics"]
    assert diagnostic["code"] == "DROP_COLUMN"
    assert diagnostic["source"] == "django-migration-lsp"
    assert (diagnostic["line"], diagnostic["column"]) == (8, 8)  # `migrations.RemoveField(`
    assert diagnostic["type"] == "eglot-error"
    assert "legacy_code" in diagnostic["message"]
    assert_quick_fixes(result["actions"])
