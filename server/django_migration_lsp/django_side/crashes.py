"""Operations the real ``migrate`` crashes on, where offline rendering can tell: said as the
errors they are (located on the operation, the migration marked as one ``migrate`` fails on)."""

from __future__ import annotations

from typing import Any

from django.db.migrations import operations as ops

from ..findings import RenderedOperation
from .names import IndexGoneError
from .rendered import render_failure


def migrate_crash(op: Any, description: str, exc: BaseException) -> str | None:
    """The error of an operation ``migrate`` crashes on (what, why, the safe way); None when
    ``exc`` is no such crash."""
    if not isinstance(exc, IndexGoneError):
        return None
    columns = ", ".join(exc.columns)
    rename = isinstance(op, ops.RenameIndex)
    raised = (  # Django's own words: RenameIndex's lookup, else _delete_composed_index's
        f"Found wrong number (0) of indexes for {exc.table}({columns})."
        if rename
        else f"Found wrong number (0) of constraints for {exc.table}({columns})"
    )
    where = f" in {exc.where}" if exc.where else ""
    return (
        f'{description}: `migrate` crashes here on SQLite with ValueError "{raised}": the '
        f"index_together index of {exc.table}({columns}) this operation looks up by its "
        f"columns no longer exists, because the table rebuild{where} dropped it (SQLite alters "
        "a table by re-creating it, and since Django 5.1 the rebuild no longer re-creates "
        "index_together indexes). The deploy stops at this migration. Safe way: "
        + (_recreate(op, exc) if rename else _state_only())
        + " A project also deployed on PostgreSQL or MySQL, where no rebuild dropped the "
        "index, keeps this operation for them (choose by connection.vendor)."
    )


def _recreate(op: Any, exc: IndexGoneError) -> str:
    fields = list(op.old_fields or exc.columns)
    return (
        "create the index instead of looking the old one up: "
        "migrations.SeparateDatabaseAndState(state_operations=[this operation], "
        f'database_operations=[migrations.AddIndex("{op.model_name}", '
        f'models.Index(fields={fields!r}, name="{op.new_name}"))]).'
    )


def _state_only() -> str:
    return (
        "the index is already gone, so remove it from the state only: "
        "migrations.SeparateDatabaseAndState(state_operations=[this operation])."
    )


def record_failure(op: Any, rendered: RenderedOperation, exc: BaseException) -> None:
    """What rendering ``op`` raised, as its error: a ``migrate`` crash said as one."""
    crash = migrate_crash(op, rendered.description, exc)
    rendered.crashes_migrate = crash is not None
    rendered.error = crash or render_failure(rendered.description, exc)
