"""The server under protocol misuse, hangs and crashes at import, shutdown with a request
pending, workspace folders changing, eglot-style roots and settings changes (issue 10)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys
from asyncio.subprocess import PIPE
from pathlib import Path

import pytest
from lsprotocol import types

from .conftest import codes, copy_example, start, wait_for
from .test_faults import worker_pids

pytestmark = pytest.mark.asyncio(loop_scope="function")
DROP = "catalog/migrations/0004_remove_product_legacy_code.py"
CLEAN = "catalog/migrations/0002_product_description.py"


def open_file(client, path: Path, text: str | None = None) -> None:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(
                uri=path.as_uri(), language_id="python", version=1, text=text or path.read_text()
            )
        )
    )


def watched(client, path: Path) -> None:
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=path.as_uri(), type=types.FileChangeType.Changed)]
        )
    )


def processes_with(marker: str) -> list[int]:
    found = []
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            if marker.encode() in Path(f"/proc/{entry}/cmdline").read_bytes():
                found.append(int(entry))
        except OSError:
            continue
    return found


class RawClient:
    """JSON-RPC over the server's stdio, as a client that gets things wrong would send it."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @classmethod
    async def start(cls) -> RawClient:
        command = [sys.executable, "-m", "django_migration_lsp", "serve"]
        process = await asyncio.create_subprocess_exec(
            *command, stdin=PIPE, stdout=PIPE, stderr=asyncio.subprocess.DEVNULL
        )
        return cls(process)

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    async def response(self, request_id: int) -> dict:
        """The response to ``request_id`` (requests and notifications from the server are
        skipped; a server request is answered with null)."""
        assert self.process.stdout is not None
        while True:
            header = await asyncio.wait_for(self.process.stdout.readline(), 60)
            assert header, "the server exited"
            if not header.startswith(b"Content-Length"):
                continue
            length = int(header.split(b":")[1])
            while (await self.process.stdout.readline()).strip():
                pass  # the other headers, up to the blank line
            message = json.loads(await self.process.stdout.readexactly(length))
            if "method" in message and "id" in message:
                self.send({"id": message["id"], "result": None})
            elif message.get("id") == request_id and "method" not in message:
                return message


async def test_protocol_before_initialize_and_malformed_params(tmp_path: Path):
    root = copy_example(tmp_path / "shop")
    client = await RawClient.start()
    hover = {
        "textDocument": {"uri": (root / DROP).as_uri()},
        "position": {"line": 0, "character": 0},
    }
    client.send({"id": 1, "method": "textDocument/hover", "params": hover})
    assert (await client.response(1))["error"]["code"] == -32002
    client.send({"id": 2, "method": "shutdown"})
    assert (await client.response(2))["error"]["code"] == -32002
    initialize = {"processId": None, "rootUri": root.as_uri(), "capabilities": {}}
    client.send({"id": 3, "method": "initialize", "params": initialize})
    assert "capabilities" in (await client.response(3))["result"]  # answered
    client.send({"method": "initialized", "params": {}})
    client.send({"id": 4, "method": "textDocument/hover", "params": {"textDocument": 5}})
    assert (await client.response(4))["error"]["code"] == -32602
    client.process.kill()
    await client.process.wait()


async def test_exit_without_shutdown_exits_1(tmp_path: Path):
    client = await RawClient.start()
    initialize = {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}}
    client.send({"id": 1, "method": "initialize", "params": initialize})
    await client.response(1)
    client.send({"method": "exit"})
    assert await asyncio.wait_for(client.process.wait(), 20) == 1


async def test_shutdown_then_exit_exits_0(tmp_path: Path):
    client = await RawClient.start()
    initialize = {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}}
    client.send({"id": 1, "method": "initialize", "params": initialize})
    await client.response(1)
    client.send({"id": 2, "method": "shutdown"})
    await client.response(2)
    client.send({"method": "exit"})
    assert await asyncio.wait_for(client.process.wait(), 20) == 0


async def test_shutdown_with_a_request_pending_leaves_no_process(bare, tmp_path: Path):
    root = copy_example(tmp_path / "shop")
    await start(bare, [root], requestTimeout=120)
    await wait_for(lambda: codes(bare, (root / DROP).as_uri()) == ["DROP_COLUMN"])
    path = root / CLEAN
    marker = f"dml-child-{os.getpid()}-{tmp_path.name}"
    hanging = (
        "import subprocess, sys, time\n"
        f"subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(3600)', '{marker}'])\n"
        "time.sleep(3600)\n" + path.read_text()
    )
    open_file(bare, path, hanging)
    await wait_for(lambda: processes_with(marker), timeout=30)  # the request is pending
    await asyncio.wait_for(bare.shutdown_session(), 15)  # not behind the pending request
    bare.capabilities = None
    await wait_for(lambda: worker_pids(root) == [] and processes_with(marker) == [], timeout=10)


@pytest.mark.parametrize(
    ("code", "line", "word"),
    [
        ("WORKER_TIMEOUT", "import time\ntime.sleep(3600)\n", "hangs"),
        ("WORKER_CRASH", "import os\nos._exit(1)\n", "exits the process"),
    ],
)
async def test_import_time_hang_or_crash_names_the_file_and_recovers(
    bare, tmp_path: Path, code: str, line: str, word: str
):
    root = copy_example(tmp_path / "shop")
    path = root / CLEAN
    good = path.read_text()
    path.write_text(line + good)
    await start(bare, [root], requestTimeout=3)
    await wait_for(lambda: codes(bare, path.as_uri()) == [code], timeout=60)
    (diagnostic,) = bare.diagnostics[path.as_uri()]
    assert path.name in diagnostic.message and word in diagnostic.message
    assert "RunPython" in diagnostic.message  # the safe way
    await asyncio.sleep(4)
    assert worker_pids(root) == []  # not restarted behind the user's back
    path.write_text(good)
    watched(bare, path)
    await wait_for(lambda: codes(bare, (root / DROP).as_uri()) == ["DROP_COLUMN"], timeout=60)
    await wait_for(lambda: codes(bare, path.as_uri()) == [])
    reports = [v for values in bare.progress_reports.values() for v in values]
    assert any("importing" in (getattr(v, "message", "") or "") for v in reports)


async def test_workspace_folders_added_and_removed(bare, tmp_path: Path):
    one = copy_example(tmp_path / "one")
    two = copy_example(tmp_path / "two")
    await start(bare, [one])
    await wait_for(lambda: codes(bare, (one / DROP).as_uri()) == ["DROP_COLUMN"])
    assert worker_pids(two) == []
    bare.workspace_did_change_workspace_folders(
        types.DidChangeWorkspaceFoldersParams(
            types.WorkspaceFoldersChangeEvent(
                added=[types.WorkspaceFolder(two.as_uri(), "two")],
                removed=[types.WorkspaceFolder(one.as_uri(), "one")],
            )
        )
    )
    await wait_for(lambda: codes(bare, (two / DROP).as_uri()) == ["DROP_COLUMN"])
    await wait_for(lambda: codes(bare, (one / DROP).as_uri()) == [])
    await wait_for(lambda: worker_pids(one) == [] and len(worker_pids(two)) == 1)


async def test_eglot_root_is_the_migrations_folder(bare, tmp_path: Path):
    root = copy_example(tmp_path / "shop")
    folder = root / "catalog" / "migrations"
    await bare.initialize_session(
        types.InitializeParams(capabilities=types.ClientCapabilities(), root_uri=folder.as_uri())
    )
    open_file(bare, root / DROP)
    await wait_for(lambda: codes(bare, (root / DROP).as_uri()) == ["DROP_COLUMN"])
    await wait_for(lambda: len(worker_pids(root)) == 1)
    assert "source alone" not in bare.diagnostics[(root / DROP).as_uri()][0].message


async def test_configuration_change_restarts_only_when_it_matters(bare, tmp_path: Path):
    root = copy_example(tmp_path / "shop")
    await start(bare, [root])
    await wait_for(lambda: codes(bare, (root / DROP).as_uri()) == ["DROP_COLUMN"])
    first = worker_pids(root)

    def change(**settings) -> None:
        bare.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(
                {"djangoMigrationLsp": {"debounceMs": 50, **settings}}
            )
        )

    change(debounceMs=50)  # what eglot sends on connect: nothing that matters
    change(debounceMs=80)  # a server-side setting only
    await asyncio.sleep(3)
    assert worker_pids(root) == first
    change(excludeMigrationTests=["DROP_COLUMN"])
    await wait_for(lambda: codes(bare, (root / DROP).as_uri()) == [], timeout=60)
    assert worker_pids(root) != first


async def test_worker_killed_mid_save_does_not_blame_the_saved_file(bare, tmp_path: Path):
    root = copy_example(tmp_path / "shop")
    await start(bare, [root])
    await wait_for(lambda: codes(bare, (root / DROP).as_uri()) == ["DROP_COLUMN"])
    path = root / CLEAN
    open_file(bare, path)
    await wait_for(lambda: path.as_uri() in bare.diagnostics)
    seen: set[str] = set()

    async def sample() -> None:  # every code the file shows meanwhile, however briefly
        while True:
            seen.update(codes(bare, path.as_uri()))
            await asyncio.sleep(0.005)

    sampler = asyncio.create_task(sample())
    (pid,) = worker_pids(root)
    path.write_text("import time\ntime.sleep(3)\n" + path.read_text())  # a slow import
    bare.text_document_did_save(
        types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(path.as_uri()))
    )
    await asyncio.sleep(1.5)  # the worker is importing the saved file
    os.kill(pid, signal.SIGKILL)  # the OOM killer, or a user
    await wait_for(lambda: worker_pids(root) and worker_pids(root) != [pid], timeout=30)
    await wait_for(lambda: codes(bare, (root / DROP).as_uri()) == ["DROP_COLUMN"], timeout=60)
    sampler.cancel()
    assert "WORKER_CRASH" not in seen and codes(bare, path.as_uri()) == []


async def test_worker_killed_during_the_checks_comes_back(bare, tmp_path: Path):
    # A database that accepts the connection and never answers holds the worker inside the
    # checks; nothing else is queued, so only the checks see it die.
    root = copy_example(tmp_path / "shop")
    listener = socket.create_server(("127.0.0.1", 0))
    listener.setblocking(False)
    settings = root / "shopsite" / "settings.py"
    line = '_url = os.environ.get("DJANGO_MIGRATION_LSP_EXAMPLE_DATABASE_URL", "")'
    url = f'_url = "postgresql://nobody@127.0.0.1:{listener.getsockname()[1]}/none"'
    settings.write_text(settings.read_text().replace(line, url))
    await start(bare, [root])
    await wait_for(lambda: "DROP_COLUMN" in codes(bare, (root / DROP).as_uri()))
    (pid,) = worker_pids(root)
    checks = asyncio.ensure_future(
        bare.workspace_execute_command_async(
            types.ExecuteCommandParams(command="djangoMigrationLsp.runChecks")
        )
    )
    connection, _ = await asyncio.wait_for(asyncio.get_running_loop().sock_accept(listener), 60)
    os.kill(pid, signal.SIGKILL)
    await asyncio.wait_for(checks, 60)
    await wait_for(lambda: worker_pids(root) and worker_pids(root) != [pid], timeout=30)
    connection.close()
    listener.close()


async def test_hover_answers_from_the_last_good_parse(bare, tmp_path: Path):
    root = copy_example(tmp_path / "shop")
    await start(bare, [root])
    path = root / DROP
    await wait_for(lambda: codes(bare, path.as_uri()) == ["DROP_COLUMN"])
    open_file(bare, path)
    position = types.Position(8, 12)
    params = types.HoverParams(types.TextDocumentIdentifier(path.as_uri()), position)
    assert await bare.text_document_hover_async(params) is not None
    broken = path.read_text().replace("    ]", "    ", 1)
    bare.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=path.as_uri(), version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=broken)],
        )
    )
    await wait_for(lambda: "RENDER_ERROR" in codes(bare, path.as_uri()))
    hover = await bare.text_document_hover_async(params)
    assert hover is not None and "RemoveField" in hover.contents.value
