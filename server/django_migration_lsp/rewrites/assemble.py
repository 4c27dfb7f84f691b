"""Operation texts of a proposal, in place or split across this migration and the next."""

from __future__ import annotations

from collections.abc import Iterable

from .model import Proposal
from .pieces import Piece
from .pysource import reindent


def _run_sql(pieces: list[Piece], indent: int) -> str:
    """One ``RunSQL`` for consecutive pieces (reverse in the reverse order)."""
    forward = [s for p in pieces for s in p.sql]
    reverse = [s for p in reversed(pieces) for s in p.reverse]
    pad, inner = " " * (indent + 4), " " * (indent + 8)
    lines = ["migrations.RunSQL(", f"{pad}sql=["]
    lines += [f"{inner}{s!r}," for s in forward]
    lines.append(f"{pad}],")
    if reverse:
        lines.append(f"{pad}reverse_sql=[")
        lines += [f"{inner}{s!r}," for s in reverse]
        lines.append(f"{pad}],")
    else:
        lines.append(f"{pad}reverse_sql=migrations.RunSQL.noop,")
    lines.append(" " * indent + ")")
    return "\n".join(lines)


def run_sql_texts(pieces: Iterable[Piece], indent: int) -> list[str]:
    """``RunSQL`` operations for ``pieces``: one per run of pieces of the same group."""
    runs: list[list[Piece]] = []
    for piece in pieces:
        if runs and runs[-1][0].group == piece.group:
            runs[-1].append(piece)
        else:
            runs.append([piece])
    return [_run_sql(run, indent) for run in runs]


def separate(state: str, database: list[str], indent: int) -> str:
    """``SeparateDatabaseAndState`` of operation texts written at ``indent``."""
    pad, inner = " " * (indent + 4), " " * (indent + 8)
    lines = [
        "migrations.SeparateDatabaseAndState(",
        f"{pad}state_operations=[",
        f"{inner}{reindent(state, 8)},",
        f"{pad}],",
    ]
    if database:
        lines.append(f"{pad}database_operations=[")
        lines += [f"{inner}{reindent(text, 8)}," for text in database]
        lines.append(f"{pad}],")
    lines.append(" " * indent + ")")
    return "\n".join(lines)


def in_place(p: Proposal) -> str:
    """The whole safe form in this migration (``atomic = False`` when ``p.outside``)."""
    if p.swap is not None:
        return p.swap
    database = [p.plain] if p.plain else []
    database += run_sql_texts(p.pieces, p.column)
    return separate(p.original, database, p.column)


def staying(p: Proposal) -> str | None:
    """What stays in this migration when the rest moves to the next (None: nothing)."""
    if p.swap is not None:
        return None
    database = [p.plain] if p.plain else []
    database += run_sql_texts([x for x in p.pieces if x.group == "now"], p.column)
    return separate(p.original, database, p.column)


def moving(p: Proposal) -> list[str]:
    """The operations of the next migration, written at ``p.column``."""
    if p.swap is not None:
        return [p.swap]
    return run_sql_texts([x for x in p.pieces if x.group != "now"], p.column)
