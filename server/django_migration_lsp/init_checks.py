"""Import-time checks: refuse to start a process whose code and database disagree.

In your project's package ``__init__.py`` (next to ``settings.py``)::

    from django_migration_lsp.init_checks import check_on_import
    check_on_import()

With ``DJANGO_MIGRATION_LSP_INIT_CHECKS=1`` in the environment (off by default), the checks run
as soon as Django is set up (``django.setup()``, e.g. by ``get_wsgi_application()``) and raise
``RuntimeError`` (a ``MigrationStateError``) listing every problem and how to turn them off.
They stay off for ``manage.py`` / ``django-admin`` commands, so ``migrate`` still works. To opt
out without touching code, leave the variable unset (or ``0``).
"""

from __future__ import annotations

import os
import sys
from typing import Any

ENV = "DJANGO_MIGRATION_LSP_INIT_CHECKS"
_installed = False


def enabled() -> bool:
    """Checks are wanted and this is not a management command."""
    if os.environ.get(ENV, "0").strip().lower() not in ("1", "true", "yes", "on"):
        return False
    program = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    return program not in ("manage.py", "django-admin", "django-admin.py")


def check_on_import(
    exclude_apps: list[str] | None = None, databases: list[str] | None = None
) -> None:
    """Run ``run_all_checks`` as soon as Django's app registry is ready (when enabled).

    Called from the project package's ``__init__``, which Django imports while it reads the
    settings, before the apps are loaded: so the check is attached to the end of
    ``Apps.populate`` of the global registry (or runs at once if Django is already set up).
    """
    global _installed
    if _installed or not enabled():
        return
    _installed = True
    from django.apps import apps
    from django.apps.registry import Apps

    from .checks import run_all_checks

    if apps.ready:
        run_all_checks(exclude_apps=exclude_apps, databases=databases)
        return
    original = Apps.populate

    def populate(self: Apps, installed_apps: Any = None) -> None:
        original(self, installed_apps)
        if self is apps and Apps.populate is populate:
            Apps.populate = original  # type: ignore[method-assign]  # restored
            run_all_checks(exclude_apps=exclude_apps, databases=databases)

    Apps.populate = populate  # type: ignore[method-assign]  # wrapped for the checks
