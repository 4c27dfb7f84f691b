"""The names constraints, indexes and sequences really have: kept from when they were created.

Django names a constraint from the table and columns of the moment it creates it; renaming the
table (RenameModel, AlterModelTable, a referenced table's rename) or a column (RenameField,
AlterField's db_column) leaves the database's names as they were. Introspection on a live
database reports those old names, so ``migrate`` drops and renames them by their old names.
Offline, ``NameBook`` plays that part: per table, each constraint's identity (what it is: the
primary key, the foreign key of column X, the ``_like`` index of column Y, …) maps to the name it
was created with. The renderer updates it after each operation from the statements the
operation ran (renames move entries, drops forget them, new identities take the name Django
gives them now) and the offline introspection (``catalog``) answers with the recorded names.

It also knows what the state believes in and the database no longer has: since Django 5.1 a
SQLite table rebuild (``_remake_table``) no longer re-creates the ``index_together`` indexes
(the option left model ``Meta``), while migration states keep the option. Those identities are
``gone`` (with where it happened), so introspection does not report them, as SQLite would not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

Identity = tuple[Any, ...]

_Q = r'[`"]?([^`"\s]+)[`"]?'
_RENAME_TABLE = re.compile(rf"^ALTER TABLE {_Q} RENAME TO {_Q}", re.IGNORECASE)
_RENAME_TABLE_MYSQL = re.compile(rf"^RENAME TABLE {_Q} TO {_Q}", re.IGNORECASE)
_RENAME_COLUMN = re.compile(rf"^ALTER TABLE {_Q} RENAME COLUMN {_Q} TO {_Q}", re.IGNORECASE)
_CHANGE_COLUMN = re.compile(rf"^ALTER TABLE {_Q} CHANGE {_Q} {_Q}", re.IGNORECASE)
_DROP_TABLE = re.compile(rf"^DROP TABLE {_Q}", re.IGNORECASE)


class IndexGoneError(ValueError):
    """An operation looks up an ``index_together`` index by its columns, and the database no
    longer has it (a Django 5.1+ SQLite table rebuild dropped it). Raised where Django's own
    lookup finds nothing and raises ``ValueError("Found wrong number (0) of …")``."""

    def __init__(self, table: str, columns: list[str], where: str) -> None:
        self.table, self.columns, self.where = table, list(columns), where
        super().__init__(f"Found wrong number (0) of indexes for {table}({', '.join(columns)}).")


@dataclass
class NameBook:
    """Per table: constraint identity -> (the name the database has for it, its description
    as introspection reports it)."""

    tables: dict[str, dict[Identity, tuple[str, dict[str, Any]]]] = field(default_factory=dict)
    #: per table: identities the state has and the database lost -> where they were lost
    gone: dict[str, dict[Identity, str]] = field(default_factory=dict)
    #: the operation being rendered ("app.migration, operation N"), for ``gone``
    at: str = ""

    def translate(
        self, table: str, computed: dict[str, dict[str, Any]]
    ) -> dict[str, dict[str, Any]]:
        """What the database has on ``table``: the recorded constraints, then those of
        ``computed`` (named as Django would name them now) not recorded."""
        lost = self.gone.get(table, {})
        if lost:
            computed = {n: i for n, i in computed.items() if i.get("identity") not in lost}
        book = self.tables.get(table)
        if not book:
            return computed
        out = {name: info for identity, (name, info) in book.items() if identity[0] != "seq"}
        for name, info in computed.items():
            identity = info.get("identity")
            if identity is None or identity not in book:
                out.setdefault(name, info)
        return out

    def vanished(self, table: str, columns: Iterable[str]) -> str | None:
        """Where the ``index_together`` index of ``columns`` was lost, if it was."""
        return self.gone.get(table, {}).get(("index_together", tuple(columns)))

    def sequence(self, table: str, column: str) -> str | None:
        entry = self.tables.get(table, {}).get(("seq", column))
        return entry[0] if entry else None

    def learn(
        self,
        table: str,
        computed: dict[str, dict[str, Any]],
        statements: Iterable[str] = (),
        *,
        complete: bool,
        mysql: bool = False,
    ) -> None:
        """Record identities of ``table`` not yet known (created now, or first seen).

        ``complete``: ``computed`` is everything the table has (a fully rendered model), so
        identities missing from it are gone. On MySQL an inline UNIQUE (one not created by a
        statement naming it) is named after its column.
        """
        book = self.tables.setdefault(table, {})
        lost = self.gone.setdefault(table, {})
        text = "\n".join(statements)
        seen = set()
        for name, info in computed.items():
            identity = info.get("identity")
            if identity is None:
                continue
            seen.add(identity)
            if identity in book:
                continue
            if identity[0] == "index_together" and text:
                # only ever made by a CREATE INDEX naming it: not made now, not there
                if f'"{name}"' not in text and f"`{name}`" not in text:
                    lost.setdefault(identity, self.at)
                    continue
                lost.pop(identity, None)
            if mysql and identity[0] == "unique" and name not in text:
                name = info["columns"][0]
            book[identity] = (name, dict(info))
            if identity[0] == "pk" and info.get("sequence"):
                book.setdefault(("seq", info["columns"][0]), (info["sequence"], {}))
        if complete:
            for identity in [i for i in book if i not in seen and i[0] != "seq"]:
                del book[identity]
            for identity in [i for i in lost if i not in seen]:
                del lost[identity]

    def follow(self, statements: Iterable[str]) -> None:
        """Apply the renames and drops ``statements`` ran, in order."""
        for statement in statements:
            text = statement.strip()
            if match := _RENAME_TABLE.match(text) or _RENAME_TABLE_MYSQL.match(text):
                self.rename_table(match.group(1), match.group(2))
            elif match := _RENAME_COLUMN.match(text) or _CHANGE_COLUMN.match(text):
                self.rename_column(match.group(1), match.group(2), match.group(3))
            elif match := _DROP_TABLE.match(text):
                self.tables.pop(match.group(1), None)
            elif "DROP " in text.upper():
                self._forget_dropped(text)

    def rename_table(self, old: str, new: str) -> None:
        book = self.tables.pop(old, None)
        if book is not None:
            self.tables[new] = book
        lost = self.gone.pop(old, None)
        if lost:  # a rebuild's new__ table has none: the lost names stay with the table
            self.gone[new] = lost

    def rename_column(self, table: str, old: str, new: str) -> None:
        lost = self.gone.get(table)
        if lost:
            self.gone[table] = {_with_column(i, old, new): where for i, where in lost.items()}
        book = self.tables.get(table)
        if not book:
            return
        renamed: dict[Identity, tuple[str, dict[str, Any]]] = {}
        for identity, (name, info) in book.items():
            if info.get("columns"):
                info = {**info, "columns": [new if c == old else c for c in info["columns"]]}
            renamed[_with_column(identity, old, new)] = (name, info)
        self.tables[table] = renamed

    def _forget_dropped(self, statement: str) -> None:
        for book in self.tables.values():
            for identity, (name, _) in list(book.items()):
                if identity[0] != "seq" and _names_object(statement, name):
                    del book[identity]


def _with_column(identity: Identity, old: str, new: str) -> Identity:
    kind, *rest = identity
    if kind == "seq":  # a sequence keeps its name; Django looks it up by the new column
        return ("seq", new) if rest[0] == old else identity
    if kind == "pk" or not rest:
        return identity
    columns = tuple(new if c == old else c for c in rest[0])
    return (kind, columns, *rest[1:])


def _names_object(statement: str, name: str) -> bool:
    """True when ``statement`` drops the object called ``name``."""
    upper = statement.upper()
    for quoted in (f'"{name}"', f"`{name}`"):
        at = statement.find(quoted)
        while at >= 0:
            if "DROP " in upper[:at]:
                return True
            at = statement.find(quoted, at + 1)
    return False


def copy_book(book: NameBook) -> NameBook:
    return NameBook(
        {table: dict(entries) for table, entries in book.tables.items()},
        {table: dict(lost) for table, lost in book.gone.items() if lost},
        book.at,
    )
