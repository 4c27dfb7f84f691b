"""Registries reused across operations (``django_side.apps_reuse``) render exactly what fresh
ones render: every operation's statements, deferred SQL, notes, errors and facts, walking real
projects on disk (the synthetic one, whose migrations repeat the same models, and the parity
project: renames, constraints, M2M, SeparateDatabaseAndState) with reuse and without."""

from __future__ import annotations

from pathlib import Path

import pytest

from .render_walk import synthetic_project, walk

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    return synthetic_project(tmp_path_factory.mktemp("synthetic-reuse"))


@pytest.mark.parametrize(
    "env",
    [{}, {"SYNTH_DATABASE_URL": "postgres://u@offline/synth"}],
    ids=["sqlite", "postgresql"],
)
def test_synthetic_project_renders_the_same_with_reused_registries(synthetic: Path, env):
    reused = walk(synthetic, "synth.settings", env, reuse=True, incremental=True)
    fresh = walk(synthetic, "synth.settings", env, reuse=False, incremental=True)
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
    reused = walk(root, "paritysite.settings", env, reuse=True, incremental=True)
    fresh = walk(root, "paritysite.settings", env, reuse=False, incremental=True)
    assert reused["reused"] > 0
    assert reused["walk"] == fresh["walk"]
    assert not (tmp_path / "never-created.sqlite3").exists()
