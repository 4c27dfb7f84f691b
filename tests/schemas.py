"""Validate the CLI's JSON documents against the JSON Schemas the package ships."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator

from django_migration_lsp.schemas import load_schema

_VALIDATORS = {
    name: Draft202012Validator(
        load_schema(name), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    for name in ("lint", "check")
}


def assert_valid(name: str, document: Any) -> Any:
    """Raise with every violation when ``document`` does not follow the ``name`` schema."""
    errors = sorted(_VALIDATORS[name].iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, f"{name} JSON breaks its schema:\n" + "\n".join(
        f"  at {'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in errors
    )
    return document


def validate_cli_json(args: tuple[str, ...], document: Any) -> Any:
    """``document`` validated when ``args`` asked ``lint`` or ``check`` for ``--format json``."""
    command = next((a for a in args if a in ("lint", "check")), None)
    wants_json = (
        any(
            a == "--format" and i + 1 < len(args) and args[i + 1] == "json"
            for i, a in enumerate(args)
        )
        or "--format=json" in args
    )
    if command and wants_json:
        assert_valid(command, document)
    return document
