"""The parity project: renames, constraints, M2M, RunSQL; on PostgreSQL, MySQL/MariaDB or SQLite.

``DJANGO_MIGRATION_LSP_TEST_DATABASE_URL`` selects the server: ``postgresql://user@host:port/db``
or ``mysql://user:password@host:port/db`` (PyMySQL when ``PARITY_PYMYSQL`` is set, else
mysqlclient); ``mysql://offline/parity`` is a MySQL database that does not exist (nothing listens).
Anything else is SQLite at ``DJANGO_MIGRATION_LSP_TEST_SQLITE``.
"""

import os
from urllib.parse import urlparse

BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECRET_KEY = "parity"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
INSTALLED_APPS = ["shop"]
_url = os.environ.get("DJANGO_MIGRATION_LSP_TEST_DATABASE_URL", "")
_u = urlparse(_url)
if _url.startswith(("postgres", "mysql")):
    if _url.startswith("mysql") and os.environ.get("PARITY_PYMYSQL"):
        import pymysql

        pymysql.install_as_MySQLdb()
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends."
            + ("postgresql" if _url.startswith("postgres") else "mysql"),
            "NAME": _u.path.lstrip("/"),
            "USER": _u.username or "",
            "PASSWORD": _u.password or "",
            "HOST": "127.0.0.1" if _u.hostname == "offline" else (_u.hostname or ""),
            "PORT": "9" if _u.hostname == "offline" else str(_u.port or ""),
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get(
                "DJANGO_MIGRATION_LSP_TEST_SQLITE", os.path.join(BASE_DIR, "db.sqlite3")
            ),
        }
    }
if os.environ.get("PARITY_MYSQL_VERSION"):  # e.g. "mariadb-10.11" for a real MariaDB server
    MIGRATION_LINTER_OPTIONS = {"mysql_version": os.environ["PARITY_MYSQL_VERSION"]}
