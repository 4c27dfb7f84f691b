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
        from ...cli import finish_run, resolve_base
        from ...config import ConfigError, load_options
        from ...django_side.guard import install as block_connections
        from ...load_errors import ProjectLoadError
        from ...output import exit_status, render

        block_connections()  # manage.py set Django up; from here on nothing connects
        namespace = argparse.Namespace(**options)
        root = Path(options.get("project_root_path") or os.getcwd()).resolve()
        write_baseline = options.get("write_baseline")
        try:
            lint_options = load_options(root, lint_flags(namespace))
            if write_baseline:
                lint_options.baseline = None
            if lint_options.new:
                resolve_base(root, lint_options)
            run = runs.lint(root, lint_options)
            run, note = finish_run(run, lint_options, write_baseline)
        except (ConfigError, ProjectLoadError) as exc:
            self.stderr.write(f"lintmigrations: {exc}")
            sys.exit(2)
        verbosity = options.get("verbosity", 1)
        fmt = options.get("format") or "text"
        if fmt == "text" and verbosity > 0:
            for problem in run.problems:
                self.stderr.write(problem)
            verbosity = max(verbosity, 2)  # lists every migration, as django-migration-linter
        text = render(run, fmt, verbosity=verbosity, quiet=lint_options.quiet)
        if text:
            self.stdout.write(text)
        if note:
            self.stderr.write(note)
            return
        status = exit_status(run, lint_options)
        if status:
            sys.exit(status)
