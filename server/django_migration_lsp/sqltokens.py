"""sqlparse's tokens, from one compiled pattern instead of one Python call per rule.

sqlparse's lexer tries its rules (``SQL_REGEX``) one after the other at each position, in
Python: about 60 ``re.match`` calls per token, most of a lint's SQL time on long statements
(SQLite table rebuilds name every column). Python's ``re`` tries the branches of an alternation
left to right and takes the first that matches, which is the lexer's own rule, so the rules
joined into one alternation (each in its own group, the group that matched naming the rule)
give the same tokens, in C. Keywords are looked up with the lexer's own ``is_keyword``.

Texts with ``$`` or ``/*`` (dollar quotes, block comments: sqlparse pairs their delimiters
before lexing since 0.5.4) and lexers this does not recognise go through sqlparse's lexer
itself, so the tokens are always sqlparse's.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from typing import Any

from sqlparse import keywords
from sqlparse import tokens as T
from sqlparse.lexer import Lexer

Token = tuple[Any, str]

_LEXER = Lexer.get_default_instance()


def _joined(lexer: Any) -> tuple[re.Pattern[str], dict[int, Any]] | None:
    """One alternation of the lexer's rules and, per group index, the rule's action; None
    when a rule is not a plain pattern with a token type or keyword lookup."""
    branches: list[str] = []
    actions: dict[int, Any] = {}
    index = 1
    flags = None
    for match, action in lexer._SQL_REGEX:
        pattern = getattr(match, "__self__", None)
        if not isinstance(pattern, re.Pattern) or not (
            isinstance(action, T._TokenType) or action is keywords.PROCESS_AS_KEYWORD
        ):
            return None
        if flags is None:
            flags = pattern.flags
        if pattern.flags != flags or re.search(r"\\\d|\(\?P=", pattern.pattern):
            return None  # mixed flags or back references: cannot be joined as they are
        branches.append(f"({pattern.pattern})")
        actions[index] = action
        index += 1 + pattern.groups
    if flags is None:
        return None
    return re.compile("|".join(branches), flags), actions


_JOINED = _joined(_LEXER)
#: the lexer's keyword lookup (upper-cases the word, then tries each keyword table in Python),
#: per word: a migration's SQL repeats the same keywords and names
_keyword: Callable[[str], Token] = functools.lru_cache(maxsize=65536)(_LEXER.is_keyword)


def _fast_tokens(text: str, joined: re.Pattern[str], actions: dict[int, Any]) -> Iterator[Token]:
    """``finditer`` retries one character further where no rule matches, as the lexer does
    after yielding that character as an ``Error`` token."""
    is_keyword: Callable[[str], Token] = _keyword
    process = keywords.PROCESS_AS_KEYWORD
    pos = 0
    for m in joined.finditer(text):
        start = m.start()
        while pos < start:  # characters no rule matched
            yield T.Error, text[pos]
            pos += 1
        pos = m.end()
        action = actions[m.lastindex or 0]
        yield is_keyword(m.group()) if action is process else (action, m.group())
    while pos < len(text):
        yield T.Error, text[pos]
        pos += 1


def tokens(text: str) -> Iterator[Token]:
    """(token type, value) pairs of ``text``, exactly as ``Lexer.get_tokens`` yields them."""
    if _JOINED is None or "$" in text or "/*" in text:
        return iter(_LEXER.get_tokens(text))
    return _fast_tokens(text, *_JOINED)
