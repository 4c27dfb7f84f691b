"""A PostgreSQL project for the lock rules: each migration of `inventory` either hits one code on
one operation or is a safe pattern that must stay clean. Linted offline (no server is reached)."""

SECRET_KEY = "test-only"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
INSTALLED_APPS = ["inventory"]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "locks",
        "USER": "nobody",
        "HOST": "127.0.0.1",
        "PORT": "1",
    }
}
