"""The worker supervisor without an LSP client: its states, its one start task, the file it
blames for a hang at import and the restart when that file changes. Real worker processes on a
copy of the example project."""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path

import pytest

from django_migration_lsp.lsp.supervisor import Failure, StartSpec, State, Supervisor
from django_migration_lsp.lsp.workers import WorkerDied
from django_migration_lsp.worker import messages

pytestmark = pytest.mark.asyncio(loop_scope="function")
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "shop"
CLEAN = "catalog/migrations/0002_product_description.py"


class Recorder:
    """A ``supervisor.Listener`` that writes down what it is told."""

    def __init__(self) -> None:
        self.events: list[tuple[str, object]] = []
        self.loading: list[str] = []

    async def ready(self, supervisor: Supervisor, info: messages.InitializeResult) -> None:
        self.events.append(("ready", info.migrations))

    def failed(self, supervisor: Supervisor, failure: Failure) -> None:
        self.events.append(("failed", failure))

    def notified(self, supervisor: Supervisor, message: messages.Message) -> None:
        if isinstance(message, messages.Loading):
            self.loading.append(message.path)

    def log(self, line: str) -> None:
        pass


def spec_for(root: Path, python: str = sys.executable, timeout: float = 60) -> StartSpec:
    return StartSpec(python, messages.InitializeParams(str(root)), timeout)


async def until(predicate, timeout: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.05)


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    return Path(shutil.copytree(EXAMPLE, tmp_path / "shop", ignore=shutil.ignore_patterns("db.*")))


async def test_ready_then_stopped_and_one_start_at_a_time(shop: Path):
    recorder = Recorder()
    supervisor = Supervisor(shop, recorder, lambda: spec_for(shop))
    first = supervisor.restart()
    second = supervisor.restart()  # a restart cancels the start in flight
    await supervisor.wait_started()
    assert first.cancelled() and second.done() and not second.cancelled()
    assert supervisor.state is State.READY and supervisor.ready
    assert recorder.events == [("ready", supervisor.info.migrations)]
    assert any(p.endswith("0004_remove_product_legacy_code.py") for p in recorder.loading)
    process = supervisor.worker.process
    await supervisor.stop()
    assert supervisor.state is State.STOPPED and process.returncode is not None


async def test_unusable_options_and_missing_interpreter_fail(shop: Path):
    recorder = Recorder()
    problem = Failure("PROJECT_LOAD_ERROR", "bad pyproject", shop / "pyproject.toml")
    spec = StartSpec(sys.executable, messages.InitializeParams(str(shop)), 5, problem)
    supervisor = Supervisor(shop, recorder, lambda: spec)
    await supervisor.restart()
    assert supervisor.state is State.FAILED and recorder.events == [("failed", problem)]
    missing = Supervisor(shop, recorder, lambda: spec_for(shop, str(shop / "no-python")))
    await missing.restart()
    assert missing.state is State.FAILED and "Could not start" in missing.failure.message


async def test_a_hang_at_import_blocks_on_that_file_until_it_changes(shop: Path):
    path = shop / CLEAN
    good = path.read_text()
    path.write_text("import time\ntime.sleep(3600)\n" + good)
    recorder = Recorder()
    supervisor = Supervisor(shop, recorder, lambda: spec_for(shop, timeout=2))
    await supervisor.restart()
    await until(lambda: supervisor.state is State.BLOCKED)
    failure = supervisor.failure
    assert failure.code == "WORKER_TIMEOUT" and failure.path == path
    assert path.name in failure.message and "hangs" in failure.message
    assert not supervisor.file_changed(shop / "manage.py")  # another file: still blocked
    await asyncio.sleep(1)
    assert supervisor.state is State.BLOCKED and not supervisor.worker.alive
    path.write_text(good)
    assert supervisor.file_changed(path)
    await supervisor.wait_started()
    assert supervisor.state is State.READY
    await supervisor.stop()


async def test_a_worker_killed_under_two_requests_is_counted_and_restarted_once(shop: Path):
    recorder = Recorder()
    supervisor = Supervisor(shop, recorder, lambda: spec_for(shop))
    await supervisor.restart()
    first = supervisor.worker
    assert supervisor.ready and first is not None and first.process is not None
    first.process.kill()  # the OOM killer: the request in flight and the one queued both fail
    died = WorkerDied("the worker exited")
    blamed = await asyncio.gather(
        supervisor.worker_failed(died, "running the checks"),
        supervisor.worker_failed(died, "linting 0002_product_description.py"),
    )
    assert blamed == [None, None] and supervisor.crashes == 1
    await until(lambda: supervisor.ready)
    await asyncio.sleep(1)  # a second restart would replace the new worker
    assert supervisor.worker is not first and supervisor.ready
    assert [e for e, _ in recorder.events] == ["ready", "ready"]
    await supervisor.stop()
