"""The PostgreSQL lock model (pure): what one statement locks, rewrites, scans, and whether it can
run inside a transaction, by PostgreSQL version.

From PostgreSQL's documentation ("Explicit Locking", ``ALTER TABLE``, ``CREATE INDEX``) and
checked against a real server by ``tests/engine/test_lock_model.py``: each claim made here for a
representative statement is compared with ``pg_locks``, ``relfilenode`` and
``pg_stat_xact_user_tables`` after running it. Statements it does not know return ``None``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .sql import IDENT, skeleton, unquote

ACCESS_EXCLUSIVE = "ACCESS EXCLUSIVE"
SHARE_ROW_EXCLUSIVE = "SHARE ROW EXCLUSIVE"
SHARE = "SHARE"
SHARE_UPDATE_EXCLUSIVE = "SHARE UPDATE EXCLUSIVE"
ROW_EXCLUSIVE = "ROW EXCLUSIVE"

#: weakest to strongest (PostgreSQL's table-level lock modes)
MODE_ORDER = (
    "ACCESS SHARE",
    "ROW SHARE",
    ROW_EXCLUSIVE,
    SHARE_UPDATE_EXCLUSIVE,
    SHARE,
    SHARE_ROW_EXCLUSIVE,
    "EXCLUSIVE",
    ACCESS_EXCLUSIVE,
)

#: functions PostgreSQL marks volatile that a column default commonly calls
VOLATILE_FUNCTIONS = (
    "RANDOM",
    "GEN_RANDOM_UUID",
    "UUID_GENERATE_V1",
    "UUID_GENERATE_V4",
    "CLOCK_TIMESTAMP",
    "TIMEOFDAY",
    "NEXTVAL",
)

_TABLE = rf"(?:IF EXISTS )?(?:ONLY )?(?P<table>{IDENT})"
ALTER_TABLE = re.compile(rf"^ALTER TABLE {_TABLE} (?P<rest>.*)$")
CREATE_INDEX = re.compile(
    rf"^CREATE (?:UNIQUE )?INDEX (?P<concurrently>CONCURRENTLY )?(?:IF NOT EXISTS )?"
    rf"(?:{IDENT} )?ON (?:ONLY )?(?P<table>{IDENT})"
)
DROP_INDEX = re.compile(
    rf"^DROP INDEX (?P<concurrently>CONCURRENTLY )?(?:IF EXISTS )?(?P<i>{IDENT})"
)
REINDEX = re.compile(
    rf"^REINDEX (?:\([^)]*\) )?(?P<what>TABLE|INDEX) (?P<concurrently>CONCURRENTLY )?(?P<r>{IDENT})"
)
DROP_TABLE = re.compile(rf"^DROP TABLE (?:IF EXISTS )?(?P<tables>{IDENT}(?:, ?{IDENT})*)")
DML = re.compile(rf"^(?:INSERT INTO|UPDATE|DELETE FROM) (?:ONLY )?(?P<table>{IDENT})")
REFERENCES = re.compile(rf"\bREFERENCES (?P<table>{IDENT})")
NEW_TYPE = re.compile(
    rf"\bALTER COLUMN {IDENT} (?:SET DATA )?TYPE (?P<type>.+?)(?: USING\b| COLLATE\b|, ALTER\b|$)"
)
LOCK_TIMEOUT = re.compile(r"^SET (?:LOCAL |SESSION )?LOCK_TIMEOUT\b", re.IGNORECASE)


#: the oldest PostgreSQL each Django release supports (its ``minimum_database_version``)
OLDEST_POSTGRES = {(4, 2): 12, (5, 0): 12, (5, 1): 13, (5, 2): 14, (6, 0): 14}


def default_postgres_version(django_version: tuple[int, ...] | None) -> int:
    """The PostgreSQL version to assume: the oldest the project's Django supports.

    Unknown Django (source-only linting): the oldest of all, 12, so no claim relies on a newer
    server. Django newer than the table: its newest entry.
    """
    if not django_version:
        return min(OLDEST_POSTGRES.values())
    key = tuple(django_version[:2])
    if key in OLDEST_POSTGRES:
        return OLDEST_POSTGRES[key]
    older = [v for k, v in OLDEST_POSTGRES.items() if k <= key]
    return max(older) if older else min(OLDEST_POSTGRES.values())


@dataclass(frozen=True)
class StatementLocks:
    """One statement's effect: the strongest lock it takes on each relation, and its cost."""

    what: str  # e.g. "add foreign key"
    locks: tuple[tuple[str, str], ...]  # (relation, mode)
    rewrite: bool  # the table is rewritten (time grows with its size)
    scan: bool  # every row is read under the lock (time grows with its size)
    transactional: bool = True  # False: PostgreSQL refuses it inside a transaction block

    @property
    def mode(self) -> str | None:
        """The strongest mode taken."""
        modes = [mode for _, mode in self.locks]
        return max(modes, key=MODE_ORDER.index) if modes else None

    @property
    def tables(self) -> tuple[str, ...]:
        """The relations locked (for DROP INDEX: the index, its table is not named)."""
        return tuple(relation for relation, _ in self.locks)

    def to_json(self) -> dict[str, object]:
        """The ``lock`` field of a finding in JSON."""
        return {
            "mode": self.mode,
            "tables": list(self.tables),
            "rewrite": self.rewrite,
            "scan": self.scan,
        }

    def cost(self) -> str:
        """How the time under the lock scales, in words."""
        if self.rewrite:
            return "rewrites the whole table (time grows with the table's size)"
        if self.scan:
            return "reads every row while it holds the lock (time grows with the table's size)"
        return "changes metadata only (brief once the lock is granted)"


def type_change_rewrites(old_type: str | None, new_type: str | None) -> bool:
    """False when PostgreSQL changes the column type without rewriting the table.

    Proven cases (binary-coercible, no check of existing values needed): varchar widening,
    varchar/char -> text, varchar -> unbounded varchar, numeric precision widening at the same
    scale, numeric -> unbounded numeric. Anything else, or unknown types, counts as a rewrite.
    """
    old, new = _norm_type(old_type), _norm_type(new_type)
    if old is None or new is None:
        return True
    if old == new:
        return False
    old_name, old_args = old
    new_name, new_args = new
    if old_name == "varchar" and new_name in ("varchar", "text"):
        return bool(new_args) and (not old_args or new_args[0] < old_args[0])
    if old_name == "numeric" and new_name == "numeric":
        if not new_args:
            return False
        if len(old_args) != 2 or len(new_args) != 2:
            return True
        return not (new_args[1] == old_args[1] and new_args[0] >= old_args[0])
    return True


def _norm_type(text: str | None) -> tuple[str, tuple[int, ...]] | None:
    if not text:
        return None
    match = re.fullmatch(r"\s*([a-z ]+?)\s*(?:\(([\d ,]+)\))?\s*", text.lower())
    if not match:
        return None
    name = {"character varying": "varchar", "decimal": "numeric"}.get(match[1], match[1])
    args = tuple(int(a) for a in match[2].split(",")) if match[2] else ()
    return name, args


def statement_locks(
    statement: str, version: int = 12, *, old_type: str | None = None
) -> StatementLocks | None:
    """The lock model of one statement (``old_type``: the altered column's type before)."""
    skel = skeleton(statement)
    alter = ALTER_TABLE.match(skel)
    if alter:
        return _alter_table(unquote(alter["table"]), alter["rest"], version, old_type)
    for reader in (_index_statement, _other_statement):
        found = reader(skel, version)
        if found is not None:
            return found
    return None


def _alter_table(table: str, rest: str, version: int, old_type: str | None) -> StatementLocks:
    exclusive = ((table, ACCESS_EXCLUSIVE),)
    if "FOREIGN KEY" in rest or (rest.startswith("ADD") and REFERENCES.search(rest)):
        ref = REFERENCES.search(rest)
        locks = [(table, SHARE_ROW_EXCLUSIVE)]
        if ref and unquote(ref["table"]) != table:
            locks.append((unquote(ref["table"]), SHARE_ROW_EXCLUSIVE))
        scan = "NOT VALID" not in rest
        if rest.startswith("ADD COLUMN"):
            locks[0] = (table, ACCESS_EXCLUSIVE)
            # a new column without a default is NULL in every row: nothing to check
            scan = scan and bool(re.search(r"\bDEFAULT\b", rest))
        return StatementLocks("add foreign key", tuple(locks), False, scan)
    if rest.startswith("VALIDATE CONSTRAINT"):
        return StatementLocks(
            "validate constraint", ((table, SHARE_UPDATE_EXCLUSIVE),), False, True
        )
    if rest.startswith("ADD CONSTRAINT") or rest.startswith("ADD CHECK"):
        return _add_constraint(table, rest)
    if rest.startswith("ADD COLUMN") or (rest.startswith("ADD ") and "CONSTRAINT" not in rest):
        return _add_column(table, rest, version)
    if re.search(r"\bTYPE\b", rest) and "ALTER COLUMN" in rest:
        new = NEW_TYPE.search(rest)
        rewrite = type_change_rewrites(old_type, new["type"] if new else None)
        return StatementLocks("change column type", exclusive, rewrite, rewrite)
    if "SET NOT NULL" in rest:
        return StatementLocks("set not null", exclusive, False, True)
    return StatementLocks(_alter_what(rest), exclusive, False, False)


def _alter_what(rest: str) -> str:
    for words in ("DROP COLUMN", "RENAME COLUMN", "RENAME TO", "DROP CONSTRAINT", "DROP NOT NULL"):
        if words in rest:
            return words.lower()
    if "DEFAULT" in rest:
        return "change column default"
    return "alter table"


def _add_constraint(table: str, rest: str) -> StatementLocks:
    exclusive = ((table, ACCESS_EXCLUSIVE),)
    if "USING INDEX" in rest:
        return StatementLocks("add constraint using index", exclusive, False, False)
    if re.search(r"\bUNIQUE\b|\bPRIMARY KEY\b", rest):
        return StatementLocks("add unique constraint", exclusive, False, True)
    if re.search(r"\bEXCLUDE\b", rest):
        return StatementLocks("add exclusion constraint", exclusive, False, True)
    if re.search(r"\bCHECK\b", rest):
        return StatementLocks("add check constraint", exclusive, False, "NOT VALID" not in rest)
    return StatementLocks("add constraint", exclusive, False, True)


def _add_column(table: str, rest: str, version: int) -> StatementLocks:
    default = re.search(r"\bDEFAULT (?P<expr>.*)$", rest)
    volatile = default is not None and any(
        re.search(rf"\b{name}\s*\(", default["expr"].upper()) for name in VOLATILE_FUNCTIONS
    )
    generated = bool(re.search(r"\bGENERATED ALWAYS AS\b.*\bSTORED\b", rest))
    rewrite = volatile or generated or (bool(default) and version < 11)
    builds_index = bool(re.search(r"\bUNIQUE\b|\bPRIMARY KEY\b", rest))
    return StatementLocks(
        "add column", ((table, ACCESS_EXCLUSIVE),), rewrite, rewrite or builds_index
    )


def _index_statement(skel: str, version: int) -> StatementLocks | None:
    create = CREATE_INDEX.match(skel)
    if create:
        table = unquote(create["table"])
        if create["concurrently"]:
            locks = ((table, SHARE_UPDATE_EXCLUSIVE),)
            return StatementLocks("create index concurrently", locks, False, True, False)
        return StatementLocks("create index", ((table, SHARE),), False, True)
    drop = DROP_INDEX.match(skel)
    if drop:
        index = unquote(drop["i"])
        if drop["concurrently"]:
            locks = ((index, SHARE_UPDATE_EXCLUSIVE),)
            return StatementLocks("drop index concurrently", locks, False, False, False)
        return StatementLocks("drop index", ((index, ACCESS_EXCLUSIVE),), False, False)
    reindex = REINDEX.match(skel)
    if reindex:
        name = unquote(reindex["r"])
        if reindex["concurrently"] and version >= 12:
            locks = ((name, SHARE_UPDATE_EXCLUSIVE),)
            return StatementLocks("reindex concurrently", locks, False, True, False)
        mode = SHARE if reindex["what"] == "TABLE" else ACCESS_EXCLUSIVE
        return StatementLocks("reindex", ((name, mode),), False, True)
    return None


def _other_statement(skel: str, version: int) -> StatementLocks | None:
    drop = DROP_TABLE.match(skel)
    if drop:
        tables = [unquote(t.strip()) for t in drop["tables"].split(",")]
        return StatementLocks(
            "drop table", tuple((t, ACCESS_EXCLUSIVE) for t in tables), False, False
        )
    dml = DML.match(skel)
    if dml:
        scan = not skel.startswith("INSERT") and " WHERE " not in f" {skel} "
        return StatementLocks("data change", ((unquote(dml["table"]), ROW_EXCLUSIVE),), False, scan)
    return None


def sets_lock_timeout(statement: str) -> bool:
    """``SET [LOCAL] lock_timeout = …`` with a non-zero value."""
    if "lock_timeout" not in statement.lower() or not LOCK_TIMEOUT.match(skeleton(statement)):
        return False
    text = statement.strip().rstrip(";")
    value = re.split(r"\bTO\b|=", text, maxsplit=1, flags=re.IGNORECASE)[-1].strip(" '\"")
    return value.upper() not in ("0", "DEFAULT", "")


def is_ddl(locks: StatementLocks | None) -> bool:
    return locks is not None and locks.what != "data change"
