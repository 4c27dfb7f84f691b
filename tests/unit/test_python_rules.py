"""RunPython rules read the function's source with ast."""

from __future__ import annotations

from django_migration_lsp.facts_schema import OperationFacts
from django_migration_lsp.rules.python_code import runpython_hits


def info(source: str, globals_=None, name="forwards", args=("apps", "schema_editor")):
    return {
        "name": name,
        "source": source,
        "args": list(args),
        "module_globals": globals_ or {},
        "is_noop": False,
    }


def codes(code, reverse=None, reversible=True):
    facts = {"reversible": reversible, "code": code, "reverse_code": reverse}
    typed = OperationFacts.from_dict({"runpython": facts}).runpython
    return sorted(c for c, _ in runpython_hits(typed))


def test_get_model_is_fine():
    src = "def forwards(apps, schema_editor):\n    Item = apps.get_model('shop', 'Item')\n    Item.objects.all()\n"
    assert codes(info(src)) == []


def test_variable_name_matches_model_case_insensitively():
    # get_model('dcim', 'device') returns Device: the lookup ignores case.
    src = "def forwards(apps, schema_editor):\n    Device = apps.get_model('dcim', 'device')\n"
    assert codes(info(src)) == []
    src = "def forwards(apps, schema_editor):\n    Device = apps.get_model('dcim.DEVICE')\n"
    assert codes(info(src)) == []
    src = "def forwards(apps, schema_editor):\n    Site = apps.get_model('dcim', 'device')\n"
    assert codes(info(src)) == ["RUNPYTHON_MODEL_VARIABLE_NAME"]


def test_imported_model_and_variable_name():
    src = "def forwards(apps, schema_editor):\n    Item.objects.update(x=1)\n"
    assert codes(info(src, {"Item": "model"})) == ["RUNPYTHON_MODEL_IMPORT"]
    src = "def forwards(apps, schema_editor):\n    from shop.models import Item\n    Item.objects.all()\n"
    assert codes(info(src)) == ["RUNPYTHON_MODEL_IMPORT"]
    src = "def forwards(apps, schema_editor):\n    M = apps.get_model('shop.Item')\n    M.objects.all()\n"
    assert codes(info(src)) == ["RUNPYTHON_MODEL_VARIABLE_NAME"]
    src = "def forwards(apps, schema_editor):\n    M = apps.get_model(app_label='shop', model_name='Item')\n"
    assert codes(info(src)) == ["RUNPYTHON_MODEL_VARIABLE_NAME"]


def test_helpers_and_parameters_are_not_model_imports():
    src = "def forwards(apps, schema_editor, Model=None):\n    Model.objects.all()\n"
    assert "RUNPYTHON_MODEL_IMPORT" not in codes(info(src, args=("apps", "schema_editor", "Model")))
    src = "def forwards(apps, schema_editor):\n    for M in [apps.get_model('a', 'B')]:\n        M.objects.all()\n"
    assert codes(info(src)) == []


def test_reversible_args_and_reverse_code():
    src = "def forwards(apps, editor):\n    pass\n"
    assert codes(info(src, args=("apps", "editor")), reversible=False) == [
        "RUNPYTHON_ARGS_NAMING_CONVENTION",
        "RUNPYTHON_REVERSIBLE",
    ]
    back = "def backwards(apps, schema_editor):\n    Item.objects.all()\n"
    assert codes(
        info("def forwards(apps, schema_editor):\n    pass\n"),
        info(back, {"Item": "import"}, name="backwards"),
    ) == ["RUNPYTHON_MODEL_IMPORT"]


def test_missing_or_broken_source_never_crashes():
    assert codes({"name": "f", "source": None, "args": None}) == []
    assert codes(info("def broken(:\n")) == []
