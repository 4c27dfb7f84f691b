"""Lock rules (PostgreSQL) over the statements Django renders and RunSQL (pure).

Each claim of the lock model they rely on is checked against PostgreSQL in
tests/engine/test_lock_model.py; here: which code fires on which operation, and what is clean.
"""

from __future__ import annotations

from django_migration_lsp.findings import RenderedOperation
from django_migration_lsp.rules.catalogue import RULES
from django_migration_lsp.rules.run import lint_operations, message_for

TIMEOUT = "SET LOCAL lock_timeout = '5s';"


def op(index, *statements, kind="Operation", facts=None, origin="schema_editor"):
    return RenderedOperation(index, kind, kind, list(statements), origin, facts=facts or {})


def codes(ops, atomic=True):
    return sorted(
        {(h.code, h.operation_index) for h in lint_operations(ops, "postgresql", atomic=atomic)}
    )


def timed(*ops):
    return [op(0, TIMEOUT, kind="RunSQL", origin="runsql"), *ops]


FK = (
    'ALTER TABLE "shop_item" ADD CONSTRAINT "shop_item_cat_fk" FOREIGN KEY ("cat_id") '
    'REFERENCES "shop_cat" ("id") DEFERRABLE INITIALLY DEFERRED;'
)


def test_foreign_key_without_not_valid_and_the_safe_pair():
    assert ("ADD_FOREIGN_KEY", 1) in codes(timed(op(1, FK)))
    not_valid = FK.replace(";", " NOT VALID;")
    validate = 'ALTER TABLE "shop_item" VALIDATE CONSTRAINT "shop_item_cat_fk";'
    assert codes(timed(op(1, not_valid))) == []
    assert codes(timed(op(1, validate))) == []  # validated in a later migration: clean
    assert codes(timed(op(1, not_valid), op(2, validate))) == [("VALIDATE_IN_TRANSACTION", 2)]
    assert codes(timed(op(1, not_valid), op(2, validate)), atomic=False) == []


def test_foreign_key_on_a_table_created_in_the_migration_is_clean():
    create = 'CREATE TABLE "shop_item" ("id" bigint NOT NULL PRIMARY KEY, "cat_id" bigint NULL);'
    assert codes(timed(op(1, create, FK))) == []


def test_check_and_exclusion():
    check = 'ALTER TABLE "t" ADD CONSTRAINT "t_c" CHECK ("n" >= 0);'
    assert codes(timed(op(1, check))) == [("ADD_CHECK", 1)]
    assert codes(timed(op(1, check.replace(";", " NOT VALID;")))) == []
    excl = 'ALTER TABLE "t" ADD CONSTRAINT "t_x" EXCLUDE USING gist ("r" WITH &&);'
    assert codes(timed(op(1, excl))) == [("ADD_EXCLUSION", 1)]


def test_set_not_null_scans_unless_a_not_null_check_is_in_the_state():
    stmt = 'ALTER TABLE "t" ALTER COLUMN "c" SET NOT NULL;'
    assert ("NOT_NULL_SCAN", 1) in codes(timed(op(1, stmt)))
    checked = {"column_altered": {"table": "t", "column": "c", "not_null_checked": True}}
    assert ("NOT_NULL_SCAN", 1) not in codes(timed(op(1, stmt, facts=checked)))


def test_rewrites_and_precision_of_type_changes():
    def altered(old, new):
        return {"column_altered": {"table": "t", "column": "c", "old_type": old, "new_type": new}}

    widen = 'ALTER TABLE "t" ALTER COLUMN "c" TYPE varchar(100) USING "c"::varchar(100);'
    assert codes(timed(op(1, widen, facts=altered("varchar(50)", "varchar(100)")))) == []
    to_text = 'ALTER TABLE "t" ALTER COLUMN "c" TYPE text USING "c"::text;'
    assert codes(timed(op(1, to_text, facts=altered("varchar(50)", "text")))) == []
    numeric = 'ALTER TABLE "t" ALTER COLUMN "c" TYPE numeric(12, 2) USING "c"::numeric(12, 2);'
    assert codes(timed(op(1, numeric, facts=altered("numeric(10, 2)", "numeric(12, 2)")))) == []
    bigint = 'ALTER TABLE "t" ALTER COLUMN "c" TYPE bigint USING "c"::bigint;'
    assert codes(timed(op(1, bigint, facts=altered("integer", "bigint")))) == [
        ("ALTER_COLUMN", 1),
        ("TABLE_REWRITE", 1),
    ]
    volatile = 'ALTER TABLE "t" ADD COLUMN "u" uuid DEFAULT (gen_random_uuid()) NULL;'
    assert codes(timed(op(1, volatile))) == [("TABLE_REWRITE", 1)]
    constant = 'ALTER TABLE "t" ADD COLUMN "u" integer DEFAULT 0 NULL;'
    assert codes(timed(op(1, constant))) == []


def test_concurrently_in_a_transaction_fails_and_non_atomic_is_clean():
    cic = 'CREATE INDEX CONCURRENTLY "t_c_idx" ON "t" ("c");'
    assert codes([op(0, cic)]) == [("CONCURRENTLY_IN_TRANSACTION", 0)]
    assert codes([op(0, cic)], atomic=False) == []
    assert codes([op(0, 'DROP INDEX CONCURRENTLY "t_c_idx";')], atomic=False) == []


def test_lock_timeout_once_per_migration_and_not_when_set():
    drop = 'ALTER TABLE "t" DROP COLUMN "c" CASCADE;'
    rename = 'ALTER TABLE "t" RENAME COLUMN "a" TO "b";'
    found = codes([op(0, drop), op(1, rename)])
    assert [c for c in found if c[0] == "LOCK_TIMEOUT"] == [("LOCK_TIMEOUT", 0)]
    assert "LOCK_TIMEOUT" not in {c for c, _ in codes(timed(op(1, drop)))}
    create_index = 'CREATE INDEX "t_c_idx" ON "t" ("c");'  # SHARE, not ACCESS EXCLUSIVE
    assert "LOCK_TIMEOUT" not in {c for c, _ in codes([op(0, create_index)])}


def test_data_step_after_exclusive_ddl_in_the_same_transaction():
    ddl = op(1, 'ALTER TABLE "t" ADD COLUMN "c" integer NULL;')
    runpython = op(2, kind="RunPython", origin="python", facts={"runpython": {"reversible": True}})
    update = op(2, 'UPDATE "t" SET "c" = 1;', kind="RunSQL", origin="runsql")
    assert ("DATA_MIGRATION_HOLDS_LOCKS", 2) in codes(timed(ddl, runpython))
    assert ("DATA_MIGRATION_HOLDS_LOCKS", 2) in codes(timed(ddl, update))
    assert ("DATA_MIGRATION_HOLDS_LOCKS", 2) not in codes(timed(ddl, runpython), atomic=False)
    assert ("DATA_MIGRATION_HOLDS_LOCKS", 1) not in codes(timed(runpython, ddl))


def test_message_says_what_it_locks_and_how_it_scales():
    (hit,) = [h for h in lint_operations(timed(op(1, FK)), "postgresql", atomic=True)]
    message = message_for(hit, RULES[hit.code])
    assert 'SHARE ROW EXCLUSIVE on "shop_item", "shop_cat"' in message
    assert "reads every row" in message and "NOT VALID" in message
    assert hit.lock is not None and hit.lock.scan and not hit.lock.rewrite


def test_other_vendors_get_no_lock_codes():
    assert lint_operations([op(0, FK)], "sqlite", atomic=True) == []


def test_sequence_rename_is_not_a_table_rename():
    seq = 'ALTER TABLE "dcim_old_id_seq" RENAME TO "dcim_new_id_seq";'
    assert "RENAME_TABLE" not in {c for c, _ in codes([op(0, seq)])}
    assert ("RENAME_TABLE", 0) in codes([op(0, 'ALTER TABLE "dcim_old" RENAME TO "dcim_new";')])


def test_add_unique_says_whether_it_builds_its_index_under_the_lock():
    def detail(statement):
        hits = lint_operations([op(0, statement)], "postgresql", atomic=True)
        return next(h.detail for h in hits if h.code == "ADD_UNIQUE")

    using = detail('ALTER TABLE "t" ADD CONSTRAINT "t_u" UNIQUE USING INDEX "t_u";')
    builds = detail('ALTER TABLE "t" ADD CONSTRAINT "t_u" UNIQUE ("c");')
    assert "USING INDEX attaches an index built beforehand" in using and "no scan" in using
    assert "builds its unique index while holding ACCESS EXCLUSIVE" in builds


def test_contract_step_drop_is_info():
    drop = op(
        0,
        "ALTER TABLE orders_order DROP COLUMN note;",
        kind="RunSQL",
        origin="runsql",
        facts={"runsql": {"reversible": True, "outside_state": ["orders_order.note"]}},
    )
    (hit,) = [
        h for h in lint_operations([drop], "postgresql", atomic=True) if h.code == "DROP_COLUMN"
    ]
    assert hit.severity == "info" and "already left Django's state" in hit.detail
    still_used = op(0, "ALTER TABLE orders_order DROP COLUMN note;", kind="RunSQL", origin="runsql")
    (hit,) = [
        h
        for h in lint_operations([still_used], "postgresql", atomic=True)
        if h.code == "DROP_COLUMN"
    ]
    assert hit.severity is None


def test_postgres_version_default_and_option():
    import pytest

    from django_migration_lsp.config import ConfigError, coerce
    from django_migration_lsp.rules.locks import default_postgres_version, statement_locks

    assert default_postgres_version((4, 2, 11)) == 12
    assert default_postgres_version((5, 1)) == 13
    assert default_postgres_version((5, 2, 19, "final", 0)) == 14
    assert default_postgres_version((6, 1)) == 14  # newer than the table: its newest entry
    assert default_postgres_version(None) == 12
    assert coerce("postgres_version", "15.2", "pyproject.toml:3") == 15
    assert coerce("postgres_version", 16, "pyproject.toml:3") == 16
    with pytest.raises(ConfigError, match=r"pyproject.toml:3: `postgres_version` must be"):
        coerce("postgres_version", "latest", "pyproject.toml:3")
    add = 'ALTER TABLE "t" ADD COLUMN "c" integer DEFAULT 0 NOT NULL;'
    assert statement_locks(add, 12).rewrite is False
    assert statement_locks(add, 10).rewrite is True  # before PostgreSQL 11


def test_hover_lists_each_statements_lock():
    from django_migration_lsp.lsp.hover import operation_markdown

    text = operation_markdown(
        op(0, FK, 'CREATE INDEX CONCURRENTLY "i" ON "t" ("c");'), "postgresql"
    )
    assert "Locks (PostgreSQL):" in text
    assert (
        "add foreign key: SHARE ROW EXCLUSIVE on `shop_item`, SHARE ROW EXCLUSIVE on `shop_cat`"
        in text
    )
    assert "reads every row" in text and "cannot run inside a transaction" in text
    assert "Locks" not in operation_markdown(op(0, FK), "sqlite")


def test_set_local_lock_timeout_does_nothing_in_a_non_atomic_migration():
    drop = op(1, 'ALTER TABLE "t" DROP COLUMN "c" CASCADE;')
    assert ("LOCK_TIMEOUT", 1) in codes([op(0, TIMEOUT), drop], atomic=False)
    session = op(0, "SET lock_timeout = '5s';")
    assert ("LOCK_TIMEOUT", 1) not in codes([session, drop], atomic=False)
    assert ("LOCK_TIMEOUT", 1) not in codes([op(0, TIMEOUT), drop], atomic=True)


def test_other_codes_say_what_their_statement_locks_on_postgresql():
    drop = op(0, 'ALTER TABLE "t" DROP COLUMN "c" CASCADE;')
    (hit,) = [
        h for h in lint_operations([drop], "postgresql", atomic=True) if h.code == "DROP_COLUMN"
    ]
    assert hit.lock is not None and hit.lock.to_json() == {
        "mode": "ACCESS EXCLUSIVE",
        "tables": ["t"],
        "rewrite": False,
        "scan": False,
    }
    assert "changes metadata only" in message_for(hit, RULES["DROP_COLUMN"])
    (hit,) = lint_operations([drop], "sqlite", atomic=True)
    assert hit.lock is None


def test_set_not_null_after_validating_the_columns_check_is_the_pg12_pattern():
    set_not_null = 'ALTER TABLE "shop_item" ALTER COLUMN "price" SET NOT NULL;'
    validate = 'ALTER TABLE "shop_item" VALIDATE CONSTRAINT "shop_item_price_notnull";'
    other = 'ALTER TABLE "shop_item" VALIDATE CONSTRAINT "shop_item_cat_fk";'
    alone = codes(timed(op(1, set_not_null, kind="RunSQL", origin="runsql")))
    assert ("NOT_NULL_SCAN", 1) in alone and ("NOT_NULL", 1) in alone
    # the check added NOT VALID by an earlier migration, validated here first: no scan
    same_op = codes(timed(op(1, validate, set_not_null, kind="RunSQL", origin="runsql")))
    assert ("NOT_NULL_SCAN", 1) not in same_op and ("NOT_NULL", 1) not in same_op
    two_ops = codes(timed(op(1, validate, kind="RunSQL", origin="runsql"), op(2, set_not_null)))
    assert ("NOT_NULL_SCAN", 2) not in two_ops and ("NOT_NULL", 2) not in two_ops
    # a constraint that does not name the column proves nothing
    unrelated = codes(timed(op(1, other, set_not_null, kind="RunSQL", origin="runsql")))
    assert ("NOT_NULL_SCAN", 1) in unrelated
