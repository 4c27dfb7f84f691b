"""``python -m django_migration_lsp.worker``: the language server's Django worker."""

from .protocol import main

main()
