"""Plain data that flows between the stages: spans, findings, per-migration results, reports.

Everything here is JSON-serialisable through ``to_dict``/``from_dict`` so the same objects cross
the worker's stdin/stdout, the cache on disk and the CLI's ``--format json`` output. No Django,
no pygls.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]
Status = Literal["ok", "warning", "error", "ignored", "render_error"]

SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True)
class Span:
    """A range in a source file: 1-based lines, 0-based columns counted in code points.

    ``end_col`` is exclusive. Convert to LSP (0-based lines, UTF-16 columns) at the edge.
    """

    line: int
    col: int
    end_line: int
    end_col: int

    def to_dict(self) -> dict[str, int]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, int]) -> Span:
        return cls(data["line"], data["col"], data["end_line"], data["end_col"])


@dataclass
class Finding:
    """One rule hit, attributed to an operation of a migration (or to the migration itself).

    ``operation_index`` is the index in ``Migration.operations``; ``sub_index`` the index in a
    ``SeparateDatabaseAndState(database_operations=[...])`` list when the SQL came from there.
    ``span`` is filled from the source map by the engine (None when the file has no usable map).
    """

    code: str
    severity: Severity
    message: str
    operation_index: int | None = None
    sub_index: int | None = None
    sql: list[str] = field(default_factory=list)
    span: Span | None = None
    #: PostgreSQL lock rules: {"mode", "tables", "rewrite", "scan"} of the statement
    lock: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["span"] = self.span.to_dict() if self.span else None
        if self.lock is None:
            del data["lock"]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        span = data.get("span")
        return cls(
            code=data["code"],
            severity=data["severity"],
            message=data["message"],
            operation_index=data.get("operation_index"),
            sub_index=data.get("sub_index"),
            sql=list(data.get("sql") or []),
            span=Span.from_dict(span) if span else None,
            lock=data.get("lock"),
        )


@dataclass
class RenderedOperation:
    """The SQL one operation runs, as rendered offline by the worker.

    ``kind`` is the operation's class name, ``description`` Django's ``describe()``.
    ``statements`` excludes comments and BEGIN/COMMIT. ``sql_origin`` is ``"schema_editor"`` for
    statements Django generated and ``"runsql"`` for user-written SQL. ``notes`` are caveats
    shown with the SQL (e.g. a default computed at migrate time and replaced by a placeholder).
    ``error`` is set when this operation alone could not be rendered. ``facts`` carries what the
    operation objects know and the SQL cannot tell (see ``rules.facts``).
    ``sub_operations`` holds the database_operations of SeparateDatabaseAndState.
    ``deferred``: the last statements of ``statements``, which Django runs at the migration's
    end. ``run_as``: a RunSQL's script as Django executes it, where that differs from the split
    ``statements`` the rules read (PostgreSQL runs a multi-statement string whole).
    """

    index: int
    kind: str
    description: str
    statements: list[str] = field(default_factory=list)
    sql_origin: str = "schema_editor"
    notes: list[str] = field(default_factory=list)
    error: str | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    sub_operations: list[RenderedOperation] = field(default_factory=list)
    sub_index: int | None = None
    deferred: list[str] = field(default_factory=list)
    run_as: list[str] | None = None
    #: rendering found that the real ``migrate`` raises on it (``error`` says why)
    crashes_migrate: bool = False

    @property
    def shown(self) -> list[str]:
        """The statements as Django executes them (a RunSQL script whole where it runs so)."""
        return list(self.run_as) if self.run_as is not None else list(self.statements)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["sub_operations"] = [s.to_dict() for s in self.sub_operations]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RenderedOperation:
        return cls(
            index=data["index"],
            kind=data["kind"],
            description=data.get("description", ""),
            statements=list(data.get("statements") or []),
            sql_origin=data.get("sql_origin", "schema_editor"),
            notes=list(data.get("notes") or []),
            error=data.get("error"),
            facts=dict(data.get("facts") or {}),
            sub_operations=[cls.from_dict(s) for s in data.get("sub_operations") or []],
            sub_index=data.get("sub_index"),
            deferred=list(data.get("deferred") or []),
            run_as=list(data["run_as"]) if data.get("run_as") is not None else None,
            crashes_migrate=bool(data.get("crashes_migrate", False)),
        )


@dataclass
class MigrationResult:
    """The verdict on one migration file (one entry of ``lint --format json``'s ``migrations``)."""

    app: str
    name: str
    path: str | None
    status: Status
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    vendor: str | None = None
    operations: list[RenderedOperation] = field(default_factory=list)
    cached: bool = False
    #: where the error is, when it has a place: {"line": 1-based, "column": 1-based}
    error_location: dict[str, int] | None = None
    #: ``migrate`` would crash on it: the module cannot even be imported (syntax or import
    #: error), or an operation raises (``RenderedOperation.crashes_migrate``)
    fatal: bool = False
    #: Django runs it in one transaction (``sqlmigrate``'s BEGIN/COMMIT)
    atomic: bool = True

    @property
    def operation_crashes(self) -> bool:
        """An operation of it makes ``migrate`` raise (the module itself loads)."""
        every = [one for o in self.operations for one in (o, *o.sub_operations)]
        return any(o.crashes_migrate for o in every)

    def to_dict(self, *, with_operations: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "app": self.app,
            "name": self.name,
            "path": self.path,
            "status": self.status,
            "findings": [f.to_dict() for f in self.findings],
            "error": self.error,
            "vendor": self.vendor,
            "cached": self.cached,
            "error_location": self.error_location,
            "fatal": self.fatal,
        }
        if with_operations:
            data["operations"] = [o.to_dict() for o in self.operations]
            data["atomic"] = self.atomic
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MigrationResult:
        return cls(
            app=data["app"],
            name=data["name"],
            path=data.get("path"),
            status=data["status"],
            findings=[Finding.from_dict(f) for f in data.get("findings") or []],
            error=data.get("error"),
            vendor=data.get("vendor"),
            operations=[RenderedOperation.from_dict(o) for o in data.get("operations") or []],
            cached=bool(data.get("cached", False)),
            error_location=data.get("error_location"),
            fatal=bool(data.get("fatal", False)),
            atomic=bool(data.get("atomic", True)),
        )


def status_for(findings: list[Finding]) -> Status:
    """The migration status implied by its (already suppressed) findings."""
    worst = max((SEVERITY_RANK[f.severity] for f in findings), default=-1)
    if worst >= SEVERITY_RANK["error"]:
        return "error"
    if worst >= SEVERITY_RANK["warning"]:
        return "warning"
    return "ok"


@dataclass
class ProjectInfo:
    """What a run was made against (the ``project`` object of the JSON output)."""

    root: str
    settings: str
    vendor: str
    django: str
    database: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "root": self.root,
            "settings": self.settings,
            "vendor": self.vendor,
            "django": self.django,
            "database": self.database,
        }


@dataclass
class LintRun:
    """The results of one lint run plus problems that concern no single migration."""

    project: ProjectInfo
    results: list[MigrationResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: installed apps (outside the project root) whose migrations were not linted
    skipped_apps: list[str] = field(default_factory=list)
    #: migrations left out because git has them on the base (``--new``)
    not_new: int = 0
    #: findings left out because the baseline file accepts them
    baselined: int = 0
