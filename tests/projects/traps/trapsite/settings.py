"""Migrations on which `sqlmigrate` needs a live, migrated database (the offline-rendering traps)."""

import os
from urllib.parse import urlparse

BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECRET_KEY = "traps"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "inventory",
]
_url = os.environ.get("DJANGO_MIGRATION_LSP_TEST_DATABASE_URL", "")
if _url.startswith("postgres"):
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
            "NAME": os.environ.get(
                "DJANGO_MIGRATION_LSP_TEST_SQLITE", os.path.join(BASE_DIR, "db.sqlite3")
            ),
        }
    }
