"""Walk a real project's whole plan with the ``Renderer`` in a fresh process, with registry
reuse (``django_side.apps_reuse``) and incremental states (``django_side.incremental``) each on
or off, and return what every operation rendered (statements, deferred SQL, notes, errors,
facts) with the two counters: the tests compare the walks with and without each mechanism."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

WALK = """
import json, os, sys
from pathlib import Path
sys.path.insert(0, os.getcwd())
from django_migration_lsp.django_side import loading
loading.setup_django(Path(os.getcwd()), sys.argv[1])
loader = loading.build_loader(loading.load_disk_migrations())
from django_migration_lsp.django_side import incremental
from django_migration_lsp.django_side.apps_reuse import AppsReuse
from django_migration_lsp.django_side.render import Renderer, full_plan
if sys.argv[3] == "off":
    incremental.INCREMENTAL = frozenset()
plain = set(filter(None, os.environ.get("DMLSP_WALK_PLAIN", "").split(",")))
if "clones" in plain:  # every field cloned by Django's own Field.clone
    from django_migration_lsp.django_side import field_clones
    field_clones.FieldClones.stand_in = lambda self, field: field
if "reverse" in plain:  # every operation of NEEDS_REVERSE rendered with the models pointing at it
    from django_migration_lsp.django_side import render as render_module, subsetting
    render_module.needs_reverse = lambda op, *_: isinstance(op, subsetting.NEEDS_REVERSE)
renderer = Renderer("default", loader.unmigrated_apps)
if sys.argv[2] == "off":
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
print(json.dumps({"reused": renderer.apps_reuse.reused, "incremental": renderer.incremental,
                  "walk": out}, default=str))
"""


def walk(
    root: Path,
    settings: str,
    env: dict[str, str],
    *,
    reuse: bool,
    incremental: bool,
    plain: tuple[str, ...] = (),
) -> dict:
    """``plain``: shortcuts left out (``clones``: ``field_clones``; ``reverse``: the models
    pointing at an operation's models always rendered, ``subsetting.needs_reverse``)."""
    full_env = {**os.environ, **env, "DMLSP_WALK_PLAIN": ",".join(plain)}
    full_env.pop("DJANGO_SETTINGS_MODULE", None)
    flags = ["on" if reuse else "off", "on" if incremental else "off"]
    out = subprocess.run(
        [sys.executable, "-c", WALK, settings, *flags],
        cwd=root,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout)


def synthetic_project(root: Path) -> Path:
    """The benchmarks' synthetic project, 4 apps x 40 migrations, at ``root``."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate_project import generate

    generate(root, apps=4, migrations=40)
    return root
