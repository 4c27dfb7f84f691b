"""The Python distribution: sdist + wheel build, ``twine check`` is clean, and the wheel installs
in a fresh virtualenv (from PyPI) where the console script runs and lints the example.

Needs PyPI (build isolation fetches hatchling; the fresh venv fetches Django and the rest):
marked ``network``, deselect offline with ``-m 'not network'``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

from django_migration_lsp import __version__

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "shop"
DROP = "catalog/migrations/0004_remove_product_legacy_code.py:8:9: DROP_COLUMN"

pytestmark = [pytest.mark.network, pytest.mark.slow]


def run(*args: str | Path, cwd: Path | None = None, timeout: int = 400) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    proc = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert proc.returncode == 0, f"{args}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc.stdout


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", out, REPO)
    return out


def test_build_makes_an_sdist_and_a_wheel_that_twine_accepts(dist: Path):
    wheel = dist / f"django_migration_lsp-{__version__}-py3-none-any.whl"
    sdist = dist / f"django_migration_lsp-{__version__}.tar.gz"
    assert wheel.exists() and sdist.exists(), sorted(p.name for p in dist.iterdir())
    report = run(sys.executable, "-m", "twine", "check", "--strict", wheel, sdist)
    assert report.count("PASSED") == 2, report
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    for data in ("lint.schema.json", "check.schema.json"):
        assert f"django_migration_lsp/schemas/{data}" in names
    assert not any(n.startswith(("tests/", "examples/")) for n in names)
    with tarfile.open(sdist) as archive:
        members = {m.split("/", 1)[1] for m in archive.getnames() if "/" in m}
    assert {"README.md", "CHANGELOG.md", "pyproject.toml", "docs/rules.md"} <= members
    assert "server/django_migration_lsp/schemas/lint.schema.json" in members
    assert not any(m.startswith(("tests/", "examples/", "vscode-client/")) for m in members)


def test_the_wheel_installs_in_a_fresh_venv_and_runs(dist: Path, tmp_path: Path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    run(python, "-m", "pip", "install", "-q", next(dist.glob("*.whl")))
    version = run(env_dir / "bin" / "django-migration-lsp", "--version")
    assert version.strip() == f"django-migration-lsp {__version__}"
    # the installed package, not this checkout, lints the example (Django is its only need here)
    where = run(python, "-c", "import django_migration_lsp as m; print(m.__file__)", cwd=tmp_path)
    assert where.startswith(str(env_dir))
    proc = subprocess.run(
        [env_dir / "bin" / "django-migration-lsp", "lint", EXAMPLE, "--no-cache"],
        capture_output=True,
        text=True,
        timeout=200,
        cwd=tmp_path,
    )
    assert proc.returncode == 1, proc.stderr
    assert DROP in proc.stdout
