"""The worker process entry: ``python -m django_migration_lsp.worker`` speaks the JSON-lines
protocol (``protocol.py``) to the language server and drives the engine; the Django side lives
in ``django_side``."""
