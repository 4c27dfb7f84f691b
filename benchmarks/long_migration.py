"""Benchmark: one migration with many operations on one model (issue 10 item 8).

    python benchmarks/long_migration.py [--sizes 500,1000,2000] [--vendor postgresql|sqlite]

For each size N it writes a project whose app has a CreateModel migration, then one migration
of N ``AddField``s on that model, and times, in a fresh process each, the in-process render of
that one migration (``LintSession``: Django set up and the graph loaded first, not timed). It
prints seconds, milliseconds per operation, and each size's per-operation cost relative to the
smallest size in this run (1.0 everywhere = linear; growing with N = worse than linear).
Figures, not asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

SERVER = Path(__file__).resolve().parents[1] / "server"

SETTINGS = """\
SECRET_KEY = "bench"
USE_TZ = True
INSTALLED_APPS = ["wide"]
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
DATABASES = {{"default": {database}}}
"""
DATABASES = {
    "postgresql": '{"ENGINE": "django.db.backends.postgresql", "NAME": "bench"}',
    "sqlite": '{"ENGINE": "django.db.backends.sqlite3", "NAME": "/nonexistent/bench.sqlite3"}',
}
INITIAL = """\
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    operations = [
        migrations.CreateModel("Wide", [("id", models.AutoField(primary_key=True))]),
    ]
"""

MEASURE = textwrap.dedent(
    """
    import json, os, sys, time
    from pathlib import Path
    from django_migration_lsp.config import LintOptions
    from django_migration_lsp.engine import LintSession
    root = Path(sys.argv[1])
    os.chdir(root)
    session = LintSession(root, LintOptions.from_dict({"no_cache": True}))
    session.load()
    started = time.perf_counter()
    run = session.lint_loaded(keys=[("wide", "0002_many")])
    seconds = time.perf_counter() - started
    (result,) = run.results
    print(json.dumps({"seconds": seconds, "operations": len(result.operations),
                      "status": result.status}))
    """
)


def write_project(root: Path, size: int, vendor: str) -> None:
    (root / "benchsite").mkdir(parents=True)
    (root / "benchsite" / "__init__.py").write_text("")
    (root / "benchsite" / "settings.py").write_text(SETTINGS.format(database=DATABASES[vendor]))
    migrations = root / "wide" / "migrations"
    migrations.mkdir(parents=True)
    for path in (root / "wide" / "__init__.py", migrations / "__init__.py"):
        path.write_text("")
    (root / "wide" / "models.py").write_text("")
    (migrations / "0001_initial.py").write_text(INITIAL)
    fields = "".join(
        f'        migrations.AddField("wide", "f{i}", models.IntegerField(null=True)),\n'
        for i in range(size)
    )
    (migrations / "0002_many.py").write_text(
        "from django.db import migrations, models\n\n\n"
        "class Migration(migrations.Migration):\n"
        '    dependencies = [("wide", "0001_initial")]\n'
        f"    operations = [\n{fields}    ]\n"
    )


def measure(size: int, vendor: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_project(root, size, vendor)
        env = dict(os.environ, PYTHONPATH=str(SERVER), DJANGO_SETTINGS_MODULE="benchsite.settings")
        out = subprocess.run(
            [sys.executable, "-c", MEASURE, str(root)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="500,1000,2000")
    parser.add_argument("--vendor", default="postgresql", choices=sorted(DATABASES))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    base: float | None = None
    print(f"one migration of N AddFields on one model, vendor {args.vendor}")
    print(f"{'N':>6} {'seconds':>9} {'ms/op':>8} {'per-op cost vs N=' + str(sizes[0]):>22}")
    for size in sizes:
        figures = measure(size, args.vendor)
        assert figures["operations"] == size, figures
        per_op = figures["seconds"] / size
        base = base or per_op
        print(f"{size:>6} {figures['seconds']:>9.2f} {per_op * 1000:>8.2f} {per_op / base:>22.2f}")


if __name__ == "__main__":
    main()
