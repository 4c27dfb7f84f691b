"""Benchmark: linting only new code vs the whole project, on a long git history.

    python benchmarks/new_code_benchmark.py [--apps 20] [--migrations 100]

Generates a synthetic project (benchmarks/generate_project.py; 20 x 100 = 2,000 migrations),
commits it on ``main``, then on a branch adds 2 new migrations (one risky). In this one run and
on this machine it times, each in a fresh process with no result cache:
  * CI: ``lint --new`` (new migrations only; the others are walked for their state, no SQL
    rendered, no rules run) next to ``lint --include-installed-apps`` (the whole-project lint
    every migration got before scopes existed);
  * editor: the worker the language server runs, from spawn to the whole-project lint's
    results, with ``scope = "new"`` (the default) and ``scope = "all"``.
Prints wall times and the ratios. Figures, not asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SERVER = HERE.parent / "server"
sys.path.insert(0, str(HERE))

from generate_project import generate  # noqa: E402

GIT = [
    "git",
    "-c",
    "user.email=b@example.com",
    "-c",
    "user.name=b",
    "-c",
    "init.defaultBranch=main",
]
NEW = {
    "0901_add_widget": """\
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("app000", "{last}")]
    operations = [
        migrations.CreateModel(
            name="Widget",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("price", models.IntegerField(null=True)),
            ],
        ),
    ]
""",
    "0902_drop_price": """\
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("app000", "0901_add_widget")]
    operations = [migrations.RemoveField(model_name="widget", name="price")]
""",
}


def make_history(project: Path, apps: int, per_app: int) -> int:
    total = generate(project, apps, per_app)
    (project / ".gitignore").write_text("__pycache__/\n*.sqlite3\n")
    for args in (
        ["init", "-q"],
        ["add", "-A"],
        ["commit", "-qm", "history"],
        ["checkout", "-qb", "feature"],
    ):
        subprocess.run([*GIT, *args], cwd=project, check=True)
    for name, source in NEW.items():
        path = project / "app000" / "migrations" / f"{name}.py"
        path.write_text(source.format(last=f"{per_app:04d}_auto"))
    return total + len(NEW)


def env() -> dict[str, str]:
    out = dict(os.environ, PYTHONPATH=str(SERVER))
    out.pop("DJANGO_SETTINGS_MODULE", None)
    return out


def time_cli(project: Path, *flags: str) -> tuple[float, int]:
    """Seconds of one ``lint`` and how many migrations it reported on."""
    started = time.perf_counter()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "django_migration_lsp",
            "lint",
            str(project),
            "--no-cache",
            "--format",
            "json",
            *flags,
        ],
        capture_output=True,
        text=True,
        env=env(),
    )
    elapsed = time.perf_counter() - started
    assert proc.returncode in (0, 1), proc.stderr
    return elapsed, len(json.loads(proc.stdout)["migrations"])


def time_worker(project: Path, scope: str) -> tuple[float, int]:
    """Seconds from spawning the editor's worker to its whole-project lint's results."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "django_migration_lsp.worker"],
        cwd=project,
        env=env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdin is not None and proc.stdout is not None
    options = {"scope": scope, "no_cache": True}
    requests = [
        {"id": 1, "method": "initialize", "params": {"root": str(project), "options": options}},
        {"id": 2, "method": "lint", "params": {"progress": False}},
    ]
    count = 0
    for request in requests:
        proc.stdin.write(json.dumps(request) + "\n")
        proc.stdin.flush()
        while True:
            message = json.loads(proc.stdout.readline())
            if message.get("id") == request["id"]:
                assert "result" in message, message
                count = len(message["result"].get("results", []))
                break
    elapsed = time.perf_counter() - started
    proc.stdin.write(json.dumps({"id": 3, "method": "shutdown"}) + "\n")
    proc.stdin.close()
    proc.wait(timeout=60)
    return elapsed, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", type=int, default=20)
    parser.add_argument("--migrations", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dmlsp-new-") as tmp:
        project = Path(tmp) / "project"
        total = make_history(project, args.apps, args.migrations)
        print(f"{total} migrations on disk, 2 of them new on the branch")
        new, new_count = time_cli(project, "--new")
        whole, whole_count = time_cli(project, "--include-installed-apps")
        print(f"CI  lint --new                    {new:7.2f} s  ({new_count} migrations reported)")
        print(f"CI  lint (whole project, before)  {whole:7.2f} s  ({whole_count} migrations)")
        print(f"CI  ratio whole / new             {whole / new:7.1f} x")
        scoped, scoped_count = time_worker(project, "new")
        full, full_count = time_worker(project, "all")
        print(f"editor scope=new: spawn -> results {scoped:6.2f} s  ({scoped_count} migrations)")
        print(f"editor scope=all: spawn -> results {full:6.2f} s  ({full_count} migrations)")
        print(f"editor ratio all / new            {full / scoped:7.1f} x")


if __name__ == "__main__":
    main()
