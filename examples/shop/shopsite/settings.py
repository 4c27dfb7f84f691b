"""Settings of the example shop: SQLite by default, PostgreSQL when
DJANGO_MIGRATION_LSP_EXAMPLE_DATABASE_URL=postgresql://user@host:port/dbname is set."""

import os
from pathlib import Path
from urllib.parse import urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "example-only-not-secret"
DEBUG = True
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "accounts",
    "catalog",
    "orders",
]

_url = os.environ.get("DJANGO_MIGRATION_LSP_EXAMPLE_DATABASE_URL", "")
if _url.startswith(("postgres://", "postgresql://")):
    _u = urlparse(_url)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": _u.path.lstrip("/"),
            "USER": _u.username or "",
            "PASSWORD": _u.password or "",
            "HOST": _u.hostname or "",
            "PORT": str(_u.port or ""),
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("DJANGO_MIGRATION_LSP_EXAMPLE_SQLITE", BASE_DIR / "db.sqlite3"),
        }
    }
