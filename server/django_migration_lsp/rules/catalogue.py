"""Every rule code: default severity, why it breaks a rolling deploy, and the safe alternative.

The first 16 codes, their meanings and default severities are django-migration-linter 6.x's, so
existing ``exclude_migration_tests`` lists keep working; the lock codes after them (PostgreSQL)
come from the lock model (``rules.locks``).
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import __version__

# The docs of the installed version: each release is tagged v<version> (CHANGELOG.md).
DOCS_ROOT = f"https://github.com/django-migration-lsp/django-migration-lsp/blob/v{__version__}/docs"
DOCS_BASE = f"{DOCS_ROOT}/rules.md"


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str  # "error" | "warning"
    title: str
    why: str
    fix: str


def docs_url(code: str) -> str:
    """Link to the rule's section of docs/rules.md."""
    return f"{DOCS_BASE}#{code.lower().replace('_', '-')}"


#: NOT_NULL on an existing column (AlterField null=True -> null=False): old code writes NULL for
#: it (Django inserts every field), so adding the column as null=True is no advice here.
TIGHTENED_NOT_NULL = (
    "Old code still running during the deploy writes NULL to this column (the field is still "
    "null=True there), and the database rejects those rows. First release: make every code path "
    "set a value and backfill the NULL rows (RunPython or UPDATE, in batches); a later release "
    "makes it NOT NULL. On PostgreSQL 12+ that AlterField need not scan under its lock: add "
    "CHECK (column IS NOT NULL) NOT VALID, VALIDATE it in the next migration, then SET NOT NULL "
    "(it trusts the valid check) and drop the check (the NOT_NULL_SCAN rewrite of `fix`)."
)

_RULES = [
    Rule(
        "NOT_NULL",
        "error",
        "NOT NULL column without a database default",
        "Old code still running during the deploy inserts rows without this column, and the "
        "database rejects them.",
        "Add the column as null=True (or with db_default=… so the database fills it), deploy, "
        "backfill, then make it NOT NULL in a later release.",
    ),
    Rule(
        "DROP_COLUMN",
        "error",
        "Dropping a column",
        "Old code still selects and inserts this column until the deploy finishes; its queries "
        "fail once the column is gone.",
        "First release: stop using the field (remove it from the model and drop it from Django's "
        "state only, with SeparateDatabaseAndState, or make it nullable); drop the column in a "
        "later release.",
    ),
    Rule(
        "DROP_TABLE",
        "error",
        "Dropping a table",
        "Old code still queries this table until the deploy finishes; its queries fail once the "
        "table is gone.",
        "Remove every use of the model in one release (SeparateDatabaseAndState to delete it from "
        "the state only); drop the table in a later release.",
    ),
    Rule(
        "RENAME_COLUMN",
        "error",
        "Renaming a column",
        "Old code still uses the old column name; its queries fail as soon as the rename runs.",
        "Keep the column name (db_column='old_name') and rename only the Python field, or add the "
        "new column, write to both, backfill, and drop the old one in a later release.",
    ),
    Rule(
        "RENAME_TABLE",
        "error",
        "Renaming a table",
        "Old code still uses the old table name; its queries fail as soon as the rename runs.",
        "Keep the table name (Meta.db_table='old_name') when renaming the model, or copy to a new "
        "table over several releases.",
    ),
    Rule(
        "ALTER_COLUMN",
        "error",
        "Altering a column's type",
        "Changing a column's type rewrites the table under an exclusive lock and may make values "
        "old code writes invalid; it can be compatible (e.g. widening a varchar).",
        "Check the change is backward compatible and ignore it for this operation, or add a new "
        "column with the new type and migrate over several releases.",
    ),
    Rule(
        "ADD_UNIQUE",
        "error",
        "Adding a unique constraint",
        "Old code may still write duplicates, which now fail; building the constraint also locks "
        "the table and fails outright if duplicates already exist.",
        "Deduplicate and make the code respect uniqueness first; on PostgreSQL build a unique "
        "index CONCURRENTLY (non-atomic migration) and attach it with ADD CONSTRAINT … USING "
        "INDEX.",
    ),
    Rule(
        "RUNPYTHON_REVERSIBLE",
        "warning",
        "RunPython without reverse_code",
        "A migration that cannot be reversed blocks rolling back the deploy.",
        "Pass reverse_code= (migrations.RunPython.noop when nothing needs undoing).",
    ),
    Rule(
        "RUNPYTHON_ARGS_NAMING_CONVENTION",
        "warning",
        "RunPython function arguments not named apps, schema_editor",
        "Django passes the historical app registry and the schema editor; other names hide that "
        "the function must use the historical models.",
        "Name the arguments apps, schema_editor.",
    ),
    Rule(
        "RUNPYTHON_MODEL_IMPORT",
        "error",
        "RunPython uses a model imported at module level",
        "The imported model is today's class, not the schema at this point of the migration "
        "history; the migration breaks (or corrupts data) once the model changes.",
        "Get the model inside the function with apps.get_model('app_label', 'Model').",
    ),
    Rule(
        "RUNPYTHON_MODEL_VARIABLE_NAME",
        "warning",
        "Variable name differs from the model in apps.get_model()",
        "X = apps.get_model('app', 'Y') makes the code read as if it used model X.",
        "Name the variable after the model: Y = apps.get_model('app', 'Y').",
    ),
    Rule(
        "RUNSQL_REVERSIBLE",
        "warning",
        "RunSQL without reverse_sql",
        "A migration that cannot be reversed blocks rolling back the deploy.",
        "Pass reverse_sql= (migrations.RunSQL.noop when nothing needs undoing).",
    ),
    Rule(
        "CREATE_INDEX",
        "warning",
        "CREATE INDEX without CONCURRENTLY",
        "PostgreSQL blocks writes to the table while the index builds, which on a large table "
        "stalls the running application.",
        "Use AddIndexConcurrently (django.contrib.postgres.operations) in a migration with "
        "atomic = False.",
    ),
    Rule(
        "CREATE_INDEX_EXCLUSIVE",
        "warning",
        "CREATE INDEX while an exclusive lock is held",
        "This atomic migration already took an exclusive lock (ALTER TABLE) that is held until it "
        "commits; building the index now keeps every query on that table waiting.",
        "Move the index to its own migration, built CONCURRENTLY with atomic = False.",
    ),
    Rule(
        "DROP_INDEX",
        "warning",
        "DROP INDEX without CONCURRENTLY",
        "PostgreSQL takes an exclusive lock on the table to drop the index, blocking reads and "
        "writes while it waits for running queries.",
        "Use RemoveIndexConcurrently (django.contrib.postgres.operations) with atomic = False.",
    ),
    Rule(
        "REINDEX",
        "warning",
        "REINDEX",
        "REINDEX locks out writes (and reads using the index) while it rebuilds.",
        "Use REINDEX … CONCURRENTLY (PostgreSQL 12+) outside a transaction (atomic = False).",
    ),
    Rule(
        "ADD_FOREIGN_KEY",
        "warning",
        "Foreign key added without NOT VALID",
        "PostgreSQL takes SHARE ROW EXCLUSIVE on both tables (writes to either wait) and checks "
        "every existing row before it lets go; the time grows with the table's size.",
        "Add the constraint NOT VALID (RunSQL 'ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY … NOT "
        "VALID' in SeparateDatabaseAndState with the field in state_operations), then VALIDATE "
        "CONSTRAINT in a later migration (it takes SHARE UPDATE EXCLUSIVE: writes go on).",
    ),
    Rule(
        "ADD_CHECK",
        "warning",
        "CHECK constraint added without NOT VALID",
        "PostgreSQL takes ACCESS EXCLUSIVE (reads and writes wait) and checks every existing row "
        "while it holds it; the time grows with the table's size.",
        "Add it NOT VALID (RunSQL in SeparateDatabaseAndState, AddConstraint in "
        "state_operations), then VALIDATE CONSTRAINT in a later migration.",
    ),
    Rule(
        "ADD_EXCLUSION",
        "warning",
        "Exclusion constraint added to an existing table",
        "PostgreSQL takes ACCESS EXCLUSIVE and builds the constraint's index over every row "
        "while it holds it; exclusion constraints cannot be added NOT VALID.",
        "Add it while the table is small or in a maintenance window; otherwise enforce the rule "
        "in code first and add the constraint when a lock of that length is acceptable.",
    ),
    Rule(
        "VALIDATE_IN_TRANSACTION",
        "warning",
        "VALIDATE CONSTRAINT in the same transaction as its NOT VALID add",
        "The ADD CONSTRAINT's lock is held until the migration commits, so validating now scans "
        "the table under that lock: NOT VALID gains nothing.",
        "Move the VALIDATE CONSTRAINT to a later migration (or make this one atomic = False).",
    ),
    Rule(
        "NOT_NULL_SCAN",
        "warning",
        "SET NOT NULL scans the table under ACCESS EXCLUSIVE",
        "PostgreSQL reads every row to prove there is no NULL while reads and writes wait; the "
        "time grows with the table's size.",
        "On PostgreSQL 12+: add CheckConstraint(condition=Q(field__isnull=False)) NOT VALID, "
        "VALIDATE it in a later migration, then AlterField(null=False) (no scan) and remove the "
        "check.",
    ),
    Rule(
        "TABLE_REWRITE",
        "warning",
        "Statement rewrites the whole table",
        "PostgreSQL copies every row into a new file under ACCESS EXCLUSIVE (reads and writes "
        "wait); the time grows with the table's size.",
        "Add a new column (nullable, or with a constant default), backfill it in batches, switch "
        "the code over, and drop the old column in a later release; avoid volatile defaults "
        "and stored generated columns on large tables.",
    ),
    Rule(
        "CONCURRENTLY_IN_TRANSACTION",
        "error",
        "CONCURRENTLY in a migration that runs in a transaction",
        "PostgreSQL refuses CREATE/DROP INDEX CONCURRENTLY and REINDEX CONCURRENTLY inside a "
        "transaction block: the migration fails at migrate time.",
        "Set atomic = False on the migration (and keep the concurrent operation alone in it).",
    ),
    Rule(
        "LOCK_TIMEOUT",
        "warning",
        "ACCESS EXCLUSIVE lock taken with no lock_timeout",
        "While the statement waits behind a long query for its lock, every later query on the "
        "table queues behind it: the application stalls even for a metadata-only change.",
        "Run RunSQL(\"SET LOCAL lock_timeout = '5s'\", migrations.RunSQL.noop) first in "
        "this migration (or set lock_timeout in the connection's OPTIONS for migrations) and "
        "retry the migration when it times out.",
    ),
    Rule(
        "DATA_MIGRATION_HOLDS_LOCKS",
        "warning",
        "Data step runs while an exclusive lock is held",
        "This atomic migration already took ACCESS EXCLUSIVE on a table; the lock is held until "
        "commit, so the table is unavailable for the whole data step.",
        "Move the RunPython / data RunSQL to its own migration (atomic = False for large "
        "batches), after the schema change.",
    ),
]

RULES: dict[str, Rule] = {rule.code: rule for rule in _RULES}
