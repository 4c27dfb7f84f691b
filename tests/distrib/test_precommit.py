"""The pre-commit hooks, run by the real ``pre-commit try-repo`` on a temporary git project.

pre-commit installs this repository into its own virtualenv (``pip install .``: PyPI), once per
module (``PRE_COMMIT_HOME`` in a temporary directory): marked ``network``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ..engine.conftest import INITIAL, write_project
from .sources import DROP

REPO = Path(__file__).resolve().parents[2]
PRE_COMMIT = Path(sys.executable).with_name("pre-commit")

pytestmark = [pytest.mark.network, pytest.mark.slow]

ADD_NULLABLE = """\
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "{previous}")]

    operations = [
        migrations.AddField("item", "note", models.TextField(null=True)),
    ]
"""

MODELS = """\
from django.db import models


class Item(models.Model):
    name = models.CharField(max_length=50)
    price = models.IntegerField(null=True)
"""


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This checkout as it is (uncommitted changes too) committed in a repository of its own:
    the repository a team's ``.pre-commit-config.yaml`` names."""
    snapshot = tmp_path_factory.mktemp("hook-repo")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        check=True,
        capture_output=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file() and not name.startswith(("vscode-client/", "benchmarks/")):
            (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, snapshot / name)
    git(snapshot, "init", "-q")
    git(snapshot, "add", "-A")
    git(snapshot, "commit", "-qm", "snapshot")
    return snapshot


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def repository(tmp_path: Path, hook_repo: Path) -> Path:
    """A committed Django project (one app, its initial migration, models matching it) whose
    ``.pre-commit-config.yaml`` adds our two hooks, as the README says."""
    root = write_project(tmp_path / "site", {"shop": {"0001_initial": INITIAL}})
    (root / "shop/models.py").write_text(MODELS)
    rev = git(hook_repo, "rev-parse", "HEAD").strip()
    (root / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook_repo}\n    rev: {rev}\n    hooks:\n"
        "      - id: django-migration-lint\n      - id: django-migration-check\n"
    )
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "initial")
    return root


def pre_commit(root: Path, hook_repo: Path, *args: str) -> subprocess.CompletedProcess:
    """The real ``pre-commit`` in ``root``; its environments in one home for the module (one
    install of the hooks' environment; ``try-repo`` makes a new one at every call)."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    home = hook_repo.parent / "pre-commit-home"
    env.update(PRE_COMMIT_HOME=str(home), XDG_CACHE_HOME=str(home / "xdg"))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [str(PRE_COMMIT), *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_lint_hook_fails_on_a_new_migration_that_drops_a_column(tmp_path: Path, hook_repo: Path):
    root = repository(tmp_path, hook_repo)
    new = "shop/migrations/0002_remove_item_price.py"
    (root / new).write_text(DROP)
    git(root, "add", "-A")
    proc = pre_commit(
        root,
        hook_repo,
        "try-repo",
        str(hook_repo),
        "django-migration-lint",
        "--verbose",
        "--files",
        new,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert re.search(r"- hook id: django-migration-lint\n(- .*\n)*- exit code: 1", out), out
    assert re.search(
        r'shop/migrations/0002_remove_item_price\.py:8:9: DROP_COLUMN .*column "price" of '
        r'table "shop_item".* \[error\]',
        out,
    ), out

    # the configured hook, as `git commit` runs it: on the staged files only
    proc = pre_commit(root, hook_repo, "run", "django-migration-lint", "--verbose")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "0002_remove_item_price.py:8:9: DROP_COLUMN" in out
    assert "Erroneous migrations: 1/1" in out  # 0001_initial is not being committed


def test_lint_hook_passes_when_nothing_new_is_risky(tmp_path: Path, hook_repo: Path):
    root = repository(tmp_path, hook_repo)
    (root / "shop/migrations/0002_remove_item_price.py").write_text(DROP)  # already merged
    git(root, "add", "-A")
    git(root, "commit", "-qm", "accepted drop")
    new = root / "shop/migrations/0003_item_note.py"
    new.write_text(ADD_NULLABLE.format(previous="0002_remove_item_price"))
    git(root, "add", "-A")
    proc = pre_commit(root, hook_repo, "run", "django-migration-lint", "--verbose")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "Valid migrations: 1/1" in out and "DROP_COLUMN" not in out, out


def test_check_hook_fails_on_a_model_change_without_migration(tmp_path: Path, hook_repo: Path):
    root = repository(tmp_path, hook_repo)
    (root / "shop/models.py").write_text(MODELS + "    stock = models.IntegerField(default=0)\n")
    git(root, "add", "-A")
    proc = pre_commit(root, hook_repo, "run", "django-migration-check", "--verbose")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert re.search(r"shop/models\.py:7:\d+: MISSING_MIGRATION Add field stock to item", out), out
    (root / "shop/models.py").write_text(MODELS)
    git(root, "add", "-A")
    (root / "shop/migrations/0002_item_note.py").write_text(
        ADD_NULLABLE.format(previous="0001_initial")
    )
    (root / "shop/models.py").write_text(MODELS + "    note = models.TextField(null=True)\n")
    git(root, "add", "-A")
    proc = pre_commit(root, hook_repo, "run", "django-migration-check", "--verbose")
    assert proc.returncode == 0, proc.stdout + proc.stderr
