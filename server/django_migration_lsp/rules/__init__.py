"""The rules. ``catalogue`` (codes, severities, docs) needs nothing but the standard library, so
the language server can import it; ``run.lint_operations`` (sqlparse) runs where Django runs."""
