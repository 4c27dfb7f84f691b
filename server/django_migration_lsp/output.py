"""Render a lint run as text, JSON (DESIGN §6), GitHub annotations or SARIF 2.1.0."""

from __future__ import annotations

import json
import os
from collections import Counter
from typing import Any

from . import __version__
from .findings import Finding, MigrationResult
from .rules.catalogue import RULES, docs_url

FORMATS = ("text", "json", "github", "sarif")
STATUSES = ("ok", "warning", "error", "ignored", "render_error")


def summary(results: list[MigrationResult]) -> dict[str, int]:
    """Counts per status, as in the JSON ``summary`` object."""
    counts = Counter(r.status for r in results)
    return {"migrations": len(results), **{s: counts.get(s, 0) for s in STATUSES}}


def finding_json(finding: Finding) -> dict[str, Any]:
    """A finding with 1-based lines and columns (end exclusive, 1-based)."""
    span = finding.span
    return {
        "code": finding.code,
        "severity": finding.severity,
        "message": finding.message,
        "line": span.line if span else None,
        "column": span.col + 1 if span else None,
        "end_line": span.end_line if span else None,
        "end_column": span.end_col + 1 if span else None,
        "operation_index": finding.operation_index,
        "sub_index": finding.sub_index,
        "sql": list(finding.sql),
        **({"lock": finding.lock} if finding.lock is not None else {}),
    }


def to_json(project: dict[str, Any], results: list[MigrationResult]) -> dict[str, Any]:
    """The ``lint --format json`` document."""
    return {
        "version": 1,
        "project": project,
        "migrations": [
            {
                "app": r.app,
                "name": r.name,
                "path": r.path,
                "status": r.status,
                "findings": [finding_json(f) for f in r.findings],
                "error": r.error,
                "error_location": r.error_location,
                "cached": r.cached,
            }
            for r in results
        ],
        "summary": summary(results),
    }


def _location(result: MigrationResult, finding: Finding | None = None) -> str:
    path = result.path or f"{result.app}/migrations/{result.name}.py"
    if finding is not None and finding.span is not None:
        return f"{path}:{finding.span.line}:{finding.span.col + 1}"
    if finding is None and result.error_location:
        return f"{path}:{result.error_location['line']}:{result.error_location['column']}"
    return f"{path}:1:1"


def to_text(
    results: list[MigrationResult],
    *,
    verbosity: int = 1,
    quiet: list[str] | None = None,
    problems: list[str] | None = None,
) -> str:
    """Human output: ``path:line:col: CODE message`` per finding, then a summary."""
    quiet = quiet or []
    lines: list[str] = list(problems or [])
    for result in results:
        shown = {"ignored": "ignore"}.get(result.status, result.status)
        if shown in quiet or (shown == "render_error" and "error" in quiet):
            continue
        if verbosity >= 2 or (result.status in ("ignored", "ok") and verbosity >= 2):
            lines.append(f"({result.app}, {result.name})... {result.status.upper()}")
        if result.error:
            lines.append(
                f"{_location(result)}: RENDER_ERROR the SQL of this migration could not be "
                f"fully rendered: {result.error}"
            )
        for finding in result.findings:
            if finding.severity in quiet:
                continue
            lines.append(
                f"{_location(result, finding)}: {finding.code} {finding.message} "
                f"[{finding.severity}]"
            )
            if verbosity >= 2:
                lines.extend(f"    {sql}" for sql in finding.sql)
    counts = summary(results)
    total = counts["migrations"]
    lines += [
        "*** Summary ***",
        f"Valid migrations: {counts['ok']}/{total}",
        f"Erroneous migrations: {counts['error']}/{total}",
        f"Migrations with warnings: {counts['warning']}/{total}",
        f"Ignored migrations: {counts['ignored']}/{total}",
        f"Migrations whose SQL could not be rendered: {counts['render_error']}/{total}",
    ]
    return "\n".join(lines)


def _gh_escape(value: str, *, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def _workspace_path(root: str, path: str | None) -> str:
    if not path:
        return ""
    absolute = path if os.path.isabs(path) else os.path.join(root, path)
    base = os.environ.get("GITHUB_WORKSPACE") or os.getcwd()
    rel = os.path.relpath(absolute, base)
    return absolute if rel.startswith("..") else rel


def to_github(root: str, results: list[MigrationResult]) -> str:
    """GitHub Actions workflow commands (``::error file=…,line=…::message``)."""
    out = []
    for result in results:
        file = _gh_escape(_workspace_path(root, result.path), prop=True)
        if result.error:
            line = (result.error_location or {}).get("line", 1)
            out.append(
                f"::warning file={file},line={line},title=RENDER_ERROR::"
                + _gh_escape(f"SQL could not be fully rendered: {result.error}")
            )
        for f in result.findings:
            level = {"error": "error", "warning": "warning"}.get(f.severity, "notice")
            span = f.span
            where = f"file={file}"
            if span:
                where += (
                    f",line={span.line},col={span.col + 1},"
                    f"endLine={span.end_line},endColumn={span.end_col + 1}"
                )
            title = _gh_escape(f"{f.code} ({result.app}.{result.name})", prop=True)
            out.append(f"::{level} {where},title={title}::{_gh_escape(f.message)}")
    return "\n".join(out)


def to_sarif(root: str, results: list[MigrationResult]) -> dict[str, Any]:
    """A SARIF 2.1.0 log that GitHub code scanning accepts."""
    used = sorted({f.code for r in results for f in r.findings})
    rules = []
    for code in used:
        rule = RULES[code]
        rules.append(
            {
                "id": code,
                "name": code.title().replace("_", ""),
                "shortDescription": {"text": rule.title},
                "fullDescription": {"text": f"{rule.why} {rule.fix}"},
                "helpUri": docs_url(code),
                "help": {"text": rule.fix},
                "defaultConfiguration": {
                    "level": "error" if rule.severity == "error" else "warning"
                },
            }
        )
    index = {code: i for i, code in enumerate(used)}
    sarif_results = []
    for result in results:
        for f in result.findings:
            location: dict[str, Any] = {
                "physicalLocation": {
                    "artifactLocation": {
                        "uri": (result.path or "").replace(os.sep, "/"),
                        "uriBaseId": "%SRCROOT%",
                    }
                }
            }
            if f.span:
                location["physicalLocation"]["region"] = {
                    "startLine": f.span.line,
                    "startColumn": f.span.col + 1,
                    "endLine": f.span.end_line,
                    "endColumn": f.span.end_col + 1,
                }
            sarif_results.append(
                {
                    "ruleId": f.code,
                    "ruleIndex": index[f.code],
                    "level": sarif_level(f.severity),
                    "message": {"text": f.message},
                    "locations": [location],
                    "partialFingerprints": {
                        "migrationOperation/v1": (
                            f"{result.app}.{result.name}#{f.operation_index}:{f.code}"
                        )
                    },
                }
            )
    return sarif_log(rules, sarif_results, root)


def sarif_level(severity: str) -> str:
    """A finding's severity as a SARIF result level."""
    return severity if severity in ("error", "warning") else "note"


def sarif_log(
    rules: list[dict[str, Any]], results: list[dict[str, Any]], root: str | None
) -> dict[str, Any]:
    """The SARIF 2.1.0 envelope around ``rules`` and ``results`` (paths relative to ``root``)."""
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "django-migration-lsp",
                "version": __version__,
                "informationUri": "https://github.com/django-migration-lsp/django-migration-lsp",
                "rules": rules,
            }
        },
        "results": results,
    }
    if root:
        run["originalUriBaseIds"] = {"%SRCROOT%": {"uri": "file://" + root.rstrip("/") + "/"}}
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    }


def dumps(document: dict[str, Any]) -> str:
    """JSON as printed on stdout."""
    return json.dumps(document, indent=2, sort_keys=False)
