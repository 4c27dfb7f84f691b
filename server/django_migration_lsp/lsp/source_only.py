"""Diagnostics without a Django context (pure): the syntax error of a half-typed buffer, the
last good findings kept meanwhile, and, when no Django context can be had (an untrusted
workspace, a project that does not load), the rules on what the source alone tells."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lsprotocol import types

from ..config import LintOptions
from ..findings import MigrationResult
from ..source import MigrationSource
from ..verdicts import static_verdict
from . import projects as projects_mod
from .diagnostics import diagnostics_for, to_range


def why(trusted: bool) -> str:
    if not trusted:
        return "Restricted Mode: the workspace is not trusted, so the project is not imported"
    return "the project does not load (see its error)"


def diagnostics(
    path: Path,
    source: MigrationSource,
    keep: MigrationResult | None,
    reason: str | bool,
    options: dict[str, Any],
    vendor: str | None,
) -> list[types.Diagnostic]:
    """``keep``'s findings, else (when ``reason`` says why Django is out of reach) the static
    verdict; plus the syntax error if any."""
    text = source.text
    out: list[types.Diagnostic] = []
    if keep is not None:
        kept = MigrationResult(keep.app, keep.name, keep.path, keep.status, keep.findings)
        out += diagnostics_for(kept, text)
    elif reason and source.syntax_error is None:
        out += diagnostics_for(static_result(path, source, str(reason), options, vendor), text)
    if source.syntax_error is not None:
        out.append(
            types.Diagnostic(
                range=to_range(source.syntax_error.span, text.splitlines()),
                message=f"SyntaxError: {source.syntax_error.message}",
                severity=types.DiagnosticSeverity.Error,
                code="RENDER_ERROR",
                source="django-migration-lsp",
            )
        )
    return out


def static_result(
    path: Path, source: MigrationSource, reason: str, options: dict[str, Any], vendor: str | None
) -> MigrationResult:
    """The static verdict on one migration, its messages saying why it is only that."""
    lint_options = LintOptions.from_dict(projects_mod.lint_options(options))
    vendor = (lint_options.sql_analyser or vendor or "postgresql").lower()
    result = static_verdict(
        path.parent.parent.name, path.stem, str(path), source, lint_options, vendor
    )
    for finding in result.findings:
        finding.message += (
            f" [Read from the source alone ({reason}): table names are Django's defaults and "
            "the SQL is not rendered.]"
        )
    return result
