"""The server's state: settings, the Django projects of the workspace folders (each with its
worker supervisor) and what happens when a worker gets ready or fails.

Linting itself is ``linting.Linter``; what is published is ``store.DiagnosticsStore``.
"""

from __future__ import annotations

import functools
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from ..worker import messages
from . import projects as projects_mod
from .diagnostics import problem_diagnostic
from .supervisor import Failure, StartSpec, State, Supervisor

if TYPE_CHECKING:
    from .linting import Linter
    from .server import MigrationServer

log = logging.getLogger("django_migration_lsp.lsp")

DEFAULT_PROVIDER = "django_migration_lsp.operations"
PROGRESS_EVERY = 0.25  # seconds between two "importing …" progress reports


@dataclass
class Runtime:
    """A project of the workspace: where it came from, its worker, what it last started with."""

    project: projects_mod.Project
    folder: Path
    supervisor: Supervisor
    provider: str = DEFAULT_PROVIDER
    started_with: Any = None
    start_token: str | None = None
    reported_at: float = 0.0
    #: the worker's Django version ("5.2.19"), once it is ready
    django: str | None = None

    @property
    def root(self) -> Path:
        return self.project.root


class Session:
    def __init__(self, server: MigrationServer) -> None:
        self.server = server
        self.settings: dict[str, Any] = {}
        self.runtimes: dict[Path, Runtime] = {}
        self.linter: Linter | None = None

    # -- settings ----
    @property
    def timeout(self) -> float:
        return float(self.settings.get("request_timeout", 30))

    @property
    def trusted(self) -> bool:
        return self.settings.get("trusted") is not False

    def start_key(self, root: Path) -> Any:
        """Everything a worker start depends on: a settings change that leaves this alone does
        not restart the worker."""
        options, error = projects_mod.merged_options(root, self.settings)
        lint = sorted((k, repr(v)) for k, v in projects_mod.lint_options(options).items())
        return (tuple(lint), error, projects_mod.interpreter(root, options), self.trusted)

    def start_spec(self, root: Path) -> StartSpec:
        options, error = projects_mod.merged_options(root, self.settings)
        runtime = self.runtimes[root]
        runtime.project.options = options
        runtime.started_with = self.start_key(root)
        python = projects_mod.interpreter(root, options)
        initialize = messages.InitializeParams(str(root), projects_mod.lint_options(options))
        problem = Failure("PROJECT_LOAD_ERROR", error, root / "pyproject.toml") if error else None
        return StartSpec(python, initialize, self.timeout, problem)

    # -- projects ----
    def runtime_for(self, path: Path) -> Runtime | None:
        project = projects_mod.owner([r.project for r in self.runtimes.values()], path)
        return self.runtimes.get(project.root) if project else None

    def add_folder(self, folder: Path) -> list[Runtime]:
        """The projects under a workspace folder (or, when it holds none, above it)."""
        roots = projects_mod.discover(folder)
        if not roots:
            above = projects_mod.root_above(folder)
            roots = [above] if above else []
        added = []
        for root in roots:
            if root not in self.runtimes:
                supervisor = Supervisor(root, self, functools.partial(self.start_spec, root))
                self.runtimes[root] = Runtime(projects_mod.Project(root), folder, supervisor)
                added.append(self.runtimes[root])
        log.info("projects in %s: %s", folder, ", ".join(str(r.root) for r in added) or "none")
        return added

    def adopt_file(self, path: Path) -> Runtime | None:
        """A file opened outside every known project: its project, searched upward."""
        root = projects_mod.root_above(path)
        if root is None or root in self.runtimes:
            return self.runtimes.get(root) if root else None
        (runtime,) = self.add_folder(root) or (None,)
        if runtime is not None:
            self.start(runtime)
        return runtime

    async def remove_folder(self, folder: Path) -> None:
        folder = folder.resolve()
        for root, runtime in list(self.runtimes.items()):
            if runtime.folder.resolve() == folder:
                del self.runtimes[root]
                await runtime.supervisor.stop()
                assert self.linter is not None
                self.linter.forget_project(root)

    def start(self, runtime: Runtime) -> None:
        if not self.trusted:
            # an untrusted workspace (the client says so): never import the project's code;
            # only what the migrations' source tells is checked (``Linter.static_check``)
            log.info("workspace not trusted: no Django worker for %s", runtime.root)
            return
        python = projects_mod.interpreter(runtime.root, runtime.project.options)
        log.info("starting the Django worker for %s with %s", runtime.root, python)
        self.begin_start_progress(runtime)
        runtime.supervisor.restart()

    def start_all(self) -> None:
        for runtime in self.runtimes.values():
            self.start(runtime)

    def restart_changed(self) -> None:
        """After a settings change: restart only the workers whose start depends on it."""
        for root, runtime in self.runtimes.items():
            if runtime.started_with != self.start_key(root):
                self.start(runtime)

    def no_django(self, runtime: Runtime) -> bool:
        """True when the project's Django context cannot be had (not merely not ready yet)."""
        failed = (State.FAILED, State.BLOCKED, State.GIVEN_UP)
        return not self.trusted or runtime.supervisor.state in failed

    async def stop_all(self) -> None:
        for runtime in self.runtimes.values():
            await runtime.supervisor.stop()

    def kill_all(self) -> None:
        for runtime in self.runtimes.values():
            runtime.supervisor.kill_now()

    # -- supervisor events (supervisor.Listener) ----
    async def ready(self, supervisor: Supervisor, info: messages.InitializeResult) -> None:
        runtime = self.runtimes.get(supervisor.root)
        if runtime is None:
            return
        self.end_start_progress(runtime, "ready")
        assert self.linter is not None
        self.linter.clear_problem(runtime)
        log.info(
            "worker ready for %s: Django %s, %s, %d migrations",
            supervisor.root,
            info.django,
            info.vendor,
            info.migrations,
        )
        runtime.django = info.django
        providers = info.ignore_migration_providers
        runtime.provider = providers[-1] if providers else runtime.provider
        for problem in info.problems:
            log.warning("%s: %s", supervisor.root, problem)
        await self.linter.lint_project(runtime)

    def failed(self, supervisor: Supervisor, failure: Failure) -> None:
        runtime = self.runtimes.get(supervisor.root)
        if runtime is None:
            return
        self.end_start_progress(runtime, "failed")
        assert self.linter is not None
        self.linter.report_problem(runtime, failure)

    def notified(self, supervisor: Supervisor, message: messages.Message) -> None:
        runtime = self.runtimes.get(supervisor.root)
        if runtime is None:
            return
        assert self.linter is not None
        if isinstance(message, messages.Progress):
            self.linter.on_progress(runtime, message)
        elif isinstance(message, messages.Loading):
            self.report_loading(runtime, Path(message.path))
        elif isinstance(message, messages.Log):
            self.log(message.message)

    def log(self, line: str) -> None:
        """A line of the worker's (or a command's) output, to the server's log."""
        log.info(line)

    # -- start progress ----
    def begin_start_progress(self, runtime: Runtime) -> None:
        self.end_start_progress(runtime, "restarting")
        title = f"Loading the Django project {runtime.root.name}"
        runtime.start_token = self.server.begin_progress(title)

    def report_loading(self, runtime: Runtime, path: Path) -> None:
        now = time.monotonic()
        if runtime.start_token is None or now - runtime.reported_at < PROGRESS_EVERY:
            return
        runtime.reported_at = now
        try:
            shown = path.relative_to(runtime.root)
        except ValueError:
            shown = path
        self.server.report_progress(runtime.start_token, f"importing {shown}")

    def end_start_progress(self, runtime: Runtime, message: str) -> None:
        if runtime.start_token is not None:
            self.server.end_progress(runtime.start_token, message)
            runtime.start_token = None


def problem_diagnostics(failure: Failure) -> list[types.Diagnostic]:
    return [problem_diagnostic(failure.message, failure.line, failure.col, code=failure.code)]
