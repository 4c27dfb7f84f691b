"""``django-migration-lsp-pre-commit``: the pre-commit ``lint`` hook's entry.

pre-commit appends the files being committed to the hook's arguments. This lints exactly the
migration files among them (new or changed in this commit), so the hook passes when nothing being
committed is risky, whatever the older migrations hold:

    django-migration-lsp-pre-commit [--project-dir DIR] [lint options…] FILE…

The trailing arguments that are existing ``.py`` files are the files; what comes before is passed
to ``lint`` as it is (any ``lint`` option, e.g. ``--exclude-migration-tests CREATE_INDEX``).
``--project-dir`` is the Django project (where ``manage.py`` is) relative to the repository root
pre-commit runs from; default ``.``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def split_arguments(argv: list[str]) -> tuple[str, list[str], list[str]]:
    """(project dir, options for ``lint``, migration files) from the hook's argument list."""
    end = len(argv)
    while end > 0 and argv[end - 1].endswith(".py") and os.path.isfile(argv[end - 1]):
        end -= 1
    options, files = argv[:end], argv[end:]
    project = "."
    if "--project-dir" in options:
        at = options.index("--project-dir")
        if at + 1 >= len(options):
            raise SystemExit("django-migration-lsp-pre-commit: --project-dir needs a directory")
        project = options[at + 1]
        options = options[:at] + options[at + 2 :]
    migrations = [
        f for f in files if Path(f).parent.name == "migrations" and Path(f).name != "__init__.py"
    ]
    return project, options, migrations


def main(argv: list[str] | None = None) -> int:
    """Lint the committed migration files; 0 when there are none or none has an error."""
    from .cli import main as cli_main

    project, options, migrations = split_arguments(list(sys.argv[1:] if argv is None else argv))
    if not migrations:
        return 0
    with tempfile.TemporaryDirectory(prefix="django-migration-lsp-") as tmp:
        listed = Path(tmp) / "migrations.txt"
        listed.write_text("".join(f"{os.path.abspath(f)}\n" for f in migrations), "utf-8")
        return cli_main(["lint", project, "--include-migrations-from", str(listed), *options])


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
