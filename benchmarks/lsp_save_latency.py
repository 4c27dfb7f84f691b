"""Benchmark: time from didSave to publishDiagnostics through a real LSP client.

    python benchmarks/lsp_save_latency.py [--sizes 10x20,40x50] [--saves 20] [--reference-max 600]

For each size (apps x migrations per app) a synthetic project is generated
(benchmarks/generate_project.py); the server is started over stdio with pytest-lsp's client, the
initial workspace lint is awaited, then the newest migration of an app (a different app each time)
is changed on disk and saved, ``--saves`` times; we time didSave -> publishDiagnostics for that file
(p50, p95), with a minimal JSON-RPC client of its own; then the server is started again on the
project (an editor reopened) and its initial lint timed (the result cache is in the run's temporary
directory). In the same run:
django-migration-linter's ``lintmigrations --include-apps APP`` on the
same project (only for projects up to ``--reference-max`` migrations: it re-renders the graph per
migration and takes minutes beyond), and the worker's resident memory. Figures, not asserts.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate_project import generate  # noqa: E402


def worker_rss_mb(root: Path) -> float:
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
            if b"django_migration_lsp.worker" not in cmdline:
                continue
            if Path(os.readlink(f"/proc/{entry}/cwd")) != root:
                continue
            for line in Path(f"/proc/{entry}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            continue
    return float("nan")


class RpcClient:
    """A minimal LSP client over stdio (Content-Length framing); answers the server's requests
    with null and timestamps every publishDiagnostics."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.next_id = 0
        self.pending: dict[int, asyncio.Future] = {}
        self.published: dict[str, float] = {}
        self.events: dict[str, asyncio.Event] = {}
        self.progress_ended = asyncio.Event()
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            header = await stream.readuntil(b"\r\n\r\n")
            length = int(header.split(b"Content-Length:")[1].split(b"\r\n")[0])
            message = json.loads(await stream.readexactly(length))
            if "id" in message and "method" in message:  # a request from the server
                result = None
                if message["method"] == "workspace/configuration":
                    result = [None for _ in message["params"]["items"]]
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": result})
            elif "id" in message:
                self.pending.pop(message["id"]).set_result(message)
            elif message.get("method") == "$/progress":
                if message["params"]["value"].get("kind") == "end":
                    self.progress_ended.set()
            elif message.get("method") == "textDocument/publishDiagnostics":
                uri = message["params"]["uri"]
                self.published[uri] = time.perf_counter()
                self.events.setdefault(uri, asyncio.Event()).set()

    def _send(self, message: dict) -> None:
        body = json.dumps(message).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    async def request(self, method: str, params: dict) -> dict:
        self.next_id += 1
        future = asyncio.get_running_loop().create_future()
        self.pending[self.next_id] = future
        self._send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return await future

    def notify(self, method: str, params: dict) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    async def published_after(self, uri: str, t0: float) -> None:
        while self.published.get(uri, 0.0) < t0:
            event = self.events.setdefault(uri, asyncio.Event())
            event.clear()
            await event.wait()


async def measure(root: Path, saves: int) -> tuple[list[float], float, float]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "django_migration_lsp",
        "serve",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
        limit=64 * 1024 * 1024,
    )
    client = RpcClient(process)
    started = time.perf_counter()
    await client.request(
        "initialize",
        {
            "processId": os.getpid(),
            "rootUri": root.as_uri(),
            "workspaceFolders": [{"uri": root.as_uri(), "name": "synth"}],
            "capabilities": {
                "window": {"workDoneProgress": True},
                "workspace": {"configuration": True},
            },
        },
    )
    client.notify("initialized", {})
    apps = sorted(p.name for p in root.glob("app*") if p.is_dir())
    newest = {app: sorted((root / app / "migrations").glob("0*.py"))[-1] for app in apps}
    await client.progress_ended.wait()  # the initial workspace lint is over
    initial = time.perf_counter() - started
    timings = []
    for i in range(saves):
        path = newest[apps[i % len(apps)]]
        uri = path.as_uri()
        path.write_text(path.read_text() + f"\n# save {i}\n")
        t0 = time.perf_counter()
        client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
        await client.published_after(uri, t0)
        timings.append(time.perf_counter() - t0)
    rss = worker_rss_mb(root)
    await client.request("shutdown", {})
    client.notify("exit", {})
    await process.wait()
    client.reader.cancel()
    return timings, initial, rss


def reference_seconds(root: Path, app: str) -> float:
    env = dict(os.environ, SYNTH_WITH_REFERENCE="1")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", "lintmigrations", "--no-cache", "--include-apps", app],
        cwd=root,
        env=env,
        capture_output=True,
        check=False,
    )
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="10x20,40x50", help="APPSxMIGRATIONS_PER_APP, comma-separated"
    )
    parser.add_argument("--saves", type=int, default=20)
    parser.add_argument("--reference-max", type=int, default=600)
    args = parser.parse_args()
    rows = []
    for size in args.sizes.split(","):
        apps, per_app = (int(x) for x in size.split("x"))
        with tempfile.TemporaryDirectory(prefix="dmlsp-lsp-bench-") as tmp:
            root = Path(tmp) / "project"
            count = generate(root, apps, per_app)
            os.environ["XDG_CACHE_HOME"] = str(Path(tmp) / "cache")  # the server's result cache
            timings, initial, rss = asyncio.run(measure(root, args.saves))
            # the editor opened again on the project (the saved files changed since)
            _, reopen, _ = asyncio.run(measure(root, 0))
            reference = reference_seconds(root, "app000") if count <= args.reference_max else None
            timings.sort()
            p50 = statistics.median(timings)
            p95 = timings[max(round(0.95 * len(timings)) - 1, 0)]
            rows.append((count + 14, initial, reopen, p50, p95, reference, rss))
            print(f"{count} migrations: done", flush=True)
    print(f"\nLSP save latency, SQLite settings, {os.cpu_count()} CPUs, {args.saves} saves each")
    print(
        "migrations | initial lint s | reopened s | save p50 ms | save p95 ms"
        " | lintmigrations --include-apps s"
        " | p95/reference | worker RSS MB"
    )
    for count, initial, reopen, p50, p95, reference, rss in rows:
        ref = f"{reference:.2f}" if reference is not None else "(not run)"
        ratio = f"{p95 / reference:.3f}" if reference else "-"
        print(
            f"{count} | {initial:.1f} | {reopen:.1f} | {p50 * 1000:.0f} | {p95 * 1000:.0f}"
            f" | {ref} | {ratio} | {rss:.0f}"
        )


if __name__ == "__main__":
    main()
