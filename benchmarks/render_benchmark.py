"""Benchmark: a cold lint against the floor, Django's own ``setup()`` plus loading the graph.

    python benchmarks/render_benchmark.py [--apps 20] [--migrations 100] [--repeat 1]
                                          [--baseline CHECKOUT]

Generates the synthetic project (benchmarks/generate_project.py, default 20 apps x 100 = 2,000
migrations), then times in this one run, each in a fresh process:
  * floor: ``django.setup()`` + ``MigrationLoader(None)`` (reads every migration, builds the graph;
    no database) — what any tool that looks at migrations pays
  * cold lint: ``django-migration-lsp lint --no-cache --format json`` (setup, load, render every
    operation offline with the name-tracking catalogue, rules)
  * render only: the ``Renderer`` walking the whole plan in-process (after setup and load), and
    its share of the cold lint
and prints the wall times, the ratio cold lint / floor (goal: at most 3x), and the peak RSS.
``--baseline CHECKOUT`` (another checkout of this repository, e.g. ``git worktree add --detach
/tmp/base main``) also times its cold lint in the same rounds (its ``server/`` first on
``PYTHONPATH``, this interpreter), and prints the two side by side: on a loaded machine the CPU
seconds of one run drift by a third between rounds, so compare the minimum of several rounds.
Figures, not asserts.

Measured on the shared 2-core machine (``--repeat 3 --baseline`` a checkout of 9446566, minimum
of the rounds): floor 2.63 s, cold lint 7.57 s (2.88x: the goal of at most 3x is met),
9446566's 10.76 s (4.10x): 0.70x of its time; peak RSS 107 MB. What is left is mostly Django's
own work: building model classes (``ModelBase.__new__``) and SQLite's table rebuilds
(docs/internals.md).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate_project import generate  # noqa: E402
from measure import measure  # noqa: E402


def render_only(python: str, project: Path, env: dict[str, str], *flags: str) -> dict:
    out = subprocess.run(
        [python, "-c", RENDER_ONLY, *flags], cwd=project, env=env, capture_output=True, text=True
    )
    if out.returncode != 0:
        raise SystemExit(f"render-only run failed: {out.stderr[-2000:]}")
    return json.loads(out.stdout)


FLOOR = """
import os, sys, time
sys.path.insert(0, os.getcwd())
os.environ["DJANGO_SETTINGS_MODULE"] = "synth.settings"
import django
django.setup()
from django.db.migrations.loader import MigrationLoader
loader = MigrationLoader(None, ignore_no_migrations=True)
assert len(loader.graph.nodes) > 0
"""

RENDER_ONLY = """
import json, os, sys, time
sys.path.insert(0, os.getcwd())
from django_migration_lsp.django_side import loading
build_loader, load_disk_migrations = loading.build_loader, loading.load_disk_migrations
setup_django = loading.setup_django
from django_migration_lsp.django_side.render import Renderer, full_plan
t0 = time.process_time()
from pathlib import Path
setup_django(Path(os.getcwd()), "synth.settings")
loader = build_loader(load_disk_migrations())
t1 = time.process_time()
renderer = Renderer("default", loader.unmigrated_apps)
if "--untracked" in sys.argv:  # the same walk without the name-tracking catalogue
    from django.db.migrations.state import ProjectState
    state = ProjectState(real_apps=set())
else:
    state = renderer.initial_state()
ops = 0
for key in full_plan(loader.graph):
    ops += len(renderer.render_migration(loader.graph.nodes[key], state).operations)
t2 = time.process_time()
cpu = time.process_time()
print(json.dumps({"setup_load": t1 - t0, "render": t2 - t1, "operations": ops, "cpu": cpu}))
"""


def baseline_env(env: dict[str, str], checkout: Path | None) -> dict[str, str] | None:
    """The environment that runs ``checkout``'s package with this interpreter."""
    if checkout is None:
        return None
    server = checkout.resolve() / "server"
    if not (server / "django_migration_lsp").is_dir():
        raise SystemExit(f"--baseline {checkout}: no server/django_migration_lsp there")
    return {**env, "PYTHONPATH": os.pathsep.join([str(server), env.get("PYTHONPATH", "")])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", type=int, default=20)
    parser.add_argument("--migrations", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--baseline", type=Path, help="another checkout to time in the same run")
    args = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="dmlsp-render-bench-") as tmp:
        project = Path(tmp) / "project"
        count = generate(project, args.apps, args.migrations)
        env = dict(os.environ)
        env.pop("DJANGO_SETTINGS_MODULE", None)
        lint = [python, "-m", "django_migration_lsp", "lint", str(project), "--format", "json"]
        floors, colds, renders, untracked, baselines = [], [], [], [], []
        base_env = baseline_env(env, args.baseline)
        for _ in range(args.repeat):
            floors.append(measure([python, "-c", FLOOR], project, env))
            colds.append(measure([*lint, "--no-cache"], project, env))
            if base_env is not None:
                baselines.append(measure([*lint, "--no-cache"], project, base_env))
            renders.append(render_only(python, project, env))
            untracked.append(render_only(python, project, env, "--untracked"))
        floor = min(m["cpu"] for m in floors)
        cold = min(m["cpu"] for m in colds)
        render = min(r["render"] for r in renders)
        plain = min(r["render"] for r in untracked)
        print(f"project: {count} migrations, {renders[0]['operations']} operations")
        print("CPU seconds (user + system; the wall time depends on the machine's load):")
        print(f"  floor (django.setup + MigrationLoader): {floor:6.2f} s")
        print(
            f"  cold lint --no-cache:                   {cold:6.2f} s  "
            f"rss {max(m['rss_kb'] for m in colds) / 1024:.0f} MB  rc {colds[0]['rc']}"
        )
        print(f"  ratio cold lint / floor:                {cold / floor:6.2f}x  (goal <= 3x)")
        if baselines:
            base = min(m["cpu"] for m in baselines)
            print(
                f"  baseline's cold lint ({args.baseline}): {base:6.2f} s  "
                f"({base / floor:.2f}x the floor); this one takes {cold / base:.2f}x its time"
            )
        print("render only, in-process CPU seconds:")
        print(f"  with the name-tracking catalogue:       {render:6.2f} s")
        print(
            f"  without it (same walk, plain state):    {plain:6.2f} s  "
            f"(tracking costs {render / plain:.2f}x)"
        )


if __name__ == "__main__":
    main()
