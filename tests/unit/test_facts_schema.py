"""The operation-facts schema: the docs' table matches the dataclasses; the wire form is stable."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from django_migration_lsp import facts_schema
from django_migration_lsp.facts_schema import FIELD_TYPES, OperationFacts

DOC = Path(__file__).resolve().parents[2] / "docs" / "internals.md"


def _doc_rows() -> list[list[str]]:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("### `RenderedOperation.facts`", 1)[1].split("\n#", 1)[0]
    rows = []
    for line in section.splitlines():
        if line.startswith("| ") and not line.startswith("| key") and "---" not in line:
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


def _names(cell: str) -> list[str]:
    return re.findall(r"`(\w+)`", cell)


def test_doc_table_lists_every_key_with_its_class_and_fields():
    rows = _doc_rows()
    keys = [_names(row[0])[0] for row in rows if _names(row[0])]
    assert keys == [f.name for f in dataclasses.fields(OperationFacts)]
    documented_classes = {}
    for row in rows:
        class_names = _names(row[1])
        if class_names:
            documented_classes[class_names[0]] = _names(row[2])
    for key, kind in FIELD_TYPES.items():
        if dataclasses.is_dataclass(kind):
            assert kind.__name__ in documented_classes, key
    for name, fields in documented_classes.items():
        cls = getattr(facts_schema, name)
        assert fields == [f.name for f in dataclasses.fields(cls)], name


def test_field_types_cover_every_key():
    assert set(FIELD_TYPES) == {f.name for f in dataclasses.fields(OperationFacts)}


def test_wire_form_round_trips_and_omits_what_does_not_apply():
    wire = {
        "tables_created": ["shop_item"],
        "column_altered": {"table": "t", "column": "c", "old_type": "varchar(5)"},
        "runpython": {
            "reversible": False,
            "code": {"name": "f", "args": ["apps", "schema_editor"], "is_noop": False},
            "reverse_code": None,
        },
    }
    facts = OperationFacts.from_dict(wire)
    assert facts.tables_created == ("shop_item",)
    assert facts.column_altered is not None and facts.column_altered.new_type is None
    again = OperationFacts.from_dict(facts.to_dict())
    assert again == facts
    assert set(facts.to_dict()) == {"tables_created", "column_altered", "runpython"}
    assert facts.to_dict()["tables_created"] == ["shop_item"]


def test_wrong_shapes_are_dropped_not_raised():
    facts = OperationFacts.from_dict({"column_dropped": 5, "tables_dropped": ["t"], "x": 1})
    assert facts == OperationFacts(tables_dropped=("t",))
    assert OperationFacts.from_dict(None) == OperationFacts()


def test_a_non_mapping_where_a_record_belongs_is_dropped():
    facts = OperationFacts.from_dict({"column_dropped": "x", "runsql": [], "table_remade": True})
    assert facts == OperationFacts(table_remade=True)
