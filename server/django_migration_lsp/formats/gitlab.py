"""GitLab Code Quality reports (``--format gitlab``) for ``lint`` and ``check``.

A report is a JSON array of issues: ``description``, ``check_name``, ``fingerprint`` (stable
across runs while the finding stands: it names the migration, the operation and the code, not the
line), ``severity`` (``info`` / ``minor`` / ``major`` / ``critical`` / ``blocker``) and
``location.path`` (relative to the repository: ``CI_PROJECT_DIR`` in GitLab CI, else the git
checkout that holds the project, else the project) with ``location.lines.begin``. Results in, a
list of dicts out; the only outside look is ``repository_base``.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

SEVERITIES = {"error": "critical", "warning": "major", "info": "info"}


@dataclass(frozen=True)
class Issue:
    """One Code Quality issue before it is numbered against its duplicates."""

    check_name: str
    description: str
    severity: str  # our severity: error / warning / info
    path: str
    line: int
    identity: str  # what makes the finding itself, without its line

    def to_dict(self, fingerprint: str) -> dict[str, Any]:
        return {
            "description": self.description,
            "check_name": self.check_name,
            "fingerprint": fingerprint,
            "severity": SEVERITIES.get(self.severity, "minor"),
            "location": {"path": self.path, "lines": {"begin": self.line}},
        }


def repository_base(root: str) -> str:
    """The directory GitLab's paths are relative to: ``CI_PROJECT_DIR``, else the top of the
    git checkout holding ``root``, else ``root``."""
    if os.environ.get("CI_PROJECT_DIR"):
        return os.environ["CI_PROJECT_DIR"]
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return root
    return top.stdout.strip() if top.returncode == 0 and top.stdout.strip() else root


def repository_path(base: str, root: str, path: str | None) -> str:
    """``path`` (relative to ``root`` or absolute) relative to ``base``; absolute outside it."""
    if not path:
        return ""
    absolute = path if os.path.isabs(path) else os.path.join(root, path)
    relative = os.path.relpath(os.path.realpath(absolute), os.path.realpath(base))
    return absolute if relative.startswith("..") else relative.replace(os.sep, "/")


def report(issues: Iterable[Issue]) -> list[dict[str, Any]]:
    """The Code Quality array; fingerprints are unique (a repeat gets a counter)."""
    seen: dict[str, int] = {}
    out = []
    for issue in issues:
        digest = hashlib.sha256(issue.identity.encode()).hexdigest()
        seen[digest] = seen.get(digest, 0) + 1
        if seen[digest] > 1:
            digest = hashlib.sha256(f"{issue.identity}#{seen[digest]}".encode()).hexdigest()
        out.append(issue.to_dict(digest))
    return out


def lint_report(root: str, results: Iterable[Any]) -> list[dict[str, Any]]:
    """Code Quality issues of a lint run's ``MigrationResult``s (render errors included)."""
    issues = []
    base = repository_base(root)
    for result in results:
        fallback = f"{result.app}/migrations/{result.name}.py"
        path = repository_path(base, root, result.path or fallback)
        where = f"{result.app}.{result.name}"
        if result.error:
            line = (result.error_location or {}).get("line") or 1
            description = (
                f"{where}: the SQL of this migration could not be fully rendered: {result.error}"
            )
            issues.append(
                Issue("RENDER_ERROR", description, "warning", path, line, f"{where}:RENDER_ERROR")
            )
        for finding in result.findings:
            identity = f"{where}#{finding.operation_index}.{finding.sub_index}:{finding.code}"
            line = finding.span.line if finding.span else 1
            issues.append(
                Issue(finding.code, finding.message, finding.severity, path, line, identity)
            )
    return report(issues)


def check_report(root: str, findings: Iterable[Any]) -> list[dict[str, Any]]:
    """Code Quality issues of the cross-checks' ``CheckFinding``s."""
    issues = []
    base = repository_base(root)
    for f in findings:
        path = repository_path(base, root, f.path or root) or "."
        identity = f"{f.code}:{f.app}:{f.migration}:{f.database}:{f.message}"
        issues.append(Issue(f.code, f.message, f.severity, path, f.line or 1, identity))
    return report(issues)
