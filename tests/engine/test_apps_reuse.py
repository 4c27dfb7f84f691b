"""Registries reused across operations (``django_side.apps_reuse``) render exactly what fresh
ones render: every operation's statements, deferred SQL, notes, errors and facts, walking real
projects on disk (the synthetic one, whose migrations repeat the same models, and the parity
project: renames, constraints, M2M, SeparateDatabaseAndState) with reuse and without."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

WALK = """
import json, os, sys
from pathlib import Path
sys.path.insert(0, os.getcwd())
from django_migration_lsp.django_side import loading
loading.setup_django(Path(os.getcwd()), sys.argv[1])
loader = loading.build_loader(loading.load_disk_migrations())
from django_migration_lsp.django_side.apps_reuse import AppsReuse
from django_migration_lsp.django_side.render import Renderer, full_plan
renderer = Renderer("default", loader.unmigrated_apps)
if sys.argv[2] == "fresh":
    renderer.apps_reuse = AppsReuse(keep=0)
state = renderer.initial_state()
out = []
def shown(op):
    return {"kind": op.kind, "statements": op.statements, "error": op.error, "notes": op.notes,
            "facts": op.facts, "subs": [shown(s) for s in op.sub_operations]}
for key in full_plan(loader.graph):
    result = renderer.render_migration(loader.graph.nodes[key], state)
    out.append({"key": list(key), "error": result.error, "ops": [shown(o) for o in result.operations],
                "deferred": sorted([list(k), v] for k, v in result.deferred.items())})
print(json.dumps({"reused": renderer.apps_reuse.reused, "walk": out}, default=str))
"""


def walk(root: Path, settings: str, mode: str, env: dict[str, str]) -> dict:
    full_env = {**os.environ, **env}
    full_env.pop("DJANGO_SETTINGS_MODULE", None)
    out = subprocess.run(
        [sys.executable, "-c", WALK, settings, mode],
        cwd=root,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate_project import generate

    root = tmp_path_factory.mktemp("synthetic-reuse")
    generate(root, apps=4, migrations=40)
    return root


@pytest.mark.parametrize(
    "env",
    [{}, {"SYNTH_DATABASE_URL": "postgres://u@offline/synth"}],
    ids=["sqlite", "postgresql"],
)
def test_synthetic_project_renders_the_same_with_reused_registries(synthetic: Path, env):
    reused = walk(synthetic, "synth.settings", "reuse", env)
    fresh = walk(synthetic, "synth.settings", "fresh", env)
    assert fresh["reused"] == 0
    assert reused["reused"] > 20  # the walk did reuse registries
    assert reused["walk"] == fresh["walk"]
    assert sum(len(m["ops"]) for m in fresh["walk"]) > 4 * 40


@pytest.mark.parametrize(
    "env",
    [{}, {"DJANGO_MIGRATION_LSP_TEST_DATABASE_URL": "postgres://u@offline/parity"}],
    ids=["sqlite", "postgresql"],
)
def test_parity_project_renders_the_same_with_reused_registries(tmp_path: Path, env):
    env = {**env, "DJANGO_MIGRATION_LSP_TEST_SQLITE": str(tmp_path / "never-created.sqlite3")}
    root = REPO / "tests/projects/parity"
    reused = walk(root, "paritysite.settings", "reuse", env)
    fresh = walk(root, "paritysite.settings", "fresh", env)
    assert reused["reused"] > 0
    assert reused["walk"] == fresh["walk"]
    assert not (tmp_path / "never-created.sqlite3").exists()
