"""``python -m django_migration_lsp.worker.makemigrations [--settings MODULE] [ARGS…]``: Django's
``makemigrations`` run for the editor's quick-fix (cwd = the project root, our package's parent
on ``PYTHONPATH``, as for the worker).

It writes migration files and nothing else: connections are blocked from ``django.setup()`` on
(``django_side.guard``), at import of models and migrations too; the history check
``makemigrations`` makes on each database, and only it, reads through a read-only session, and
a missing SQLite file is left missing (Django then warns that it could not check the history,
and goes on).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..django_side.loading import setup_django
from ..load_errors import ProjectLoadError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m django_migration_lsp.worker.makemigrations")
    parser.add_argument("--settings")
    args, rest = parser.parse_known_args(argv)
    try:
        setup_django(Path.cwd(), args.settings)
    except ProjectLoadError as exc:
        print(exc.problem.message, file=sys.stderr)
        return 2
    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.db.migrations.loader import MigrationLoader

    from ..django_side.guard import read_only_session

    check_history = MigrationLoader.check_consistent_history

    def check_read_only(loader: MigrationLoader, connection: Any) -> None:
        with read_only_session(connection.alias):
            check_history(loader, connection)

    MigrationLoader.check_consistent_history = check_read_only  # type: ignore[method-assign,assignment]  # patched for the command
    try:
        call_command("makemigrations", *rest)
    except CommandError as exc:
        print(f"makemigrations: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
