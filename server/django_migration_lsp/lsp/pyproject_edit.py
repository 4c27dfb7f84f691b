"""The quick-fix edit of ``pyproject.toml`` (tomlkit keeps the rest of the file as it is); in the
language server, the only layer that may use tomlkit."""

from __future__ import annotations


def exclude_code_in_pyproject(text: str | None, code: str) -> str:
    """``pyproject.toml`` with ``code`` in ``[tool.django-migration-lsp]``'s
    ``exclude_migration_tests``; the rest of the file is kept byte for byte (tomlkit)."""
    import tomlkit

    code = code.upper()
    document = tomlkit.parse(text or "")
    tool = document.get("tool")
    if tool is None:
        tool = tomlkit.table(is_super_table=True)
        document["tool"] = tool
    section = tool.get("django-migration-lsp")
    if section is None:
        section = tomlkit.table()
        tool["django-migration-lsp"] = section
    existing = section.get("exclude_migration_tests")
    if existing is None:
        array = tomlkit.array()
        array.append(code)
        section["exclude_migration_tests"] = array
    elif code not in [str(c).upper() for c in existing]:
        existing.append(code)
    return tomlkit.dumps(document)
