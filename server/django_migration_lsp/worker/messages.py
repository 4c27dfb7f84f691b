"""The worker protocol as data: one frozen dataclass per request's params and result, per
notification and for errors, used by both ends (the language server and the worker).

Standard library only: importing this module imports neither Django nor the engine, so the
language server can use it and the worker needs nothing but Django. On the wire every message is
one JSON line: requests ``{"id", "method", "params"}``, responses ``{"id", "result"}`` or
``{"id", "error"}``, notifications ``{"method", "params"}`` (see docs/internals.md).

Lint results travel as ``MigrationResult`` dicts (``findings.MigrationResult.to_dict``); during a
whole-project ``lint`` each is sent once, in a ``progress`` notification, and the final response
lists only the paths linted.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

T = TypeVar("T", bound="Message")


class Message:
    """``to_dict`` / ``from_dict`` for the dataclasses below (unknown keys are ignored, missing
    ones take their defaults)."""

    #: the JSON-RPC method of requests and notifications (set by each of those classes)
    method: ClassVar[str]

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)  # type: ignore[call-overload]  # mixin of dataclasses

    @classmethod
    def from_dict(cls: type[T], data: dict[str, Any] | None) -> T:
        names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]  # mixin of dataclasses
        return cls(**{k: v for k, v in (data or {}).items() if k in names})


# -- requests ----
@dataclass(frozen=True)
class InitializeParams(Message):
    method: ClassVar[str] = "initialize"
    root: str
    options: dict[str, Any] = field(default_factory=dict)
    settings: str | None = None
    database: str | None = None


@dataclass(frozen=True)
class InitializeResult(Message):
    django: str
    vendor: str | None
    settings: str | None
    python: str
    migrations: int
    problems: list[str] = field(default_factory=list)
    ignore_migration_providers: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class LintParams(Message):
    """Lint the whole project (or ``targets``: ``[app, name]`` pairs), with ``overrides``
    (unsaved buffers, absolute path -> text) and ``changed`` (files changed on disk, from the
    server's watched-file events: informative only, since the worker compares every file and
    project module it executed with the stamp of what it executed). Each result goes out in a
    ``progress`` notification as soon as it is known; with ``stream`` (what the language server
    asks) the response then lists only the paths, so each result is sent once; without (simple
    clients), the response repeats every result."""

    method: ClassVar[str] = "lint"
    overrides: dict[str, str] = field(default_factory=dict)
    targets: list[list[str]] | None = None
    changed: list[str] = field(default_factory=list)
    stream: bool = False


@dataclass(frozen=True)
class LintFileParams(Message):
    """Re-lint one migration (from ``text`` when given), then its descendants if asked."""

    method: ClassVar[str] = "lint_file"
    path: str
    text: str | None = None
    descendants: bool = False


@dataclass(frozen=True)
class LintResult(Message):
    """``results``: the ``MigrationResult`` dicts not already sent as ``progress`` (all of them
    for ``lint_file`` or without ``stream``); ``linted``: the path of every migration linted
    (sent or not), so the server can clear the files that are gone."""

    results: list[dict[str, Any]] = field(default_factory=list)
    linted: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    project: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckParams(Message):
    method: ClassVar[str] = "check"
    databases: bool = True
    exclude_apps: list[str] | None = None
    database_aliases: list[str] | None = None


@dataclass(frozen=True)
class CheckResult(Message):
    """``findings``: ``checks.CheckFinding`` dicts (code, message, severity, path, line, col,
    app)."""

    findings: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class MigrationsParams(Message):
    """Every migration file of the project (as last loaded) with what the editor's Migrations
    view marks beside its findings: new or historical, applied or not."""

    method: ClassVar[str] = "migrations"


@dataclass(frozen=True)
class MigrationsResult(Message):
    """``migrations``: ``migration_states.MigrationState`` dicts (app, name, path, new,
    applied; ``None`` where it cannot be told); ``new_unknown`` / ``applied_unknown``: why
    ``new`` / ``applied`` are ``None`` for every migration (no git base; the database cannot be
    read), else ``None``."""

    migrations: list[dict[str, Any]] = field(default_factory=list)
    new_unknown: str | None = None
    applied_unknown: str | None = None


@dataclass(frozen=True)
class ShutdownParams(Message):
    method: ClassVar[str] = "shutdown"


@dataclass(frozen=True)
class PingParams(Message):
    method: ClassVar[str] = "ping"


# -- notifications (worker -> server) ------------------------------------------------------------
@dataclass(frozen=True)
class Progress(Message):
    """One migration linted during a ``lint``: ``done`` of ``total``, and its ``result`` (a
    ``MigrationResult`` dict)."""

    method: ClassVar[str] = "progress"
    done: int
    total: int
    result: dict[str, Any] | None = None


@dataclass(frozen=True)
class Loading(Message):
    """The worker is about to import (execute) this file: if it hangs or the process dies
    before the next message, this file is the one to blame."""

    method: ClassVar[str] = "loading"
    path: str


@dataclass(frozen=True)
class Log(Message):
    method: ClassVar[str] = "log"
    message: str


NOTIFICATIONS: dict[str, type[Message]] = {n.method: n for n in (Progress, Loading, Log)}


# -- errors ----
@dataclass(frozen=True)
class ErrorData(Message):
    """``kind``: ``project`` (the project does not load: ``problem`` says where, a
    ``LoadProblem`` dict), ``internal`` (a bug or an unexpected exception) or ``method``."""

    kind: str
    message: str
    problem: dict[str, Any] | None = None


# -- framing ----
def request_line(request_id: int, params: Message) -> bytes:
    method = type(params).method
    payload = {"id": request_id, "method": method, "params": params.to_dict()}
    return json.dumps(payload).encode() + b"\n"


def response_line(request_id: Any, result: Message | str | None) -> str:
    data = result.to_dict() if isinstance(result, Message) else result
    return json.dumps({"id": request_id, "result": data}) + "\n"


def error_line(request_id: Any, error: ErrorData) -> str:
    return json.dumps({"id": request_id, "error": error.to_dict()}) + "\n"


def notification_line(notification: Message) -> str:
    method = type(notification).method
    return json.dumps({"method": method, "params": notification.to_dict()}) + "\n"
