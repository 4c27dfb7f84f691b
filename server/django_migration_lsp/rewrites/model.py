"""What a rewrite takes in and gives back: plain frozen data, no Django."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RenderedOp:
    """One operation of the migration as Django renders it (offline) on the project's backend."""

    index: int
    kind: str
    statements: tuple[str, ...] = ()


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


@dataclass(frozen=True)
class Proposal:
    """The safe form of one operation.

    ``in_place``: the operation's new source when the migration itself can run it (with
    ``atomic = False`` when ``autocommit``). ``remainder`` / ``follow_up``: when it cannot, what
    stays in this migration (None: the operation leaves it) and the operations of the migration
    added after it. Texts are written for the operation's own column.
    """

    code: str
    index: int
    title: str
    in_place: str
    autocommit: bool
    remainder: str | None
    follow_up: tuple[str, ...]
    follow_up_autocommit: bool
    imports: tuple[tuple[str, str], ...] = ()  # (module, name)
    #: statements of what stays of the operation itself (more than one needs a transaction)
    remainder_statements: int = 0


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
class FixResult:
    """The migration's new text, the migration added after it (if any), and what was done."""

    app: str
    name: str
    path: str
    original: str
    text: str
    new_migration: NewMigration | None = None
    rewritten: tuple[Rewritten, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    #: why nothing at all could be rewritten (wrong vendor, unparsable file, …)
    refused: str | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def changed(self) -> bool:
        return self.text != self.original or self.new_migration is not None
