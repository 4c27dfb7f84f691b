"""Every rule code: default severity, why it breaks a rolling deploy, and the safe alternative.

Codes, meanings and default severities are django-migration-linter 6.x's (DESIGN §3), so
existing ``exclude_migration_tests`` lists keep working.
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

    @property
    def anchor(self) -> str:
        return self.code.lower().replace("_", "-")


def docs_url(code: str) -> str:
    """Link to the rule's section of docs/rules.md."""
    return f"{DOCS_BASE}#{code.lower().replace('_', '-')}"


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
]

RULES: dict[str, Rule] = {rule.code: rule for rule in _RULES}
