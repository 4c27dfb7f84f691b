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
from django_migration_lsp.django_side.apps_reuse import content_parts
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
    "changed": sorted(to_render(content_parts(before), after)),
    "same": sorted(to_render(content_parts(before), dict(before))),
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


CHANGED_FROM = """
import json
import django
from django.conf import settings
settings.configure()
django.setup()
from django.db import models
from django.db.migrations.state import ModelState, ProjectState
from django_migration_lsp.django_side.apps_reuse import content_parts
from django_migration_lsp.django_side.incremental import changed_from

def state(name, fields):
    return ModelState("shop", name, [("id", models.AutoField(primary_key=True)), *fields])

tag, author = state("Tag", []), state("Author", [])
book = state("Book", [("tags", models.ManyToManyField("shop.Tag")),
                      ("by", models.ForeignKey("shop.Author", models.CASCADE))])
before = {("shop", "tag"): tag, ("shop", "author"): author, ("shop", "book"): book}
base = ProjectState(models=before, real_apps=set()).apps
# the next state has no Book (another subset), and an Author changed
new_author = author.clone()
new_author.fields["name"] = models.CharField(max_length=10)
after = {("shop", "tag"): tag, ("shop", "author"): new_author}

def tables(registry):
    return sorted(m._meta.db_table for m in registry.get_models(include_auto_created=True))

built = changed_from(base, content_parts(before), after)
fresh = ProjectState(models=dict(after), real_apps=set()).apps
print(json.dumps({
    "built": tables(built), "fresh": tables(fresh),
    "tag_kept": built.get_model("shop", "tag") is base.get_model("shop", "tag"),
    "author_new": built.get_model("shop", "author") is not base.get_model("shop", "author"),
    "author_fields": [f.name for f in built.get_model("shop", "author")._meta.local_fields],
    "base": tables(base),
}))
"""


def test_a_registry_built_from_another_has_the_models_of_a_fresh_render():
    # the state before an operation, built from the registry rendered last (another subset):
    # the models it lacks are dropped with the through tables they created
    out = subprocess.run(
        [sys.executable, "-c", CHANGED_FROM], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr[-3000:]
    found = json.loads(out.stdout)
    assert found["built"] == found["fresh"] == ["shop_author", "shop_tag"]
    assert found["tag_kept"] and found["author_new"]
    assert found["author_fields"] == ["id", "name"]
    assert found["base"] == ["shop_author", "shop_book", "shop_book_tags", "shop_tag"]


NEWEST = """
import json
import django
from django.conf import settings
settings.configure()
django.setup()
from django.db import models
from django.db.migrations.state import ModelState, ProjectState
from django_migration_lsp.django_side.apps_reuse import AppsReuse
from django_migration_lsp.django_side.incremental import changed_from

book = ModelState("shop", "Book", [("id", models.AutoField(primary_key=True))])
state = ProjectState(models={("shop", "book"): book}, real_apps=set())
reuse = AppsReuse()
key = reuse.attach(state)
rendered = state.apps
reuse.keep_rendered(key, state)
# as a state-only AddConstraint (SeparateDatabaseAndState) changes the running state: in place
check = models.CheckConstraint(name="positive", **{
    ("condition" if django.VERSION >= (5, 1) else "check"): models.Q(id__gt=0)})
book.options["constraints"] = [*book.options.get("constraints", []), check]
base = reuse.newest()
built = changed_from(base[0], base[1], {("shop", "book"): book})
print(json.dumps({
    "rendered_again": built.get_model("shop", "book") is not rendered.get_model("shop", "book"),
    "constraints": [c.name for c in built.get_model("shop", "book")._meta.constraints],
}))
"""


def test_the_registry_rendered_last_is_compared_as_it_was_rendered():
    # the running state's model states change in place (a state-only AddConstraint), so the
    # base of the next render remembers what its models were rendered from, not the objects:
    # a model changed since is rendered again, with the constraint
    out = subprocess.run(
        [sys.executable, "-c", NEWEST], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr[-3000:]
    found = json.loads(out.stdout)
    assert found == {"rendered_again": True, "constraints": ["positive"]}
