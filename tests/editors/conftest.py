"""Real editors against the server: the recipes of docs/editors.md, verbatim."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

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
