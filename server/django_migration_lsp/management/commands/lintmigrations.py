"""``manage.py lintmigrations``: django-migration-linter's command, on our engine.

Same positionals and flags as django-migration-linter 6.x, so existing CI keeps working once
``django_migration_lsp`` is in ``INSTALLED_APPS`` (remove ``django_migration_linter`` from it, or
the last app listed wins the command name).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ... import __version__
from ...cli import add_lint_arguments, lint_flags


class Command(BaseCommand):
    help = "Lint migrations for backward-incompatible (deploy-breaking) operations."

    def add_arguments(self, parser: CommandParser) -> None:
        add_lint_arguments(parser, positional_project=False, django_command=True)

    def get_version(self) -> str:
        return __version__

    def handle(self, *args: Any, **options: Any) -> None:
        import argparse

        from ... import runs
        from ...config import ConfigError, load_options
        from ...django_side.guard import install as block_connections
        from ...django_side.loading import ProjectLoadError
        from ...output import dumps, to_github, to_json, to_sarif, to_text

        block_connections()  # manage.py set Django up; from here on nothing connects
        namespace = argparse.Namespace(**options)
        root = Path(options.get("project_root_path") or os.getcwd()).resolve()
        try:
            lint_options = load_options(root, lint_flags(namespace))
            run = runs.lint(root, lint_options)
        except (ConfigError, ProjectLoadError) as exc:
            self.stderr.write(f"lintmigrations: {exc}")
            sys.exit(2)
        verbosity = options.get("verbosity", 1)
        fmt = options.get("format") or "text"
        if fmt == "json":
            self.stdout.write(dumps(to_json(run.project.to_dict(), run.results)))
        elif fmt == "sarif":
            self.stdout.write(dumps(to_sarif(run.project.root, run.results)))
        elif fmt == "github":
            self.stdout.write(to_github(run.project.root, run.results))
        elif fmt == "gitlab":
            from ...formats.gitlab import lint_report

            self.stdout.write(dumps(lint_report(run.project.root, run.results)))
        elif verbosity > 0:
            for problem in run.problems:
                self.stderr.write(problem)
            self.stdout.write(
                to_text(run.results, verbosity=max(verbosity, 2), quiet=lint_options.quiet)
            )
        if any(f.severity == "error" for r in run.results for f in r.findings):
            sys.exit(1)
