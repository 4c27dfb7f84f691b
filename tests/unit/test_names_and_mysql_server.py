"""The name-tracking book and the MySQL server option (pure)."""

from __future__ import annotations

import datetime
import decimal

import pytest

from django_migration_lsp.django_side.names import NameBook
from django_migration_lsp.mysql_server import parse_mysql_version, quote_literal


def info(columns, identity, **extra):
    return {"columns": list(columns), "identity": identity, **extra}


def test_names_survive_table_and_column_renames_and_drops_are_forgotten():
    book = NameBook()
    book.learn(
        "shop_category",
        {
            "shop_category_pkey": info(["id"], ("pk",), sequence="shop_category_id_seq"),
            "shop_category_name_key": info(["name"], ("unique", ("name",))),
            "shop_category_slug_4508178e": info(["slug"], ("index", ("slug",))),
        },
        complete=True,
    )
    book.follow(['ALTER TABLE "shop_category" RENAME TO "shop_section";'])
    book.follow(['ALTER TABLE "shop_section" RENAME COLUMN "slug" TO "code";'])
    now = {
        "shop_section_pkey": info(["id"], ("pk",)),
        "shop_section_name_key": info(["name"], ("unique", ("name",))),
        "shop_section_code_0f3a1e2b": info(["code"], ("index", ("code",))),
    }
    seen = book.translate("shop_section", now)
    assert set(seen) == {
        "shop_category_pkey",
        "shop_category_name_key",
        "shop_category_slug_4508178e",
    }
    assert seen["shop_category_slug_4508178e"]["columns"] == ["code"]
    assert book.sequence("shop_section", "id") == "shop_category_id_seq"
    book.follow(
        [
            'SET CONSTRAINTS "x" IMMEDIATE; ALTER TABLE "shop_section" DROP CONSTRAINT "shop_category_name_key";'
        ]
    )
    book.learn("shop_section", now, complete=True)  # re-created now: today's name
    assert "shop_section_name_key" in book.translate("shop_section", now)


def test_sqlite_rebuild_resets_a_table_and_mysql_inline_unique_is_named_after_its_column():
    book = NameBook()
    book.learn("t", {"t_a_1_uniq": info(["a"], ("unique", ("a",)))}, complete=True, mysql=True)
    assert book.translate("t", {"t_a_1_uniq": info(["a"], ("unique", ("a",)))}).keys() == {"a"}
    book.follow(['DROP TABLE "t";', 'ALTER TABLE "new__t" RENAME TO "t";'])
    assert "t" not in book.tables


@pytest.mark.parametrize(
    "text, mariadb, version",
    [
        (None, False, (8, 0, 36)),
        ("8.0", False, (8, 0, 0)),
        ("mysql-8.4.2", False, (8, 4, 2)),
        ("mariadb-10.11", True, (10, 11, 0)),
        ("MariaDB 10.4", True, (10, 4, 0)),
    ],
)
def test_mysql_version_forms(text, mariadb, version):
    server = parse_mysql_version(text)
    assert (server.mariadb, server.version) == (mariadb, version)
    assert server.server_data()["default_storage_engine"] == "InnoDB"
    assert server.version_string.endswith("-MariaDB") == mariadb


def test_bad_mysql_version_names_the_accepted_forms():
    with pytest.raises(ValueError, match=r"mariadb-10\.11"):
        parse_mysql_version("eight")


def test_quote_literal_as_mysqlclient_escapes():
    assert quote_literal("it's \\ 100%\n") == "'it\\'s \\\\ 100%\\n'"
    assert quote_literal(None) == "NULL"
    assert quote_literal(True) == "1"
    assert quote_literal(decimal.Decimal("1.50")) == "1.50"
    assert quote_literal(datetime.date(2024, 1, 2)) == "'2024-01-02'"
    assert quote_literal(datetime.datetime(2024, 1, 2, 3, 4, 5)) == "'2024-01-02 03:04:05'"
    assert quote_literal([1, "a"]) == "(1,'a')"


@pytest.mark.parametrize("value", ["it's \\ 100%\n", 'a"b\x1a\0\r', "plain", "é ü 😀"])
def test_quote_literal_equals_the_real_driver(value):
    mysql = pytest.importorskip("MySQLdb._mysql")
    assert quote_literal(value) == mysql.string_literal(value.encode()).decode()
