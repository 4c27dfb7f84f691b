"""Each rewrite, on a real project and a real PostgreSQL: the rewritten migrations give the same
schema (names included) as the originals, the same project state (makemigrations sees no change),
go back to zero, rewrite to nothing the second time, and lint without the finding they answer."""

from __future__ import annotations

import json

import django
import pytest

from .projects import SCENARIOS, cli, copy_scenario, manage, migration_files, schema

INDEX = {"CREATE_INDEX", "CREATE_INDEX_EXCLUSIVE"}
#: codes no rewritten migration may have (the safe forms' own hazards)
NEVER_AFTER = {"CONCURRENTLY_IN_TRANSACTION", "VALIDATE_IN_TRANSACTION"}
#: what a rewritten removal may not be reported for (the finding and the locks of its steps)
LOCK_CODES = {"DROP_COLUMN", "LOCK_TIMEOUT", "NOT_NULL_SCAN", "ADD_FOREIGN_KEY"}
#: scenario -> (codes lint reports on the original, codes it must not report on the rewritten
#: migrations, files the rewrite adds). ADD_UNIQUE stays: old code may still write duplicates.
EXPECTED = {
    "add_index": ({"CREATE_INDEX"}, INDEX, []),
    "remove_index": ({"DROP_INDEX"}, {"DROP_INDEX"}, []),
    "db_index_add_field": ({"CREATE_INDEX"}, INDEX, []),
    "db_index_alter_field": ({"CREATE_INDEX"}, INDEX, []),
    "index_with_default": ({"CREATE_INDEX"}, INDEX, ["0003_concurrent_indexes.py"]),
    "add_check": (set(), {"ADD_CHECK"}, ["0003_validate_constraints.py"]),
    "add_unique_constraint": ({"ADD_UNIQUE"}, INDEX, []),
    "unique_alter_field": ({"ADD_UNIQUE"} | INDEX, INDEX, []),
    "add_foreign_key": (INDEX, INDEX | {"ADD_FOREIGN_KEY"}, ["0003_validate_constraints.py"]),
    "set_not_null": ({"NOT_NULL"}, {"NOT_NULL_SCAN"}, ["0003_set_not_null.py"]),
    "lock_timeout": (set(), {"LOCK_TIMEOUT"}, []),
    "add_index_together": ({"CREATE_INDEX"}, INDEX, []),
    "alter_foreign_key": (
        {"ADD_FOREIGN_KEY"},
        {"ADD_FOREIGN_KEY"},
        ["0003_validate_constraints.py"],
    ),
}
#: scenarios whose models.py cannot say what the migrations do: Django 5.1 removed
#: Meta.index_together, so makemigrations proposes the same change to the original as to the
#: rewritten project (the state the rewrite keeps is the original's)
SAME_CHANGES_AS_ORIGINAL = {"add_index_together"}


def assert_state_as_original(scenario: str, original: tuple, rewritten: tuple) -> None:
    """makemigrations sees no change in the rewritten (project, url), or, where models.py
    cannot say what the migrations do, the same change as in the original."""
    if scenario in SAME_CHANGES_AS_ORIGINAL:
        proposed = [
            manage(*one, "makemigrations", "--dry-run", "shop") for one in (original, rewritten)
        ]
        assert proposed[0].code == proposed[1].code == 0
        assert proposed[0].stdout == proposed[1].stdout
        return
    check = manage(*rewritten, "makemigrations", "--check", "--dry-run", "shop")
    assert check.code == 0, check.stdout + check.stderr


def lint_codes(project, url) -> set[str]:
    run = cli(project, url, "lint", ".", "shop", "--no-cache", "--format", "json")
    assert run.code in (0, 1), run.stderr
    return {
        f["code"]
        for m in json.loads(run.stdout)["migrations"]
        if m["name"] != "0001_initial"
        for f in m["findings"]
    }


#: scenarios whose rewrite leaves a step for the next release (tested on their own)
TWO_RELEASES = [
    "add_field_default",
    "delete_model",
    "remove_field",
    "remove_foreign_key",
    "remove_many_to_many",
]


def test_every_scenario_has_an_expectation():
    assert sorted([*EXPECTED, *TWO_RELEASES]) == SCENARIOS


@pytest.mark.parametrize("scenario", sorted(EXPECTED))
def test_rewrite_is_equivalent_on_postgresql(scenario, tmp_path, postgres_server):
    codes, gone, added = EXPECTED[scenario]
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

    assert_state_as_original(scenario, (original, url_a), (rewritten, url_b))
    assert not (gone | NEVER_AFTER) & lint_codes(rewritten, url_b)

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


def test_the_lock_timeout_makes_a_blocked_migration_fail_instead_of_queueing(
    tmp_path, postgres_server
):
    """A long transaction holds a lock on the table: the rewritten migration gives up after
    the timeout (the original would wait behind it, and every query on the table behind that)."""
    import psycopg

    project = copy_scenario("lock_timeout", tmp_path / "p")
    db = postgres_server.create_database("fix_lock_timeout_blocked")
    url = postgres_server.url(db)
    assert manage(project, url, "migrate", "shop", "0001").code == 0
    assert cli(project, url, "fix", ".", "shop", "0002").code == 0
    with psycopg.connect(postgres_server.dsn(db)) as holder:
        holder.execute("LOCK TABLE shop_item IN ACCESS SHARE MODE")
        blocked = manage(project, url, "migrate", "shop")
    assert blocked.code != 0
    assert "canceling statement due to lock timeout" in blocked.stderr


def codes_of(project, url, name) -> set[str]:
    """The codes lint reports on one migration."""
    run = cli(project, url, "lint", ".", "shop", "--no-cache", "--format", "json")
    assert run.code in (0, 1), run.stderr
    return {
        f["code"]
        for m in json.loads(run.stdout)["migrations"]
        if m["name"] == name
        for f in m["findings"]
    }


#: two-release scenario -> (the migration rewritten, the next release's migration it writes, the
#: code lint reports on the original and not on the rewritten one)
TWO_RELEASE = {
    "remove_field": ("0002_remove_item_name", "0003_drop_shop_item_name", "DROP_COLUMN"),
    "remove_foreign_key": ("0003_remove_item_tag", "0004_drop_shop_item_tag_id", "DROP_COLUMN"),
    "add_field_default": ("0002_item_stock", "0003_contract", "NOT_NULL"),
    "delete_model": ("0003_delete_tag", "0004_contract", "DROP_TABLE"),
    "remove_many_to_many": ("0003_remove_item_tags", "0004_drop_shop_item_tags", "DROP_TABLE"),
}
#: scenario -> (table, column) nullable meanwhile
KEPT = {"remove_field": ("shop_item", "name"), "remove_foreign_key": ("shop_item", "tag_id")}
#: scenario -> a row the new code inserts, without the column kept nullable
NEW_CODE_ROW = {
    "remove_field": "INSERT INTO shop_item (code) VALUES ('new code')",
    "remove_foreign_key": "INSERT INTO shop_item (name) VALUES ('new code')",
}
#: scenario -> the column's indexes after the contract step is reversed (as this release had)
INDEXES_BACK = {"remove_field": 0, "remove_foreign_key": 1}


@pytest.mark.parametrize("scenario", sorted(TWO_RELEASE))
def test_a_two_release_rewrite_ends_where_the_original_did(scenario, tmp_path, postgres_server):
    name, later_name, code = TWO_RELEASE[scenario]
    if scenario == "add_field_default" and django.VERSION < (5, 0):
        pytest.skip("db_default came in Django 5.0: fix says why it leaves the AddField")
    original = copy_scenario(scenario, tmp_path / "original")
    rewritten = copy_scenario(scenario, tmp_path / "rewritten")
    db_a = postgres_server.create_database(f"fix_{scenario}_a")
    db_b = postgres_server.create_database(f"fix_{scenario}_b")
    url_a, url_b = postgres_server.url(db_a), postgres_server.url(db_b)
    assert code in codes_of(original, url_a, name)
    assert cli(rewritten, url_b, "fix", ".", "shop", name).code == 0
    later = rewritten / f"shop/migrations/next_release/{later_name}.py"
    assert later.exists()

    # this release: the old code keeps working on the rewritten database
    assert manage(original, url_a, "migrate", "shop").code == 0
    assert manage(rewritten, url_b, "migrate", "shop").code == 0
    if scenario in KEPT:
        table, kept = KEPT[scenario]
        column = f"SELECT is_nullable FROM information_schema.columns WHERE table_name = '{table}' AND column_name = '{kept}'"
        assert postgres_server.query(db_b, column) == [("YES",)]
    assert_state_as_original(scenario, (original, url_a), (rewritten, url_b))
    assert not (LOCK_CODES | {code, "NOT_NULL"}) & codes_of(rewritten, url_b, name)
    again = cli(rewritten, url_b, "fix", ".", "shop", name)
    assert "nothing to rewrite" in again.stdout and not again.stderr.strip()
    if scenario == "remove_foreign_key":
        new_code_deletes_what_the_column_points_at(postgres_server, db_b)
    if scenario == "add_field_default":
        old_code_inserts_without_the_columns(postgres_server, db_a, db_b)
    if scenario in OLD_ROWS:
        new_code_deletes_what_old_rows_point_at(postgres_server, db_b, scenario)

    # next release: the contract step; the schema is the original's
    later.rename(rewritten / "shop/migrations" / later.name)
    assert manage(rewritten, url_b, "migrate", "shop").code == 0
    assert schema(postgres_server, db_a) == schema(postgres_server, db_b)
    assert_state_as_original(scenario, (original, url_a), (rewritten, url_b))

    # back: the contract step gives back what this release had, then to zero
    assert manage(rewritten, url_b, "migrate", "shop", name[:4]).code == 0
    if scenario in INDEXES_BACK:
        indexes = postgres_server.query(
            db_b,
            f"SELECT count(*) FROM pg_indexes WHERE tablename = '{table}' AND indexdef LIKE '%({kept})%'",
        )
        assert indexes == [(INDEXES_BACK[scenario],)]
    if scenario == "add_field_default":
        old_code_inserts_without_the_columns(postgres_server, None, db_b)
    if scenario in KEPT:  # the new code inserted rows without the column meanwhile
        postgres_server.execute(db_b, NEW_CODE_ROW[scenario])
    # unapplying this release too gives the schema unapplying the original gives (a column kept
    # nullable stays so: its NULL rows would fail a SET NOT NULL in the rollback)
    previous = f"{int(name[:4]) - 1:04d}"
    assert manage(original, url_a, "migrate", "shop", previous).code == 0
    assert manage(rewritten, url_b, "migrate", "shop", previous).code == 0
    if scenario in KEPT:
        assert postgres_server.query(db_b, column) == [("YES",)]
        postgres_server.execute(
            db_b,
            f"DELETE FROM {table} WHERE {kept} IS NULL; "
            f"ALTER TABLE {table} ALTER COLUMN {kept} SET NOT NULL",
        )
    assert schema(postgres_server, db_a) == schema(postgres_server, db_b)
    back = manage(rewritten, url_b, "migrate", "shop", "zero")
    assert back.code == 0, back.stderr


#: scenario -> what the old code writes into the tables the new code no longer knows
OLD_ROWS = {
    "delete_model": ["INSERT INTO shop_tag (label, item_id) VALUES ('old code', %(item)s)"],
    "remove_many_to_many": [
        "INSERT INTO shop_tag (id, label) VALUES (7, 'old code')",
        "INSERT INTO shop_item_tags (item_id, tag_id) VALUES (%(item)s, 7)",
    ],
}


def new_code_deletes_what_old_rows_point_at(server, db, scenario) -> None:
    """The old code writes rows into the tables kept for it; the new code, which no longer knows
    them, deletes the item (and the tag) they point at: with their constraints still there, the
    deletes would fail."""
    import psycopg

    with psycopg.connect(server.dsn(db), autocommit=True) as conn:
        item = conn.execute("INSERT INTO shop_item (name) VALUES ('i') RETURNING id").fetchone()[0]
        for statement in OLD_ROWS[scenario]:
            conn.execute(statement, {"item": item})
        conn.execute("DELETE FROM shop_item WHERE id = %s", (item,))
        if scenario == "remove_many_to_many":
            conn.execute("DELETE FROM shop_tag WHERE id = 7")
            conn.execute("DELETE FROM shop_item_tags")
        else:
            conn.execute("DELETE FROM shop_tag")


def old_code_inserts_without_the_columns(server, original, rewritten) -> None:
    """The old code does not know the new columns: its insert works on the rewritten database
    (they have a database default) and fails on the original one."""
    import psycopg

    insert = "INSERT INTO shop_item (name) VALUES ('old code') RETURNING stock, label"
    with psycopg.connect(server.dsn(rewritten), autocommit=True) as conn:
        assert conn.execute(insert).fetchone() == (0, "it's new")
        conn.execute("DELETE FROM shop_item")
    if original is not None:
        with (
            psycopg.connect(server.dsn(original), autocommit=True) as conn,
            pytest.raises(psycopg.errors.NotNullViolation),
        ):
            conn.execute(insert)


def new_code_deletes_what_the_column_points_at(server, db) -> None:
    """The new code inserts items without the column and deletes the tag an old row points at
    (it no longer knows the relation): with the constraint still there, the delete would fail."""
    import psycopg

    with psycopg.connect(server.dsn(db), autocommit=True) as conn:
        tag = conn.execute("INSERT INTO shop_tag (label) VALUES ('t') RETURNING id").fetchone()[0]
        conn.execute(
            "INSERT INTO shop_item (name, tag_id) VALUES ('old code', %s), ('new code', NULL)",
            (tag,),
        )
        conn.execute("DELETE FROM shop_tag WHERE id = %s", (tag,))
        conn.execute("DELETE FROM shop_item")
