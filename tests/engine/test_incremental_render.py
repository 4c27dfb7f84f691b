"""The state after an operation rendered from the registry before it
(``django_side.incremental``: only the models that changed, and those pointing at them,
rendered again) renders exactly what a fresh registry renders: every operation's statements,
deferred SQL, notes, errors and facts, walking real projects on disk (the synthetic one and
the parity project: renames, constraints, M2M, SeparateDatabaseAndState) both ways, on SQLite
and PostgreSQL settings (offline; no database is touched or created)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .render_walk import synthetic_project, walk

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    return synthetic_project(tmp_path_factory.mktemp("synthetic-incremental"))


@pytest.mark.parametrize(
    "env",
    [{}, {"SYNTH_DATABASE_URL": "postgres://u@offline/synth"}],
    ids=["sqlite", "postgresql"],
)
def test_synthetic_project_renders_the_same_incrementally(synthetic: Path, env):
    incremental = walk(synthetic, "synth.settings", env, reuse=False, incremental=True)
    fresh = walk(synthetic, "synth.settings", env, reuse=False, incremental=False)
    assert fresh["incremental"] == 0
    assert incremental["incremental"] > 40  # the walk did render states incrementally
    assert incremental["walk"] == fresh["walk"]
    assert sum(len(m["ops"]) for m in fresh["walk"]) > 4 * 40


@pytest.mark.parametrize(
    "env",
    [{}, {"DJANGO_MIGRATION_LSP_TEST_DATABASE_URL": "postgres://u@offline/parity"}],
    ids=["sqlite", "postgresql"],
)
def test_parity_project_renders_the_same_incrementally(tmp_path: Path, env):
    env = {**env, "DJANGO_MIGRATION_LSP_TEST_SQLITE": str(tmp_path / "never-created.sqlite3")}
    root = REPO / "tests/projects/parity"
    incremental = walk(root, "paritysite.settings", env, reuse=False, incremental=True)
    fresh = walk(root, "paritysite.settings", env, reuse=False, incremental=False)
    assert incremental["incremental"] > 0
    assert incremental["walk"] == fresh["walk"]
    assert not (tmp_path / "never-created.sqlite3").exists()


TO_RENDER = """
import json
import django
from django.conf import settings
settings.configure()
django.setup()
from django.db import models
from django.db.migrations.state import ModelState
from django_migration_lsp.django_side.incremental import to_render

def state(name, fields, bases=(models.Model,)):
    return ModelState("shop", name, fields, bases=bases)

def pk():
    return ("id", models.AutoField(primary_key=True))

book = state("Book", [pk()])
before = {
    ("shop", "author"): state("Author", [pk()]),
    ("shop", "tag"): state("Tag", [pk()]),
    ("shop", "book"): book,
    ("shop", "booktag"): state("BookTag", [
        pk(),
        ("book", models.ForeignKey("shop.Book", models.CASCADE)),
        ("tag", models.ForeignKey("shop.Tag", models.CASCADE)),
    ]),
    ("shop", "novel"): state("Novel", [], bases=("shop.book",)),
    ("shop", "review"): state("Review", [pk(), ("of", models.ForeignKey("shop.Novel", models.CASCADE))]),
}
changed_book = book.clone()
changed_book.fields["title"] = models.CharField(max_length=10)
after = {**before, ("shop", "book"): changed_book}
del after[("shop", "author")]
print(json.dumps({
    "changed": sorted(to_render(before, after)),
    "same": sorted(to_render(before, dict(before))),
}))
"""


def test_models_pointing_at_a_changed_model_are_rendered_again():
    out = subprocess.run(
        [sys.executable, "-c", TO_RENDER], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr[-3000:]
    found = json.loads(out.stdout)
    # the changed model, the model gone, and those pointing at the changed one, directly (a
    # field, a base) or through one rendered again; the others keep their classes
    assert found["changed"] == [
        ["shop", "author"],
        ["shop", "book"],
        ["shop", "booktag"],
        ["shop", "novel"],
        ["shop", "review"],
    ]
    assert found["same"] == []
