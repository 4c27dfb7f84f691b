"""One project's Django worker with an explicit state, owning its single start task.

States: ``idle`` (never started) -> ``starting`` -> ``ready``; a start that fails for a reason
the project states (settings that do not import, a bad ``pyproject.toml``, no interpreter) is
``failed``; a worker that hangs or dies is ``blocked`` when a file is to blame (the last file the
worker said it was importing: nothing restarts it until that file changes) and otherwise
restarted with a backoff, ``given_up`` after ``max_crashes`` in a row; ``stopped`` at the end.
Starting again cancels a start in flight: there is never more than one.

No LSP here: what happens is told to a ``Listener``, so this is testable without a client.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ..worker import messages
from .workers import WorkerClient, WorkerDied, WorkerError, WorkerTimeout

MAX_CONSECUTIVE_CRASHES = 5


class State(enum.Enum):
    IDLE = "idle"
    STARTING = "starting"
    READY = "ready"
    FAILED = "failed"
    BLOCKED = "blocked"
    RESTARTING = "restarting"
    GIVEN_UP = "given_up"
    STOPPED = "stopped"


@dataclass(frozen=True)
class Failure:
    """Why the worker is not ready, and where to say so (``path`` None: the project root)."""

    code: str  # PROJECT_LOAD_ERROR, WORKER_TIMEOUT, WORKER_CRASH
    message: str
    path: Path | None = None
    line: int | None = None
    col: int | None = None


@dataclass(frozen=True)
class StartSpec:
    """What a start needs: the interpreter and the ``initialize`` request (or, when the
    options are unusable, the failure to report instead)."""

    python: str
    initialize: messages.InitializeParams
    timeout: float
    problem: Failure | None = None


class Listener(Protocol):
    def ready(self, supervisor: Supervisor, info: messages.InitializeResult) -> Awaitable[None]: ...
    def failed(self, supervisor: Supervisor, failure: Failure) -> None: ...
    def notified(self, supervisor: Supervisor, message: messages.Message) -> None: ...
    def log(self, line: str) -> None: ...


class Supervisor:
    def __init__(self, root: Path, listener: Listener, spec: Callable[[], StartSpec]) -> None:
        self.root = root
        self.listener = listener
        self.spec = spec
        self.state = State.IDLE
        self.worker: WorkerClient | None = None
        self.info: messages.InitializeResult | None = None
        self.failure: Failure | None = None
        self.crashes = 0
        #: the last file the worker said it was about to import (blamed for a hang or a crash)
        self.loading: Path | None = None
        #: the dead worker already handled, and the file blamed for it: the requests queued
        #: behind the one it died on fail too, and must not count (or restart) it again
        self._handled: tuple[WorkerClient, Path | None] | None = None
        self._task: asyncio.Task[Any] | None = None

    @property
    def ready(self) -> bool:
        return self.state is State.READY and self.worker is not None and self.worker.alive

    def restart(self, reset_crashes: bool = True) -> asyncio.Task[Any]:
        """(Re)start the worker: cancels a start in flight; returns the one start task."""
        if reset_crashes:
            self.crashes = 0
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = asyncio.create_task(self._run_start())
        return self._task

    async def wait_started(self) -> None:
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.shield(self._task)

    def file_changed(self, path: Path) -> bool:
        """A file changed: restart if the worker is blocked on it (True when restarting)."""
        failure = self.failure
        if self.state is State.BLOCKED and failure is not None and failure.path == path:
            self.restart()
            return True
        return False

    async def stop(self) -> None:
        self.state = State.STOPPED
        if self._task is not None and not self._task.done():
            self._task.cancel()
        if self.worker is not None:
            await self.worker.stop()

    async def request(self, params: messages.Message, timeout: float) -> Any:
        """A request to the ready worker (``loading`` is reset: a failure blames only a file
        imported for this request)."""
        if self.worker is None:
            raise WorkerDied(f"no worker for {self.root}")
        self.loading = None
        return await self.worker.request(params, timeout)

    def kill_now(self) -> None:
        self.state = State.STOPPED
        if self.worker is not None:
            self.worker.kill_now()

    async def _run_start(self) -> None:
        if self.worker is not None:
            await self.worker.stop()
        self.state, self.failure, self.info, self.loading = State.STARTING, None, None, None
        spec = self.spec()
        if spec.problem is not None:
            return self._fail(State.FAILED, spec.problem)
        worker = WorkerClient(self.root, spec.python, self._notified, self.listener.log)
        self.worker = worker
        try:
            await worker.start()
        except OSError as exc:
            message = (
                f"Could not start the Python interpreter {spec.python!r} for {self.root}: "
                f"{exc}. Set `python` in the settings (djangoMigrationLsp.python) or "
                "[tool.django-migration-lsp]."
            )
            return self._fail(State.FAILED, Failure("PROJECT_LOAD_ERROR", message))
        try:
            result = await worker.request(spec.initialize, timeout=spec.timeout)
        except WorkerError as exc:
            return self._fail(State.FAILED, project_failure(exc))
        except (WorkerDied, WorkerTimeout) as exc:
            await self.worker_failed(exc, "starting Django")
            return
        self.info = messages.InitializeResult.from_dict(result)
        self.state = State.READY
        await self.listener.ready(self, self.info)

    def _notified(self, message: messages.Message) -> None:
        if isinstance(message, messages.Loading):
            self.loading = Path(message.path)
        self.listener.notified(self, message)

    def _fail(self, state: State, failure: Failure) -> None:
        self.state, self.failure = state, failure
        self.listener.failed(self, failure)

    async def worker_failed(
        self, exc: Exception, doing: str, buffers: frozenset[Path] = frozenset()
    ) -> Path | None:
        """The worker hung or died while ``doing``: blame the file it was importing and wait
        for that file to change (an unsaved buffer among ``buffers``, which is not sent again:
        restart at once), else restart with a backoff. Returns the file blamed."""
        if self.state is State.STOPPED:
            return None
        worker = self.worker
        if worker is not None and self._handled is not None and self._handled[0] is worker:
            return self._handled[1]
        self._handled = (worker, None) if worker is not None else None
        blamed = await self._worker_failed(exc, doing, buffers)
        if worker is not None:
            self._handled = (worker, blamed)
        return blamed

    async def _worker_failed(
        self, exc: Exception, doing: str, buffers: frozenset[Path]
    ) -> Path | None:
        process = self.worker.process if self.worker is not None else None
        if process is not None and isinstance(exc, WorkerDied):
            with contextlib.suppress(asyncio.TimeoutError):  # its exit status tells who ended it
                await asyncio.wait_for(process.wait(), 2)
        blamed = self.loading if not self.killed_from_outside(exc) else None
        if blamed is not None and blamed not in buffers:
            self._fail(State.BLOCKED, blame(exc, blamed, doing))
            return blamed
        if blamed is not None:
            self._fail(State.RESTARTING, blame(exc, blamed, doing))
            self.restart(reset_crashes=False)
            return blamed
        self.crashes += 1
        if self.crashes > MAX_CONSECUTIVE_CRASHES:
            message = (
                f"The Django worker for {self.root.name} failed {self.crashes} times in a row "
                f"while {doing} ({exc}); not restarting it. Fix the cause (settings or models "
                "that end the process when imported) and save, or run the "
                "'djangoMigrationLsp.restart' command."
            )
            self._fail(State.GIVEN_UP, Failure("WORKER_CRASH", message))
            return None
        delay = min(0.5 * 2 ** (self.crashes - 1), 10)
        self.state = State.RESTARTING
        self.listener.log(f"worker for {self.root}: {exc} while {doing}; restarting in {delay}s")
        await asyncio.sleep(delay)
        if self.state is State.RESTARTING:
            self.restart(reset_crashes=False)
        return None

    def killed_from_outside(self, exc: Exception) -> bool:
        """The worker died of SIGKILL / SIGTERM that we did not send (the OOM killer, a user):
        the file it was importing is not to blame."""
        process = self.worker.process if self.worker is not None else None
        code = process.returncode if process is not None else None
        return isinstance(exc, WorkerDied) and code in (-signal.SIGKILL, -signal.SIGTERM)

    def after_lint(self) -> None:
        """A whole-project lint went through: the crash streak is over."""
        self.crashes = 0


def project_failure(exc: WorkerError) -> Failure:
    problem = exc.problem
    path = Path(problem["path"]) if problem.get("path") else None
    return Failure("PROJECT_LOAD_ERROR", str(exc), path, problem.get("line"), problem.get("col"))


def blame(exc: Exception, path: Path, doing: str) -> Failure:
    """A hang or a crash put on the file whose code was running."""
    if isinstance(exc, WorkerTimeout):
        what = (
            f"hangs: the Django worker sent nothing for too long while {doing} ({exc}) and was "
            "killed. Code at the top level of a migration (or of a module it imports) runs on "
            "every `migrate` and at every deploy; move it into a function (RunPython)"
        )
        code = "WORKER_TIMEOUT"
    else:
        what = (
            f"ended the Django worker while {doing} ({exc}): importing it, or a module it "
            "imports, exits the process. Code at the top level of a migration runs on every "
            "`migrate`; move it into a function (RunPython)"
        )
        code = "WORKER_CRASH"
    message = f"Importing {path.name} {what}. The worker restarts when this file changes (save it)."
    return Failure(code, message, path, 1, 0)
