"""``fix`` on the renames: --dry-run diffs both the migration and models.py and writes neither,
JSON lists both files, the text output says which files changed, and a RenameModel whose
many-to-many columns are named after the model is left alone with the reason. Offline."""

from __future__ import annotations

import json

from .projects import cli
from .renames import copy_rename, project_files

NO_SERVER = "postgresql://nobody@127.0.0.1:1/none"


def test_dry_run_diffs_the_migration_and_models_py_and_writes_nothing(tmp_path):
    project = copy_rename("rename_model", tmp_path / "p")
    before = project_files(project)
    run = cli(project, NO_SERVER, "fix", ".", "shop", "0002", "--dry-run")
    assert run.code == 0, run.stderr
    assert project_files(project) == before
    assert "+++ b/shop/migrations/0002_rename_item_product.py" in run.stdout
    assert "+                migrations.AlterModelTable(" in run.stdout
    assert "+++ b/shop/models.py" in run.stdout
    assert '+        db_table = "shop_item"' in run.stdout
    assert "would change shop/models.py" in run.stderr


def test_json_lists_both_files_and_the_text_says_models_py_changed(tmp_path):
    project = copy_rename("rename_field", tmp_path / "p")
    run = cli(project, NO_SERVER, "fix", ".", "shop", "0002", "--format", "json")
    assert run.code == 0, run.stderr
    data = json.loads(run.stdout)
    assert [f["path"] for f in data["files"]] == [
        "shop/migrations/0002_rename_item_name_title.py",
        "shop/models.py",
    ]
    assert data["files"][1]["text"] == project_files(project)["models.py"]
    [rewritten] = data["rewritten"]
    assert rewritten["code"] == "RENAME_COLUMN"

    other = copy_rename("rename_field", tmp_path / "q")
    text = cli(other, NO_SERVER, "fix", ".", "shop", "0002")
    assert text.code == 0, text.stderr
    assert "changed shop/models.py" in text.stdout
    assert project_files(other) == project_files(project)


def test_a_rename_model_with_many_to_many_columns_named_after_it_is_left_with_the_reason(
    tmp_path,
):
    project = copy_rename("rename_model_m2m", tmp_path / "p")
    before = project_files(project)
    run = cli(project, NO_SERVER, "fix", ".", "shop", "0002", "--code", "RENAME_TABLE")
    assert run.code == 0, run.stderr
    assert project_files(project) == before
    assert "operation 0 [RENAME_TABLE] not rewritten" in run.stdout
    assert '"tag_id" of table "shop_item_tags" are named after the model' in run.stdout


def test_a_model_changed_in_models_py_but_not_migrated_is_not_rewritten(tmp_path):
    """Its definition would come from models.py into the state, never reaching the database."""
    project = copy_rename("rename_field", tmp_path / "p")
    models_py = project / "shop" / "models.py"
    models_py.write_text(models_py.read_text().replace("max_length=50", "max_length=80"))
    before = project_files(project)
    run = cli(project, NO_SERVER, "fix", ".", "shop", "0002", "--code", "RENAME_COLUMN")
    assert run.code == 0, run.stderr
    assert project_files(project) == before
    assert "[RENAME_COLUMN] not rewritten: models.py changes model item" in run.stdout
    assert "run makemigrations first" in run.stdout


def test_a_model_in_a_models_package_is_edited_in_its_own_file(tmp_path):
    project = copy_rename("rename_model", tmp_path / "p")
    shop = project / "shop"
    (shop / "models").mkdir()
    (shop / "models.py").rename(shop / "models" / "catalog.py")
    (shop / "models" / "__init__.py").write_text("from .catalog import Order, Product\n")
    run = cli(project, NO_SERVER, "fix", ".", "shop", "0002", "--code", "RENAME_TABLE")
    assert run.code == 0, run.stderr
    assert "also edits shop/models/catalog.py" in run.stdout
    assert "changed shop/models/catalog.py" in run.stdout
    assert 'db_table = "shop_item"' in (shop / "models" / "catalog.py").read_text()
    assert (shop / "models" / "__init__.py").read_text() == "from .catalog import Order, Product\n"
