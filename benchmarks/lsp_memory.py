"""Benchmark: the language server's resident memory over many edit cycles, and how long it
stays unresponsive while a 5 MB migration is parsed.

    python benchmarks/lsp_memory.py [--cycles 2000] [--big-mb 5]

Memory: the server is started over stdio on a folder holding one migration (no Django project,
so only the server itself is measured); each cycle is a ``didChange`` (the whole text), a
``didSave`` and a hover (which waits for the server). RSS (``/proc/PID/status``) is read before
and after. In the same run, the same server with pygls' own ``_execute_handler`` (the protocol
fix of ``lsp/protocol.py`` undone): the baseline. Big file: a migration of ``--big-mb`` MB is
opened in a project in Restricted Mode (no worker: the server parses it itself for the
static rules), and hovers on a small migration are timed meanwhile (the longest wait is the time the
server was blocked). Figures, not asserts.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from lsp_save_latency import RpcClient  # noqa: E402

SMALL = """from django.db import migrations


class Migration(migrations.Migration):
    operations = [
        migrations.RemoveField(model_name="item", name="price"),
    ]
"""
#: the server with the notification-future fix undone (pygls 2.1.1 as it is)
BASELINE = (
    "from django_migration_lsp.lsp import protocol as p\n"
    "from pygls.protocol import LanguageServerProtocol as B\n"
    "p.MigrationProtocol._execute_handler = B._execute_handler\n"
    "from django_migration_lsp.lsp.server import main\n"
    "raise SystemExit(main([]))\n"
)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def big_migration(megabytes: float) -> str:
    line = (
        '        migrations.AddField(model_name="item", name="f{0}", '
        "field=models.IntegerField(null=True)),\n"
    )
    count = int(megabytes * 1024 * 1024 / len(line.format(0)))
    body = "".join(line.format(i) for i in range(count))
    return (
        "from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n"
        f"    operations = [\n{body}    ]\n"
    )


async def serve(
    folder: Path, baseline: bool, trusted: bool = True
) -> tuple[asyncio.subprocess.Process, RpcClient]:
    command = ["-c", BASELINE] if baseline else ["-m", "django_migration_lsp", "serve"]
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        *command,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
        limit=64 * 1024 * 1024,
    )
    client = RpcClient(process)
    options = {"djangoMigrationLsp": {"trusted": trusted}}
    params = {"processId": None, "rootUri": folder.as_uri(), "capabilities": {}}
    await client.request("initialize", {**params, "initializationOptions": options})
    client.notify("initialized", {})
    return process, client


def hover(client: RpcClient, uri: str):  # type: ignore[no-untyped-def]
    position = {"line": 5, "character": 12}
    return client.request(
        "textDocument/hover", {"textDocument": {"uri": uri}, "position": position}
    )


async def stop(process: asyncio.subprocess.Process, client: RpcClient) -> None:
    client.reader.cancel()
    process.kill()
    await process.wait()


async def edit_cycles(folder: Path, cycles: int, baseline: bool) -> tuple[float, float]:
    process, client = await serve(folder, baseline)
    uri = (folder / "app/migrations/0001_x.py").as_uri()
    item = {"uri": uri, "languageId": "python", "version": 1, "text": SMALL}
    client.notify("textDocument/didOpen", {"textDocument": item})
    await hover(client, uri)
    before = rss_mb(process.pid)
    for version in range(2, cycles + 2):
        text = SMALL if version % 2 else SMALL.replace("price", "cost")
        client.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": text}],
            },
        )
        client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
        await hover(client, uri)
    after = rss_mb(process.pid)
    await stop(process, client)
    return before, after


async def big_file(folder: Path, megabytes: float) -> tuple[float, float, float]:
    # a project in Restricted Mode: no worker, the server parses the file itself (static rules)
    (folder / "manage.py").write_text("")
    process, client = await serve(folder, baseline=False, trusted=False)
    small = (folder / "app/migrations/0001_x.py").as_uri()
    item = {"uri": small, "languageId": "python", "version": 1, "text": SMALL}
    client.notify("textDocument/didOpen", {"textDocument": item})
    await hover(client, small)
    before = rss_mb(process.pid)
    text = big_migration(megabytes)
    big = (folder / "app/migrations/0002_big.py").as_uri()
    opened = time.perf_counter()
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": big, "languageId": "python", "version": 1, "text": text}},
    )
    longest = 0.0
    while time.perf_counter() - opened < 8:
        t0 = time.perf_counter()
        await hover(client, small)
        longest = max(longest, time.perf_counter() - t0)
    after = rss_mb(process.pid)
    await stop(process, client)
    return longest, before, after


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cycles", type=int, default=2000)
    parser.add_argument("--big-mb", type=float, default=5.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "app/migrations").mkdir(parents=True)
        (folder / "app/migrations/0001_x.py").write_text(SMALL)
        for name, baseline in (("pygls as is (baseline)", True), ("with the fix", False)):
            before, after = await edit_cycles(folder, args.cycles, baseline)
            growth = (after - before) * 1024 / args.cycles
            print(
                f"{name:24s} RSS {before:6.1f} -> {after:6.1f} MB over {args.cycles} cycles "
                f"({growth:.2f} KB a cycle)"
            )
        longest, before, after = await big_file(folder, args.big_mb)
        print(
            f"{args.big_mb:.0f} MB migration opened: longest hover wait meanwhile "
            f"{longest * 1000:.0f} ms; RSS {before:.1f} -> {after:.1f} MB"
        )


if __name__ == "__main__":
    asyncio.run(main())
