"""SQL rules over real statements as Django 5.2 emits them (pure, no Django)."""

from __future__ import annotations

from django_migration_lsp.findings import RenderedOperation
from django_migration_lsp.rules.run import lint_operations
from django_migration_lsp.rules.sql import skeleton


def op(index: int, *statements: str, kind: str = "Operation", facts=None, origin="schema_editor"):
    return RenderedOperation(index, kind, kind, list(statements), origin, facts=facts or {})


#: the lock codes (PostgreSQL) have their own tests (test_lock_rules.py); these test the others
LOCK_CODES = {
    "ADD_FOREIGN_KEY",
    "ADD_CHECK",
    "ADD_EXCLUSION",
    "VALIDATE_IN_TRANSACTION",
    "NOT_NULL_SCAN",
    "TABLE_REWRITE",
    "CONCURRENTLY_IN_TRANSACTION",
    "LOCK_TIMEOUT",
    "DATA_MIGRATION_HOLDS_LOCKS",
}


def codes(ops, vendor="postgresql", atomic=True):
    hits = lint_operations(ops, vendor, atomic=atomic)
    return sorted((h.code, h.operation_index) for h in hits if h.code not in LOCK_CODES)


def test_skeleton_blanks_literals_and_comments():
    s = skeleton(
        "UPDATE t SET note = 'ALTER TABLE x DROP COLUMN y' -- DROP COLUMN\n/* DROP TABLE */"
    )
    assert "DROP" not in s
    assert s.startswith("UPDATE t SET note = ''")


def test_drop_column_and_string_literal_not_flagged():
    assert codes([op(0, 'ALTER TABLE "shop_item" DROP COLUMN "price" CASCADE;')]) == [
        ("DROP_COLUMN", 0)
    ]
    assert codes([op(0, "UPDATE shop_item SET note = 'DROP COLUMN price';", origin="runsql")]) == []


def test_not_null_default_dropped_is_flagged_kept_default_is_not():
    add = 'ALTER TABLE "shop_item" ADD COLUMN "stock" integer DEFAULT 0 NOT NULL;'
    drop = 'ALTER TABLE "shop_item" ALTER COLUMN "stock" DROP DEFAULT;'
    assert codes([op(0, add, drop)]) == [("NOT_NULL", 0)]
    assert codes([op(0, add)]) == []  # db_default: the database keeps filling it
    assert codes([op(0, 'ALTER TABLE "t" ADD COLUMN "c" integer NULL;')]) == []
    assert codes([op(0, 'ALTER TABLE "t" ALTER COLUMN "c" SET NOT NULL;')]) == [("NOT_NULL", 0)]
    assert codes([op(0, 'ALTER TABLE "t" ALTER COLUMN "c" DROP NOT NULL;')]) == []


def test_attribution_and_new_table_exemptions():
    ops = [
        op(0, 'CREATE TABLE "shop_new" ("id" bigint NOT NULL PRIMARY KEY);'),
        op(
            1,
            'CREATE UNIQUE INDEX "u" ON "shop_new" ("id");',
            'CREATE INDEX "i" ON "shop_new" ("id");',
        ),
        op(2, 'CREATE INDEX "j" ON "shop_old" ("id");'),
        op(3, 'ALTER TABLE "shop_old" ADD CONSTRAINT "x_uniq" UNIQUE ("a", "b");'),
    ]
    assert codes(ops) == [
        ("ADD_UNIQUE", 3),
        ("CREATE_INDEX", 2),
        ("CREATE_INDEX_EXCLUSIVE", 2),
    ]
    # not atomic: no lock is held across statements
    assert ("CREATE_INDEX_EXCLUSIVE", 2) not in codes(ops, atomic=False)


def test_concurrently_exempts_and_vendor_specific_codes():
    assert codes([op(0, 'CREATE INDEX CONCURRENTLY "i" ON "t" ("c");')]) == []
    assert codes([op(0, 'DROP INDEX CONCURRENTLY IF EXISTS "i";')]) == []
    assert codes([op(0, 'DROP INDEX IF EXISTS "i";')]) == [("DROP_INDEX", 0)]
    assert codes([op(0, "REINDEX TABLE t;")]) == [("REINDEX", 0)]
    assert codes([op(0, "REINDEX TABLE CONCURRENTLY t;")]) == []
    # PostgreSQL-only codes are not raised for SQLite
    assert codes([op(0, 'CREATE INDEX "i" ON "t" ("c");'), op(1, "REINDEX t;")], "sqlite") == []


def test_renames_and_alter_type():
    assert codes([op(0, 'ALTER TABLE "t" RENAME COLUMN "a" TO "b";')]) == [("RENAME_COLUMN", 0)]
    assert codes([op(0, 'ALTER TABLE "a" RENAME TO "b";')]) == [("RENAME_TABLE", 0)]
    assert codes([op(0, 'ALTER INDEX "a" RENAME TO "b";')]) == []
    assert codes(
        [op(0, 'ALTER TABLE "t" ALTER COLUMN "p" TYPE numeric(12, 2) USING "p"::numeric(12, 2);')]
    ) == [("ALTER_COLUMN", 0)]
    assert codes([op(0, "ALTER TABLE `t` MODIFY `p` numeric(12, 2) NOT NULL;")], "mysql") == [
        ("ALTER_COLUMN", 0),
        ("NOT_NULL", 0),
    ]


def test_sqlite_rebuild_is_judged_by_facts():
    rebuild = [
        'CREATE TABLE "new__shop_item" ("id" integer NOT NULL PRIMARY KEY, "sku" varchar(5) NOT NULL);',
        'INSERT INTO "new__shop_item" ("id", "sku") SELECT "id", "sku" FROM "shop_item";',
        'DROP TABLE "shop_item";',
        'ALTER TABLE "new__shop_item" RENAME TO "shop_item";',
    ]
    widened = {
        "table_remade": True,
        "column_altered": {
            "table": "shop_item",
            "column": "sku",
            "old_type": "varchar(5)",
            "new_type": "varchar(5)",
            "old_null": False,
            "new_null": False,
            "old_unique": False,
            "new_unique": False,
        },
    }
    assert codes([op(0, *rebuild, facts=widened)], "sqlite") == []
    tightened = {
        "table_remade": True,
        "column_altered": {
            **widened["column_altered"],
            "old_null": True,
            "new_null": False,
            "new_unique": True,
        },
    }
    assert codes([op(0, *rebuild, facts=tightened)], "sqlite") == [
        ("ADD_UNIQUE", 0),
        ("NOT_NULL", 0),
    ]


def test_facts_rules_when_there_is_no_sql():
    facts = {"column_dropped": {"table": "t", "column": "c"}}
    assert codes([op(0, facts=facts)], "oracle") == [("DROP_COLUMN", 0)]
    assert codes([op(0, facts={"index_added": {"table": "t", "concurrently": False}})]) == [
        ("CREATE_INDEX", 0)
    ]
    assert codes([op(0, facts={"column_added": {"table": "t", "column": "c"}})]) == []  # partial


def test_runsql_reverse_is_linted_and_separate_database_and_state():
    runsql = op(
        0,
        "UPDATE t SET a = 1;",
        kind="RunSQL",
        origin="runsql",
        facts={"runsql": {"reversible": True, "reverse_statements": ["DROP TABLE t;"]}},
    )
    hits = [
        h for h in lint_operations([runsql], "postgresql", atomic=True) if h.code not in LOCK_CODES
    ]
    assert [(h.code, "reverse SQL" in h.detail) for h in hits] == [("DROP_TABLE", True)]
    irreversible = op(0, kind="RunSQL", origin="runsql", facts={"runsql": {"reversible": False}})
    assert codes([irreversible]) == [("RUNSQL_REVERSIBLE", 0)]
    parent = RenderedOperation(1, "SeparateDatabaseAndState", "", [])
    parent.sub_operations = [
        RenderedOperation(
            1,
            "RunSQL",
            "",
            ["ALTER TABLE t DROP COLUMN c;"],
            "runsql",
            facts={"runsql": {"reversible": True}},
            sub_index=0,
        )
    ]
    (hit,) = [
        h
        for h in lint_operations([op(0), parent], "postgresql", atomic=True)
        if h.code not in LOCK_CODES
    ]
    assert (hit.code, hit.operation_index, hit.sub_index) == ("DROP_COLUMN", 1, 0)
