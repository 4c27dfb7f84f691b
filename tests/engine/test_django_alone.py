"""The CLI's lint and the worker run with Django alone (DESIGN: the VS Code extension starts the
worker in the project's interpreter, which has Django and nothing of ours but the package the
server puts on its path): with pygls, lsprotocol, tomlkit and cattrs made unimportable, linting
the example still works and the worker module imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .conftest import REPO, run_cli

EDITOR_ONLY = ("pygls", "lsprotocol", "tomlkit", "cattrs")


def blocker(tmp_path: Path) -> str:
    """A directory that shadows the editor-only libraries with packages that refuse to import."""
    root = tmp_path / "blocked"
    for name in EDITOR_ONLY:
        (root / name).mkdir(parents=True)
        (root / name / "__init__.py").write_text(f"raise ImportError('{name} is not installed')\n")
    return str(root)


def test_lint_needs_nothing_but_django(tmp_path: Path):
    env = {"PYTHONPATH": blocker(tmp_path)}
    result = run_cli("lint", str(REPO / "examples" / "shop"), "--no-cache", cwd=tmp_path, env=env)
    assert "is not installed" not in result.stderr, result.stderr
    assert result.code == 1, result.stderr  # the example has errors on purpose
    assert "DROP_COLUMN" in result.stdout


def test_the_worker_imports_with_django_alone(tmp_path: Path):
    code = "import django_migration_lsp.worker.protocol, django_migration_lsp.engine"
    proc = subprocess.run(
        [sys.executable, "-c", code],
        env={"PYTHONPATH": blocker(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
