"""Oracle: the verdicts with ``oracledb`` installed are never worse than facts-only ones without.

Without the driver the backend cannot load and the rules run on the operations' facts; with it
the SQL renders offline (no server) and the facts decide too. The same project is linted both
ways (the driver made unimportable, as ``test_django_alone`` hides the editor libraries): every
finding of the facts-only run is found with the driver, nothing fails to render, and the only
findings the driver drops are unique constraints Django's Oracle schema editor never creates.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import django
import pytest

from django_migration_lsp.findings import RenderedOperation
from django_migration_lsp.rules.run import lint_operations

from .conftest import INITIAL, run_cli

needs_oracledb = pytest.mark.skipif(
    importlib.util.find_spec("oracledb") is None or django.VERSION < (5, 0),
    reason="oracledb is not installed, or Django < 5.0 (whose Oracle backend needs cx_Oracle)",
)

ORACLE_SETTINGS = """
DATABASES = {"default": {"ENGINE": "django.db.backends.oracle", "NAME": "orcl",
                         "HOST": "127.0.0.1", "PORT": "9", "USER": "u", "PASSWORD": "p"}}
"""

HEAD = "from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n"
OPERATIONS = {
    "0002_tighten": 'migrations.AlterField("item", "price", models.IntegerField())',
    "0003_lengthen": 'migrations.AlterField("item", "name", models.CharField(max_length=60))',
    "0004_box": (
        'migrations.CreateModel("Box", [("id", models.AutoField(primary_key=True))]), '
        'migrations.AddField("item", "box", models.ForeignKey("shop.box", models.CASCADE, '
        "null=True))"
    ),
    "0005_order": 'migrations.AlterOrderWithRespectTo("item", "box")',
    "0006_stock": 'migrations.AddField("item", "stock", models.IntegerField(default=0))',
    "0007_partial": (
        'migrations.AddConstraint("item", models.UniqueConstraint(fields=["name"], '
        'condition=models.Q(price__gt=0), name="uniq_partial"))'
    ),
    "0008_plain": (
        'migrations.AddConstraint("item", models.UniqueConstraint(fields=["name"], '
        'name="uniq_plain"))'
    ),
    "0009_drop": 'migrations.RemoveField("item", "stock")',
    "0010_rename": 'migrations.RenameField("item", "price", "cost")',
}
#: Django's Oracle backend has no partial indexes: it runs no SQL for this constraint
NEVER_CREATED = {("0007_partial", "ADD_UNIQUE")}


def _migrations() -> dict[str, str]:
    files, previous = {"0001_initial": INITIAL}, "0001_initial"
    for name, operation in OPERATIONS.items():
        files[name] = (
            f"{HEAD}    dependencies = [('shop', '{previous}')]\n    operations = [{operation}]\n"
        )
        previous = name
    return files


def _hide_oracle_drivers(tmp_path: Path) -> dict[str, str]:
    root = tmp_path / "no-oracle-driver"
    for name in ("oracledb", "cx_Oracle"):
        (root / name).mkdir(parents=True)
        (root / name / "__init__.py").write_text(f"raise ImportError('No module named {name}')\n")
    return {"PYTHONPATH": str(root)}


def _findings(root: Path, env: dict[str, str]) -> tuple[set[tuple[str, str]], dict]:
    result = run_cli(
        "lint", str(root), "--format", "json", "--no-cache", "--include-apps", "shop", cwd=root,
        env=env,
    )  # fmt: skip
    assert result.code == 1, result.stderr
    document = result.json()
    found = {(m["name"], f["code"]) for m in document["migrations"] for f in m["findings"]}
    return found, document


@needs_oracledb
def test_oracle_verdicts_with_the_driver_are_never_worse(project, tmp_path):
    root = project({"shop": _migrations()}, extra_settings=ORACLE_SETTINGS)
    facts_only, without = _findings(root, _hide_oracle_drivers(tmp_path))
    assert "could not be loaded" in (without["migrations"][0]["error"] or "")
    rendered, with_driver = _findings(root, {})
    assert with_driver["summary"]["render_error"] == 0, [
        m["error"] for m in with_driver["migrations"]
    ]
    assert [m["error"] for m in with_driver["migrations"]] == [None] * len(_migrations())
    assert facts_only - rendered == NEVER_CREATED
    expected = {
        ("0002_tighten", "NOT_NULL"),
        ("0003_lengthen", "ALTER_COLUMN"),
        ("0005_order", "NOT_NULL"),
        ("0006_stock", "NOT_NULL"),
        ("0008_plain", "ADD_UNIQUE"),
        ("0009_drop", "DROP_COLUMN"),
        ("0010_rename", "RENAME_COLUMN"),
    }
    assert expected <= rendered


def test_oracle_modify_default_null_drops_the_default():
    """Oracle drops the default an AddField was added with by ``MODIFY "COL" DEFAULT NULL``: the
    column is left NOT NULL without one (as Django's other backends' ``DROP DEFAULT``)."""
    add = RenderedOperation(
        0,
        "AddField",
        "Add field stock to item",
        [
            'ALTER TABLE "SHOP_ITEM" ADD "STOCK" NUMBER(11) DEFAULT 0 NOT NULL;',
            'ALTER TABLE "SHOP_ITEM" MODIFY "STOCK" DEFAULT NULL;',
        ],
    )
    assert [hit.code for hit in lint_operations([add], "oracle", atomic=True)] == ["NOT_NULL"]
