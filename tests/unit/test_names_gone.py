"""NameBook.gone (pure): an index_together index the state keeps and a table rebuild did not
re-create is lost, with where; the lost name follows table and column renames and clones, and a
CREATE INDEX naming it brings it back."""

from __future__ import annotations

from django_migration_lsp.django_side.names import NameBook, copy_book

IDX = "t_a_b_1234abcd_idx"


def together(columns=("a", "b")):
    return {IDX: {"columns": list(columns), "identity": ("index_together", tuple(columns))}}


def rebuilt(book: NameBook, at: str) -> None:
    book.at = at
    book.follow(['DROP TABLE "t";', 'ALTER TABLE "new__t" RENAME TO "t";'])
    book.learn("t", together(), ['CREATE TABLE "new__t" (…);'], complete=True)


def test_a_rebuild_that_does_not_recreate_it_loses_it_where_it_happened():
    book = NameBook()
    book.learn("t", together(), [f'CREATE INDEX "{IDX}" ON "t" ("a", "b");'], complete=True)
    assert IDX in book.translate("t", together())
    rebuilt(book, "shop.0002 (operation 1)")
    assert book.translate("t", together()) == {}
    assert book.vanished("t", ["a", "b"]) == "shop.0002 (operation 1)"
    rebuilt(book, "shop.0003 (operation 1)")  # lost once: where it was lost stays
    assert book.vanished("t", ["a", "b"]) == "shop.0002 (operation 1)"
    clone = copy_book(book)
    assert clone.vanished("t", ["a", "b"]) == "shop.0002 (operation 1)"
    book.follow(['ALTER TABLE "t" RENAME TO "u";', 'ALTER TABLE "u" RENAME COLUMN "a" TO "c";'])
    assert book.vanished("u", ["c", "b"]) == "shop.0002 (operation 1)"
    assert book.vanished("t", ["a", "b"]) is None


def test_first_sight_and_a_create_index_naming_it_keep_it():
    book = NameBook()
    book.learn("t", together(), complete=False)  # first seen: the database has what it had
    assert IDX in book.translate("t", together())
    rebuilt(book, "shop.0002 (operation 1)")
    book.learn("t", together(), [f'CREATE INDEX "{IDX}" ON "t" ("a", "b");'], complete=True)
    assert book.vanished("t", ["a", "b"]) is None
    assert IDX in book.translate("t", together())
