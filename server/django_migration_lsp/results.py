"""Result assembly: a migration's source, what loading/rendering said, into its MigrationResult.

Pure of Django: the engine hands over the rendered operations (or the load problem) and the
source text; this module reads the source map, falls back to the source-only operations when
nothing could be rendered, and calls the verdict.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from .config import LintOptions
from .django_side.facts import connection_sets_lock_timeout
from .findings import MigrationResult
from .source import MigrationSource, SourceDecodeError, parse_migration_source, read_source_file
from .sqlscript import attach_as_run
from .static import static_operations
from .verdicts import verdict

#: load problems that make ``migrate`` itself crash on this file
FATAL_KINDS = ("syntax", "import")


@dataclass(frozen=True)
class SourceRead:
    """A migration file's parsed source (None when unreadable) and why it is not clean."""

    source: MigrationSource | None = None
    error: str | None = None
    decode_location: dict[str, int] | None = None


@dataclass(frozen=True)
class Judged:
    """Who is judged, with which rules: the names and the vendor-level settings of a run."""

    app: str
    name: str
    path: str | None  # as displayed (relative to the project root when inside it)
    vendor: str  # of the database (the ``ignored`` result carries it)
    analyser: str  # whose rules run
    options: LintOptions


def read_source(path: str | None, overrides: dict[str, str] | None = None) -> SourceRead:
    """The source of ``path``: the unsaved text in ``overrides`` when there is one."""
    if not path:
        return SourceRead()
    text = (overrides.get(os.path.realpath(path)) or overrides.get(path)) if overrides else None
    error = None
    location = None
    if text is None:
        try:
            text = read_source_file(path)
        except SourceDecodeError as exc:  # Python may still import it (in a comment)
            error = exc.message
            location = {"line": exc.line, "column": exc.col + 1}
            with open(path, "rb") as handle:
                text = handle.read().decode("utf-8", errors="replace")
        except OSError as exc:
            return SourceRead(error=f"cannot read the file: {exc}")
    return SourceRead(parse_migration_source(text, path), error, location)


def ignored_result(who: Judged) -> MigrationResult:
    return MigrationResult(who.app, who.name, who.path, "ignored", vendor=who.vendor)


def failed_result(who: Judged, read: SourceRead, problem: Any | None) -> MigrationResult:
    """A migration that failed to load or could not be placed in the graph: the checks that
    need no SQL, from its source alone."""
    message = problem.message if problem is not None else (read.error or "not rendered")
    operations = static_operations(read.source) if read.source is not None else []
    result = verdict(
        who.app,
        who.name,
        who.path,
        read.source,
        operations,
        vendor=who.analyser,
        atomic=True,
        options=who.options,
        error=message,
    )
    result.status = "error" if result.status == "error" else "render_error"
    result.fatal = problem is not None and problem.kind in FATAL_KINDS
    if problem is not None and problem.line:
        result.error_location = {"line": problem.line, "column": (problem.col or 0) + 1}
    return result


def rendered_result(
    who: Judged, read: SourceRead, rendered: Any, backend_error: str | None
) -> MigrationResult:
    """The verdict on a rendered migration (its operations carrying how Django runs them)."""
    attach_as_run(rendered.operations, rendered.deferred, rendered.as_run)
    error = "; ".join(filter(None, [read.error, backend_error])) or None
    result = verdict(
        who.app,
        who.name,
        who.path,
        read.source,
        rendered.operations,
        vendor=who.analyser,
        atomic=rendered.atomic,
        options=who.options,
        error=error,
        lock_timeout=connection_sets_lock_timeout(who.options.database),
    )
    result.atomic = rendered.atomic
    if read.decode_location:
        result.error_location = read.decode_location
    every = [one for o in rendered.operations for one in (o, *o.sub_operations)]
    crash = next((o for o in every if o.crashes_migrate), None)
    if crash is not None:  # ``migrate`` raises there: an error, on that operation
        result.fatal = True
        source = read.source
        span = source.span_for(crash.index, crash.sub_index) if source is not None else None
        if span is not None and not read.decode_location:
            result.error_location = {"line": span.line, "column": span.col + 1}
    return result
