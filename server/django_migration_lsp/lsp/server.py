"""The language server (pygls 2): thin handlers over projects, workers and pure helpers.

Never imports Django or the user's code: each Django project of the workspace gets a worker
process (``lsp.workers``) in the project's interpreter, which holds the Django context.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from .. import __version__
from ..config import LintOptions
from ..findings import MigrationResult
from ..source import MigrationSource, parse_migration_source
from ..verdicts import static_verdict
from . import projects as projects_mod
from .code_actions import quick_fixes
from .diagnostics import diagnostics_for, problem_diagnostic, to_range
from .hover import migration_sql, operation_at, operation_markdown
from .logs import ClientLogHandler
from .rewrite_actions import KINDS as REWRITE_KINDS
from .rewrite_actions import rewrite_actions
from .workers import WorkerClient, WorkerDied, WorkerError, WorkerTimeout, worker_environment

log = logging.getLogger("django_migration_lsp.lsp")

CONFIG_SECTION = "djangoMigrationLsp"
MAX_CONSECUTIVE_CRASHES = 5
WATCH_GLOBS = [
    "**/migrations/*.py",
    "**/models.py",
    "**/models/*.py",
    "**/settings.py",
    "**/settings/*.py",
    "**/pyproject.toml",
    "**/manage.py",  # a new project (did_change_watched_files); the VS Code client watches nothing
]


def uri_to_path(uri: str) -> Path:
    return Path(unquote(urlparse(uri).path))


def is_migration(path: Path) -> bool:
    return (
        path.suffix == ".py" and path.parent.name == "migrations" and not path.name.startswith("__")
    )


@dataclass
class Runtime:
    """A project with its worker and what was last published for it."""

    project: projects_mod.Project
    worker: WorkerClient | None = None
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    failed: str | None = None
    crashes: int = 0
    provider: str = "django_migration_lsp.operations"
    vendor: str | None = None
    published: set[str] = field(default_factory=set)
    problem_uri: str | None = None
    starting: asyncio.Task[Any] | None = None
    stopped: bool = False
    progress_token: str | None = None
    check_uris: set[str] = field(default_factory=set)
    check_diagnostics: dict[str, list[types.Diagnostic]] = field(default_factory=dict)


class MigrationServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("django-migration-lsp", __version__)
        self.settings: dict[str, Any] = {}
        self.runtimes: list[Runtime] = []
        self.results: dict[str, MigrationResult] = {}  # file path -> last result
        self.debouncers: dict[str, asyncio.Task[Any]] = {}
        self.relint_tasks: dict[Path, asyncio.Task[Any]] = {}
        #: unsaved buffers that hung or killed the worker: not sent again until they change
        self.poisoned: dict[str, str] = {}
        #: the log handler that sends to the client (``serve`` without --log-file)
        self.client_log: ClientLogHandler | None = None

    # -- settings ----------------------------------------------------------------------------
    @property
    def lint_on_change(self) -> bool:
        return bool(self.settings.get("lint_on_change", True))

    @property
    def debounce(self) -> float:
        return float(self.settings.get("debounce_ms", 400)) / 1000

    @property
    def timeout(self) -> float:
        return float(self.settings.get("request_timeout", 30))

    # -- projects ----------------------------------------------------------------------------
    def runtime_for(self, path: Path) -> Runtime | None:
        project = projects_mod.owner([r.project for r in self.runtimes], path)
        return next((r for r in self.runtimes if r.project is project), None)

    def discover(self) -> None:
        folders = [uri_to_path(f.uri) for f in self.workspace.folders.values()]
        if not folders and self.workspace.root_path:
            folders = [Path(self.workspace.root_path)]
        roots: list[Path] = []
        for folder in folders:
            roots += [r for r in projects_mod.discover(folder) if r not in roots]
        self.runtimes = [Runtime(projects_mod.Project(root)) for root in roots]
        log.info("projects: %s", ", ".join(map(str, roots)) or "none")

    async def start_all(self) -> None:
        for runtime in self.runtimes:
            runtime.starting = asyncio.create_task(self.start(runtime))

    async def start(self, runtime: Runtime, full_lint: bool = True) -> None:
        """Start (or restart) a project's worker, then lint the whole project in the background."""
        root = runtime.project.root
        if not self.trusted:
            # an untrusted workspace (the client says so): never import the project's code;
            # only what the migrations' source tells is checked (``static_check``)
            log.info("workspace not trusted: no Django worker for %s", root)
            return
        options, config_error = projects_mod.merged_options(root, self.settings)
        runtime.project.options = options
        if runtime.worker is not None:
            await runtime.worker.stop()
        runtime.ready.clear()
        runtime.failed = None
        if config_error:
            self.report_problem(runtime, config_error, root / "pyproject.toml", None, None)
            return
        python = projects_mod.interpreter(root, options)
        log.info("starting the Django worker for %s with %s", root, python)
        worker = WorkerClient(root, python, self._notifier(runtime), self.log_line)
        runtime.worker = worker
        try:
            await worker.start()
        except OSError as exc:
            self.report_problem(
                runtime,
                f"Could not start the Python interpreter {python!r} "
                f"for {root}: {exc}. Set `python` in the settings "
                "(djangoMigrationLsp.python) or [tool.django-migration-lsp].",
                root / "pyproject.toml",
                None,
                None,
            )
            return
        lint_options = projects_mod.lint_options(options)
        try:
            info = await worker.request(
                "initialize",
                {"root": str(root), "options": lint_options},
                timeout=max(self.timeout * 4, 120),
            )
        except WorkerError as exc:
            problem = exc.problem or {}
            path = Path(problem["path"]) if problem.get("path") else root / "manage.py"
            self.report_problem(runtime, exc.args[0], path, problem.get("line"), problem.get("col"))
            return
        except (WorkerDied, WorkerTimeout) as exc:
            await self.on_worker_failure(runtime, str(exc))
            return
        self.clear_problem(runtime)
        log.info(
            "worker ready for %s: Django %s, %s, %d migrations",
            root,
            info.get("django"),
            info.get("vendor"),
            info.get("migrations", 0),
        )
        runtime.vendor = info.get("vendor")
        providers = info.get("ignore_migration_providers") or []
        runtime.provider = providers[-1] if providers else runtime.provider
        for problem in info.get("problems") or []:
            log.warning("%s: %s", root, problem)
        runtime.ready.set()
        if full_lint:
            await self.lint_project(runtime)

    def _notifier(self, runtime: Runtime):  # type: ignore[no-untyped-def]
        def notify(method: str, params: dict[str, Any]) -> None:
            if method == "progress" and params.get("result"):
                self.publish(runtime, MigrationResult.from_dict(params["result"]))
                token = runtime.progress_token
                if token is not None:
                    done, total = params.get("done", 0), params.get("total", 1) or 1
                    self.work_done_progress.report(
                        token,
                        types.WorkDoneProgressReport(
                            message=f"{done}/{total} migrations", percentage=int(100 * done / total)
                        ),
                    )
            elif method == "log":
                self.log_line(str(params.get("message", "")))

        return notify

    def log_line(self, line: str) -> None:
        """A line of the worker's (or a command's) output, to the server's log."""
        log.info(line)

    async def lint_project(self, runtime: Runtime) -> None:
        """Lint every migration of a project, publishing diagnostics as results arrive."""
        if runtime.worker is None or not runtime.ready.is_set():
            return
        token = None
        capabilities = self.client_capabilities
        if capabilities.window and capabilities.window.work_done_progress:
            token = f"django-migration-lsp/{runtime.project.root}/{time.monotonic()}"
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.work_done_progress.create_async(token), 5)
                self.work_done_progress.begin(
                    token,
                    types.WorkDoneProgressBegin(
                        title=f"Linting migrations of {runtime.project.root.name}", percentage=0
                    ),
                )
        runtime.progress_token = token
        try:
            overrides = self.open_overrides(runtime)
            response = await runtime.worker.request(
                "lint", {"overrides": overrides}, timeout=max(self.timeout * 20, 600)
            )
        except (WorkerDied, WorkerTimeout) as exc:
            await self.on_worker_failure(runtime, str(exc))
            return
        except WorkerError as exc:
            self.log_line(f"lint failed for {runtime.project.root}: {exc}")
            return
        finally:
            if token is not None:
                with contextlib.suppress(Exception):
                    self.work_done_progress.end(token, types.WorkDoneProgressEnd(message="done"))
            runtime.progress_token = None
        log.info(
            "linted %d migrations of %s", len(response.get("results", [])), runtime.project.root
        )
        seen = set()
        for data in response.get("results", []):  # published as they came (progress)
            if not data.get("path"):
                continue
            path = Path(data["path"])
            path = path if path.is_absolute() else runtime.project.root / path
            seen.add(path.as_uri())
            if str(path) not in self.results:  # progress was off: publish now
                self.publish(runtime, MigrationResult.from_dict(data))
        for uri in list(runtime.published - seen):  # files that are gone or no longer selected
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, []))
            runtime.published.discard(uri)
        runtime.crashes = 0
        await self.run_checks(runtime, databases=False)

    def open_overrides(self, runtime: Runtime) -> dict[str, str]:
        """Unsaved buffers of the project's migrations."""
        out = {}
        for uri, document in self.workspace.text_documents.items():
            path = uri_to_path(uri)
            if self.poisoned.get(uri) == document.source:
                continue
            if parse_migration_source(document.source).syntax_error is not None:
                continue  # half-typed: the file on disk stands in for it
            if is_migration(path) and runtime.project.contains(path):
                out[str(path)] = document.source
        return out

    def publish(self, runtime: Runtime, result: MigrationResult) -> str:
        """Publish one migration's diagnostics; returns its URI."""
        path = Path(result.path) if result.path else None
        if path is not None and not path.is_absolute():
            path = runtime.project.root / path
        if path is None:
            return ""
        uri = path.as_uri()
        self.results[str(path)] = result
        document = self.workspace.text_documents.get(uri)
        if document is not None:
            text = document.source
        else:
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                text = ""
        diagnostics = diagnostics_for(result, text) + runtime.check_diagnostics.get(uri, [])
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics)
        )
        runtime.published.add(uri)
        return uri

    def report_problem(
        self, runtime: Runtime, message: str, path: Path, line: int | None, col: int | None
    ) -> None:
        """A project that cannot be loaded: one diagnostic where it fails, and a message."""
        runtime.failed = message
        if not path.exists():
            path = runtime.project.root / "manage.py"
        uri = path.as_uri()
        runtime.problem_uri = uri
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=uri, diagnostics=[problem_diagnostic(message, line, col)]
            )
        )
        self.window_show_message(
            types.ShowMessageParams(
                types.MessageType.Error,
                f"django-migration-lsp: {runtime.project.root.name}: {message}",
            )
        )

    def clear_problem(self, runtime: Runtime) -> None:
        if runtime.problem_uri:
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=runtime.problem_uri, diagnostics=[])
            )
            runtime.problem_uri = None

    async def on_worker_failure(self, runtime: Runtime, reason: str) -> None:
        """The worker died or hung: restart with backoff, give up after repeated crashes."""
        runtime.ready.clear()
        runtime.crashes += 1
        if runtime.stopped:
            return
        if runtime.crashes > MAX_CONSECUTIVE_CRASHES:
            runtime.failed = reason
            self.window_show_message(
                types.ShowMessageParams(
                    types.MessageType.Error,
                    f"django-migration-lsp: the Django worker for {runtime.project.root.name} "
                    f"failed {runtime.crashes} times in a row ({reason}); not restarting it. "
                    "Fix the cause and run the 'djangoMigrationLsp.restart' command.",
                )
            )
            return
        delay = min(0.5 * 2 ** (runtime.crashes - 1), 10)
        self.log_line(f"worker for {runtime.project.root}: {reason}; restarting in {delay:.1f}s")
        await asyncio.sleep(delay)
        runtime.starting = asyncio.create_task(self.start(runtime))

    async def run_checks(self, runtime: Runtime, databases: bool) -> list[dict[str, Any]]:
        """Cross-checks as diagnostics where one would look (models.py, the migrations)."""
        if runtime.worker is None or not runtime.ready.is_set():
            return []
        try:
            response = await runtime.worker.request(
                "check", {"databases": databases}, timeout=self.timeout * 2
            )
        except (WorkerError, WorkerDied, WorkerTimeout) as exc:
            self.log_line(f"checks failed for {runtime.project.root}: {exc}")
            return []
        findings = response.get("findings", [])
        by_uri: dict[str, list[types.Diagnostic]] = {}
        for finding in findings:
            if not finding.get("path"):
                continue
            uri = Path(finding["path"]).as_uri()
            severity = {
                "error": types.DiagnosticSeverity.Error,
                "warning": types.DiagnosticSeverity.Warning,
            }.get(finding.get("severity"), types.DiagnosticSeverity.Information)
            diagnostic = problem_diagnostic(
                finding["message"],
                finding.get("line"),
                finding.get("col"),
                severity,
                finding["code"],
            )
            diagnostic.data = {"check": finding["code"], "app": finding.get("app")}
            by_uri.setdefault(uri, []).append(diagnostic)
        for uri in runtime.check_uris - set(by_uri):
            self.republish(runtime, uri, [])
        for uri, diagnostics in by_uri.items():
            self.republish(runtime, uri, diagnostics)
        runtime.check_uris = set(by_uri)
        return findings

    def republish(self, runtime: Runtime, uri: str, checks: list[types.Diagnostic]) -> None:
        """A file's lint diagnostics plus its cross-check diagnostics."""
        runtime.check_diagnostics[uri] = checks
        path = uri_to_path(uri)
        result = self.results.get(str(path))
        if result is not None:
            self.publish(runtime, result)
        else:
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, checks))

    # -- linting one file --------------------------------------------------------------------
    async def lint_file(self, uri: str, text: str | None, descendants: bool = False) -> None:
        path = uri_to_path(uri)
        if not is_migration(path):
            return
        runtime = self.runtime_for(path)
        if runtime is None:
            return  # a file outside any Django project: nothing to say
        if runtime.worker is None or not runtime.ready.is_set():
            # no Django context (yet): what the source alone tells; the worker's full lint
            # replaces it once the project is up
            self.static_check(uri, text, runtime=runtime)
            return
        if text is not None and self.poisoned.get(uri) == text:
            return
        if text is not None and parse_migration_source(text).syntax_error is not None:
            # half-typed: say where, and keep the last good findings of the other operations
            self.static_check(uri, text, keep=self.results.get(str(path)))
            return
        try:
            response = await runtime.worker.request(
                "lint_file",
                {"path": str(path), "text": text, "descendants": descendants},
                timeout=self.timeout,
            )
        except (WorkerTimeout, WorkerDied) as exc:
            # the buffer hung or killed the worker: say so on the file, do not send it again
            if text is not None:
                self.poisoned[uri] = text
            if isinstance(exc, WorkerTimeout):
                code, what = "WORKER_TIMEOUT", "timed out ({exc}): importing it, or a module it "
                what += "imports, hangs. The Django worker was killed and is being restarted; "
                what += "fix the hang and save."
            else:
                code, what = "WORKER_CRASH", "ended the Django worker ({exc}): importing it, "
                what += "or a module it imports, exits the process. It is being restarted."
            message = ("Linting this migration " + what).format(exc=exc)
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri, [problem_diagnostic(message, 1, 0, code=code)])
            )
            await self.on_worker_failure(runtime, str(exc))
            return
        except WorkerError as exc:
            self.log_line(f"lint_file failed: {exc}")
            return
        for data in response.get("results", []):
            self.publish(runtime, MigrationResult.from_dict(data))

    @property
    def trusted(self) -> bool:
        return self.settings.get("trusted") is not False

    def static_check(
        self,
        uri: str,
        text: str | None,
        keep: MigrationResult | None = None,
        runtime: Runtime | None = None,
    ) -> None:
        """Without a Django context: the syntax, and ``keep``'s findings (the last good result)
        while the buffer does not parse. When no Django context can be had for ``runtime`` (an
        untrusted workspace, a project that does not load), also the rules on what the source
        alone tells (``verdicts.static_verdict``)."""
        path = uri_to_path(uri)
        if text is None:
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                return
        source = parse_migration_source(text, str(path))
        diagnostics = []
        if keep is not None:
            kept = MigrationResult(keep.app, keep.name, keep.path, keep.status, keep.findings)
            diagnostics += diagnostics_for(kept, text)
        elif runtime is not None and source.syntax_error is None and self.no_django(runtime):
            diagnostics += diagnostics_for(self.static_result(runtime, path, source), text)
        if source.syntax_error is not None:
            diagnostics.append(
                types.Diagnostic(
                    range=to_range(source.syntax_error.span, text.splitlines()),
                    message=f"SyntaxError: {source.syntax_error.message}",
                    severity=types.DiagnosticSeverity.Error,
                    code="RENDER_ERROR",
                    source="django-migration-lsp",
                )
            )
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, diagnostics))

    def no_django(self, runtime: Runtime) -> bool:
        """True when the project's Django context cannot be had (not merely not ready yet)."""
        return not self.trusted or runtime.failed is not None

    def static_result(
        self, runtime: Runtime, path: Path, source: MigrationSource
    ) -> MigrationResult:
        """The static verdict on one migration, its messages saying why it is only that."""
        options, _error = projects_mod.merged_options(runtime.project.root, self.settings)
        lint_options = LintOptions.from_dict(projects_mod.lint_options(options))
        vendor = (lint_options.sql_analyser or runtime.vendor or "postgresql").lower()
        why = (
            "Restricted Mode: the workspace is not trusted, so the project is not imported"
            if not self.trusted
            else "the project does not load (see its error)"
        )
        result = static_verdict(
            path.parent.parent.name, path.stem, str(path), source, lint_options, vendor
        )
        for finding in result.findings:
            finding.message += (
                f" [Read from the source alone ({why}): table names are Django's defaults and "
                "the SQL is not rendered.]"
            )
        return result

    def schedule(self, key: str, delay: float, coro_factory) -> None:  # type: ignore[no-untyped-def]
        """Run ``coro_factory()`` after ``delay`` unless rescheduled meanwhile (debounce)."""
        previous = self.debouncers.pop(key, None)
        if previous is not None:
            previous.cancel()

        async def later() -> None:
            await asyncio.sleep(delay)
            self.debouncers.pop(key, None)
            await coro_factory()

        self.debouncers[key] = asyncio.create_task(later())

    async def shutdown_workers(self) -> None:
        for runtime in self.runtimes:
            runtime.stopped = True
            if runtime.worker is not None:
                await runtime.worker.stop()


server = MigrationServer()


@server.feature(types.INITIALIZE)
def initialize(ls: MigrationServer, params: types.InitializeParams) -> None:
    options = params.initialization_options or {}
    if isinstance(options, dict):
        nested = options.get(CONFIG_SECTION)
        ls.settings = projects_mod.client_settings(nested if isinstance(nested, dict) else options)
    if ls.client_log is not None:
        ls.client_log.connected = True
    # the projects are known from the workspace folders: a didOpen that comes before
    # `initialized` has run finds its project
    ls.discover()


@server.feature(types.INITIALIZED)
async def initialized(ls: MigrationServer, params: types.InitializedParams) -> None:
    await pull_configuration(ls)
    capabilities = ls.client_capabilities
    watched = capabilities.workspace and capabilities.workspace.did_change_watched_files
    if watched and watched.dynamic_registration:
        with contextlib.suppress(Exception):
            await ls.client_register_capability_async(
                types.RegistrationParams(
                    registrations=[
                        types.Registration(
                            id="django-migration-lsp-watch",
                            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                            register_options=types.DidChangeWatchedFilesRegistrationOptions(
                                watchers=[
                                    types.FileSystemWatcher(glob_pattern=g) for g in WATCH_GLOBS
                                ]
                            ),
                        )
                    ]
                )
            )
    await ls.start_all()


async def pull_configuration(ls: MigrationServer) -> None:
    capabilities = ls.client_capabilities
    if not (capabilities.workspace and capabilities.workspace.configuration):
        return
    with contextlib.suppress(Exception):
        values = await asyncio.wait_for(
            ls.workspace_configuration_async(
                types.ConfigurationParams(items=[types.ConfigurationItem(section=CONFIG_SECTION)])
            ),
            5,
        )
        if values and isinstance(values[0], dict):
            ls.settings.update(projects_mod.client_settings(values[0]))


@server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
async def did_change_configuration(
    ls: MigrationServer, params: types.DidChangeConfigurationParams
) -> None:
    settings = params.settings
    if isinstance(settings, dict) and isinstance(settings.get(CONFIG_SECTION), dict):
        ls.settings = projects_mod.client_settings(settings[CONFIG_SECTION])
    else:
        await pull_configuration(ls)
    for runtime in ls.runtimes:
        runtime.crashes = 0
        runtime.starting = asyncio.create_task(ls.start(runtime))


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
async def did_open(ls: MigrationServer, params: types.DidOpenTextDocumentParams) -> None:
    document = params.text_document
    await ls.lint_file(document.uri, document.text)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: MigrationServer, params: types.DidChangeTextDocumentParams) -> None:
    if not ls.lint_on_change:
        return
    uri = params.text_document.uri
    if not is_migration(uri_to_path(uri)):
        return

    async def run() -> None:
        document = ls.workspace.get_text_document(uri)
        await ls.lint_file(uri, document.source)

    ls.schedule(uri, ls.debounce, run)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
async def did_save(ls: MigrationServer, params: types.DidSaveTextDocumentParams) -> None:
    uri = params.text_document.uri
    previous = ls.debouncers.pop(uri, None)
    if previous is not None:
        previous.cancel()
    await ls.lint_file(uri, None, descendants=True)


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def did_change_watched_files(
    ls: MigrationServer, params: types.DidChangeWatchedFilesParams
) -> None:
    restart: set[int] = set()
    relint: set[int] = set()
    for change in params.changes:
        path = uri_to_path(change.uri)
        runtime = ls.runtime_for(path)
        if runtime is None:
            if path.name in ("manage.py", "pyproject.toml"):  # maybe a new project
                ls.discover()
                ls.schedule("discover", 0.1, ls.start_all)
            continue
        index = ls.runtimes.index(runtime)
        if is_migration(path):
            relint.add(index)
            if change.type == types.FileChangeType.Deleted:
                ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(change.uri, []))
                runtime.published.discard(change.uri)
                ls.results.pop(str(path), None)
        else:  # models, settings, pyproject: a fresh Django context
            restart.add(index)
    for index in restart:
        runtime = ls.runtimes[index]
        runtime.crashes = 0
        ls.schedule(f"restart:{runtime.project.root}", 0.3, lambda r=runtime: ls.start(r))
    for index in relint - restart:
        runtime = ls.runtimes[index]
        ls.schedule(f"relint:{runtime.project.root}", 0.3, lambda r=runtime: ls.lint_project(r))


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, *REWRITE_KINDS]),
)
def code_action(ls: MigrationServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    path = uri_to_path(uri)
    runtime = ls.runtime_for(path)
    document = ls.workspace.get_text_document(uri)
    return quick_fixes(
        uri,
        document.source,
        list(params.context.diagnostics),
        runtime.project.root if runtime else None,
        runtime.provider if runtime else "django_migration_lsp.operations",
    ) + rewrite_actions(
        uri,
        path,
        document.source,
        document.version,
        list(params.context.diagnostics),
        ls.results.get(str(path)),
    )


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: MigrationServer, params: types.HoverParams) -> types.Hover | None:
    path = uri_to_path(params.text_document.uri)
    result = ls.results.get(str(path))
    if result is None:
        return None
    document = ls.workspace.get_text_document(params.text_document.uri)
    index = operation_at(document.source, params.position.line, params.position.character)
    if index is None or index >= len(result.operations):
        return None
    runtime = ls.runtime_for(path)
    vendor = result.vendor or (runtime.vendor if runtime else None)
    return types.Hover(
        contents=types.MarkupContent(
            kind=types.MarkupKind.Markdown,
            value=operation_markdown(result.operations[index], vendor),
        )
    )


@server.command("djangoMigrationLsp.showMigrationSql")
async def show_migration_sql(ls: MigrationServer, *args: Any) -> str | None:
    uri = args[0] if args else None
    if isinstance(uri, dict):
        uri = uri.get("uri")
    if not isinstance(uri, str):
        return None
    path = uri_to_path(uri)
    runtime = ls.runtime_for(path)
    if runtime is not None and runtime.ready.is_set():
        document = ls.workspace.text_documents.get(uri)
        await ls.lint_file(uri, document.source if document else None)
    result = ls.results.get(str(path))
    return migration_sql(result) if result else None


@server.command("djangoMigrationLsp.restart")
async def restart(ls: MigrationServer, *args: Any) -> bool:
    await ls.shutdown_workers()
    ls.discover()
    await ls.start_all()
    return True


@server.command("djangoMigrationLsp.runChecks")
async def run_checks(ls: MigrationServer, *args: Any) -> list[dict[str, Any]]:
    """All cross-checks, databases included; also published as diagnostics."""
    findings: list[dict[str, Any]] = []
    for runtime in ls.runtimes:
        findings += await ls.run_checks(runtime, databases=True)
    return findings


@server.command("djangoMigrationLsp.makemigrations")
async def makemigrations(ls: MigrationServer, *args: Any) -> str:
    """``manage.py makemigrations [APP] [--merge]`` in the project's interpreter (writes files,
    never touches a database); the watched-file events then re-lint."""
    root_arg = args[0] if args else None
    app = args[1] if len(args) > 1 else None
    merge = bool(args[2]) if len(args) > 2 else False
    runtime = ls.runtime_for(Path(str(root_arg))) if root_arg else None
    if runtime is None:
        return "no Django project there"
    python = projects_mod.interpreter(runtime.project.root, runtime.project.options)
    # Django's makemigrations behind the worker's connection guard (never writes to a database)
    command = [python, "-m", "django_migration_lsp.worker.makemigrations", "--noinput"]
    if runtime.project.options.get("settings"):
        command += ["--settings", str(runtime.project.options["settings"])]
    if app:
        command.append(str(app))
    if merge:
        command.append("--merge")
    process = await asyncio.create_subprocess_exec(
        *command,
        cwd=str(runtime.project.root),
        env=worker_environment(),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    text = output.decode(errors="replace")
    ls.log_line(text)
    await ls.lint_project(runtime)
    return text


@server.feature(types.SHUTDOWN)
async def shutdown(ls: MigrationServer, params: None) -> None:
    if ls.client_log is not None:  # the client stops listening: the rest of the log to stderr
        ls.client_log.connected = False
    await ls.shutdown_workers()


def main(argv: list[str] | None = None) -> int:
    """``django-migration-lsp serve [--tcp HOST:PORT] [--log-file FILE]``."""
    parser = argparse.ArgumentParser(prog="django-migration-lsp serve")
    parser.add_argument("--tcp", metavar="HOST:PORT")
    parser.add_argument("--log-file")
    args = parser.parse_args(argv)
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    stderr = logging.StreamHandler(sys.stderr)
    stderr.setFormatter(formatter)
    handler: logging.Handler
    if args.log_file:
        handler = logging.FileHandler(args.log_file)
        handler.setFormatter(formatter)
    else:  # to the client once it is connected (stderr before that, and if it is gone)
        handler = ClientLogHandler(server.window_log_message, stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))  # the client shows the level
        server.client_log = handler
    logging.basicConfig(handlers=[handler], level=logging.INFO)
    logging.getLogger("pygls").setLevel(logging.WARNING)
    if args.tcp:
        host, _, port = args.tcp.rpartition(":")
        server.start_tcp(host or "127.0.0.1", int(port))
    else:
        server.start_io()
    return 0
