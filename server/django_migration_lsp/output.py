"""The one reporting path: ``render(report, format)`` and ``exit_status(report)``.

A report is a lint run (``LintRun``) or a cross-check report (``CheckReport``); both print as
text, JSON, GitHub annotations or SARIF 2.1.0 through here, for ``lint``, ``check`` and
``manage.py lintmigrations`` alike.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from typing import Any

from . import __version__
from .config import LintOptions
from .findings import Finding, LintRun, MigrationResult, Status
from .rules.catalogue import RULES, docs_url

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
STATUSES: tuple[Status, ...] = ("ok", "warning", "error", "ignored", "render_error")


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


def migration_json(result: MigrationResult, *, with_cached: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "app": result.app,
        "name": result.name,
        "path": result.path,
        "status": result.status,
        "findings": [finding_json(f) for f in result.findings],
        "error": result.error,
        "error_location": result.error_location,
    }
    if with_cached:  # differs between two runs of the same tree: only when asked (-v)
        entry["cached"] = result.cached
    return entry


def to_json(
    project: dict[str, Any],
    results: list[MigrationResult],
    *,
    with_cached: bool = False,
    run: LintRun | None = None,
) -> dict[str, Any]:
    """The ``lint --format json`` document (deterministic: the same tree gives the same text)."""
    document: dict[str, Any] = {
        "version": 1,
        "project": project,
        "migrations": [migration_json(r, with_cached=with_cached) for r in results],
        "summary": summary(results),
    }
    if run is not None:
        document["installed_apps_not_linted"] = list(run.skipped_apps)
        document["baselined"] = run.baselined
        document["not_new"] = run.not_new
    return document


@dataclass(frozen=True)
class Position:
    """Where a reported item is: the one position type of every format. 1-based lines and
    columns, end exclusive; ``line`` None when only the file is known."""

    path: str
    line: int | None = None
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None

    @classmethod
    def of(cls, result: MigrationResult, finding: Finding | None = None) -> Position:
        """A finding's span, or (``finding`` None) where the migration's error is."""
        path = result.path or f"{result.app}/migrations/{result.name}.py"
        if finding is not None:
            span = finding.span
            if span is None:
                return cls(path)
            return cls(path, span.line, span.col + 1, span.end_line, span.end_col + 1)
        where = result.error_location or {}
        return cls(path, where.get("line", 1), where.get("column", 1))

    def text(self) -> str:
        return f"{self.path}:{self.line or 1}:{self.column}"

    def github(self, root: str) -> dict[str, Any]:
        """Properties of a workflow command (columns only with a whole range)."""
        props: dict[str, Any] = {"file": _workspace_path(root, self.path), "line": self.line}
        if self.end_line is not None:
            props.update(col=self.column, endLine=self.end_line, endColumn=self.end_column)
        return props

    def sarif(self, uri: str) -> dict[str, Any]:
        """A SARIF ``physicalLocation`` (``uri`` relative to %SRCROOT%)."""
        location: dict[str, Any] = {
            "artifactLocation": {"uri": uri.replace(os.sep, "/"), "uriBaseId": "%SRCROOT%"}
        }
        if self.line is not None:
            region: dict[str, Any] = {"startLine": self.line}
            if self.end_line is not None:
                region.update(
                    startColumn=self.column, endLine=self.end_line, endColumn=self.end_column
                )
            location["region"] = region
        return location


def render_error_message(result: MigrationResult) -> str:
    """What a RENDER_ERROR says: a module that cannot be imported crashes ``migrate``."""
    if result.fatal and result.operation_crashes:
        return f"`migrate` would crash on this migration: {result.error}"
    if result.fatal:
        error = (result.error or "").rstrip(".")
        return (
            f"`migrate` would crash on this migration: {error}. Fix the file; only the checks "
            "that need no SQL ran on it"
        )
    return f"the SQL of this migration could not be fully rendered: {result.error}"


def _location(result: MigrationResult, finding: Finding | None = None) -> str:
    return Position.of(result, finding).text()


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
            tag = " [error]" if result.fatal else ""
            lines.append(f"{_location(result)}: RENDER_ERROR {render_error_message(result)}{tag}")
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
    """``path`` relative to ``GITHUB_WORKSPACE`` (else to the project root), whatever the cwd."""
    if not path:
        return ""
    absolute = path if os.path.isabs(path) else os.path.join(root, path)
    base = os.environ.get("GITHUB_WORKSPACE") or root
    rel = os.path.relpath(absolute, base)
    return absolute if rel.startswith("..") else rel


def to_github(root: str, results: list[MigrationResult]) -> str:
    """GitHub Actions workflow commands (``::error file=…,line=…::message``)."""
    out = []
    for result in results:
        if result.error:
            out.append(
                github_command(
                    "error" if result.fatal else "warning",
                    render_error_message(result),
                    **Position.of(result).github(root),
                    title="RENDER_ERROR",
                )
            )
        for f in result.findings:
            level = {"error": "error", "warning": "warning"}.get(f.severity, "notice")
            title = f"{f.code} ({result.app}.{result.name})"
            out.append(
                github_command(level, f.message, **Position.of(result, f).github(root), title=title)
            )
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
            position = Position.of(result, f)
            location = {"physicalLocation": position.sarif(result.path or "")}
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


def dumps(document: dict[str, Any] | list[dict[str, Any]]) -> str:
    """JSON as printed on stdout."""
    return json.dumps(document, indent=2, sort_keys=False)


def github_command(level: str, message: str, **props: Any) -> str:
    """One workflow command, ``::error file=…,line=…::message``, escaped as GitHub requires."""
    shown = ",".join(f"{k}={_gh_escape(str(v), prop=True)}" for k, v in props.items() if v)
    return f"::{level} {shown}::{_gh_escape(message)}"


def adoption_lines(run: LintRun) -> list[str]:
    """What the run left out on purpose, so nothing is hidden silently."""
    lines = []
    if run.skipped_apps:
        apps = len(run.skipped_apps)
        lines.append(
            f"{apps} installed app{'s' * (apps != 1)} not linted "
            f"({', '.join(run.skipped_apps)}); --include-installed-apps lints them"
        )
    if run.not_new:
        old = run.not_new
        lines.append(
            f"{old} migration{'s' * (old != 1)} already on the base not linted (--new); "
            "they have been deployed"
        )
    if run.baselined:
        lines.append(f"{run.baselined} finding{'s' * (run.baselined != 1)} baselined")
    return lines


def _render_lint(run: LintRun, fmt: str, verbosity: int, quiet: list[str]) -> str:
    if fmt == "json":
        return dumps(
            to_json(run.project.to_dict(), run.results, with_cached=verbosity >= 2, run=run)
        )
    if fmt == "sarif":
        return dumps(to_sarif(run.project.root, run.results))
    if fmt == "github":
        return to_github(run.project.root, run.results)
    if fmt == "gitlab":
        from .formats.gitlab import lint_report

        return dumps(lint_report(run.project.root, run.results))
    if verbosity <= 0:
        return ""
    return "\n".join([to_text(run.results, verbosity=verbosity, quiet=quiet), *adoption_lines(run)])


def render(
    report: Any, fmt: str = "text", *, verbosity: int = 1, quiet: list[str] | None = None
) -> str:
    """``report`` (a ``LintRun`` or a ``CheckReport``) in ``fmt``; "" when there is nothing."""
    if isinstance(report, LintRun):
        return _render_lint(report, fmt, verbosity, list(quiet or []))
    if fmt == "json":
        return dumps(report.to_json())
    if fmt == "sarif":
        return dumps(report.to_sarif())
    if fmt == "github":
        return report.to_github()
    if fmt == "gitlab":
        from .formats.gitlab import check_report

        return dumps(check_report(report.project["root"], report.findings))
    return report.to_text() if verbosity > 0 else ""


def exit_status(report: Any, options: LintOptions | None = None) -> int:
    """0 no errors, 1 at least one error, 2 nothing could be linted at all.

    A migration whose module cannot be imported (syntax or import error) is an error: ``migrate``
    would crash on it. ``--warnings-as-errors`` (all, or naming RENDER_ERROR) makes any SQL that
    could not be rendered an error; ``--exclude-migration-tests RENDER_ERROR`` accepts those.
    """
    if not isinstance(report, LintRun):
        return EXIT_FINDINGS if report.has_errors else EXIT_OK
    options = options or LintOptions()
    results = report.results
    if any(f.severity == "error" for r in results for f in r.findings):
        return EXIT_FINDINGS
    all_errors, made_errors = options.warnings_as_errors_codes()
    excluded = {c.upper() for c in options.exclude_migration_tests}
    if "RENDER_ERROR" not in excluded:
        strict = all_errors or "RENDER_ERROR" in made_errors
        if any(r.fatal or (strict and r.status == "render_error") for r in results):
            return EXIT_FINDINGS
    if results and all(r.status == "render_error" and r.path is None for r in results):
        return EXIT_USAGE
    return EXIT_OK
