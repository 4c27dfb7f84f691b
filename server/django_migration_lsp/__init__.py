"""django-migration-lsp: catch Django migrations that would break a zero-downtime deploy."""

__version__ = "0.1.0"
