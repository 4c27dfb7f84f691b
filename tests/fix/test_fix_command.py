"""The ``fix`` command's contract: --dry-run writes nothing and prints the diff, JSON output,
and clear errors (exit 2) for what it cannot do. Rendering is offline: no server is needed."""

from __future__ import annotations

import json

from .projects import cli, copy_scenario, migration_files

NO_SERVER = "postgresql://nobody@127.0.0.1:1/none"


def test_dry_run_prints_the_diff_of_both_files_and_writes_nothing(tmp_path):
    project = copy_scenario("index_with_default", tmp_path / "p")
    before = migration_files(project)
    run = cli(project, NO_SERVER, "fix", ".", "shop", "0002", "--dry-run")
    assert run.code == 0, run.stderr
    assert migration_files(project) == before
    assert "--- a/shop/migrations/0002_stock.py" in run.stdout
    assert "-        migrations.AddIndex(" in run.stdout
    assert "+++ b/shop/migrations/0003_concurrent_indexes.py" in run.stdout
    assert "+        AddIndexConcurrently(" in run.stdout
    assert "would create shop/migrations/0003_concurrent_indexes.py" in run.stderr


def test_json_lists_what_was_rewritten_and_the_files(tmp_path):
    project = copy_scenario("add_index", tmp_path / "p")
    run = cli(project, NO_SERVER, "fix", ".", "shop", "0002_item_name_idx", "--format", "json")
    assert run.code == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["changed"] is True and data["written"] is True
    assert data["rewritten"] == [
        {
            "code": "CREATE_INDEX",
            "operation_index": 0,
            "title": "build the index concurrently (AddIndexConcurrently)",
            "where": "in place",
        }
    ]
    [changed] = data["files"]
    assert changed["path"] == "shop/migrations/0002_item_name_idx.py"
    assert changed["action"] == "modify"
    assert changed["text"] == migration_files(project)["0002_item_name_idx.py"]


def test_an_unknown_migration_is_a_usage_error_naming_it(tmp_path):
    project = copy_scenario("add_index", tmp_path / "p")
    run = cli(project, NO_SERVER, "fix", ".", "shop", "0009")
    assert run.code == 2
    assert "app 'shop' has no migration '0009'" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_code_without_rewrite_is_a_usage_error(tmp_path):
    project = copy_scenario("add_index", tmp_path / "p")
    run = cli(project, NO_SERVER, "fix", ".", "shop", "0002", "--code", "RUNSQL_REVERSIBLE")
    assert run.code == 2
    assert "no rewrite for RUNSQL_REVERSIBLE" in run.stderr
