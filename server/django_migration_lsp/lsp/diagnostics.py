"""Lint results as LSP diagnostics (pure: results and document text in, diagnostics out)."""

from __future__ import annotations

from typing import Any

from lsprotocol import types

from ..findings import Finding, MigrationResult, Span
from ..rules.catalogue import docs_url

SOURCE = "django-migration-lsp"
RENDER_ERROR = "RENDER_ERROR"
SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}
MAX_SQL = 3


def utf16_col(line_text: str, col: int) -> int:
    """A code-point column as the UTF-16 column LSP positions use."""
    prefix = line_text[:col]
    return col + sum(1 for ch in prefix if ord(ch) > 0xFFFF)


def to_range(span: Span | None, lines: list[str]) -> types.Range:
    """``Span`` (1-based lines, code points) -> LSP ``Range`` (0-based, UTF-16)."""
    if span is None:
        return types.Range(types.Position(0, 0), types.Position(0, 0))

    def line_text(number: int) -> str:
        return lines[number - 1] if 0 < number <= len(lines) else ""

    return types.Range(
        types.Position(span.line - 1, utf16_col(line_text(span.line), span.col)),
        types.Position(span.end_line - 1, utf16_col(line_text(span.end_line), span.end_col)),
    )


def finding_message(finding: Finding) -> str:
    """The finding's message with the SQL that triggered it."""
    message = finding.message
    if finding.sql:
        shown = [s if len(s) <= 300 else s[:297] + "…" for s in finding.sql[:MAX_SQL]]
        message += "\nSQL: " + "\n     ".join(shown)
        if len(finding.sql) > MAX_SQL:
            message += f"\n     (+{len(finding.sql) - MAX_SQL} more)"
    return message


def diagnostics_for(result: MigrationResult, text: str | None) -> list[types.Diagnostic]:
    """Every diagnostic of one migration file."""
    lines = (text or "").splitlines()
    out: list[types.Diagnostic] = []
    for finding in result.findings:
        out.append(
            types.Diagnostic(
                range=to_range(finding.span, lines),
                message=finding_message(finding),
                severity=SEVERITY.get(finding.severity, types.DiagnosticSeverity.Warning),
                code=finding.code,
                code_description=types.CodeDescription(href=docs_url(finding.code)),
                source=SOURCE,
                data={
                    "code": finding.code,
                    "operation_index": finding.operation_index,
                    "sub_index": finding.sub_index,
                    "app": result.app,
                    "migration": result.name,
                },
            )
        )
    if result.error:
        out.append(render_error_diagnostic(result, lines))
    return out


def render_error_diagnostic(result: MigrationResult, lines: list[str]) -> types.Diagnostic:
    """One diagnostic saying why the SQL could not be rendered, where it happened."""
    location = result.error_location
    if location:
        line = max(location["line"] - 1, 0)
        col = max(location.get("column", 1) - 1, 0)
        text = lines[line] if line < len(lines) else ""
        start = types.Position(line, utf16_col(text, col))
        end = types.Position(line, utf16_col(text, len(text)) if len(text) > col else col + 1)
    else:
        start, end = types.Position(0, 0), types.Position(0, len(lines[0]) if lines else 0)
    syntax = "SyntaxError" in (result.error or "") or "(line " in (result.error or "")
    crash = result.fatal and result.operation_crashes  # an operation makes migrate raise
    message = (
        f"The SQL of this migration could not be fully rendered: {result.error}. "
        "Checks that need no SQL still ran."
    )
    return types.Diagnostic(
        range=types.Range(start, end),
        message=f"`migrate` would crash on this migration: {result.error}" if crash else message,
        severity=(
            types.DiagnosticSeverity.Error if syntax or crash else types.DiagnosticSeverity.Warning
        ),
        code=RENDER_ERROR,
        code_description=types.CodeDescription(href=docs_url("render_problems")),
        source=SOURCE,
    )


def problem_diagnostic(
    message: str,
    line: int | None,
    col: int | None,
    severity: types.DiagnosticSeverity = types.DiagnosticSeverity.Error,
    code: str = "PROJECT_LOAD_ERROR",
) -> types.Diagnostic:
    """A diagnostic for a project-level problem (settings that fail to import, …)."""
    line0 = max((line or 1) - 1, 0)
    col0 = max(col or 0, 0)
    return types.Diagnostic(
        range=types.Range(types.Position(line0, col0), types.Position(line0, col0 + 1)),
        message=message,
        severity=severity,
        code=code,
        source=SOURCE,
    )


def data_of(diagnostic: types.Diagnostic) -> dict[str, Any]:
    data = diagnostic.data
    return data if isinstance(data, dict) else {}
