"""RenameField / RenameModel that keep the database's names: the rename happens in Django's
state only, and the model keeps pointing at the old column or table (pure).

- ``RenameField`` of a column (``ALTER TABLE … RENAME COLUMN``, with the FK constraint Django
  re-creates for a foreign key) → ``SeparateDatabaseAndState`` whose state operations are the
  RenameField and an ``AlterField`` giving the field ``db_column="<old column>"``, no database
  operation; models.py's field gains ``db_column="<old column>"``. Of a many-to-many field (its
  table renamed) → the same with ``db_table="<old table>"``.
- ``RenameModel`` → state: the RenameModel and ``AlterModelTable(table="<old table>")``;
  models.py's class gets ``Meta.db_table = "<old table>"``. Foreign keys pointing at it keep
  their columns and constraint names (they derive from field names and the kept table). The
  columns of auto-created many-to-many tables are named after the model, so a RenameModel that
  renames one is not rewritten, and the reason names it.

The field's definition for the state comes from models.py (``rename_field_text``), so only a
leaf migration is rewritten: a later migration could change the field or model again, and
models.py would then not say what it is at this migration.
"""

from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass

from .assemble import separate
from .model import MigrationInput, RenderedOp
from .models_source import (
    ModelClass,
    SourceProblem,
    db_table_edit,
    field_call,
    find_model,
    keyword_edit,
    literal,
)
from .pysource import Edit, PySource, constant, keyword
from .rename_field_text import migration_field_text

RENAME_COLUMN_RE = re.compile(
    r'^\s*ALTER\s+TABLE\s+"(?P<table>[^"]+)"\s+RENAME\s+COLUMN\s+"(?P<old>[^"]+)"\s+TO\s+'
    r'"(?P<new>[^"]+)"\s*;?\s*$',
    re.IGNORECASE,
)
RENAME_TABLE_RE = re.compile(
    r'^\s*ALTER\s+TABLE\s+"(?P<old>[^"]+)"\s+RENAME\s+TO\s+"(?P<new>[^"]+)"\s*;?\s*$',
    re.IGNORECASE,
)
#: a foreign key's constraint dropped and added again (its name follows the names kept)
FOREIGN_KEY_RE = re.compile(
    r'^\s*(?:SET\s+CONSTRAINTS\s+"[^"]+"\s+IMMEDIATE;\s*)?(?:ALTER\s+TABLE\s+"[^"]+"\s+'
    r'(?:DROP\s+CONSTRAINT\s+"[^"]+"|ADD\s+CONSTRAINT\s+"[^"]+"\s+FOREIGN\s+KEY\s.*))?\s*;?\s*$',
    re.IGNORECASE | re.S,
)
ALSO_EDITS = "also edits {path}"


def _shown(inp: MigrationInput, path: str) -> str:
    """``shop/models.py``: the models file from the folder holding the app."""
    apps_folder = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(inp.path))))
    return os.path.relpath(os.path.abspath(path), apps_folder)


@dataclass(frozen=True)
class RenameEdit:
    """The safe form of one rename: the operation's new text, the imports it needs, the
    models module's edit."""

    code: str
    index: int
    title: str
    text: str
    imports: tuple[str, ...]
    models_path: str
    models_edit: Edit | None
    #: the model's lower-case name after the rename
    model: str = ""


def _others(statements: tuple[str, ...], kept: str) -> list[str]:
    """Statements besides ``kept`` that are not a foreign key's constraint re-created."""
    return [s for s in statements if s != kept and not FOREIGN_KEY_RE.match(s)]


def operation_text(kind: str, arguments: list[tuple[str, str]], column: int) -> str:
    """``migrations.<kind>(`` with one keyword argument a line, closed at ``column``."""
    pad = " " * (column + 4)
    lines = [f"migrations.{kind}(", *(f"{pad}{key}={value}," for key, value in arguments)]
    return "\n".join([*lines, f"{' ' * column})"])


def _name(call: ast.Call, key: str, position: int) -> str:
    value = constant(keyword(call, key, position))
    if not isinstance(value, str):
        raise SourceProblem(f"line {call.lineno}: {key} is not a string literal")
    return value


def _field_setting(rendered: RenderedOp) -> tuple[str, str, str] | None:
    """(code, keyword, old name) that keeps what a RenameField renames; None when it renames
    nothing in the database."""
    columns = [m for s in rendered.statements if (m := RENAME_COLUMN_RE.match(s))]
    tables = [m for s in rendered.statements if (m := RENAME_TABLE_RE.match(s))]
    if not rendered.statements:
        return None
    if len(columns) == 1 and not tables and not _others(rendered.statements, columns[0].string):
        return ("RENAME_COLUMN", "db_column", columns[0]["old"])
    if len(tables) == 1 and not columns and not _others(rendered.statements, tables[0].string):
        return ("RENAME_TABLE", "db_table", tables[0]["old"])
    raise SourceProblem(
        "it runs more than one rename or other SQL ("
        + "; ".join(rendered.statements)
        + "), which a db_column or db_table alone does not keep"
    )


def rename_field(
    source: PySource, call: ast.Call, rendered: RenderedOp, inp: MigrationInput
) -> RenameEdit | None:
    setting = _field_setting(rendered)
    if setting is None:
        return None
    code, key, old = setting
    model_name = _name(call, "model_name", 0)
    new = _name(call, "new_name", 2)
    model = find_model(inp.models, model_name)
    field = field_call(model, new)
    column = source.column(call)
    text = migration_field_text(model, field, inp.app, source, (key, old), column + 4)
    alter = operation_text(
        "AlterField",
        [("model_name", literal(model_name)), ("name", literal(new)), ("field", text.text)],
        column,
    )
    return RenameEdit(
        code,
        rendered.index,
        f"rename the field only, keep its {'column' if key == 'db_column' else 'table'} "
        f'"{old}" ({key}); {ALSO_EDITS.format(path=_shown(inp, model.path))}',
        _separate(source, call, alter),
        text.imports,
        model.path,
        keyword_edit(model.source, field, key, old),
        model_name.lower(),
    )


def _separate(source: PySource, call: ast.Call, extra: str) -> str:
    """State only: the original operation and ``extra`` (written at the call's column)."""
    column = source.column(call)
    state = f"{source.segment(call)},\n{' ' * column}{extra}"
    return separate(state, [], column)


def _model_tables(rendered: RenderedOp) -> str | None:
    """The table a RenameModel renames; None when it renames none. Refused when it renames
    something the model's ``db_table`` does not keep (an auto-created M2M table's column)."""
    if not rendered.statements:
        return None
    main = RENAME_TABLE_RE.match(rendered.statements[0])
    if main is None:
        raise SourceProblem(f"its first statement ({rendered.statements[0]}) is not a rename")
    others = _others(rendered.statements, rendered.statements[0])
    if others:
        kept = [m for s in others if (m := RENAME_COLUMN_RE.match(s))]
        named = ", ".join(f'"{m["old"]}" of table "{m["table"]}"' for m in kept) or "; ".join(
            others
        )
        raise SourceProblem(
            f"the many-to-many column(s) {named} are named after the model, and no db_table "
            "keeps them: give the many-to-many field(s) an explicit through model first (or "
            "add the new table, copy, switch, drop the old one over several releases)"
        )
    return main["old"]


def rename_model(
    source: PySource, call: ast.Call, rendered: RenderedOp, inp: MigrationInput
) -> RenameEdit | None:
    table = _model_tables(rendered)
    if table is None:
        return None
    new = _name(call, "new_name", 1)
    model: ModelClass = find_model(inp.models, new)
    column = source.column(call)
    alter = operation_text(
        "AlterModelTable", [("name", literal(new.lower())), ("table", literal(table))], column
    )
    return RenameEdit(
        "RENAME_TABLE",
        rendered.index,
        f'rename the model only, keep its table "{table}" (Meta.db_table); '
        f"{ALSO_EDITS.format(path=_shown(inp, model.path))}",
        _separate(source, call, alter),
        (),
        model.path,
        db_table_edit(model, table),
        new.lower(),
    )


PROPOSERS = {"RenameField": rename_field, "RenameModel": rename_model}
