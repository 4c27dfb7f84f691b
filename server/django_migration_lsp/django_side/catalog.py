"""What the database would report about a table's constraints, derived from a model state.

Answers the schema editor's ``_constraint_names`` offline: for a rendered model (as it was
before the operation) list every constraint and index Django created for it, named the way
Django names them (``_create_index_name``) or, for constraints PostgreSQL names itself
(inline PRIMARY KEY / UNIQUE / CHECK), the way PostgreSQL does.
"""

from __future__ import annotations

from typing import Any

PG_NAME_MAX = 63


def pg_object_name(table: str, column: str | None, label: str) -> str:
    """PostgreSQL's ``makeObjectName``: ``table_column_label`` truncated to 63 bytes."""
    overhead = len(label) + 1 + (1 if column else 0)
    t, c = table, column or ""
    while len(t) + len(c) + overhead > PG_NAME_MAX:
        if len(t) >= len(c):
            t = t[:-1]
        else:
            c = c[:-1]
    return f"{t}_{c}_{label}" if column else f"{t}_{label}"


def _info(
    columns: list[str] | None,
    *,
    unique: bool = False,
    primary_key: bool = False,
    index: bool = False,
    foreign_key: tuple[str, str] | None = None,
    check: bool = False,
    type_: str | None = None,
    identity: tuple[Any, ...] | None = None,
) -> dict[str, Any]:
    return {
        "columns": list(columns or []),
        "unique": unique,
        "primary_key": primary_key,
        "index": index,
        "foreign_key": foreign_key,
        "check": check,
        "type": type_,
        # what the constraint is, whatever its name (``names.NameBook``); None: user-named
        "identity": identity,
    }


AUTO_FIELDS = ("AutoField", "BigAutoField", "SmallAutoField")


def constraints_for_model(
    model: Any, editor: Any, model_state: Any = None
) -> dict[str, dict[str, Any]]:
    """Every constraint/index of ``model``'s table as introspection would report it: named as
    they were created (``editor.names``, a ``NameBook``, when the renderer keeps one)."""
    computed = computed_constraints(model, editor, model_state)
    book = getattr(editor, "names", None)
    return book.translate(model._meta.db_table, computed) if book is not None else computed


def computed_constraints(
    model: Any, editor: Any, model_state: Any = None
) -> dict[str, dict[str, Any]]:
    """Every constraint/index of ``model``'s table, named as Django would name them now.

    ``model_state`` supplies what rendered models no longer carry (``index_together`` is gone
    from ``Meta`` since Django 5.1 but still in migration states).
    """
    namer = _Namer(editor, model._meta.db_table)
    out: dict[str, dict[str, Any]] = {}
    _primary_key(model._meta, namer, out)
    for field in model._meta.local_fields:
        if getattr(field, "column", None) and not field.primary_key:
            _field_constraints(field, namer, out)
    _together(model._meta, namer, model_state, out)
    _declared(model._meta, namer, out)
    return out


#: a B-tree index: PostgreSQL's btree and MySQL's BTREE are both reported so
INDEX_TYPE = "idx"


class _Namer:
    """Names of one table's constraints, as the schema editor (or PostgreSQL) gives them."""

    def __init__(self, editor: Any, table: str) -> None:
        self.editor = editor
        self.connection = editor.connection
        self.vendor = editor.connection.vendor
        self.table = table

    def django(self, columns: list[str], suffix: str) -> str:
        return str(self.editor._create_index_name(self.table, columns, suffix=suffix))

    def inline(self, column: str, pg_label: str, suffix: str) -> str:
        """A constraint PostgreSQL names itself when declared inline; Django's name elsewhere."""
        if self.vendor == "postgresql":
            return pg_object_name(self.table, column, pg_label)
        return self.django([column], suffix)


def _primary_key(meta: Any, namer: _Namer, out: dict[str, dict[str, Any]]) -> None:
    pk = meta.pk
    if pk is None or not getattr(pk, "column", None):
        return
    pk_name = {
        "postgresql": pg_object_name(namer.table, None, "pkey"),
        "mysql": "PRIMARY",
    }.get(namer.vendor, "__primary__")
    out[pk_name] = _info([pk.column], unique=True, primary_key=True, identity=("pk",))
    if namer.vendor == "postgresql" and pk.get_internal_type() in AUTO_FIELDS:
        out[pk_name]["sequence"] = pg_object_name(namer.table, pk.column, "seq")


def _field_constraints(field: Any, namer: _Namer, out: dict[str, dict[str, Any]]) -> None:
    """The unique, foreign key, index, LIKE index and check constraints of one column."""
    try:
        params = field.db_parameters(connection=namer.connection)
    except Exception:
        params = {"type": "unknown", "check": None}
    if params.get("type") is None:
        return
    column, postgresql = field.column, namer.vendor == "postgresql"
    if field.unique:
        out[namer.inline(column, "key", "_uniq")] = _info(
            [column], unique=True, index=not postgresql, identity=("unique", (column,))
        )
    if field.remote_field is not None and getattr(field, "db_constraint", False):
        try:
            to_table = field.target_field.model._meta.db_table
            to_column = field.target_field.column
            out[namer.django([column], f"_fk_{to_table}_{to_column}")] = _info(
                [column], foreign_key=(to_table, to_column), identity=("fk", (column,))
            )
        except Exception:
            pass
    if field.db_index and not field.unique:
        out[namer.django([column], "")] = _info(
            [column], index=True, type_=INDEX_TYPE, identity=("index", (column,))
        )
    if postgresql and (field.db_index or field.unique):
        db_type = str(params.get("type") or "")
        if db_type.startswith(("varchar", "text", "citext")) and "[" not in db_type:
            out[namer.django([column], "_like")] = _info(
                [column], index=True, type_=INDEX_TYPE, identity=("like", (column,))
            )
    if params.get("check"):
        out[namer.inline(column, "check", "_check")] = _info(
            [column], check=True, identity=("check", (column,))
        )


def _together(meta: Any, namer: _Namer, model_state: Any, out: dict[str, dict[str, Any]]) -> None:
    """``unique_together`` and ``index_together``."""
    for fields in meta.unique_together:
        columns = [meta.get_field(f).column for f in fields]
        name = str(namer.editor._unique_constraint_name(namer.table, columns, quote=False))
        out[name] = _info(
            columns,
            unique=True,
            index=namer.vendor != "postgresql",
            identity=("unique_together", tuple(columns)),
        )
    index_together = getattr(meta, "index_together", None) or (
        model_state.options.get("index_together", ()) if model_state is not None else ()
    )
    for fields in index_together or ():
        columns = [meta.get_field(f).column for f in fields]
        out[namer.django(columns, "_idx")] = _info(
            columns, index=True, type_=INDEX_TYPE, identity=("index_together", tuple(columns))
        )


def _declared(meta: Any, namer: _Namer, out: dict[str, dict[str, Any]]) -> None:
    """``Meta.indexes`` and ``Meta.constraints`` (user-named: no identity)."""
    for idx in meta.indexes:
        columns = [meta.get_field(f.lstrip("-")).column for f in idx.fields] if idx.fields else []
        suffix = getattr(idx, "suffix", "idx")
        out[str(idx.name)] = _info(
            columns, index=True, type_=INDEX_TYPE if suffix == "idx" else suffix
        )
    for constraint in meta.constraints:
        cname = str(constraint.name)
        if hasattr(constraint, "fields") and type(constraint).__name__ == "UniqueConstraint":
            columns = [meta.get_field(f).column for f in constraint.fields]
            partial = bool(
                getattr(constraint, "condition", None) or getattr(constraint, "expressions", ())
            )
            out[cname] = _info(columns, unique=True, index=partial or namer.vendor != "postgresql")
        elif type(constraint).__name__ == "CheckConstraint":
            out[cname] = _info([], check=True)
        else:
            out[cname] = _info([])
