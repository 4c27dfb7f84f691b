"""``skeleton`` cached by shape (quoted names swapped for a placeholder, long statements cut
after each ``, `` before a ``"``) is the skeleton of sqlparse's own tokens of the whole text."""

from __future__ import annotations

import random
import re

import pytest
from sqlparse import tokens as T
from sqlparse.lexer import Lexer

from django_migration_lsp.rules.sql import skeleton

from .test_sqltokens import STATEMENTS


def reference(statement: str) -> str:
    """The skeleton's definition, on sqlparse's lexer, token by token."""
    parts = []
    for ttype, value in Lexer.get_default_instance().get_tokens(statement):
        if ttype in T.Comment:
            continue
        if ttype in T.Whitespace or ttype in T.Newline or ttype in T.Text.Whitespace:
            parts.append(" ")
        elif ttype in T.String.Single:
            parts.append("''")
        elif ttype in T.Keyword:
            parts.append(value.upper())
        else:
            parts.append(value)
    return re.sub(r"\s+", " ", "".join(parts)).strip().rstrip(";").strip()


#: pieces of the SQL Django writes and of what users write in RunSQL, with the names that
#: could fool a shape: keywords, spaces, dots, quotes of other kinds, the placeholder mark
FRAGMENTS = [
    'CREATE TABLE "new__shop_item" (',
    '"id" integer NOT NULL PRIMARY KEY AUTOINCREMENT',
    '"title" varchar(150) NOT NULL',
    '"amount" decimal NULL',
    '"owner_id" bigint NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED',
    'CONSTRAINT "uq" UNIQUE ("slug", "owner_id")',
    '"select"',
    '"my  table"',
    '"a.b"',
    '"x"."y"',
    '"z"::int',
    '"it\'s"',
    '"--"',
    '"\x01"',
    '"\x01"."\x01"',
    '"a""b"',
    "'str, \"x\"'",
    "DEFAULT 'x'",
    "-- note\n",
    "/* block */",
    "not  null",
    "NOT\nNULL",
    'CHECK ("n" >= 0)',
    "$1",
    ":param",
    "?",
    "%s",
    'ON "t" ("c")',
    "ALTER TABLE",
    "ADD COLUMN",
    "SET DEFAULT 0",
    "USING INDEX",
    "f(x)",
    "varchar(20)",
    ");",
    ";",
    ", ",
    ",",
    " ",
    "\n",
    '"',
    "é",
]


def fuzzed(count: int, seed: int = 13) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        pieces = rng.choices(FRAGMENTS, k=rng.randint(1, 12))
        glue = rng.choice([", ", " ", "", ",", ",  "])
        out.append(glue.join(pieces))
    return out


@pytest.mark.parametrize("statement", STATEMENTS)
def test_the_lexers_cases(statement: str) -> None:
    assert skeleton(statement) == reference(statement)


def test_fuzzed_statements_keep_their_skeleton() -> None:
    cases = fuzzed(3000)
    wrong = [c for c in cases if skeleton(c) != reference(c)]
    assert not wrong, wrong[:5]


def test_a_rebuild_statement_is_read_from_its_shape() -> None:
    first = (
        'CREATE TABLE "new__a_thing" ("id" integer NOT NULL PRIMARY KEY, "title" varchar(150) '
        'NOT NULL, "select" decimal NULL)'
    )
    second = first.replace('"title"', '"name"').replace('"new__a_thing"', '"new__b_thing"')
    assert skeleton(first) == reference(first)
    assert skeleton(second) == reference(second)
    assert '"name" varchar(150) NOT NULL, "select" decimal NULL)' in skeleton(second)
