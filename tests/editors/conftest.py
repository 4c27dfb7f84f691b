"""Real editors against the server: the recipes of docs/editors.md, verbatim."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "shop"
EDITORS_DOC = REPO / "docs" / "editors.md"
DROP = "catalog/migrations/0004_remove_product_legacy_code.py"
QUICK_FIXES = {
    "Ignore DROP_COLUMN for this operation",
    "Ignore this migration (IgnoreMigration())",
    "Exclude DROP_COLUMN in pyproject.toml (whole project)",
}


def recipe(heading: str, language: str) -> str:
    """The first ``language`` code block under the docs/editors.md section ``heading``."""
    text = EDITORS_DOC.read_text()
    section = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    match = re.search(rf"```{language}\n(.*?)```", section, re.S)
    assert match, f"docs/editors.md: no {language} block under '## {heading}'"
    return match[1]


def copy_example(target: Path) -> Path:
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("__pycache__", "db.sqlite3"))
    return target


def run_probe(argv: list[str], root: Path, probe_file: Path, **env: str) -> dict[str, Any]:
    """Run an editor in batch mode on ``probe_file`` with the installed server on PATH; the
    probe script writes what the editor saw as JSON to ``$PROBE_OUT``, returned here."""
    home = root.parent
    out = home / "result.json"
    bin_dir = str(Path(sys.executable).parent)  # where `django-migration-lsp` is installed
    full_env = dict(
        os.environ,
        PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        PROBE_FILE=str(probe_file),
        PROBE_OUT=str(out),
        HOME=str(home),
        **env,
    )
    proc = subprocess.run(argv, env=full_env, capture_output=True, text=True, timeout=200, cwd=root)
    assert out.exists(), proc.stderr[-3000:] + proc.stdout[-3000:]
    result: dict[str, Any] = json.loads(out.read_text())
    assert result["ok"], (result, proc.stderr[-3000:])
    return result


def assert_quick_fixes(actions: list[dict[str, Any]]) -> None:
    """The three quick-fixes of a DROP_COLUMN finding are offered, as quick-fixes."""
    titles = {a["title"] for a in actions}
    assert titles >= QUICK_FIXES, actions
    assert {a["kind"] for a in actions if a["title"] in QUICK_FIXES} == {"quickfix"}
