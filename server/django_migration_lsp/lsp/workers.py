"""One Django worker subprocess: JSON lines over pipes (``worker.messages``), an inactivity
timeout, and a process group that is killed as a whole.

The worker (``python -m django_migration_lsp.worker``) runs in the project's interpreter with
our package's parent directory on ``PYTHONPATH``; nothing else of ours needs to be installed
there. Requests are sent one at a time (the worker is single-threaded); notifications it sends
meanwhile (``progress``, ``loading``, ``log``) go to a callback. It runs in its own session
(process group): stopping it kills whatever user code it spawned too.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..worker import messages

PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])
STREAM_LIMIT = 64 * 1024 * 1024


def worker_environment() -> dict[str, str]:
    """The environment of a process of ours in the project's interpreter (the worker, the
    guarded makemigrations): our package's parent first on ``PYTHONPATH``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [PACKAGE_PARENT, env.get("PYTHONPATH")]))
    env["PYTHONUNBUFFERED"] = "1"
    return env


class WorkerError(Exception):
    """The worker answered with an error (``kind``: project, internal, method)."""

    def __init__(self, error: messages.ErrorData) -> None:
        super().__init__(error.message)
        self.kind = error.kind
        self.problem = error.problem or {}


class WorkerDied(Exception):
    """The worker process exited (or was killed) before answering."""


class WorkerTimeout(Exception):
    """The worker sent nothing for ``timeout`` seconds; it has been killed."""


Notify = Callable[[messages.Message], None]
Log = Callable[[str], None]


class WorkerClient:
    def __init__(self, root: Path, python: str, notify: Notify, log: Log) -> None:
        self.root = root
        self.python = python
        self.notify = notify
        self.log = log
        self.process: asyncio.subprocess.Process | None = None
        self._pending: dict[int, asyncio.Future[Any]] = {}
        self._next_id = 0
        self._lock = asyncio.Lock()
        self._tasks: list[asyncio.Task[Any]] = []
        #: the worker's stdout ended: nothing will ever answer, whether or not the process
        #: has been reaped yet (a request sent then would wait for its whole timeout)
        self._closed = False
        #: when the worker last sent anything (the inactivity timeout counts from there)
        self.last_heard = time.monotonic()

    @property
    def alive(self) -> bool:
        process = self.process
        return process is not None and process.returncode is None and not self._closed

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    async def start(self) -> None:
        env = worker_environment()
        self.process = await asyncio.create_subprocess_exec(
            self.python,
            "-m",
            "django_migration_lsp.worker",
            cwd=str(self.root),
            env=env,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            limit=STREAM_LIMIT,
            start_new_session=True,
        )
        self.last_heard = time.monotonic()
        self._closed = False
        self._tasks = [
            asyncio.create_task(self._read_stdout()),
            asyncio.create_task(self._read_stderr()),
        ]

    async def _read_stdout(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        stream = self.process.stdout
        while line := await stream.readline():
            self.last_heard = time.monotonic()
            try:
                message = json.loads(line)
            except ValueError:
                self.log(f"worker {self.root}: unparsable line {line[:200]!r}")
                continue
            if "id" in message and message["id"] in self._pending:
                future = self._pending.pop(message["id"])
                if not future.done():
                    future.set_result(message)
            elif message.get("method") in messages.NOTIFICATIONS:
                kind = messages.NOTIFICATIONS[message["method"]]
                self.notify(kind.from_dict(message.get("params")))
        self._closed = True
        for future in self._pending.values():
            if not future.done():
                future.set_exception(WorkerDied(f"the worker for {self.root} exited"))
        self._pending.clear()

    async def _read_stderr(self) -> None:
        assert self.process is not None and self.process.stderr is not None
        while line := await self.process.stderr.readline():
            self.log(f"[worker {self.root.name}] {line.decode(errors='replace').rstrip()}")

    async def request(self, params: messages.Message, timeout: float) -> dict[str, Any] | Any:
        """Send a request and wait for its result; kill the worker if it sends nothing (no
        progress, no ``loading``, no answer) for ``timeout`` seconds."""
        method = type(params).method
        async with self._lock:
            if not self.alive:
                raise WorkerDied(f"the worker for {self.root} is not running")
            assert self.process is not None and self.process.stdin is not None
            self._next_id += 1
            request_id = self._next_id
            future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
            self._pending[request_id] = future
            self.last_heard = time.monotonic()
            try:
                self.process.stdin.write(messages.request_line(request_id, params))
                await self.process.stdin.drain()
            except (BrokenPipeError, ConnectionResetError) as exc:
                self._pending.pop(request_id, None)
                raise WorkerDied(f"the worker for {self.root} exited") from exc
            try:
                message = await self._wait(future, timeout)
            except asyncio.TimeoutError as exc:
                self._pending.pop(request_id, None)
                await self.kill()
                raise WorkerTimeout(
                    f"the worker sent nothing for {timeout:.0f}s while answering {method}"
                ) from exc
        if "error" in message:
            raise WorkerError(messages.ErrorData.from_dict(message["error"]))
        return message.get("result")

    async def _wait(self, future: asyncio.Future[Any], timeout: float) -> Any:
        """``future``'s result, as long as the worker keeps talking within ``timeout``."""
        while True:
            left = self.last_heard + timeout - time.monotonic()
            if left <= 0:
                raise asyncio.TimeoutError
            done, _ = await asyncio.wait({future}, timeout=left)
            if done:
                return future.result()

    def kill_now(self) -> None:
        """Kill the worker's whole process group at once (synchronous: usable at exit)."""
        if self.process is None or self.process.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()

    async def kill(self) -> None:
        self.kill_now()
        if self.process is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.process.wait(), 5)
        for task in self._tasks:
            task.cancel()

    async def stop(self) -> None:
        """Ask an idle worker to exit (kill it if it does not); a busy one is killed at once:
        stopping never waits behind a pending request."""
        if self.alive and not self.busy:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.request(messages.ShutdownParams(), timeout=3), 3)
            if self.process is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(self.process.wait(), 3)
        await self.kill()
