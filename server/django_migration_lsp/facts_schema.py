"""The operation-facts schema: what an operation does to the schema, vendor-neutral (pure leaf).

Produced by the Django side (``django_side.facts``, from the operation and the project states
around it) and by the source-only reader (``static``, from the ``ast`` of the file); consumed by
the rules. On the wire (worker pipe, cache, ``--format json``) it is ``OperationFacts.to_dict()``:
only the keys that apply, each a plain dict/list. Every field defaults to "unknown" (``None``),
so ``from_dict`` accepts partial or older dicts and a key that does not fit is dropped, never
raised on. docs/internals.md documents each key; a test compares that table with these classes.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ColumnAdded:
    """``AddField`` of a concrete column."""

    table: str | None = None
    column: str | None = None
    null: bool | None = None
    #: a default kept by the database (Django 5 ``db_default``)
    db_default: bool | None = None
    #: a Django-side default (filled in for existing rows, then dropped)
    default: bool | None = None
    unique: bool | None = None
    db_index: bool | None = None


@dataclass(frozen=True)
class ColumnDropped:
    """``RemoveField`` of a concrete column (what the two-release removal rewrite needs too)."""

    table: str | None = None
    column: str | None = None
    null: bool | None = None
    #: ``field.db_type(connection)`` (None without a connection)
    db_type: str | None = None
    #: a foreign key with a database constraint: the (table, column) it references
    references: tuple[str, ...] | None = None
    #: the name Django gives the column's own index (``db_index``, a foreign key's)
    index: str | None = None


@dataclass(frozen=True)
class ColumnRenamed:
    """``RenameField`` whose column name changes."""

    table: str | None = None
    old: str | None = None
    new: str | None = None


@dataclass(frozen=True)
class ColumnAltered:
    """``AlterField``: the column before and after (``old_column`` differs when db_column does)."""

    table: str | None = None
    column: str | None = None
    old_column: str | None = None
    #: ``field.db_type(connection)``; without a connection, the field's deconstruction
    old_type: str | None = None
    new_type: str | None = None
    old_null: bool | None = None
    new_null: bool | None = None
    old_unique: bool | None = None
    new_unique: bool | None = None
    db_default: bool | None = None
    #: the state before has a CheckConstraint ``column IS NOT NULL`` (PostgreSQL 12+ then sets
    #: NOT NULL without scanning the table)
    not_null_checked: bool | None = None
    #: the field's ``db_collation`` before and after ("" for the database default)
    old_collation: str | None = None
    new_collation: str | None = None


@dataclass(frozen=True)
class UniqueAdded:
    """``AddConstraint(UniqueConstraint)`` or a ``unique_together`` addition."""

    table: str | None = None
    columns: tuple[str, ...] = ()
    name: str | None = None


@dataclass(frozen=True)
class IndexAdded:
    """``AddIndex`` / ``AddIndexConcurrently``."""

    table: str | None = None
    columns: tuple[str, ...] = ()
    name: str | None = None
    unique: bool | None = None
    concurrently: bool | None = None


@dataclass(frozen=True)
class IndexDropped:
    """``RemoveIndex`` / ``RemoveIndexConcurrently``."""

    table: str | None = None
    name: str | None = None
    concurrently: bool | None = None


@dataclass(frozen=True)
class FunctionInfo:
    """A RunPython callable, described for the rules (the code is never executed)."""

    name: str | None = None
    qualname: str | None = None
    source: str | None = None
    args: tuple[str, ...] | None = None
    path: str | None = None
    line: int | None = None
    #: names bound at the top of the function's module -> "model" | "import" | "other"
    module_globals: dict[str, str] = dataclasses.field(default_factory=dict)
    #: ``RunPython.noop``
    is_noop: bool = False


@dataclass(frozen=True)
class RunPythonFacts:
    reversible: bool | None = None
    code: FunctionInfo | None = None
    reverse_code: FunctionInfo | None = None


@dataclass(frozen=True)
class RunSQLFacts:
    reversible: bool | None = None
    #: the reverse SQL split into statements (linted too)
    reverse_statements: tuple[str, ...] = ()
    #: what the SQL drops that Django's state no longer has before it runs: ``table`` or
    #: ``table.column`` (the contract step of an expand/contract removal)
    outside_state: tuple[str, ...] = ()


@dataclass(frozen=True)
class OperationFacts:
    """Everything known about one operation; ``None`` (absent on the wire) = not applicable."""

    #: CreateModel (with its auto-created M2M tables), AddField of a ManyToManyField
    tables_created: tuple[str, ...] | None = None
    #: DeleteModel (with its auto-created M2M tables), RemoveField of a ManyToManyField
    tables_dropped: tuple[str, ...] | None = None
    #: with ``tables_dropped``: Django's statements creating those tables again, as the state
    #: before the operation has them (what unapplying the operation runs)
    tables_recreated: tuple[str, ...] | None = None
    #: RenameModel / AlterModelTable when db_table changes: (old, new)
    table_renamed: tuple[str, ...] | None = None
    column_added: ColumnAdded | None = None
    column_dropped: ColumnDropped | None = None
    column_renamed: ColumnRenamed | None = None
    column_altered: ColumnAltered | None = None
    unique_added: UniqueAdded | None = None
    index_added: IndexAdded | None = None
    index_dropped: IndexDropped | None = None
    #: SQLite rebuilt the table (new__/__old) to apply the change
    table_remade: bool | None = None
    runpython: RunPythonFacts | None = None
    runsql: RunSQLFacts | None = None

    def to_dict(self) -> dict[str, Any]:
        """The wire form: only the keys that apply; tuples become lists."""
        return {
            f.name: _plain(value)
            for f in dataclasses.fields(self)
            if (value := getattr(self, f.name)) is not None
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> OperationFacts:
        """Typed facts from the wire; keys unknown or of the wrong shape are dropped."""
        if not isinstance(data, dict):
            return cls()
        values: dict[str, Any] = {}
        for name, value in data.items():  # an operation has a few of the many facts
            kind = FIELD_TYPES.get(name)
            if kind is None or value is None:
                continue
            if dataclasses.is_dataclass(kind) and not isinstance(value, dict):
                continue
            try:
                values[name] = _structure(value, kind)
            except (TypeError, ValueError):
                continue
        return cls(**values)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _structure(value: Any, kind: Any) -> Any:
    """``value`` (plain JSON data) as ``kind``; ``TypeError`` when it does not fit.

    Written by hand rather than with cattrs: this module runs in the worker, inside the user's
    interpreter, which has Django and our package only; the schema needs just these shapes
    (optional, tuples of, dicts of, str/int/bool, the frozen dataclasses above)."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin is typing.Union or origin is types.UnionType:
        if value is None:
            return None
        return _structure(value, next(a for a in args if a is not type(None)))
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        if not isinstance(value, dict):
            raise TypeError(f"{kind.__name__} needs a mapping")
        hints = _hints(kind)
        given = {k: v for k, v in value.items() if k in hints and v is not None}
        return kind(**{k: _structure(v, hints[k]) for k, v in given.items()})
    if origin is tuple:
        if not isinstance(value, (list, tuple)):
            raise TypeError("a list is needed")
        return tuple(_structure(v, args[0]) for v in value)
    if origin is dict:
        if not isinstance(value, dict):
            raise TypeError("a mapping is needed")
        return {str(k): _structure(v, args[1]) for k, v in value.items()}
    return _scalar(value, kind)


def _scalar(value: Any, kind: Any) -> Any:
    if kind is Any:
        return value
    if kind is int and isinstance(value, bool):
        raise TypeError("a number is needed")
    if isinstance(kind, type) and isinstance(value, kind):
        return value
    raise TypeError(f"{kind!r} is needed, not {type(value).__name__}")


@functools.cache
def _hints(kind: type) -> dict[str, Any]:
    return typing.get_type_hints(kind)


FIELD_TYPES: dict[str, Any] = {
    "tables_created": tuple[str, ...],
    "tables_dropped": tuple[str, ...],
    "tables_recreated": tuple[str, ...],
    "table_renamed": tuple[str, ...],
    "column_added": ColumnAdded,
    "column_dropped": ColumnDropped,
    "column_renamed": ColumnRenamed,
    "column_altered": ColumnAltered,
    "unique_added": UniqueAdded,
    "index_added": IndexAdded,
    "index_dropped": IndexDropped,
    "table_remade": bool,
    "runpython": RunPythonFacts,
    "runsql": RunSQLFacts,
}
"""The type of each ``OperationFacts`` key (what ``from_dict`` structures it as)."""
