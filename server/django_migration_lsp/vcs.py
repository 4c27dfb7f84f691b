"""Every git call the linter makes: which files changed since a commit, which are new.

Pure of Django. Paths come back absolute and resolved (``os.path.realpath``), so callers compare
them with the real paths of migration files. A failing git call raises ``VcsError`` with the
command and git's own message; the caller turns it into a located error for the user.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

DEFAULT_BRANCHES = ("main", "master")


class VcsError(Exception):
    """A git command failed; the message names the command and what git said."""


def _git(cwd: Path | str, *args: str) -> str:
    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        detail = (getattr(exc, "stderr", "") or str(exc)).strip()
        raise VcsError(f"`git {' '.join(args)}` failed in {cwd}: {detail}") from exc


def _ok(cwd: Path | str, *args: str) -> str | None:
    """``git ARGS``'s output, or None when it fails (probing for a ref)."""
    try:
        return _git(cwd, *args).strip() or None
    except VcsError:
        return None


def toplevel(root: Path) -> str:
    """The repository's top directory (raises ``VcsError`` outside a repository)."""
    return os.path.realpath(_git(root, "rev-parse", "--show-toplevel").strip())


def is_repository(root: Path) -> bool:
    """True inside a git work tree (and git is installed)."""
    return _ok(root, "rev-parse", "--is-inside-work-tree") == "true"


def resolve(root: Path, rev: str) -> str:
    """``rev`` as a full commit id."""
    commit = _ok(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if commit is None:
        toplevel(root)  # outside a repository: say that instead
        raise VcsError(f"{rev!r} names no commit of the repository at {root}")
    return commit


def _absolute(top: str, output: str) -> set[str]:
    return {os.path.realpath(os.path.join(top, line)) for line in output.splitlines() if line}


def untracked(root: Path) -> set[str]:
    """Files git does not track yet (and does not ignore)."""
    top = toplevel(root)
    return _absolute(top, _git(top, "ls-files", "--others", "--exclude-standard", "--full-name"))


def added_since(root: Path, rev: str) -> set[str]:
    """Files added or renamed since ``rev`` (``--git-commit-id``, as lintmigrations does), plus
    untracked ones (a new migration not committed yet is new too)."""
    top = toplevel(root)
    out = _git(top, "diff", "--name-only", "--diff-filter=AR", rev)
    return _absolute(top, out) | untracked(root)


def default_base(root: Path) -> str:
    """The commit "new" is measured from: the merge-base of HEAD with the upstream of the
    default branch (``origin/HEAD``), else with ``main`` / ``master`` (remote or local)."""
    toplevel(root)  # a clear error outside a repository
    candidates = []
    upstream = _ok(root, "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD")
    if upstream:
        candidates.append(upstream)
    for branch in DEFAULT_BRANCHES:
        candidates += [f"origin/{branch}", branch]
    for ref in candidates:
        base = _ok(root, "merge-base", "HEAD", ref)
        if base:
            return base
    raise VcsError(
        f"no base commit found in {root}: neither origin/HEAD nor a main or master branch shares "
        "history with HEAD. Set `base` (a branch, tag or commit) in [tool.django-migration-lsp] "
        "or pass --base."
    )


def new_since(root: Path, base: str) -> set[str]:
    """Files that are not on ``base`` as they are now: added, modified or renamed since it
    (committed or not), and untracked ones."""
    top = toplevel(root)
    out = _git(top, "diff", "--name-only", "--diff-filter=d", base, "--")
    return _absolute(top, out) | untracked(root)
