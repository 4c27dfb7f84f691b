"""``sqltokens.tokens`` yields exactly what sqlparse's own lexer yields, rule for rule."""

from __future__ import annotations

import pytest
from sqlparse.lexer import Lexer

from django_migration_lsp import sqltokens

#: at least one statement for every rule of sqlparse's ``SQL_REGEX``, and text no rule matches
STATEMENTS = [
    'CREATE TABLE "new__shop_item" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, '
    "\"price\" decimal NULL, \"name\" varchar(20) DEFAULT 'it''s' NOT NULL);",
    'INSERT INTO "new__shop_item" ("id", "price") SELECT "id", "price" FROM "shop_item"',
    "ALTER TABLE `shop_item` CHANGE `a` `b` int NOT NULL, ALGORITHM=INSTANT",
    "SELECT a.b, f(x), -0x1F, -3, .5, 2., 1.5E-3, x::int FROM t -- trailing\n WHERE y := 1",
    "SELECT * FROM [dbo].[t] LEFT OUTER JOIN u USING (id) # hash comment\r\n",
    "SELECT 1 --+ hint\n; SELECT \u00b4odd\u00b4, %s, %(name)s, ?, :param, @var, ##temp, \\copy",
    "SELECT x FROM t WHERE a NOT ILIKE 'b' AND c REGEXP BINARY 'd' AND e @> f AND g ->> 'h'",
    "SELECT a ASC NULLS FIRST, b DESC, c NULLS LAST ORDER BY 1 GROUP BY 2 UNION ALL SELECT 3",
    "CREATE OR REPLACE VIEW v AS SELECT CAST(a AS DOUBLE PRECISION) AT TIME ZONE 'UTC'",
    "DROP TABLE IF EXISTS t; END IF; END LOOP; GO 2; HANDLER FOR x",
    "SELECT * FROM t LATERAL VIEW EXPLODE(a) CASE IN VALUES FROM AS",
    "x ~ y !~ z <> w >= v; a + b / c % d ^ e & f | g #- h ? i ?| j ?& k",
    'SELECT "a""b", "c\\"d", "" FROM "unterminated',
    "'unterminated string and } { stray ☃ \x00 é characters",
    "",
    "   \t\n  ",
]


@pytest.mark.parametrize("statement", STATEMENTS)
def test_tokens_are_sqlparses(statement: str) -> None:
    assert list(sqltokens.tokens(statement)) == list(
        Lexer.get_default_instance().get_tokens(statement)
    )


def test_plain_statements_take_the_joined_pattern() -> None:
    # the fast path exists for the installed sqlparse (else every text takes the lexer)
    assert sqltokens._JOINED is not None
    _pattern, actions = sqltokens._JOINED
    assert len(actions) == len(Lexer.get_default_instance()._SQL_REGEX)


@pytest.mark.parametrize(
    "statement",
    ["SELECT $$a ' b$$, $tag$ x $tag$", "SELECT /* block ' */ 1", "SELECT /*+ hint */ 1 /* open"],
)
def test_dollar_quotes_and_block_comments_are_sqlparses(statement: str) -> None:
    assert list(sqltokens.tokens(statement)) == list(
        Lexer.get_default_instance().get_tokens(statement)
    )
