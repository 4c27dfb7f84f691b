"""Each rewrite, on a real project and a real PostgreSQL: the rewritten migrations give the same
schema (names included) as the originals, the same project state (makemigrations sees no change),
go back to zero, rewrite to nothing the second time, and lint without the finding they answer."""

from __future__ import annotations

import json

import pytest

from .projects import SCENARIOS, cli, copy_scenario, manage, migration_files, schema

#: scenario -> (codes the original has and the rewrite removes, files the rewrite adds)
EXPECTED = {
    "add_index": ({"CREATE_INDEX"}, []),
    "remove_index": ({"DROP_INDEX"}, []),
    "db_index_add_field": ({"CREATE_INDEX"}, []),
    "db_index_alter_field": ({"CREATE_INDEX"}, []),
    "index_with_default": ({"CREATE_INDEX"}, ["0003_concurrent_indexes.py"]),
}


def lint_codes(project, url) -> set[str]:
    run = cli(project, url, "lint", ".", "shop", "--no-cache", "--format", "json")
    assert run.code in (0, 1), run.stderr
    return {
        f["code"]
        for m in json.loads(run.stdout)["migrations"]
        if m["name"] != "0001_initial"
        for f in m["findings"]
    }


def test_every_scenario_has_an_expectation():
    assert sorted(EXPECTED) == SCENARIOS


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_rewrite_is_equivalent_on_postgresql(scenario, tmp_path, postgres_server):
    codes, added = EXPECTED[scenario]
    original = copy_scenario(scenario, tmp_path / "original")
    rewritten = copy_scenario(scenario, tmp_path / "rewritten")
    db_a = postgres_server.create_database(f"fix_{scenario}_a")
    db_b = postgres_server.create_database(f"fix_{scenario}_b")
    url_a, url_b = postgres_server.url(db_a), postgres_server.url(db_b)
    assert codes <= lint_codes(original, url_a)
    before = migration_files(rewritten)
    name = next(n for n in before if n.startswith("0002"))[:-3]

    run = cli(rewritten, url_b, "fix", ".", "shop", name)
    assert run.code == 0, run.stderr
    after = migration_files(rewritten)
    assert after[f"{name}.py"] != before[f"{name}.py"]
    assert sorted(set(after) - set(before)) == added

    for project, url in ((original, url_a), (rewritten, url_b)):
        migrated = manage(project, url, "migrate", "shop")
        assert migrated.code == 0, migrated.stderr
    assert schema(postgres_server, db_a) == schema(postgres_server, db_b)

    check = manage(rewritten, url_b, "makemigrations", "--check", "--dry-run", "shop")
    assert check.code == 0, check.stdout + check.stderr
    assert not codes & lint_codes(rewritten, url_b)

    again = cli(rewritten, url_b, "fix", ".", "shop", name)
    assert again.code == 0, again.stderr
    assert "nothing to rewrite" in again.stdout
    assert migration_files(rewritten) == after

    back = manage(rewritten, url_b, "migrate", "shop", "zero")
    assert back.code == 0, back.stderr
    tables = postgres_server.query(
        db_b, "SELECT tablename FROM pg_tables WHERE tablename LIKE 'shop_%'"
    )
    assert tables == []
