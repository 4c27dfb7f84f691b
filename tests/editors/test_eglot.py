"""Emacs with eglot running the docs/editors.md recipe verbatim (Debian's emacs-nox 28 with
elpa-eglot, or an Emacs 29+ with eglot built in), in batch mode."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import DROP, QUICK_FIXES, copy_example, recipe

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
    out = tmp_path / "result.json"
    bin_dir = str(Path(sys.executable).parent)  # where `django-migration-lsp` is installed
    env = dict(
        os.environ,
        PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        PROBE_FILE=str(root / DROP),
        PROBE_OUT=str(out),
        HOME=str(tmp_path),
    )
    proc = subprocess.run(
        [str(EMACS), "--batch", "-l", str(init), "-l", str(PROBE)],
        env=env,
        capture_output=True,
        text=True,
        timeout=200,
        cwd=root,
    )
    assert out.exists(), proc.stderr[-3000:] + proc.stdout[-3000:]
    result = json.loads(out.read_text())
    assert result["ok"], (result, proc.stderr[-3000:])
    assert Path(result["root"].replace("~", str(tmp_path), 1)).resolve() == root.resolve()
    (diagnostic,) = result["diagnostics"]
    assert diagnostic["code"] == "DROP_COLUMN"
    assert diagnostic["source"] == "django-migration-lsp"
    assert (diagnostic["line"], diagnostic["column"]) == (8, 8)  # `migrations.RemoveField(`
    assert diagnostic["type"] == "eglot-error"
    assert "legacy_code" in diagnostic["message"]
    titles = {a["title"] for a in result["actions"]}
    assert titles >= QUICK_FIXES, result["actions"]
    assert {a["kind"] for a in result["actions"] if a["title"] in QUICK_FIXES} == {"quickfix"}
