"""The worker client on real processes: a worker whose answers can no longer arrive fails
the request at once instead of waiting out its inactivity timeout."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from django_migration_lsp.lsp.workers import WorkerClient, WorkerDied
from django_migration_lsp.worker import messages

pytestmark = pytest.mark.asyncio(loop_scope="function")


async def test_a_request_after_the_worker_stdout_ended_fails_at_once(tmp_path: Path):
    # The stream ends before the process is reaped (a SIGKILLed worker on a loaded machine,
    # with a request queued behind the one it died on): this process closes its stdout and
    # lives on, which holds that window open.
    script = tmp_path / "python"
    script.write_text("#!/bin/sh\nexec 1>&-\nexec sleep 60\n")
    script.chmod(0o755)
    client = WorkerClient(tmp_path, str(script), lambda message: None, lambda line: None)
    await client.start()
    try:
        await asyncio.wait_for(client._tasks[0], 10)  # the reader saw the end of stdout
        assert client.process is not None and client.process.returncode is None
        assert not client.alive
        with pytest.raises(WorkerDied):
            await asyncio.wait_for(client.request(messages.PingParams(), timeout=600), 10)
    finally:
        await client.kill()
