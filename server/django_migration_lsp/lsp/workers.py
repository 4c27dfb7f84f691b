"""One Django worker subprocess per project: JSON lines over pipes, timeouts, restarts.

The worker (``python -m django_migration_lsp.worker``) runs in the project's interpreter with
our package's parent directory on ``PYTHONPATH``; nothing else of ours needs to be installed
there. Requests are sent one at a time (the worker is single-threaded); notifications it sends
meanwhile (``progress``, ``log``) go to a callback.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

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

    def __init__(self, kind: str, message: str, problem: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.problem = problem or {}


class WorkerDied(Exception):
    """The worker process exited (or was killed) before answering."""


class WorkerTimeout(Exception):
    """The worker did not answer in time; it has been killed."""


Notify = Callable[[str, dict[str, Any]], Awaitable[None] | None]
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

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.returncode is None

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
        )
        self._tasks = [
            asyncio.create_task(self._read_stdout()),
            asyncio.create_task(self._read_stderr()),
        ]

    async def _read_stdout(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        stream = self.process.stdout
        while True:
            line = await stream.readline()
            if not line:
                break
            try:
                message = json.loads(line)
            except ValueError:
                self.log(f"worker {self.root}: unparsable line {line[:200]!r}")
                continue
            if "id" in message and message["id"] in self._pending:
                future = self._pending.pop(message["id"])
                if not future.done():
                    future.set_result(message)
            elif "method" in message:
                result = self.notify(message["method"], message.get("params") or {})
                if asyncio.iscoroutine(result):
                    await result
        for future in self._pending.values():
            if not future.done():
                future.set_exception(WorkerDied(f"the worker for {self.root} exited"))
        self._pending.clear()

    async def _read_stderr(self) -> None:
        assert self.process is not None and self.process.stderr is not None
        while True:
            line = await self.process.stderr.readline()
            if not line:
                break
            self.log(f"[worker {self.root.name}] {line.decode(errors='replace').rstrip()}")

    async def request(self, method: str, params: dict[str, Any], timeout: float) -> Any:
        """Send a request and wait for its result; kill the worker if it takes too long."""
        async with self._lock:
            if not self.alive:
                raise WorkerDied(f"the worker for {self.root} is not running")
            assert self.process is not None and self.process.stdin is not None
            self._next_id += 1
            request_id = self._next_id
            future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
            self._pending[request_id] = future
            payload = json.dumps({"id": request_id, "method": method, "params": params})
            try:
                self.process.stdin.write(payload.encode() + b"\n")
                await self.process.stdin.drain()
            except (BrokenPipeError, ConnectionResetError) as exc:
                self._pending.pop(request_id, None)
                raise WorkerDied(f"the worker for {self.root} exited") from exc
            try:
                message = await asyncio.wait_for(future, timeout)
            except asyncio.TimeoutError as exc:
                self._pending.pop(request_id, None)
                await self.kill()
                raise WorkerTimeout(
                    f"the worker did not answer {method} within {timeout:.0f}s"
                ) from exc
        if "error" in message:
            error = message["error"]
            raise WorkerError(
                error.get("kind", "internal"), error.get("message", ""), error.get("problem")
            )
        return message.get("result")

    async def kill(self) -> None:
        if self.process is not None and self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.process.wait(), 5)
        for task in self._tasks:
            task.cancel()

    async def stop(self) -> None:
        """Ask the worker to exit; kill it if it does not."""
        if self.alive:
            with contextlib.suppress(Exception):
                await self.request("shutdown", {}, timeout=3)
            if self.process is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(self.process.wait(), 3)
        await self.kill()
