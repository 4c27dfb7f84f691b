"""Render SQL without a database: an offline connection and schema editor.

Django's schema editor is built to talk to a live database. Offline we:
- use a private connection wrapper per alias that never connects (``OfflineError`` instead),
  with the server version fixed so version-dependent features need no round trip;
- block every connection while rendering, so user code run by Django (a field default that
  queries the ORM, say) cannot open one — it gets a placeholder instead, and nothing can write;
- answer the introspection the schema editor does (constraint names, sequences, collations)
  from the project state before the operation (``catalog``), naming things as Django does;
- collect statements per operation instead of per migration (deferred SQL flushed each time).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from ..mysql_server import MySQLServer, parse_mysql_version, quote_literal
from . import catalog
from .names import IndexGoneError

DEFAULT_SERVER_VERSIONS: dict[str, tuple[int, ...]] = {
    "postgresql": (15, 0),
    "oracle": (19,),
}


class OfflineError(RuntimeError):
    """Something tried to reach the database while rendering SQL offline."""

    def __init__(self, what: str = "open a database connection") -> None:
        super().__init__(
            f"tried to {what} while rendering SQL offline; django-migration-lsp never "
            "connects while rendering migrations"
        )


class Placeholder:
    """A value that only exists at migrate time (e.g. a default computed by a DB query)."""

    def __init__(self, field: Any, reason: str) -> None:
        self.field = field
        self.reason = reason

    def sql(self) -> str:
        return "<default computed at migrate time>"


def _refuse(*_args: Any, **_kwargs: Any) -> Any:
    raise OfflineError()


@contextlib.contextmanager
def connections_blocked() -> Iterator[None]:
    """Make every Django connection refuse to connect for the duration of the block."""
    from django.db import connections
    from django.db.backends.base.base import BaseDatabaseWrapper

    for conn in connections.all(initialized_only=True):
        if conn.connection is not None and not conn.in_atomic_block:
            conn.close()
    saved = BaseDatabaseWrapper.ensure_connection
    BaseDatabaseWrapper.ensure_connection = _refuse  # type: ignore[method-assign]  # the block
    try:
        yield
    finally:
        BaseDatabaseWrapper.ensure_connection = saved  # type: ignore[method-assign]  # restored


def vendor_of(alias: str) -> str:
    """The vendor of a configured alias, from its ENGINE path, without importing the backend."""
    from django.conf import settings

    config = settings.DATABASES[alias]
    engine = config.get("ORIGINAL_ENGINE") or config.get("ENGINE", "")
    for vendor in ("postgresql", "postgis", "sqlite", "spatialite", "mysql", "oracle"):
        if vendor in engine:
            return {"postgis": "postgresql", "spatialite": "sqlite"}.get(vendor, vendor)
    return engine.rsplit(".", 1)[-1] or "unknown"


def offline_connection(
    alias: str,
    server_version: tuple[int, ...] | None = None,
    mysql: MySQLServer | None = None,
) -> Any:
    """A fresh, never-connecting wrapper of the backend configured for ``alias``.

    ``mysql``: the MySQL-family server to render for (default MySQL 8.0, InnoDB). Raises
    whatever importing the backend raises (e.g. ``ImproperlyConfigured`` when psycopg is not
    installed); the caller reports it.
    """
    from django.db import connections

    from .loading import MISSING_BACKENDS

    if alias in MISSING_BACKENDS:
        raise ImportError(MISSING_BACKENDS[alias])
    real = connections[alias]  # imports the backend
    # Any: its methods are replaced on the instance below, which the stubs do not allow
    wrapper: Any = type(real)(dict(real.settings_dict), alias)
    wrapper.ensure_connection = _refuse  # instance level: this one never connects
    wrapper.get_new_connection = _refuse
    wrapper.cursor = OfflineCursor  # introspection answered offline ignores its cursor
    if wrapper.vendor == "mysql":
        _fix_mysql_server(wrapper, mysql or parse_mysql_version(None))
        return _finish(wrapper)
    version = server_version or DEFAULT_SERVER_VERSIONS.get(wrapper.vendor)
    if version is not None:
        wrapper.get_database_version = lambda: version
        if wrapper.vendor == "postgresql":
            major = version[0]
            minor = version[1] if len(version) > 1 else 0
            wrapper.__dict__["pg_version"] = major * 10000 + minor
    if wrapper.vendor == "oracle":
        _fix_oracle_operators(wrapper)
    if wrapper.vendor == "sqlite":
        wrapper.disable_constraint_checking = lambda: True
        wrapper.enable_constraint_checking = lambda: None
    return _finish(wrapper)


def _fix_mysql_server(wrapper: Any, server: MySQLServer) -> None:
    """Answer what Django's MySQL backend reads from the server (its cached properties)."""
    data = server.server_data()
    wrapper.get_database_version = lambda: server.version
    wrapper.__dict__["mysql_server_data"] = data
    wrapper.__dict__["mysql_server_info"] = data["version"]
    wrapper.__dict__["mysql_version"] = server.version
    wrapper.__dict__["mysql_is_mariadb"] = server.mariadb
    wrapper.__dict__["sql_mode"] = {data["sql_mode"]}


def _fix_oracle_operators(wrapper: Any) -> None:
    """Oracle's lookup operators are chosen when the first cursor opens (the LIKE form the
    server accepts): offline, the standard ones, so conditions (a partial UniqueConstraint's)
    compile instead of trying to connect."""
    wrapper.__dict__["operators"] = wrapper._standard_operators
    wrapper.pattern_ops = wrapper._standard_pattern_ops


def _finish(wrapper: Any) -> Any:
    wrapper.introspection = _offline_introspection_class(type(wrapper.introspection))(wrapper)
    return wrapper


class OfflineCursor:
    """The cursor of the offline connection: introspection we answer offline ignores it;
    anything that really queries gets ``OfflineError``."""

    def __enter__(self) -> OfflineCursor:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def close(self) -> None:
        return None

    def __getattr__(self, name: str) -> Any:
        raise OfflineError("query the database")


def _offline_introspection_class(base: type) -> type:
    """Introspection answered from the project state (custom operations ask it questions)."""
    import sys

    from django.db.backends.base.introspection import TableInfo as BaseTableInfo

    table_info = getattr(sys.modules.get(base.__module__), "TableInfo", BaseTableInfo)

    class OfflineIntrospection(base):  # type: ignore[misc]  # the backend's, known at run time
        def _editor(self) -> Any:
            editor = getattr(self.connection, "offline_editor", None)
            if editor is None or editor.known_tables is None:
                raise OfflineError("introspect the database")
            return editor

        def table_names(self, cursor: Any = None, include_views: bool = False) -> list[str]:
            return sorted(self._editor().known_tables())

        def get_table_list(self, cursor: Any) -> list[Any]:
            extra = (None,) * (len(table_info._fields) - 2)
            return [table_info(name, "t", *extra) for name in self.table_names()]

        def get_constraints(self, cursor: Any, table_name: str) -> dict[str, Any]:
            editor = self._editor()
            model, model_state = (
                editor.table_model(table_name)
                if editor.table_model
                else (
                    None,
                    None,
                )
            )
            if model is None:
                return {}
            return catalog.constraints_for_model(model, editor, model_state)

        def get_storage_engine(self, cursor: Any, table_name: str) -> str:
            # MySQL: every table Django creates uses the server's default engine
            return str(self.connection.mysql_server_data["default_storage_engine"])

        def get_sequences(
            self, cursor: Any, table_name: str, table_fields: Any = ()
        ) -> list[dict[str, Any]]:
            editor = self._editor()
            model, _ = editor.table_model(table_name) if editor.table_model else (None, None)
            if model is None or model._meta.pk is None:
                return []
            column = model._meta.pk.column
            return [
                {
                    "table": table_name,
                    "column": column,
                    "name": editor._get_sequence_name(table_name, column),
                }
            ]

    return OfflineIntrospection


def schema_editor(connection: Any) -> Any:
    """A collecting schema editor of ``connection``'s backend, patched to work offline."""
    base = connection.SchemaEditorClass
    cls = _OFFLINE_CLASSES.get(base)
    if cls is None:
        cls = type(f"Offline{base.__name__}", (OfflineSchemaEditorMixin, base), {})
        _OFFLINE_CLASSES[base] = cls
    editor = cls(connection, collect_sql=True, atomic=False)
    editor.deferred_sql = []
    connection.offline_editor = editor
    return editor


_OFFLINE_CLASSES: dict[type, type] = {}


class OfflineSchemaEditorMixin:
    """Overrides of the schema editor methods that would otherwise need a live database."""

    connection: Any
    collected_sql: list[str]
    deferred_sql: list[Any]
    #: set by the renderer before each operation: resolves a db_table to the model as the
    #: database had it before the operation (or None).
    table_model: Callable[[str], tuple[Any, Any]] | None = None
    #: set per operation: the tables that exist before it
    known_tables: Callable[[], set[str]] | None = None
    notes: list[str]
    #: the names constraints were created with (``names.NameBook``), set by the renderer
    names: Any = None

    def _create_index_name(self, table_name: str, column_names: Any, suffix: str = "") -> str:
        """Django's name for an index or constraint (a digest of the table and columns): the
        same arguments give the same name, so each is computed once per editor."""
        memo = self.__dict__.setdefault("_index_names", {})
        key = (table_name, tuple(column_names), suffix)
        name = memo.get(key)
        if name is None:
            name = memo[key] = super()._create_index_name(  # type: ignore[misc]
                table_name, column_names, suffix
            )
        return str(name)

    def begin_migration(self) -> None:
        """Start a migration: deferred SQL is kept across its operations, as Django does."""
        self.collected_sql = []
        self.deferred_sql = []
        self.deferred_origin: dict[int, Any] = {}
        self.notes = []

    def begin_operation(
        self,
        table_model: Callable[[str], Any],
        known_tables: Callable[[], set[str]] | None = None,
    ) -> None:
        self.collected_sql = []
        self.notes = []
        self.table_model = table_model
        self.known_tables = known_tables

    def end_operation(self, owner: Any) -> list[str]:
        """Statements the operation ran; its deferred statements are remembered for ``owner``."""
        for sql in self.deferred_sql:
            self.deferred_origin.setdefault(id(sql), owner)
        statements, self.collected_sql = self.collected_sql, []
        return statements

    def end_migration(self) -> list[tuple[Any, str]]:
        """Run what is still deferred (as Django does at the end); (owner, statement) pairs."""
        out: list[tuple[Any, str]] = []
        for sql in self.deferred_sql:
            owner = self.deferred_origin.get(id(sql))
            self.collected_sql = []
            self.execute(sql, None)
            out.extend((owner, statement) for statement in self.collected_sql)
        self.collected_sql = []
        self.deferred_sql = []
        self.deferred_origin = {}
        return out

    # -- values ------------------------------------------------------------------------------
    def effective_default(self, field: Any) -> Any:
        try:
            return super().effective_default(field)  # type: ignore[misc]  # mixin: editor next in MRO
        except OfflineError:
            note = (
                f"The default of {field.model._meta.label}.{field.name} is computed by "
                "querying the database at migrate time; shown as a placeholder."
            )
            if note not in self.notes:
                self.notes.append(note)
            return Placeholder(field, note)

    def quote_value(self, value: Any) -> str:
        if isinstance(value, Placeholder):
            return value.sql()
        if self.connection.vendor == "postgresql":
            return _pg_quote(value)
        if self.connection.vendor == "mysql":
            return quote_literal(value)
        return super().quote_value(value)  # type: ignore[misc]  # as above

    def execute(self, sql: Any, params: Any = ()) -> None:
        # Django's collect_sql path: merge parameters client-side, ``%%`` becomes ``%``.
        sql = str(sql) if params is None else str(sql) % tuple(map(self.quote_value, params))
        ending = "" if sql.rstrip().endswith(";") else ";"
        self.collected_sql.append(sql + ending)
        if self.names is not None:  # later steps of the operation see its renames and drops
            self.names.follow([sql])

    # -- introspection answered from the state -----------------------------------------------
    def _constraint_names(
        self,
        model: Any,
        column_names: list[str] | None = None,
        unique: bool | None = None,
        primary_key: bool | None = None,
        index: bool | None = None,
        foreign_key: bool | None = None,
        check: bool | None = None,
        type_: str | None = None,
        exclude: set[str] | None = None,
    ) -> list[str]:
        before, before_state = (
            self.table_model(model._meta.db_table) if self.table_model else (None, None)
        )
        constraints = catalog.constraints_for_model(before or model, self, before_state)
        result = []
        for name, info in constraints.items():
            if column_names is not None and list(column_names) != info["columns"]:
                continue
            if unique is not None and info["unique"] != unique:
                continue
            if primary_key is not None and info["primary_key"] != primary_key:
                continue
            if index is not None and info["index"] != index:
                continue
            if check is not None and info["check"] != check:
                continue
            if foreign_key is not None and not info["foreign_key"]:
                continue
            if type_ is not None and info["type"] != type_:
                continue
            if not exclude or name not in exclude:
                result.append(name)
        book = getattr(self, "names", None)
        if not result and index and column_names and book is not None:
            where = book.vanished(model._meta.db_table, column_names)
            if where is not None:  # the state has it, the database lost it: migrate crashes
                raise IndexGoneError(model._meta.db_table, list(column_names), where)
        return result

    def _get_sequence_name(self, table: str, column: str) -> str:
        book = getattr(self, "names", None)
        recorded = book.sequence(table, column) if book is not None else None
        return recorded or catalog.pg_object_name(table, column, "seq")

    def _is_identity_column(self, table_name: str, column_name: str) -> bool:
        """Oracle: Django creates every AutoField as an identity column (``GENERATED BY
        DEFAULT ON NULL AS IDENTITY``) and nothing else; read from the state before."""
        from django.db.models.fields import AutoFieldMixin

        model, _ = self.table_model(table_name) if self.table_model else (None, None)
        if model is None or not column_name:
            return False
        fields = [f for f in model._meta.concrete_fields if f.column == column_name]
        return any(isinstance(f, AutoFieldMixin) for f in fields)

    def _is_collation_deterministic(self, collation_name: str) -> bool:
        return True

    def _is_referenced_by_fk_constraint(self, *args: Any, **kwargs: Any) -> bool:
        return False


def _pg_quote(value: Any) -> str:
    """Quote a value as psycopg would, without a connection."""
    try:
        from psycopg import sql as pg_sql

        return pg_sql.quote(value)
    except ImportError:
        import psycopg2.extensions  # type: ignore[import-untyped]  # no stubs installed

        adapted = psycopg2.extensions.adapt(value)
        if hasattr(adapted, "encoding"):
            adapted.encoding = "utf8"
        return adapted.getquoted().decode()
