"""The rewrites as pure functions: what they refuse and why, and where the steps go."""

from __future__ import annotations

from django_migration_lsp.rewrites import MigrationInput, RenderedOp, fix_migration

from .projects import PROJECT

MIXED = (PROJECT / "scenarios" / "index_with_default" / "0002_stock.py").read_text()
ADD_INDEX = (PROJECT / "scenarios" / "add_index" / "0002_item_name_idx.py").read_text()
ADD_COLUMN = [
    'ALTER TABLE "shop_item" ADD COLUMN "stock" integer DEFAULT 0 NOT NULL;',
    'ALTER TABLE "shop_item" ALTER COLUMN "stock" DROP DEFAULT;',
]
CREATE = ['CREATE INDEX "shop_item_name_idx" ON "shop_item" ("name");']


def mixed(**changes) -> MigrationInput:
    values = dict(
        app="shop",
        name="0002_stock",
        path="/p/shop/migrations/0002_stock.py",
        text=MIXED,
        vendor="postgresql",
        operations=(
            RenderedOp(0, "AddField", tuple(ADD_COLUMN)),
            RenderedOp(1, "AddIndex", tuple(CREATE)),
        ),
        leaf=True,
        taken_names=frozenset({"0001_initial", "0002_stock"}),
    )
    values.update(changes)
    return MigrationInput(**values)


def test_a_step_that_needs_its_own_migration_is_not_moved_after_a_migration_with_dependents():
    result = fix_migration(mixed(leaf=False, dependents=("shop.0003_more",)), ["CREATE_INDEX"])
    assert not result.changed
    [skipped] = result.skipped
    assert skipped.operation_index == 1 and skipped.code == "CREATE_INDEX"
    assert "operation 0 of this migration needs a transaction" in skipped.reason
    assert "shop.0003_more depends on this one" in skipped.reason


def test_the_new_migration_gets_the_next_free_number():
    taken = frozenset({"0001_initial", "0002_stock", "0003_concurrent_indexes"})
    result = fix_migration(mixed(taken_names=taken))
    assert result.new_migration is not None
    assert result.new_migration.name == "0003_concurrent_indexes_2"
    assert result.new_migration.path == "/p/shop/migrations/0003_concurrent_indexes_2.py"
    assert "('shop', '0002_stock')" in result.new_migration.text


def test_only_the_codes_asked_for_are_rewritten():
    assert not fix_migration(mixed(), ["DROP_INDEX"]).changed
    assert fix_migration(mixed(), ["create_index"]).changed


def test_other_vendors_are_refused_with_the_reason():
    result = fix_migration(mixed(vendor="sqlite"))
    assert not result.changed
    assert result.refused == "the rewrites are PostgreSQL's; this database is sqlite"


def test_a_file_that_does_not_parse_is_refused_at_its_syntax_error():
    broken = MIXED.replace("operations = [", "operations = [[", 1)
    result = fix_migration(mixed(text=broken))
    assert result.refused is not None
    assert result.refused.startswith("/p/shop/migrations/0002_stock.py:11:")


def test_an_index_on_a_table_created_by_the_same_migration_is_left_alone():
    text = ADD_INDEX.replace(
        "    operations = [\n",
        "    operations = [\n        migrations.CreateModel(name='Item', fields=[]),\n",
    )
    inp = mixed(
        text=text,
        operations=(
            RenderedOp(0, "CreateModel", ('CREATE TABLE "shop_item" ();',)),
            RenderedOp(1, "AddIndex", tuple(CREATE)),
        ),
    )
    result = fix_migration(inp)
    assert not result.changed
    assert "created by operation 0 of this migration" in result.skipped[0].reason


def test_a_later_operation_on_the_same_model_keeps_the_index_where_it_is():
    head, end, tail = MIXED.rpartition("    ]\n")
    text = f"{head}        migrations.RemoveField(model_name='item', name='code'),\n{end}{tail}"
    ops = (*mixed().operations, RenderedOp(2, "RemoveField", ("ALTER TABLE …;",)))
    result = fix_migration(mixed(text=text, operations=ops), ["CREATE_INDEX"])
    assert not result.changed
    assert "operation 2 after it works on the same model" in result.skipped[0].reason


CHECK = (PROJECT / "scenarios" / "add_check" / "0002_price_positive.py").read_text()


def test_a_check_constraint_after_which_nothing_can_be_added_is_left_with_the_reason():
    statement = 'ALTER TABLE "shop_item" ADD CONSTRAINT "price_positive" CHECK ("price" >= 0);'
    inp = mixed(
        name="0002_price_positive",
        text=CHECK,
        operations=(RenderedOp(0, "AddConstraint", (statement,)),),
        leaf=False,
        dependents=("shop.0003_more",),
    )
    result = fix_migration(inp, ["ADD_CHECK"])
    assert not result.changed
    [skipped] = result.skipped
    assert skipped.code == "ADD_CHECK"
    assert skipped.reason == (
        "the VALIDATE step must run in a later transaction, in the migration after this one, "
        "and one can only be added after a leaf migration (shop.0003_more depends on this one)"
    )


def test_no_lock_timeout_where_set_local_would_not_last_or_one_is_set():
    add_column = ('ALTER TABLE "shop_item" ADD COLUMN "note" text NULL;',)
    text = MIXED.replace("    dependencies", "    atomic = False\n\n    dependencies", 1)
    ops = (RenderedOp(0, "AddField", add_column), RenderedOp(1, "AddIndex", tuple(CREATE)))
    outside = fix_migration(mixed(text=text, operations=ops))
    assert "LOCK_TIMEOUT" not in {r.code for r in outside.rewritten}
    assert "lock_timeout" not in outside.text
    configured = fix_migration(
        mixed(operations=ops, lock_timeout_configured=True), ["LOCK_TIMEOUT"]
    )
    assert "lock_timeout" not in configured.text
    already = (RenderedOp(0, "RunSQL", ("SET LOCAL lock_timeout = '1s';",)), *ops)
    with_set = MIXED.replace(
        "    operations = [\n",
        "    operations = [\n        migrations.RunSQL(\"SET LOCAL lock_timeout = '1s';\"),\n",
    )
    result = fix_migration(mixed(text=with_set, operations=already), ["LOCK_TIMEOUT"])
    assert result.refused is None and not result.rewritten
    once = fix_migration(mixed(operations=ops), ["LOCK_TIMEOUT"])
    assert once.text.count("SET LOCAL lock_timeout = '5s';") == 2
    assert [r.code for r in once.rewritten] == ["LOCK_TIMEOUT"]


DEFAULTS = (PROJECT / "scenarios" / "add_field_default" / "0002_item_stock.py").read_text()
ADD_LABEL = [
    "ALTER TABLE \"shop_item\" ADD COLUMN \"label\" varchar(20) DEFAULT 'it''s new' NOT NULL;",
    'ALTER TABLE "shop_item" ALTER COLUMN "label" DROP DEFAULT;',
]


def with_defaults(text: str = DEFAULTS, **changes) -> MigrationInput:
    return mixed(
        name="0002_item_stock",
        text=text,
        operations=(
            RenderedOp(0, "AddField", tuple(ADD_COLUMN)),
            RenderedOp(1, "AddField", tuple(ADD_LABEL)),
        ),
        **changes,
    )


def test_db_default_is_offered_from_django_5_and_said_why_not_before():
    old = fix_migration(with_defaults(django_version=(4, 2)), ["NOT_NULL"])
    assert not old.changed
    assert [s.operation_index for s in old.skipped] == [0, 1]
    assert "needs Django 5.0 (db_default) and this project runs 4.2" in old.skipped[0].reason
    new = fix_migration(with_defaults(django_version=(5, 2)), ["NOT_NULL"])
    assert [r.operation_index for r in new.rewritten] == [0, 1]
    assert "field=models.IntegerField(default=0, db_default=0)," in new.text
    assert new.next_release is not None
    restore = "ALTER TABLE \"shop_item\" ALTER COLUMN \"label\" SET DEFAULT 'it''s new';"
    assert repr(restore) in new.next_release.text


def test_a_callable_default_is_not_kept_in_the_database():
    """Every row the old code inserts would get the one value rendered (the same uuid)."""
    text = DEFAULTS.replace("default=0", "default=uuid.uuid4").replace(
        "from django.db", "import uuid\n\nfrom django.db"
    )
    result = fix_migration(with_defaults(text, django_version=(5, 2)), ["NOT_NULL"])
    assert [r.operation_index for r in result.rewritten] == [1]


TOGETHER = (
    PROJECT / "scenarios" / "add_index_together" / "0002_alter_item_index_together.py"
).read_text()


def test_an_index_together_that_also_drops_an_index_is_left_alone():
    # reversing the drop would need the old index's definition, which the rendering lacks
    def together(*statements: str) -> MigrationInput:
        return mixed(
            name="0002_alter_item_index_together",
            path="/p/shop/migrations/0002_alter_item_index_together.py",
            text=TOGETHER,
            operations=(RenderedOp(0, "AlterIndexTogether", statements),),
        )

    create = 'CREATE INDEX "shop_item_name_code_77514ab3_idx" ON "shop_item" ("name", "code");'
    added = fix_migration(together(create), ["CREATE_INDEX"])
    assert added.changed and "CREATE INDEX CONCURRENTLY" in added.text
    assert "atomic = False" in added.text
    changed = fix_migration(together('DROP INDEX "shop_item_name_price_1a2b3c4d_idx";', create))
    assert not changed.changed


ALTER_FK = (PROJECT / "scenarios" / "alter_foreign_key" / "0002_alter_item_parent.py").read_text()
FK_ADDED = (
    'ALTER TABLE "shop_item" ADD CONSTRAINT "shop_item_parent_id_f0ab547a_fk_shop_item_id" '
    'FOREIGN KEY ("parent_id") REFERENCES "shop_item" ("id") DEFERRABLE INITIALLY DEFERRED;'
)


def test_an_alter_field_is_rewritten_only_when_it_adds_a_foreign_key_constraint():
    def altered(text: str, *statements: str) -> MigrationInput:
        return mixed(
            name="0002_alter_item_parent",
            path="/p/shop/migrations/0002_alter_item_parent.py",
            text=text,
            operations=(RenderedOp(0, "AlterField", statements),),
        )

    rewritten = fix_migration(altered(ALTER_FK, FK_ADDED), ["ADD_FOREIGN_KEY"])
    assert rewritten.changed and "NOT VALID" in rewritten.text
    assert (
        rewritten.new_migration is not None
        and "VALIDATE CONSTRAINT" in rewritten.new_migration.text
    )
    # a change that adds no constraint (here: only nullability) is left alone
    nullable = 'ALTER TABLE "shop_item" ALTER COLUMN "parent_id" DROP NOT NULL;'
    assert not fix_migration(altered(ALTER_FK, nullable), ["ADD_FOREIGN_KEY"]).changed
    # a field declared without its constraint cannot be adding one
    without = ALTER_FK.replace('to="shop.item",', 'to="shop.item", db_constraint=False,')
    assert not fix_migration(altered(without, FK_ADDED), ["ADD_FOREIGN_KEY"]).changed
