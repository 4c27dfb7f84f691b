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
    conn = editor.connection
    vendor = conn.vendor
    meta = model._meta
    table = meta.db_table
    out: dict[str, dict[str, Any]] = {}
    index_type = "idx"  # a B-tree index: PostgreSQL's btree and MySQL's BTREE are both reported so

    def name(columns: list[str], suffix: str) -> str:
        return str(editor._create_index_name(table, columns, suffix=suffix))

    pk = meta.pk
    if pk is not None and getattr(pk, "column", None):
        pk_name = {
            "postgresql": pg_object_name(table, None, "pkey"),
            "mysql": "PRIMARY",
        }.get(vendor, "__primary__")
        out[pk_name] = _info([pk.column], unique=True, primary_key=True, identity=("pk",))
        if vendor == "postgresql" and pk.get_internal_type() in AUTO_FIELDS:
            out[pk_name]["sequence"] = pg_object_name(table, pk.column, "seq")

    for field in meta.local_fields:
        if not getattr(field, "column", None) or field.primary_key:
            continue
        try:
            params = field.db_parameters(connection=conn)
        except Exception:
            params = {"type": "unknown", "check": None}
        if params.get("type") is None:
            continue
        column = field.column
        if field.unique:
            uname = (
                pg_object_name(table, column, "key")
                if vendor == "postgresql"
                else name([column], "_uniq")
            )
            out[uname] = _info(
                [column], unique=True, index=vendor != "postgresql", identity=("unique", (column,))
            )
        if field.remote_field is not None and getattr(field, "db_constraint", False):
            try:
                to_table = field.target_field.model._meta.db_table
                to_column = field.target_field.column
                fk_suffix = f"_fk_{to_table}_{to_column}"
                out[name([column], fk_suffix)] = _info(
                    [column], foreign_key=(to_table, to_column), identity=("fk", (column,))
                )
            except Exception:
                pass
        if field.db_index and not field.unique:
            out[name([column], "")] = _info(
                [column], index=True, type_=index_type, identity=("index", (column,))
            )
        if vendor == "postgresql" and (field.db_index or field.unique):
            db_type = str(params.get("type") or "")
            if db_type.startswith(("varchar", "text", "citext")) and "[" not in db_type:
                out[name([column], "_like")] = _info(
                    [column], index=True, type_=index_type, identity=("like", (column,))
                )
        if params.get("check"):
            cname = (
                pg_object_name(table, column, "check")
                if vendor == "postgresql"
                else name([column], "_check")
            )
            out[cname] = _info([column], check=True, identity=("check", (column,)))

    for fields in meta.unique_together:
        columns = [meta.get_field(f).column for f in fields]
        out[str(editor._unique_constraint_name(table, columns, quote=False))] = _info(
            columns,
            unique=True,
            index=vendor != "postgresql",
            identity=("unique_together", tuple(columns)),
        )
    index_together = getattr(meta, "index_together", None) or (
        model_state.options.get("index_together", ()) if model_state is not None else ()
    )
    for fields in index_together or ():
        columns = [meta.get_field(f).column for f in fields]
        out[name(columns, "_idx")] = _info(
            columns, index=True, type_=index_type, identity=("index_together", tuple(columns))
        )
    for idx in meta.indexes:
        columns = [meta.get_field(f.lstrip("-")).column for f in idx.fields] if idx.fields else []
        suffix = getattr(idx, "suffix", "idx")
        out[str(idx.name)] = _info(
            columns, index=True, type_=index_type if suffix == "idx" else suffix
        )
    for constraint in meta.constraints:
        cname = str(constraint.name)
        if hasattr(constraint, "fields") and type(constraint).__name__ == "UniqueConstraint":
            columns = [meta.get_field(f).column for f in constraint.fields]
            partial = bool(
                getattr(constraint, "condition", None) or getattr(constraint, "expressions", ())
            )
            out[cname] = _info(columns, unique=True, index=partial or vendor != "postgresql")
        elif type(constraint).__name__ == "CheckConstraint":
            out[cname] = _info([], check=True)
        else:
            out[cname] = _info([])
    return out
