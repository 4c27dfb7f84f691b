"""Benchmark: our cold and warm `lint` against django-migration-linter's `lintmigrations`.

    python benchmarks/lint_benchmark.py [--sizes 10x10,10x20,20x25] [--vendor sqlite|postgresql]
                                        [--database-url postgresql://...] [--repeat 1]

For each size (apps x migrations per app) it generates a synthetic project
(benchmarks/generate_project.py), then times, in this one run and on this machine:
  * cold: `django-migration-lsp lint --no-cache` (a fresh process: Django setup, load, render all)
  * warm: `django-migration-lsp lint` twice with one cache directory; the second run is timed
  * reference: `manage.py lintmigrations --no-cache` of django-migration-linter (sqlmigrate per
    migration) on the same project, same database settings
and prints wall times, the ratios ours/reference, and each process's peak RSS (from
getrusage of a fresh wrapper process per measurement). Figures, not asserts: see README.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate_project import generate  # noqa: E402
from measure import measure  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10x10,10x20,20x25")
    parser.add_argument("--database-url", default="", help="postgresql://user@host:port/db")
    parser.add_argument("--skip-reference", action="store_true")
    args = parser.parse_args()
    python = sys.executable
    rows = []
    for size in args.sizes.split(","):
        apps, per_app = (int(x) for x in size.split("x"))
        with tempfile.TemporaryDirectory(prefix="dmlsp-bench-") as tmp:
            project = Path(tmp) / "project"
            count = generate(project, apps, per_app)
            env = dict(os.environ)
            env.pop("DJANGO_SETTINGS_MODULE", None)
            if args.database_url:
                env["SYNTH_DATABASE_URL"] = args.database_url
            cache = Path(tmp) / "cache"
            ours = [python, "-m", "django_migration_lsp", "lint", str(project), "--format", "json"]
            cold = measure([*ours, "--no-cache"], project, env)
            measure([*ours, "--cache-path", str(cache)], project, env)  # fills the cache
            warm = measure([*ours, "--cache-path", str(cache)], project, env)
            ref = None
            if not args.skip_reference:
                ref_env = dict(env, SYNTH_WITH_REFERENCE="1")
                ref = measure(
                    [
                        python,
                        "manage.py",
                        "lintmigrations",
                        "--no-cache",
                        "--ignore-sqlmigrate-errors",
                    ],
                    project,
                    ref_env,
                )
            rows.append((count + 14, cold, warm, ref))  # + contrib auth/contenttypes
            print(f"generated {count} migrations ({apps} apps x {per_app}): done", flush=True)
    vendor = "postgresql" if args.database_url else "sqlite"
    print(
        f"\nlint benchmark, vendor {vendor}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}"
    )
    header = (
        "migrations",
        "ours cold s",
        "ours warm s",
        "reference s",
        "cold/ref",
        "warm/ref",
        "ours RSS MB",
        "ref RSS MB",
    )
    print(" | ".join(header))
    for count, cold, warm, ref in rows:
        ref_s = ref["seconds"] if ref else float("nan")
        print(
            " | ".join(
                [
                    f"{count}",
                    f"{cold['seconds']:.2f}",
                    f"{warm['seconds']:.2f}",
                    f"{ref_s:.2f}",
                    f"{cold['seconds'] / ref_s:.3f}" if ref else "-",
                    f"{warm['seconds'] / ref_s:.3f}" if ref else "-",
                    f"{cold['rss_kb'] / 1024:.0f}",
                    f"{ref['rss_kb'] / 1024:.0f}" if ref else "-",
                ]
            )
        )
        for name, m in (("cold", cold), ("warm", warm), ("reference", ref)):
            if m and m["rc"] not in (0, 1):
                print(f"  {name} exited {m['rc']}: {m['stderr']}")


if __name__ == "__main__":
    main()
