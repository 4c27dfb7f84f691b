"""``python -m django_migration_lsp`` = the ``django-migration-lsp`` command."""

import sys

from .cli import main

sys.exit(main())
