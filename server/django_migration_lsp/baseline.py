"""Baseline: findings a team has accepted, so a lint reports only what is new.

``lint --write-baseline FILE`` records every finding of the run, fingerprinted by app,
migration, operation (its index in ``operations``, and in ``database_operations``) and code:
nothing that moves when lines are added above an operation. ``--baseline FILE`` (or
``baseline = FILE`` in the config) leaves those out and counts them. Rewriting the file
records only the findings of that run, so findings that left the code drop out. Pure: no Django.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

from .config import ConfigError
from .findings import Finding, LintRun, MigrationResult, status_for

BASELINE_VERSION = 1


@dataclass(frozen=True, order=True)
class Fingerprint:
    app: str
    migration: str
    operation: int | None
    sub_operation: int | None
    code: str

    def to_dict(self) -> dict[str, object]:
        return {
            "app": self.app,
            "migration": self.migration,
            "operation": self.operation,
            "sub_operation": self.sub_operation,
            "code": self.code,
        }


def fingerprint(result: MigrationResult, finding: Finding) -> Fingerprint:
    return Fingerprint(
        result.app, result.name, finding.operation_index, finding.sub_index, finding.code
    )


def fingerprints(run: LintRun) -> list[Fingerprint]:
    """Every finding of ``run``, sorted (a rewrite of an unchanged tree is byte-identical)."""
    return sorted({fingerprint(r, f) for r in run.results for f in r.findings}, key=_order)


def _order(item: Fingerprint) -> tuple[str, str, int, int, str]:
    def index(value: int | None) -> int:
        return -1 if value is None else value

    return (item.app, item.migration, index(item.operation), index(item.sub_operation), item.code)


def write_baseline(path: Path, run: LintRun) -> int:
    """Record the findings of ``run`` in ``path``; how many."""
    found = fingerprints(run)
    document = {"version": BASELINE_VERSION, "findings": [f.to_dict() for f in found]}
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return len(found)


def read_baseline(path: Path) -> frozenset[Fingerprint]:
    """The fingerprints in ``path``; ``ConfigError`` naming the file when it is not one."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(
            f"cannot read the baseline: {exc.strerror}; write one with "
            "`django-migration-lsp lint --write-baseline FILE`",
            str(path),
        ) from exc
    except ValueError as exc:
        raise ConfigError(f"the baseline is not JSON: {exc}", str(path)) from exc
    try:
        if document.get("version") != BASELINE_VERSION:
            raise TypeError(f"version {document.get('version')!r}")
        return frozenset(
            Fingerprint(
                str(e["app"]), str(e["migration"]), e["operation"], e["sub_operation"], e["code"]
            )
            for e in document["findings"]
        )
    except (AttributeError, KeyError, TypeError) as exc:
        raise ConfigError(
            f"not a baseline file of this tool ({exc}); rewrite it with --write-baseline",
            str(path),
        ) from exc


def _without(result: MigrationResult, accepted: frozenset[Fingerprint]) -> MigrationResult:
    kept = [f for f in result.findings if fingerprint(result, f) not in accepted]
    if len(kept) == len(result.findings) or result.status == "ignored":
        return result
    status = status_for(kept)
    if result.error and status != "error":
        status = "render_error"
    return replace(result, findings=kept, status=status)


def apply_baseline(run: LintRun, accepted: frozenset[Fingerprint]) -> LintRun:
    """``run`` without the accepted findings; ``baselined`` counts those left out."""
    results = [_without(r, accepted) for r in run.results]
    left_out = sum(
        len(a.findings) - len(b.findings) for a, b in zip(run.results, results, strict=True)
    )
    return replace(run, results=results, baselined=run.baselined + left_out)
