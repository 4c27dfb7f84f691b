"""Which MySQL-family server the SQL is rendered for: the ``mysql_version`` option (pure).

``"8.0"`` or ``"mysql-8.0.36"`` is MySQL, ``"mariadb-10.11"`` MariaDB. Django's MySQL backend
asks the server for its version, flavour, SQL mode and default storage engine; offline these
answers come from here (InnoDB, strict mode: the defaults of every supported server).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_MYSQL = "8.0.36"

_VERSION = re.compile(
    r"^(?:(?P<flavour>mysql|mariadb)[-\s]?)?(?P<version>\d{1,2}(?:\.\d{1,2}){0,2})$"
)


@dataclass(frozen=True)
class MySQLServer:
    """A server flavour and version, as Django's MySQL backend would read them."""

    mariadb: bool
    version: tuple[int, int, int]

    @property
    def version_string(self) -> str:
        """``SELECT VERSION()`` of such a server (``10.11.0-MariaDB`` for MariaDB)."""
        text = ".".join(map(str, self.version))
        return f"{text}-MariaDB" if self.mariadb else text

    def server_data(self) -> dict[str, object]:
        """What ``DatabaseWrapper.mysql_server_data`` reads from a live server."""
        return {
            "version": self.version_string,
            "sql_mode": "STRICT_TRANS_TABLES",
            "default_storage_engine": "InnoDB",
            "sql_auto_is_null": False,
            "lower_case_table_names": False,
            "has_zoneinfo_database": True,
        }


def parse_mysql_version(text: str | None) -> MySQLServer:
    """``"8.0"``, ``"mysql-8.0.36"``, ``"mariadb-10.11"`` -> ``MySQLServer``; None: MySQL 8.0.

    Raises ``ValueError`` with the accepted forms when ``text`` is none of them.
    """
    value = (text or DEFAULT_MYSQL).strip().lower()
    match = _VERSION.match(value)
    if match is None:
        raise ValueError(
            f'`mysql_version` must be a server version such as "8.0", "mysql-8.4" or '
            f'"mariadb-10.11", not {text!r}'
        )
    parts = [int(p) for p in match.group("version").split(".")]
    parts += [0] * (3 - len(parts))
    return MySQLServer(match.group("flavour") == "mariadb", (parts[0], parts[1], parts[2]))


_ESCAPES = {
    "\0": "\\0",
    "\n": "\\n",
    "\r": "\\r",
    "\\": "\\\\",
    "'": "\\'",
    '"': '\\"',
    "\x1a": "\\Z",
}


def _string_literal(text: str) -> str:
    return "'" + "".join(_ESCAPES.get(ch, ch) for ch in text) + "'"


def quote_literal(value: object) -> str:
    """A value as an SQL literal, as mysqlclient's ``connection.escape`` writes it (what
    Django's MySQL ``quote_value`` returns), without a connection."""
    import datetime
    import decimal

    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.15g}"
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, (bytes, bytearray, memoryview)):
        return _string_literal(bytes(value).decode("latin-1"))
    if isinstance(value, datetime.datetime):
        text = value.strftime("%Y-%m-%d %H:%M:%S")
        return _string_literal(f"{text}.{value.microsecond:06d}" if value.microsecond else text)
    if isinstance(value, (datetime.date, datetime.time)):
        return _string_literal(value.isoformat())
    if isinstance(value, datetime.timedelta):
        seconds = int(value.total_seconds())
        sign = "-" if seconds < 0 else ""
        hours, rest = divmod(abs(seconds), 3600)
        return _string_literal(f"{sign}{hours}:{rest // 60:02d}:{rest % 60:02d}")
    if isinstance(value, (list, tuple, set, frozenset)):
        return "(" + ",".join(quote_literal(v) for v in value) + ")"
    return _string_literal(str(value))
