"""What rendering one migration produces, and how a failure to render is worded."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..findings import RenderedOperation
from .loading import describe_exception
from .offline import OfflineError

Key = tuple[str, str]


@dataclass
class RenderedMigration:
    """SQL and facts for every operation of one migration."""

    key: Key
    atomic: bool
    operations: list[RenderedOperation] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0
    #: (operation index, sub index) -> the statements of it Django defers to the migration's
    #: end (they are in that operation's ``statements`` too, last)
    deferred: dict[tuple[int, int | None], list[str]] = field(default_factory=dict)
    #: (operation index, sub index) -> a RunSQL's statements as Django executes them, where
    #: that differs from the split ``statements`` the rules read (PostgreSQL runs a script whole)
    as_run: dict[tuple[int, int | None], list[str]] = field(default_factory=dict)


def render_failure(description: str, exc: BaseException) -> str:
    """The error of an operation whose SQL could not be rendered, saying why."""
    if isinstance(exc, OfflineError):
        return (
            f"{description}: this operation queries the database while it runs ({exc}); its "
            "SQL cannot be known offline"
        )
    return f"rendering the SQL of {description!r} raised {describe_exception(exc)}"
