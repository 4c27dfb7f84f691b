"""Files edited on disk behind the worker's back (a `git checkout`, another editor) are what the
next whole-project lint reports, in the editor and in the CLI that shares the result cache."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .conftest import run_cli
from .test_worker import EXAMPLE, Worker

REMOVE_CREATED = '        migrations.RemoveField(model_name="order", name="created"),\n'


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    target = tmp_path / "shop"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def codes(results: list[dict], name: str) -> list[str]:
    (result,) = [r for r in results if (r["app"], r["name"]) == ("orders", name)]
    return sorted(f["code"] for f in result["findings"])


def cli_codes(shop: Path, cache: Path, name: str) -> list[str]:
    out = run_cli("lint", str(shop), "--format", "json", "--cache-path", str(cache), cwd=shop)
    assert out.code in (0, 1), out.stderr
    return sorted(f["code"] for f in out.migration("orders", name)["findings"])


def test_external_edit_reaches_the_worker_and_the_cli_with_the_shared_cache(shop, tmp_path):
    cache = tmp_path / "cache"
    path = shop / "orders" / "migrations" / "0011_order_priority.py"
    original = path.read_text()
    edited = original[: original.rindex("    ]")] + REMOVE_CREATED + "    ]\n"
    worker = Worker(shop)
    try:
        worker.request("initialize", root=str(shop), options={"cache_path": str(cache)})
        before = worker.request("lint")["result"]["results"]
        assert "DROP_COLUMN" not in codes(before, "0011_order_priority")

        path.write_text(edited)  # on disk, as a checkout would: the worker is not told which
        after = worker.request("lint")["result"]["results"]
        assert "DROP_COLUMN" in codes(after, "0011_order_priority")
        assert "DROP_COLUMN" in cli_codes(shop, cache, "0011_order_priority")

        path.write_text(original)  # the reverse edit takes the finding away again
        reverted = worker.request("lint")["result"]["results"]
        assert "DROP_COLUMN" not in codes(reverted, "0011_order_priority")
        assert "DROP_COLUMN" not in cli_codes(shop, cache, "0011_order_priority")
    finally:
        worker.close()


def test_a_circular_dependency_fixed_on_disk_is_no_longer_reported(shop, tmp_path):
    path = shop / "orders" / "migrations" / "0002_backfill_quantities.py"
    original = path.read_text()
    assert '("orders", "0001_initial")' in original
    cyclic = original.replace(
        '("orders", "0001_initial")',
        '("orders", "0001_initial"), ("orders", "0012_alter_order_status")',
    )
    path.write_text(cyclic)  # broken when the worker starts
    worker = Worker(shop)
    try:
        worker.request("initialize", root=str(shop), options={"no_cache": True})
        for _ in range(2):
            broken = worker.request("lint")["result"]["results"]
            (result,) = [r for r in broken if r["name"] == "0002_backfill_quantities"]
            assert result["status"] == "render_error" and "circular" in result["error"]

            path.write_text(original)  # fixed on disk
            fixed = worker.request("lint")["result"]["results"]
            assert all(r["status"] != "render_error" for r in fixed if r["app"] == "orders")
            path.write_text(cyclic)  # and broken again
    finally:
        worker.close()


USES_HELPER = """\
from django.db import migrations, models

from shop import sizes


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(
            name="Item",
            fields=[
                ("id", models.AutoField(primary_key=True)),
                ("name", models.CharField(max_length=sizes.NAME)),
            ],
        ),
    ]
"""


def test_a_project_module_a_migration_imports_is_reloaded_when_it_changes(project, tmp_path):
    """The migration is unchanged, the project module it takes a value from is edited on disk:
    the next whole-project lint renders the new value, and caches it under a new key."""
    root = project({"shop": {"0001_initial": USES_HELPER}})
    helper = root / "shop" / "sizes.py"
    helper.write_text("NAME = 50\n")
    worker = Worker(root)

    def sql() -> str:
        results = worker.request("lint")["result"]["results"]
        (result,) = [r for r in results if r["app"] == "shop"]
        return " ".join(result["operations"][0]["statements"])

    try:
        options = {"cache_path": str(tmp_path / "cache")}
        worker.request("initialize", root=str(root), options=options)
        assert "varchar(50)" in sql()
        helper.write_text("NAME = 120\n")
        assert "varchar(120)" in sql()
        helper.write_text("NAME = 50\n")
        assert "varchar(50)" in sql()
    finally:
        worker.close()
