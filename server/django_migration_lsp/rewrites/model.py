"""What a rewrite takes in and gives back: plain frozen data, no Django."""

from __future__ import annotations

from dataclasses import dataclass, field

from .pieces import Piece
from .pysource import Edit


@dataclass(frozen=True)
class SourceFile:
    """A file of the project the rewrites may read (the app's models module)."""

    path: str
    text: str


@dataclass(frozen=True)
class ChangedFile:
    """A file beside the migration that a rewrite edits (``models.py``): its ``edits`` turn
    ``original`` into ``text`` (kept so an editor can apply them to an open buffer)."""

    path: str
    original: str
    text: str
    edits: tuple[Edit, ...] = ()


@dataclass(frozen=True)
class RemovedColumn:
    """The column a ``RemoveField`` drops, as the project state before it says."""

    table: str
    column: str
    null: bool
    db_type: str
    #: a foreign key's constraint: the (table, column) it references
    references: tuple[str, str] | None = None
    #: the column's own index (dropped with it; built again when the drop is reversed)
    index: str | None = None


@dataclass(frozen=True)
class RenderedOp:
    """One operation of the migration as Django renders it (offline) on the project's backend."""

    index: int
    kind: str
    statements: tuple[str, ...] = ()
    #: for a RemoveField of a concrete column, from the operation's facts (the state before it)
    removed: RemovedColumn | None = None
    #: for a DeleteModel / RemoveField of a many-to-many: Django's statements creating the
    #: dropped tables again (from the operation's facts)
    recreated: tuple[str, ...] = ()


@dataclass(frozen=True)
class MigrationInput:
    """Everything a rewrite needs about one migration: its text and what Django says of it."""

    app: str
    name: str
    path: str
    text: str
    vendor: str
    operations: tuple[RenderedOp, ...]
    #: no other migration depends on this one (a follow-up migration may be added after it)
    leaf: bool
    #: "app.name" of the migrations that depend on it (to say why nothing is added after it)
    dependents: tuple[str, ...] = ()
    #: names of the app's migrations (a new migration's name must not clash)
    taken_names: frozenset[str] = frozenset()
    #: the connection's OPTIONS already set a lock_timeout
    lock_timeout_configured: bool = False
    #: the app's models module(s) (the rename rewrites edit them too)
    models: tuple[SourceFile, ...] = ()
    #: models with changes in models.py that no migration has yet (when the caller knows)
    pending_models: frozenset[str] = frozenset()
    #: Django's (major, minor) where the project runs (empty: unknown, only what 4.2 has)
    django_version: tuple[int, ...] = ()


@dataclass(frozen=True)
class Proposal:
    """The safe form of one operation, before it is placed.

    Either ``swap``: the operation replaced by another that must run outside a transaction
    (``AddIndexConcurrently``), or: ``original`` kept for the project state, and for the
    database ``plain`` (the operation without what made it risky; None: nothing) followed by
    ``pieces`` of SQL. Texts are written for the operation's own ``column``.
    """

    code: str
    index: int
    title: str
    original: str
    column: int
    swap: str | None = None
    plain: str | None = None
    pieces: tuple[Piece, ...] = ()
    imports: tuple[tuple[str, str], ...] = ()  # (module, name)
    #: statements ``plain`` runs (more than one needs a transaction)
    plain_statements: int = 0
    #: the new migration's name when this proposal alone fills it
    follow_up_suffix: str = "zero_downtime"
    #: SQL for the next release's migration, and that migration's name (after its number)
    later: tuple[Piece, ...] = ()
    later_name: str = ""

    @property
    def needs_next(self) -> bool:
        return any(p.group == "next" for p in self.pieces)

    @property
    def outside(self) -> bool:
        return self.swap is not None or any(p.group == "outside" for p in self.pieces)


@dataclass(frozen=True)
class Rewritten:
    code: str
    operation_index: int
    title: str
    #: "in place", or "moved" when part of it went to the new migration
    where: str = "in place"


@dataclass(frozen=True)
class Skipped:
    code: str
    operation_index: int
    reason: str


@dataclass(frozen=True)
class NewMigration:
    name: str
    path: str
    text: str


@dataclass(frozen=True)
class LaterMigration:
    """A migration for the NEXT release, written outside the folder Django loads migrations
    from (``migrations/next_release/``): moved into ``migrations/`` once this release is out."""

    name: str
    path: str
    text: str


@dataclass(frozen=True)
class FixResult:
    """The migration's new text, the migration added after it (if any), and what was done."""

    app: str
    name: str
    path: str
    original: str
    text: str
    new_migration: NewMigration | None = None
    next_release: LaterMigration | None = None
    rewritten: tuple[Rewritten, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    #: why nothing at all could be rewritten (wrong vendor, unparsable file, …)
    refused: str | None = None
    notes: tuple[str, ...] = field(default=())
    #: other files the rewrite edits (the models module, for the renames)
    other_files: tuple[ChangedFile, ...] = ()

    @property
    def changed(self) -> bool:
        return (
            self.text != self.original
            or self.new_migration is not None
            or self.next_release is not None
            or bool(self.other_files)
        )
