"""The same project with a lock_timeout set for every session by the connection's OPTIONS."""

from .settings import *  # noqa: F403

DATABASES["default"]["OPTIONS"] = {"options": "-c lock_timeout=5s"}  # noqa: F405
