"""Nothing the linter runs can write to a database.

``install()`` (called by ``setup_django`` before ``django.setup()``) makes every connection of
every alias refuse to connect: code run while the project loads (an app's ``ready()``, a model
or migration module that queries at import, a field default) gets ``DatabaseBlocked`` instead
of a connection. The one way through is ``read_only_session(alias)``, used to read
``django_migrations`` and by ``makemigrations``'s history check: PostgreSQL sessions are opened
with ``default_transaction_read_only`` on, MySQL ones set READ ONLY before anything else runs,
and SQLite files are opened ``mode=ro``, so a missing file is never created.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import OperationalError

#: aliases inside a ``read_only_session`` (the worker and the CLI are single-threaded)
_READ_ONLY: set[str] = set()
_ORIGINAL_CONNECT = BaseDatabaseWrapper.connect


class DatabaseBlocked(OperationalError):
    """A connection the linter refused to open (an ``OperationalError``, as Django's own
    callers expect from a database that cannot be reached)."""


def _blocked_message(alias: str) -> str:
    return (
        f"django-migration-lsp refused to connect to database {alias!r}: code run while the "
        "project loads (at import of a migration, a model or an app) asked for a connection, "
        "and the linter never writes to a database. Deploys run that code at import too: keep "
        "database access inside RunPython functions, never at module level."
    )


def _read_only_params(wrapper: Any, params: dict[str, Any]) -> dict[str, Any]:
    """Connection parameters that make the session read-only from its first statement."""
    if wrapper.vendor == "sqlite":
        name = str(params.get("database") or "")
        if name == ":memory:" or "mode=memory" in name:
            return params
        path = Path(name[5:].split("?")[0] if name.startswith("file:") else name)
        if not path.exists():
            raise DatabaseBlocked(
                f"the SQLite database of alias {wrapper.alias!r} ({path}) does not exist; it "
                "was not created (the linter never writes to a database)"
            )
        return {**params, "database": f"{path.resolve().as_uri()}?mode=ro", "uri": True}
    if wrapper.vendor == "postgresql":
        options = f"{params.get('options') or ''} -c default_transaction_read_only=on".strip()
        return {**params, "options": options}
    return params


def _guarded_connect(self: Any) -> None:
    if self.alias not in _READ_ONLY:
        raise DatabaseBlocked(_blocked_message(self.alias))
    original_params = self.get_connection_params
    self.get_connection_params = lambda: _read_only_params(self, original_params())
    try:
        _ORIGINAL_CONNECT(self)
    finally:
        del self.get_connection_params
    if self.vendor == "mysql":
        with self.connection.cursor() as cursor:
            cursor.execute("SET SESSION TRANSACTION READ ONLY")
    elif self.vendor == "sqlite":
        self.connection.execute("PRAGMA query_only = ON")


def install() -> None:
    """Block every connection from now on (idempotent); open ones are closed."""
    from django.db import connections

    if BaseDatabaseWrapper.connect is _guarded_connect:
        return
    for conn in connections.all(initialized_only=True):
        if conn.connection is not None:
            conn.close()
    BaseDatabaseWrapper.connect = _guarded_connect  # type: ignore[method-assign]  # the guard


@contextlib.contextmanager
def read_only_session(*aliases: str) -> Iterator[None]:
    """Let ``aliases`` connect, read-only, for the block; their connections are closed after."""
    from django.db import connections

    install()
    added = [alias for alias in aliases if alias not in _READ_ONLY]
    _READ_ONLY.update(added)
    try:
        yield
    finally:
        for alias in added:
            _READ_ONLY.discard(alias)
            with contextlib.suppress(Exception):
                connections[alias].close()


def uninstall() -> None:
    """Let connections through again. The linter never calls it; it exists for harnesses that
    compare our offline output with Django's own live path in one process (the render parity
    test), after the offline part ran under the guard."""
    BaseDatabaseWrapper.connect = _ORIGINAL_CONNECT  # type: ignore[method-assign]  # restored
