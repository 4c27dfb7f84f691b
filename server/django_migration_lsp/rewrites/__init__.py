"""Safe rewrites: the zero-downtime form of a migration's risky operations, as new source text.

Pure (``ast`` + the migration's exact text, and the SQL Django renders for each operation,
which carries the names Django gives): no Django import here. ``fix_migration`` is the entry.
"""

from .dispatch import CODES, fix_migration
from .model import (
    FixResult,
    LaterMigration,
    MigrationInput,
    NewMigration,
    RemovedColumn,
    RenderedOp,
    Rewritten,
    Skipped,
)

__all__ = [
    "CODES",
    "FixResult",
    "LaterMigration",
    "MigrationInput",
    "NewMigration",
    "RemovedColumn",
    "RenderedOp",
    "Rewritten",
    "Skipped",
    "fix_migration",
]
