"""Every git call, against real repositories in a temporary directory."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from django_migration_lsp import vcs

GIT = [
    "git",
    "-c",
    "user.email=t@example.com",
    "-c",
    "user.name=t",
    "-c",
    "init.defaultBranch=main",
]


def git(root: Path, *args: str) -> None:
    subprocess.run([*GIT, *args], cwd=root, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "app/migrations").mkdir(parents=True)
    (root / "app/migrations/0001_initial.py").write_text("x = 1\n")
    (root / "app/migrations/0002_old.py").write_text("x = 2\n")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "one")
    return root.resolve()


def test_new_since_the_default_base(repo: Path):
    assert vcs.is_repository(repo)
    base = vcs.default_base(repo)
    assert vcs.new_since(repo, base) == set()
    git(repo, "checkout", "-qb", "feature")
    (repo / "app/migrations/0003_new.py").write_text("x = 3\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "two")
    (repo / "app/migrations/0004_untracked.py").write_text("x = 4\n")
    (repo / "app/migrations/0002_old.py").write_text("x = 22\n")
    assert vcs.default_base(repo) == base  # the merge-base with main, not HEAD
    assert {Path(p).name for p in vcs.new_since(repo, base)} == {
        "0002_old.py",
        "0003_new.py",
        "0004_untracked.py",
    }
    added = {Path(p).name for p in vcs.added_since(repo, base)}
    assert added == {"0003_new.py", "0004_untracked.py"}  # --git-commit-id: added only


def test_errors_say_what_failed(repo: Path, tmp_path: Path):
    with pytest.raises(vcs.VcsError, match="'nope' names no commit"):
        vcs.resolve(repo, "nope")
    outside = tmp_path / "plain"
    outside.mkdir()
    assert not vcs.is_repository(outside)
    with pytest.raises(vcs.VcsError, match="not a git repository"):
        vcs.default_base(outside)
    git(repo, "branch", "-m", "trunk")
    with pytest.raises(vcs.VcsError, match="no base commit found"):
        vcs.default_base(repo)
