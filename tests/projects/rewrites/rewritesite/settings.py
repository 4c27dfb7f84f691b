"""The project the safe-rewrite tests copy: PostgreSQL from DJANGO_MIGRATION_LSP_TEST_DATABASE_URL."""

import os
from urllib.parse import urlparse

SECRET_KEY = "rewrites"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
INSTALLED_APPS = ["shop"]
_u = urlparse(os.environ.get("DJANGO_MIGRATION_LSP_TEST_DATABASE_URL", "postgresql:///rewrites"))
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
