"""The parsed source of open migrations: parsed off the event loop, once per text, with the
last parse that had no syntax error kept for hover while the buffer is half-typed.

A 5 MB migration takes seconds to parse; it is parsed in a thread (and once per text), so
the server answers meanwhile, except while ``ast.parse`` itself runs (it holds the GIL). Only
one parse (the newest) and one good parse are kept per file:
memory stays bounded by the open files.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from ..source import MigrationSource, parse_migration_source

T = TypeVar("T")


async def off_loop(function: Callable[..., T], *args: Any) -> T:
    """``function(*args)`` in a thread: the event loop keeps serving meanwhile (Python code
    interleaves; a single C call such as ``ast.parse`` of a huge text still holds the GIL)."""
    return await asyncio.to_thread(function, *args)


@dataclass(frozen=True)
class Parsed:
    digest: str
    source: MigrationSource


def digest_of(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class DocumentIndex:
    def __init__(self) -> None:
        self._latest: dict[str, Parsed] = {}
        self._good: dict[str, Parsed] = {}

    async def parse(self, uri: str, text: str, path: str | None = None) -> MigrationSource:
        """``text`` parsed (reused when it is the text parsed last for ``uri``)."""
        digest = digest_of(text)
        latest = self._latest.get(uri)
        if latest is not None and latest.digest == digest:
            return latest.source
        source = await off_loop(parse_migration_source, text, path)
        parsed = Parsed(digest, source)
        self._latest[uri] = parsed
        if source.syntax_error is None:
            self._good[uri] = parsed
        return source

    def last_good(self, uri: str) -> MigrationSource | None:
        """The newest parse of ``uri`` without a syntax error."""
        good = self._good.get(uri)
        return good.source if good else None

    def forget(self, uri: str) -> None:
        self._latest.pop(uri, None)
        self._good.pop(uri, None)
