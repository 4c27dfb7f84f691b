"""The render's shortcuts change nothing that is rendered: walking real projects on disk (the
synthetic one and the parity project: renames, a primary key turned bigint with foreign keys
pointing at it, M2M, SeparateDatabaseAndState) on SQLite, PostgreSQL and MySQL settings
(offline), every operation's statements, deferred SQL, notes, errors and facts are the same
with each shortcut left out:

* ``reverse``: a field operation rendered with the models pointing at its model only when one
  points at the field (``subsetting.needs_reverse``), which lets it share classes with the
  state before it (``incremental``);
* ``clones``: fields cloned from remembered deconstructions (``field_clones``).

And ``needs_reverse`` itself answers as Django's schema editors read the models pointing at a
field: on a unique field (a primary key is) that a relation names, or a many-to-many."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from .render_walk import synthetic_project, walk

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    return synthetic_project(tmp_path_factory.mktemp("synthetic-shortcuts"))


@pytest.mark.parametrize(
    "env",
    [{}, {"SYNTH_DATABASE_URL": "postgres://u@offline/synth"}],
    ids=["sqlite", "postgresql"],
)
def test_synthetic_project_renders_the_same_without_the_shortcuts(synthetic: Path, env):
    fast = walk(synthetic, "synth.settings", env, reuse=True, incremental=True)
    plain = walk(
        synthetic, "synth.settings", env, reuse=True, incremental=True, plain=("reverse", "clones")
    )
    assert fast["incremental"] > plain["incremental"]  # the shortcut did render incrementally
    assert fast["walk"] == plain["walk"]
    assert sum(len(m["ops"]) for m in fast["walk"]) > 4 * 40


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"DJANGO_MIGRATION_LSP_TEST_DATABASE_URL": "postgres://u@offline/parity"},
        pytest.param(
            {
                "DJANGO_MIGRATION_LSP_TEST_DATABASE_URL": "mysql://offline/parity",
                "PARITY_PYMYSQL": "1",
            },
            marks=pytest.mark.skipif(
                importlib.util.find_spec("pymysql") is None,
                reason="PyMySQL is not installed (the Django matrix has no MySQL driver)",
            ),
        ),
    ],
    ids=["sqlite", "postgresql", "mysql"],
)
@pytest.mark.parametrize("shortcut", ["reverse", "clones"])
def test_parity_project_renders_the_same_without_each_shortcut(tmp_path: Path, env, shortcut):
    env = {**env, "DJANGO_MIGRATION_LSP_TEST_SQLITE": str(tmp_path / "never-created.sqlite3")}
    root = REPO / "tests/projects/parity"
    fast = walk(root, "paritysite.settings", env, reuse=True, incremental=True)
    plain = walk(root, "paritysite.settings", env, reuse=True, incremental=True, plain=(shortcut,))
    assert fast["walk"] == plain["walk"]
    assert not (tmp_path / "never-created.sqlite3").exists()


NEEDS_REVERSE = """
import json
import django
from django.conf import settings
settings.configure()
django.setup()
from django.db import models
from django.db.migrations import operations as ops
from django.db.migrations.state import ModelState, ProjectState
from django_migration_lsp.django_side.subsetting import ModelSubsetter, needs_reverse

def pk():
    return ("id", models.AutoField(primary_key=True))

state = ProjectState(real_apps=set())
for model_state in [
    ModelState("shop", "Group", [pk(), ("code", models.CharField(max_length=5, unique=True)),
                                 ("slug", models.SlugField(unique=True)), ("title", models.TextField())]),
    ModelState("shop", "Item", [pk(), ("group", models.ForeignKey("shop.Group", models.CASCADE)),
                                ("by_code", models.ForeignKey("shop.Group", models.CASCADE,
                                                              to_field="code", related_name="+"))]),
    ModelState("shop", "Lonely", [pk(), ("tags", models.ManyToManyField("shop.Item"))]),
]:
    state.add_model(model_state)
referrers = ModelSubsetter({}).pointing_at
big = models.BigAutoField(primary_key=True)
cases = {
    "title altered": ops.AlterField("group", "title", models.TextField(null=True)),
    "title renamed": ops.RenameField("group", "title", "heading"),
    "title removed": ops.RemoveField("group", "title"),
    "pk altered (pointed at)": ops.AlterField("group", "id", big),
    "pk altered (nobody points)": ops.AlterField("lonely", "id", big),
    "pk altered (an m2m points)": ops.AlterField("item", "id", big),
    "to_field target altered": ops.AlterField("group", "code", models.CharField(max_length=9, unique=True)),
    "unique nobody names": ops.AlterField("group", "slug", models.SlugField(max_length=80, unique=True)),
    "becomes the pk": ops.AlterField("group", "title", models.TextField(primary_key=True)),
    "m2m": ops.AlterField("lonely", "tags", models.ManyToManyField("shop.Item", blank=True)),
    "unknown field": ops.AlterField("group", "missing", models.TextField()),
    "model deleted": ops.DeleteModel("Group"),
}
print(json.dumps({name: needs_reverse(op, "shop", state, referrers) for name, op in cases.items()}))
"""


def test_needs_reverse_where_the_editor_reads_the_models_pointing_at_the_field():
    out = subprocess.run(
        [sys.executable, "-c", NEEDS_REVERSE], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert json.loads(out.stdout) == {
        "title altered": False,
        "title renamed": False,
        "title removed": False,
        "pk altered (pointed at)": True,  # the foreign keys' columns change type with it
        "pk altered (nobody points)": False,
        "pk altered (an m2m points)": True,
        "to_field target altered": True,
        "unique nobody names": False,
        "becomes the pk": True,  # Item.group points at the primary key, whichever it is
        "m2m": True,
        "unknown field": True,
        "model deleted": True,
    }
