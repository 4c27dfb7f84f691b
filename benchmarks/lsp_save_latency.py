"""Benchmark: time from didSave to publishDiagnostics through a real LSP client.

    python benchmarks/lsp_save_latency.py [--sizes 10x20,40x50] [--saves 20] [--reference-max 600]

For each size (apps x migrations per app) a synthetic project is generated
(benchmarks/generate_project.py); the server is started over stdio with pytest-lsp's client, the
initial workspace lint is awaited, then the newest migration of an app (a different app each time)
is changed on disk and saved, ``--saves`` times; we time didSave -> publishDiagnostics for that file
(p50, p95). In the same run: django-migration-linter's ``lintmigrations --include-apps APP`` on the
same project (only for projects up to ``--reference-max`` migrations: it re-renders the graph per
migration and takes minutes beyond), and the worker's resident memory. Figures, not asserts.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pytest_lsp import ClientServerConfig, client_capabilities

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


async def measure(root: Path, saves: int) -> tuple[list[float], float, float]:
    config = ClientServerConfig(
        server_command=[sys.executable, "-m", "django_migration_lsp", "serve"]
    )
    client = await config.start(devtools=None)

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        return None

    started = time.perf_counter()
    await client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="synth")],
        )
    )
    apps = sorted(p.name for p in root.glob("app*") if p.is_dir())
    newest = {app: sorted((root / app / "migrations").glob("0*.py"))[-1] for app in apps}
    last_uri = newest[apps[-1]].as_uri()
    while last_uri not in client.diagnostics:  # the initial workspace lint reached the end
        await asyncio.sleep(0.05)
    initial = time.perf_counter() - started
    timings = []
    for i in range(saves):
        path = newest[apps[i % len(apps)]]
        uri = path.as_uri()
        path.write_text(path.read_text() + f"\n# save {i}\n")
        before = client.diagnostics.get(uri)
        t0 = time.perf_counter()
        client.text_document_did_save(
            types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )
        while client.diagnostics.get(uri) is before:
            await asyncio.sleep(0.001)
        timings.append(time.perf_counter() - t0)
    rss = worker_rss_mb(root)
    await client.shutdown_session()
    await client.stop()
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
    parser.add_argument("--sizes", default="10x20,40x50")
    parser.add_argument("--saves", type=int, default=20)
    parser.add_argument("--reference-max", type=int, default=600)
    args = parser.parse_args()
    rows = []
    for size in args.sizes.split(","):
        apps, per_app = (int(x) for x in size.split("x"))
        with tempfile.TemporaryDirectory(prefix="dmlsp-lsp-bench-") as tmp:
            root = Path(tmp) / "project"
            count = generate(root, apps, per_app)
            timings, initial, rss = asyncio.run(measure(root, args.saves))
            reference = reference_seconds(root, "app000") if count <= args.reference_max else None
            timings.sort()
            p50 = statistics.median(timings)
            p95 = timings[max(round(0.95 * len(timings)) - 1, 0)]
            rows.append((count + 14, initial, p50, p95, reference, rss))
            print(f"{count} migrations: done", flush=True)
    print(f"\nLSP save latency, SQLite settings, {os.cpu_count()} CPUs, {args.saves} saves each")
    print(
        "migrations | initial lint s | save p50 ms | save p95 ms | lintmigrations --include-apps s"
        " | p95/reference | worker RSS MB"
    )
    for count, initial, p50, p95, reference, rss in rows:
        ref = f"{reference:.2f}" if reference is not None else "(not run)"
        ratio = f"{p95 / reference:.3f}" if reference else "-"
        print(
            f"{count} | {initial:.1f} | {p50 * 1000:.0f} | {p95 * 1000:.0f} | {ref} | {ratio}"
            f" | {rss:.0f}"
        )


if __name__ == "__main__":
    main()
