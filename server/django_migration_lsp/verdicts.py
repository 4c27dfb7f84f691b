"""Rules plus suppression for one migration's operations: the verdict (pure, no Django).

Shared by the engine (operations rendered by Django) and by the language server's static mode
(operations read from the source alone: an untrusted workspace, a project that cannot load).
"""

from __future__ import annotations

import sys

from .config import LintOptions
from .findings import Finding, MigrationResult, RenderedOperation, status_for
from .rules.catalogue import RULES
from .rules.locks import default_postgres_version
from .rules.run import RuleHit, lint_operations, message_for
from .source import MigrationSource
from .static import static_operations


def finding_from_hit(
    hit: RuleHit,
    source: MigrationSource | None,
    options: LintOptions,
    all_warnings_errors: bool,
    made_errors: set[str],
) -> Finding:
    """A user-facing finding for a rule hit: severity, message and span."""
    rule = RULES[hit.code]
    severity = hit.severity or rule.severity
    if severity == "warning" and (all_warnings_errors or hit.code in made_errors):
        severity = "error"
    span = source.span_for(hit.operation_index, hit.sub_index) if source else None
    return Finding(
        code=hit.code,
        severity=severity,  # type: ignore[arg-type]  # rule severities are Severity values
        message=message_for(hit, rule),
        operation_index=hit.operation_index,
        sub_index=hit.sub_index,
        sql=list(hit.statements),
        span=span,
        lock=hit.lock.to_json() if hit.lock is not None else None,
    )


def postgres_version(options: LintOptions) -> int:
    """``postgres_version`` from the options, else the oldest the loaded Django supports."""
    if options.postgres_version:
        return options.postgres_version
    django = sys.modules.get("django")  # loaded where Django runs; never imported here
    return default_postgres_version(getattr(django, "VERSION", None))


def verdict(
    app: str,
    name: str,
    path: str | None,
    source: MigrationSource | None,
    operations: list[RenderedOperation],
    *,
    vendor: str,
    atomic: bool,
    options: LintOptions,
    error: str | None = None,
    lock_timeout: bool = False,
) -> MigrationResult:
    """Rules + suppression for one migration's rendered operations (pure).

    ``lock_timeout``: the connection sets one for every session (its ``OPTIONS``).
    """
    if source is not None:
        source.for_vendor(vendor)  # operations assigned under ``if connection.vendor == …``
    excluded = {c.upper() for c in options.exclude_migration_tests}
    all_errors, made_errors = options.warnings_as_errors_codes()
    findings: list[Finding] = []
    hits = lint_operations(
        operations,
        vendor,
        atomic=atomic,
        postgres_version=postgres_version(options),
        lock_timeout=lock_timeout,
    )
    every = [one for o in operations for one in (o, *o.sub_operations)]
    scripts = {(o.index, o.sub_index): list(o.run_as) for o in every if o.run_as is not None}
    for hit in hits:
        if hit.code in excluded:
            continue
        if source is not None and source.is_ignored(hit.operation_index, hit.sub_index, hit.code):
            continue
        finding = finding_from_hit(hit, source, options, all_errors, made_errors)
        script = scripts.get((hit.operation_index, hit.sub_index))
        if script is not None:  # a RunSQL script is shown as the database runs it: whole
            finding.sql = script
        findings.append(finding)
    findings.sort(key=lambda f: (f.operation_index or 0, f.sub_index or -1, f.code))
    op_errors = [f"operation {o.index + 1}: {o.error}" for o in operations if o.error]
    for o in operations:
        op_errors += [f"operation {o.index + 1}: {s.error}" for s in o.sub_operations if s.error]
    message = "; ".join([e for e in [error, *op_errors] if e]) or None
    status = status_for(findings)
    if message and status != "error":
        status = "render_error"
    return MigrationResult(
        app=app,
        name=name,
        path=path,
        status=status,
        findings=findings,
        error=message,
        vendor=vendor,
        operations=operations,
    )


def static_verdict(
    app: str,
    name: str,
    path: str | None,
    source: MigrationSource,
    options: LintOptions,
    vendor: str,
) -> MigrationResult:
    """The verdict from the source alone: what each operation plainly does, no SQL rendered."""
    return verdict(
        app,
        name,
        path,
        source,
        static_operations(source, app),
        vendor=vendor,
        atomic=True,
        options=options,
    )
