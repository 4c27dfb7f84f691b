"""SQL rules: pure functions over the statements each operation of a migration runs.

Statements are tokenised with sqlparse and reduced to a *skeleton*: keywords upper-cased,
string literals replaced by ``''``, comments dropped, whitespace collapsed. Patterns are matched on
the skeleton, so ``'DROP COLUMN'`` inside a string or a comment never matches. Semantics follow
django-migration-linter 6.x, evaluated over the migration in order so that each hit belongs to
the operation whose statement triggered it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from sqlparse import tokens as T

from ..sqltokens import tokens
from .mysql_ddl import UNIQUE_NOTE as MYSQL_UNIQUE_NOTE

IDENT = r'(?:"[^"]+"|`[^`]+`|\[[^\]]+\]|[\w.$]+)'

DROP_COLUMN = re.compile(r"\bDROP COLUMN\b")
RENAME_TABLE = re.compile(rf"^(?:RENAME TABLE\b|ALTER TABLE (?:IF EXISTS )?{IDENT} RENAME TO\b)")
RENAME_COLUMN = re.compile(
    rf"^ALTER TABLE (?:IF EXISTS )?(?:ONLY )?{IDENT} (?:RENAME COLUMN|RENAME {IDENT} TO|CHANGE)\b"
)
ALTER_TYPE = re.compile(r"^ALTER TABLE .*\bALTER COLUMN \S+ (?:SET DATA )?TYPE\b")
MYSQL_MODIFY = re.compile(r"^ALTER TABLE .*\bMODIFY\b")
NOT_NULL = re.compile(r"(?<!DROP )(?<!IS )\bNOT NULL\b")
DEFAULT_NOT_NULL = re.compile(r"\bDEFAULT (?!NULL\b).*\bNOT NULL\b")
SET_DEFAULT = re.compile(r"\bSET DEFAULT (?!NULL\b)")
#: Oracle drops a default with ``MODIFY "COL" DEFAULT NULL``
DROP_DEFAULT = re.compile(rf"\bDROP DEFAULT\b|\bMODIFY {IDENT} DEFAULT NULL\b")
SET_NOT_NULL = re.compile(r"\bSET NOT NULL\b")
ADD_UNIQUE = re.compile(rf"^ALTER TABLE (?:ONLY )?(?P<table>{IDENT}) ADD CONSTRAINT .*\bUNIQUE\b")
CREATE_INDEX = re.compile(
    rf"^CREATE (?P<unique>UNIQUE )?INDEX (?P<concurrently>CONCURRENTLY )?(?:IF NOT EXISTS )?"
    rf"(?:{IDENT} )?ON (?:ONLY )?(?P<table>{IDENT})"
)
DROP_INDEX = re.compile(r"^DROP INDEX (?P<concurrently>CONCURRENTLY )?")
TABLE_OF_ALTER = re.compile(rf"^ALTER TABLE (?:IF EXISTS )?(?:ONLY )?(?P<table>{IDENT})")
CREATE_TABLE = re.compile(rf"^CREATE TABLE (?:IF NOT EXISTS )?(?P<table>{IDENT})")
COLUMN_NAME = re.compile(rf"\b(?:COLUMN|MODIFY|CHANGE) (?P<column>{IDENT})")


DROPS = re.compile(
    rf"^(?:ALTER TABLE (?:IF EXISTS )?(?:ONLY )?(?P<table>{IDENT}) DROP COLUMN (?:IF EXISTS )?"
    rf"(?P<column>{IDENT})|DROP TABLE (?:IF EXISTS )?(?P<dropped>{IDENT}))"
)


def drop_target(statement: str) -> tuple[str, str | None] | None:
    """(table, column) an ``ALTER TABLE … DROP COLUMN`` drops, (table, None) a ``DROP TABLE``."""
    match = DROPS.match(skeleton(statement))
    if not match:
        return None
    if match["dropped"]:
        return unquote(match["dropped"]), None
    return unquote(match["table"]), unquote(match["column"])


def unquote(name: str) -> str:
    """``"shop_item"`` -> ``shop_item``."""
    if len(name) >= 2 and name[0] in '"`[' and name[-1] in '"`]':
        return name[1:-1]
    return name


_SKIP, _SPACE, _STRING, _KEYWORD, _OTHER = range(5)
#: token type -> what the skeleton makes of it (sqlparse's ``in`` on token types is a Python
#: call; a statement has hundreds of tokens of a dozen types)
_KINDS: dict[object, int] = {}


def _kind(ttype: object) -> int:
    kind = _KINDS.get(ttype)
    if kind is None:
        if ttype in T.Comment:
            kind = _SKIP
        elif ttype in T.Whitespace or ttype in T.Newline or ttype in T.Text.Whitespace:
            kind = _SPACE
        elif ttype in T.String.Single:
            kind = _STRING
        elif ttype in T.Keyword:
            kind = _KEYWORD
        else:
            kind = _OTHER
        _KINDS[ttype] = kind
    return kind


@functools.lru_cache(maxsize=8192)
def skeleton(statement: str) -> str:
    """Keywords upper-cased, literals blanked, comments gone, whitespace collapsed.

    Uses sqlparse's tokens only (``sqltokens``: its lexer's rules run as one pattern): tokens
    are all the rules need, and grouping (``parse``) costs ~50 times more. Cached by
    statement (the SQL rules, the lock model and the lock rules read the same statements) and
    by *shape*: Django's statements differ mostly in their quoted names, and a long one (a
    SQLite rebuild's ``CREATE TABLE``) is a list of column definitions seen before, so the
    tokens are those of the statement cut after each ``, `` that precedes a ``"``, with every
    ``"name"`` swapped for one placeholder (``_shaped``).
    """
    if _SHAPEABLE.search(statement) is None and statement.count('"') % 2 == 0:
        raw = _shaped(statement)
    else:
        raw = _raw_skeleton(statement)
    return _SPACES.sub(" ", raw).strip().rstrip(";").strip()


def _shaped(statement: str) -> str:
    """The skeleton before whitespace is collapsed, from the shapes of its pieces. Exact: a
    ``"quoted name"`` is one token whatever it holds, no lexer rule looks behind at a ``"``
    or ahead past a space, and ``_SHAPEABLE`` leaves out the texts where a ``"`` could pair
    otherwise (string literals, comments, other quotings, dollar quotes, escapes, doubled
    quotes) or the placeholder could clash."""
    names = _QUOTED.findall(statement)
    pieces = _PIECES.split(_QUOTED.sub(_HOLD, statement))
    raw = "".join([_piece_skeleton(piece) for piece in pieces])
    if not names:
        return raw
    held = iter(names)
    return _HELD.sub(lambda _: next(held), raw)


_SHAPEABLE = re.compile('[\'`\u00b4[$#\\\\\x01]|--|/\\*|""')
_QUOTED = re.compile(r'"[^"]*"')
_HOLD = '"\x01"'
_HELD = re.compile(_HOLD)
_PIECES = re.compile(r'(?<=, )(?=")')
_SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=8192)
def _piece_skeleton(piece: str) -> str:
    return _raw_skeleton(piece)


def _raw_skeleton(statement: str) -> str:
    parts: list[str] = []
    append = parts.append
    kinds = _KINDS
    for ttype, value in tokens(statement):
        kind = kinds.get(ttype)
        if kind is None:
            kind = _kind(ttype)
        if kind == _OTHER:
            append(value)
        elif kind == _SPACE:
            append(" ")
        elif kind == _KEYWORD:
            append(value.upper())
        elif kind == _STRING:
            append("''")
    return "".join(parts)


@dataclass
class SqlHit:
    code: str
    statement: str
    detail: str


@dataclass
class MigrationContext:
    """What earlier statements of the migration did (tables created, exclusive locks taken)."""

    vendor: str
    atomic: bool
    created_tables: set[str] = field(default_factory=set)
    exclusive_lock: bool = False
    pending_index: list[tuple[int, str, str]] = field(default_factory=list)
    #: (table, column) -> whether the last statement touching its default left one set
    column_defaults: dict[tuple[str, str | None], bool] = field(default_factory=dict)

    def ends_with_default(self, statement: str) -> bool:
        """The column ``statement`` alters has a database default once the migration is done."""
        skel = skeleton(statement)
        table = _alter_table(skel)
        return table is not None and self.column_defaults.get((table, _column(skel))) is True


def _table_detail(table: str | None, column: str | None = None) -> str:
    if table and column:
        return f'column "{column}" of table "{table}"'
    if table:
        return f'table "{table}"'
    if column:
        return f'column "{column}"'
    return ""


def _column(skel: str) -> str | None:
    match = COLUMN_NAME.search(skel)
    return unquote(match.group("column")) if match else None


def _alter_table(skel: str) -> str | None:
    match = TABLE_OF_ALTER.match(skel)
    return unquote(match.group("table")) if match else None


USING_INDEX_NOTE = (
    "ADD CONSTRAINT … UNIQUE USING INDEX attaches an index built beforehand: a brief ACCESS "
    "EXCLUSIVE lock, no scan; writes of duplicates by old code now fail"
)
BUILDS_INDEX_NOTE = (
    "the constraint builds its unique index while holding ACCESS EXCLUSIVE: reads and writes "
    "wait for a scan of the whole table"
)


def _sequence(name: str | None) -> bool:
    """A sequence renamed with ALTER TABLE (PostgreSQL allows it): old code never names it."""
    return name is not None and name.endswith("_seq")


def takes_exclusive_lock(statements: list[str]) -> bool:
    """True when an ALTER TABLE runs on a table that existed before the migration.

    Anywhere in the migration, as django-migration-linter checks it: Django runs deferred
    statements (most CREATE INDEX) after every operation's ALTER TABLE.
    """
    created: set[str] = set()
    for statement in statements:
        skel = skeleton(statement)
        create = CREATE_TABLE.match(skel)
        if create:
            created.add(unquote(create.group("table")))
            continue
        table = _alter_table(skel)
        if table and table not in created and not is_rebuild_statement(skel):
            return True
    return False


def is_rebuild_statement(skel: str) -> bool:
    """SQLite table rebuild plumbing (new__/__old tables)."""
    return '"new__' in skel or "__old" in skel or "new__" in skel


def analyse_operation(
    statements: list[str], ctx: MigrationContext, *, rebuild: bool = False
) -> list[SqlHit]:
    """Hits for one operation's statements; updates ``ctx`` for the operations after it."""
    hits: list[SqlHit] = []
    not_null: SqlHit | None = None
    has_default = False
    for statement, skel in [(s, skeleton(s)) for s in statements]:
        if not skel:
            continue
        create = CREATE_TABLE.match(skel)
        if create:
            ctx.created_tables.add(unquote(create.group("table")))
            continue
        if rebuild and is_rebuild_statement(skel):
            continue
        hits.extend(_schema_hits(statement, skel, ctx, rebuild))
        table = _alter_table(skel)
        if not_null is None and _adds_not_null(skel, ctx, table):
            not_null = SqlHit("NOT_NULL", statement, _table_detail(table, _column(skel)))
        # NOT NULL: as the reference, a default set and dropped again does not count
        if DEFAULT_NOT_NULL.search(skel) or SET_DEFAULT.search(skel):
            has_default = True
            if table:
                ctx.column_defaults[(table, _column(skel))] = True
        if DROP_DEFAULT.search(skel):
            has_default = False
            if table:
                ctx.column_defaults[(table, _column(skel))] = False
        hits.extend(_index_hits(statement, skel, ctx))
    if not_null is not None and not has_default:
        hits.append(not_null)
    return hits


def _schema_hits(statement: str, skel: str, ctx: MigrationContext, rebuild: bool) -> list[SqlHit]:
    """Drops, renames and type changes."""
    hits: list[SqlHit] = []
    vendor = ctx.vendor
    table = _alter_table(skel)
    new_table = table in ctx.created_tables if table else False
    if DROP_COLUMN.search(skel):
        hits.append(SqlHit("DROP_COLUMN", statement, _table_detail(table, _column(skel))))
    if skel.startswith("DROP TABLE") and not (rebuild and vendor == "sqlite"):
        name = re.match(rf"^DROP TABLE (?:IF EXISTS )?(?P<t>{IDENT})", skel)
        dropped = unquote(name.group("t")) if name else None
        if not (dropped and dropped in ctx.created_tables):
            hits.append(SqlHit("DROP_TABLE", statement, _table_detail(dropped)))
    if RENAME_TABLE.search(skel) and not is_rebuild_statement(skel) and not _sequence(table):
        hits.append(SqlHit("RENAME_TABLE", statement, _table_detail(table)))
    if RENAME_COLUMN.search(skel) and not new_table:
        hits.append(SqlHit("RENAME_COLUMN", statement, _table_detail(table, _column(skel))))
    alters_type = ALTER_TYPE.search(skel) or (vendor == "mysql" and MYSQL_MODIFY.search(skel))
    if alters_type and not new_table:
        hits.append(SqlHit("ALTER_COLUMN", statement, _table_detail(table, _column(skel))))
    return hits


def _adds_not_null(skel: str, ctx: MigrationContext, table: str | None) -> bool:
    adds = NOT_NULL.search(skel) and (
        SET_NOT_NULL.search(skel)
        or "ADD COLUMN" in skel
        or "MODIFY" in skel
        or ("ADD" in skel and "CONSTRAINT" not in skel)
    )
    return bool(
        adds
        and not skel.startswith(("CREATE TABLE", "CREATE INDEX", "CREATE UNIQUE INDEX"))
        and not (table in ctx.created_tables if table else False)
        and ctx.vendor != "sqlite"
    )


def _index_hits(statement: str, skel: str, ctx: MigrationContext) -> list[SqlHit]:
    """Unique constraints and indexes (the index codes on PostgreSQL only)."""
    hits: list[SqlHit] = []
    unique = ADD_UNIQUE.match(skel)
    if unique and unquote(unique.group("table")) not in ctx.created_tables:
        detail = _table_detail(unquote(unique.group("table")))
        how = USING_INDEX_NOTE if "USING INDEX" in skel else BUILDS_INDEX_NOTE
        how = MYSQL_UNIQUE_NOTE if ctx.vendor == "mysql" else how
        hits.append(SqlHit("ADD_UNIQUE", statement, f"{detail} ({how})"))
    postgresql = ctx.vendor == "postgresql"
    index = CREATE_INDEX.match(skel)
    if index and unquote(index.group("table")) not in ctx.created_tables:
        detail = _table_detail(unquote(index.group("table")))
        if index.group("unique"):
            hits.append(SqlHit("ADD_UNIQUE", statement, detail))
        if postgresql and not index.group("concurrently"):
            hits.append(SqlHit("CREATE_INDEX", statement, detail))
        if postgresql and ctx.atomic and ctx.exclusive_lock:
            hits.append(SqlHit("CREATE_INDEX_EXCLUSIVE", statement, detail))
    if postgresql:
        drop_index = DROP_INDEX.match(skel)
        if drop_index and not drop_index.group("concurrently"):
            hits.append(SqlHit("DROP_INDEX", statement, ""))
        if skel.startswith("REINDEX") and "CONCURRENTLY" not in skel.split("(")[0]:
            hits.append(SqlHit("REINDEX", statement, ""))
    return hits
