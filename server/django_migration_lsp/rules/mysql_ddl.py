"""MySQL / MariaDB online DDL: which ALTERs InnoDB runs in place and what the rules say (pure).

InnoDB runs an ALTER TABLE with one of three algorithms: ``INSTANT`` (metadata only),
``INPLACE`` (concurrent reads and writes allowed with ``LOCK=NONE``, the table possibly rebuilt)
or ``COPY`` (every row copied into a new table while writes wait, ``LOCK=SHARED``). Each claim
below is checked against a real MariaDB 10.11 in ``tests/engine/test_mysql_rules.py`` by running
the statement with the algorithm appended (``ALGORITHM=INSTANT`` / ``INPLACE, LOCK=NONE``).
"""

from __future__ import annotations

import re

from ..facts_schema import OperationFacts

#: utf8mb4 (Django's and MariaDB/MySQL 8's usual charset) stores up to 4 bytes a character; a
#: VARCHAR of up to 255 bytes keeps a 1-byte length prefix, a longer one a 2-byte prefix.
BYTES_PER_CHAR = 4
ONE_BYTE_PREFIX = 255

_VARCHAR = re.compile(r"^varchar\((?P<length>\d+)\)$", re.IGNORECASE)


def varchar_length(db_type: str | None) -> int | None:
    """``varchar(60)`` -> 60; anything else None."""
    match = _VARCHAR.match((db_type or "").strip())
    return int(match["length"]) if match else None


def widens_in_place(old_type: str | None, new_type: str | None) -> bool:
    """A VARCHAR lengthened within its length-prefix class: InnoDB changes only metadata
    (INSTANT on MariaDB 10.4+, INPLACE without a rebuild on MySQL 5.7+). Lengthening across the
    class (63 -> 64 characters in utf8mb4), shortening it or any other type change is a COPY.

    utf8mb4 is assumed: with a 1-byte charset the class boundary is higher, so the assumption
    never calls a copying change in place."""
    old, new = varchar_length(old_type), varchar_length(new_type)
    if old is None or new is None or new < old:
        return False
    return (old * BYTES_PER_CHAR <= ONE_BYTE_PREFIX) == (new * BYTES_PER_CHAR <= ONE_BYTE_PREFIX)


def changes_type(facts: OperationFacts) -> bool | None:
    """Whether an AlterField changes the column's type in a way that copies the table on
    MySQL/MariaDB; None when the facts do not say (no AlterField, or types unknown)."""
    altered = facts.column_altered
    if altered is None or altered.old_type is None or altered.new_type is None:
        return None
    if recollates(facts):
        return True
    if altered.old_type == altered.new_type:
        return False
    return not widens_in_place(altered.old_type, altered.new_type)


def recollates(facts: OperationFacts) -> bool:
    """The AlterField changes the column's collation (``db_collation``)."""
    altered = facts.column_altered
    if altered is None or altered.old_collation is None or altered.new_collation is None:
        return False
    return altered.old_collation != altered.new_collation


def tightens(facts: OperationFacts) -> bool | None:
    """Whether an AlterField makes a nullable column NOT NULL; None when it is no AlterField."""
    altered = facts.column_altered
    if altered is None or altered.old_null is None or altered.new_null is None:
        return None
    return altered.old_null and not altered.new_null


TYPE_CHANGE = (
    "MySQL and MariaDB cannot change a column's type in place: InnoDB runs this ALTER with "
    "ALGORITHM=COPY, copying every row into a new table while writes wait (LOCK=SHARED; "
    "LOCK=NONE is refused) for the whole copy, and values old code writes may not fit the new "
    "type. Only lengthening a VARCHAR within its length-byte class (up to 63, or from 64 "
    "characters, in utf8mb4) is done in place. Safe way: add a new field with the new type "
    "(null=True), write to both and backfill in batches, switch reads, and remove the old field "
    "in a later release; or run the change with pt-online-schema-change or gh-ost, which copy "
    "the table while writes go on."
)

COLLATION_CHANGE = (
    "A new collation changes how the column compares and sorts: old code's lookups and "
    "uniqueness may behave differently, and indexes on the column are rebuilt. MariaDB 10.11 "
    "runs it in place (INSTANT, or INPLACE with LOCK=NONE for an indexed column); check your "
    "server by appending ALGORITHM=INPLACE, LOCK=NONE to the statement on a copy of the table "
    "(it is refused when the change would copy). Safe way: make the code independent of the "
    "collation first, or add a new field with the new collation, backfill, and switch over."
)

TIGHTENED_NOT_NULL = (
    "Old code still running during the deploy writes NULL to this column (the field is still "
    "null=True there), and MySQL's strict mode rejects those rows; the MODIFY itself also fails "
    "while any NULL row is left. It runs ALGORITHM=INPLACE, LOCK=NONE (writes go on) but InnoDB "
    "rebuilds the table, which takes time with its size. First release: make every code path "
    "set a value and backfill the NULL rows (RunPython or UPDATE, in batches); a later release "
    "makes it NOT NULL (AlterField null=False)."
)

ADDED_NOT_NULL = (
    "Adding the column is INSTANT on MySQL 8.0.12+ and MariaDB 10.3+ (no table copy); the "
    "danger is old code still running during the deploy: its INSERTs leave the column out and "
    "MySQL's strict mode rejects them (\"Field … doesn't have a default value\"): the column "
    "keeps no database default (Django drops the one it adds the column with). Add the field as "
    "null=True, or with "
    "db_default=… (Django 5+) so the database keeps filling it, deploy, backfill, then make it "
    "NOT NULL in a later release."
)

UNIQUE_NOTE = (
    "InnoDB builds the unique index in place (ALGORITHM=INPLACE, LOCK=NONE): reads and writes "
    "go on during the build"
)

ADD_UNIQUE = (
    "The build is online on MySQL and MariaDB, but it fails if duplicates already exist, and "
    "old code still running during the deploy may write duplicates, which now fail with an "
    "IntegrityError. First release: make every code path respect uniqueness and deduplicate "
    "the existing rows (RunPython, in batches); add the constraint in a later release."
)


def advice(code: str, facts: OperationFacts) -> str | None:
    """The MySQL/MariaDB why and fix of a rule hit where online DDL decides it, else None."""
    if code == "ALTER_COLUMN":
        altered = facts.column_altered
        same_type = altered is not None and altered.old_type == altered.new_type
        return COLLATION_CHANGE if same_type and recollates(facts) else TYPE_CHANGE
    if code == "NOT_NULL":
        return TIGHTENED_NOT_NULL if tightens(facts) else ADDED_NOT_NULL
    if code == "ADD_UNIQUE":
        return ADD_UNIQUE
    return None
