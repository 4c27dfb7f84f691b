"""Linting through the workers: a whole project, one file (and its descendants), cross-checks;
each result published into the diagnostics store. Without a Django context, what the source
alone tells (``static``)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from ..findings import MigrationResult
from ..worker import messages
from . import projects as projects_mod
from . import source_only
from .diagnostics import diagnostics_for, problem_diagnostic
from .documents import DocumentIndex, off_loop
from .session import Runtime, Session, problem_diagnostics
from .store import DiagnosticsStore
from .workers import WorkerDied, WorkerError, WorkerTimeout

if TYPE_CHECKING:
    from .server import MigrationServer

log = logging.getLogger("django_migration_lsp.lsp")
CHECK_SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
}


def uri_to_path(uri: str) -> Path:
    from urllib.parse import unquote, urlparse

    return Path(unquote(urlparse(uri).path))


def is_migration(path: Path) -> bool:
    return (
        path.suffix == ".py" and path.parent.name == "migrations" and not path.name.startswith("__")
    )


class Linter:
    def __init__(self, server: MigrationServer, session: Session, store: DiagnosticsStore) -> None:
        self.server = server
        self.session = session
        self.store = store
        self.documents = DocumentIndex()
        self.results: dict[str, MigrationResult] = {}  # file path -> last result
        #: unsaved buffers that hung or killed the worker: not sent again until they change
        self.poisoned: dict[str, str] = {}
        self.progress_tokens: dict[Path, str | None] = {}

    # -- the whole project ----
    async def lint_project(self, runtime: Runtime) -> None:
        """Lint every migration of a project; results are published as they arrive."""
        supervisor = runtime.supervisor
        if not supervisor.ready:
            return
        token = self.server.begin_progress(f"Linting migrations of {runtime.root.name}")
        self.progress_tokens[runtime.root] = token
        overrides = await self.open_overrides(runtime)
        changed = sorted(runtime.project.changed)
        runtime.project.changed.clear()
        params = messages.LintParams(overrides, changed=changed, stream=True)
        try:
            response = await supervisor.request(params, timeout=self.session.timeout)
        except (WorkerDied, WorkerTimeout) as exc:
            await self.worker_failed(runtime, exc, "linting the project", set(overrides))
            return
        except WorkerError as exc:
            log.info("lint failed for %s: %s", runtime.root, exc)
            return
        finally:
            self.server.end_progress(token, "done")
            self.progress_tokens.pop(runtime.root, None)
        result = messages.LintResult.from_dict(response)
        for data in result.results:  # those not streamed
            self.publish(runtime, MigrationResult.from_dict(data))
        linted = {self.absolute(runtime, p).as_uri() for p in result.linted}
        for uri in self.store.uris("lint", runtime.root) - linted:
            self.results.pop(str(uri_to_path(uri)), None)
        self.store.keep_only("lint", runtime.root, linted)
        log.info("linted %d migrations of %s", len(result.linted), runtime.root)
        supervisor.after_lint()
        await self.run_checks(runtime, databases=False)

    def on_progress(self, runtime: Runtime, progress: messages.Progress) -> None:
        if progress.result:
            self.publish(runtime, MigrationResult.from_dict(progress.result))
        token = self.progress_tokens.get(runtime.root)
        if token is not None:
            percentage = int(100 * progress.done / (progress.total or 1))
            self.server.report_progress(
                token, f"{progress.done}/{progress.total} migrations", percentage
            )

    async def open_overrides(self, runtime: Runtime) -> dict[str, str]:
        """Unsaved buffers of the project's migrations that parse and did not hang or kill."""
        out = {}
        for uri, document in list(self.server.workspace.text_documents.items()):
            path = uri_to_path(uri)
            if not (is_migration(path) and runtime.project.contains(path)):
                continue
            text = document.source
            if self.poisoned.get(uri) == text:
                continue
            if (await self.documents.parse(uri, text)).syntax_error is None:
                out[str(path)] = text  # else half-typed: the file on disk stands in for it
        return out

    # -- one file ----
    async def lint_file(self, uri: str, text: str | None, descendants: bool = False) -> None:
        path = uri_to_path(uri)
        if not is_migration(path):
            return
        runtime = self.session.runtime_for(path) or self.session.adopt_file(path)
        if runtime is None:
            return  # a file outside any Django project: nothing to say
        if text is not None and self.poisoned.get(uri) == text:
            return  # it hung or killed the worker: not again until it changes
        if self.poisoned.pop(uri, None) is not None:
            self.store.clear(uri, "problem")
        if not runtime.supervisor.ready:
            # no Django context (yet): what the source alone tells; the worker's full lint
            # replaces it once the project is up
            await self.static_check(uri, text, runtime)
            return
        if text is not None and (await self.documents.parse(uri, text)).syntax_error is not None:
            # half-typed: say where, and keep the last good findings of the other operations
            await self.static_check(uri, text, runtime, keep=self.results.get(str(path)))
            return
        self.store.clear(uri, "static")
        params = messages.LintFileParams(str(path), text, descendants)
        try:
            response = await runtime.supervisor.request(params, timeout=self.session.timeout)
        except (WorkerTimeout, WorkerDied) as exc:
            buffers = {str(path): text} if text is not None else {}
            await self.worker_failed(runtime, exc, f"linting {path.name}", set(buffers), buffers)
            return
        except WorkerError as exc:
            log.info("lint_file failed: %s", exc)
            return
        for data in messages.LintResult.from_dict(response).results:
            result = MigrationResult.from_dict(data)
            mine = result.path is not None and self.absolute(runtime, result.path) == path
            if text is not None and mine and self.text_of(uri) != text:
                continue  # the buffer changed meanwhile: its newer lint (or syntax error) stands
            self.publish(runtime, result)

    async def worker_failed(
        self,
        runtime: Runtime,
        exc: Exception,
        doing: str,
        sent: set[str],
        texts: dict[str, str] | None = None,
    ) -> None:
        """A hang or crash: the buffer to blame (if it was sent) is not sent again."""
        texts = texts if texts is not None else await self.open_overrides(runtime)
        buffers = frozenset(Path(p) for p in sent)
        blamed = await runtime.supervisor.worker_failed(exc, doing, buffers)
        if blamed is not None and str(blamed) in texts:
            self.poisoned[blamed.as_uri()] = texts[str(blamed)]
        if blamed is None:
            log.info("worker for %s: %s while %s (no file to blame)", runtime.root, exc, doing)

    # -- publishing ----
    def absolute(self, runtime: Runtime, path: str) -> Path:
        candidate = Path(path)
        return candidate if candidate.is_absolute() else runtime.root / candidate

    def publish(self, runtime: Runtime, result: MigrationResult) -> None:
        """One migration's diagnostics."""
        if not result.path:
            return
        path = self.absolute(runtime, result.path)
        uri = path.as_uri()
        self.results[str(path)] = result
        self.store.set(uri, "static", [])
        self.store.set(uri, "lint", diagnostics_for(result, self.text_of(uri)), runtime.root)

    def text_of(self, uri: str) -> str:
        document = self.server.workspace.text_documents.get(uri)
        if document is not None:
            return document.source
        try:
            return uri_to_path(uri).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def report_problem(self, runtime: Runtime, failure: Any) -> None:
        """A project whose worker is not ready: one diagnostic where it fails, and a message."""
        path = failure.path if failure.path and failure.path.exists() else None
        uri = (path or runtime.root / "manage.py").as_uri()
        for stale in self.store.uris("problem", runtime.root) - {uri}:
            self.store.clear(stale, "problem")
        self.store.set(uri, "problem", problem_diagnostics(failure), runtime.root)
        self.server.window_show_message(
            types.ShowMessageParams(
                types.MessageType.Error,
                f"django-migration-lsp: {runtime.root.name}: {failure.message}",
            )
        )

    def clear_problem(self, runtime: Runtime) -> None:
        """The worker is ready: problems go, but a buffer that hung or killed it keeps its
        diagnostic until it changes."""
        for uri in self.store.uris("problem", runtime.root) - set(self.poisoned):
            self.store.clear(uri, "problem")

    def forget_project(self, root: Path) -> None:
        """A removed workspace folder's project: its diagnostics and results go."""
        self.store.drop_project(root)
        for key in [k for k in self.results if Path(k).is_relative_to(root)]:
            del self.results[key]

    # -- cross-checks ----
    async def run_checks(self, runtime: Runtime, databases: bool) -> list[dict[str, Any]]:
        """Cross-checks as diagnostics where one would look (models.py, the migrations)."""
        if not runtime.supervisor.ready:
            return []
        params = messages.CheckParams(databases=databases)
        try:
            response = await runtime.supervisor.request(params, timeout=self.session.timeout * 2)
        except (WorkerDied, WorkerTimeout) as exc:  # restarted (or blocked) like for a lint
            await self.worker_failed(runtime, exc, "running the checks", set(), {})
            return []
        except WorkerError as exc:
            log.info("checks failed for %s: %s", runtime.root, exc)
            return []
        findings = messages.CheckResult.from_dict(response).findings
        by_uri: dict[str, list[types.Diagnostic]] = {}
        for finding in findings:
            if not finding.get("path"):
                continue
            severity = CHECK_SEVERITY.get(
                finding.get("severity") or "", types.DiagnosticSeverity.Information
            )
            diagnostic = problem_diagnostic(
                finding["message"],
                finding.get("line"),
                finding.get("col"),
                severity,
                finding["code"],
            )
            diagnostic.data = {"check": finding["code"], "app": finding.get("app")}
            by_uri.setdefault(Path(finding["path"]).as_uri(), []).append(diagnostic)
        self.store.keep_only("checks", runtime.root, by_uri)
        for uri, diagnostics in by_uri.items():
            self.store.set(uri, "checks", diagnostics, runtime.root)
        return findings

    # -- without Django ----
    async def static_check(
        self, uri: str, text: str | None, runtime: Runtime, keep: MigrationResult | None = None
    ) -> None:
        """The syntax, and ``keep``'s findings (the last good result) while the buffer does not
        parse; when no Django context can be had, the rules on what the source alone tells."""
        path = uri_to_path(uri)
        if text is None:
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                return
        source = await self.documents.parse(uri, text, str(path))
        no_django = self.session.no_django(runtime)
        options, _error = projects_mod.merged_options(runtime.root, self.session.settings)
        diagnostics = await off_loop(  # a 5 MB migration takes seconds: not on the loop
            source_only.diagnostics,
            path,
            source,
            keep,
            no_django and source_only.why(self.session.trusted),
            options,
            runtime.supervisor.info.vendor if runtime.supervisor.info else None,
        )
        self.store.set(uri, "lint", [], runtime.root)
        self.store.set(uri, "static", diagnostics, runtime.root)
