"""One settings schema (config.LintOptions + config.EditorSettings): the CLI, config files and
the VS Code client agree with it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from django_migration_lsp import config
from django_migration_lsp.cli import build_parser, lint_flags
from django_migration_lsp.config import (
    EDITOR_KEYS,
    OPTION_NAMES,
    EditorSettings,
    LintOptions,
    normalise_key,
    structure_settings,
)

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "vscode-client" / "package.json"
SETTINGS_TS = REPO / "vscode-client" / "src" / "common" / "settings.ts"
#: keys only the client reads (it starts the server with the interpreter; VS Code's trace)
CLIENT_ONLY = {"interpreter", "trace.server"}


def client_properties() -> dict[str, dict]:
    contributes = json.loads(PACKAGE.read_text())["contributes"]["configuration"]
    sections = contributes if isinstance(contributes, list) else [contributes]
    return {
        key.removeprefix("djangoMigrationLsp."): value
        for section in sections
        for key, value in section["properties"].items()
    }


def schema_default(name: str):
    holder = LintOptions() if name in OPTION_NAMES else EditorSettings()
    return getattr(holder, name)


def test_package_json_keys_and_defaults_are_the_schemas():
    for key, spec in client_properties().items():
        if key in CLIENT_ONLY:
            continue
        name = normalise_key(key)
        assert name in OPTION_NAMES | EDITOR_KEYS, f"package.json {key}: not in the schema"
        default = spec.get("default")
        if name in OPTION_NAMES and default is None:
            continue  # unset: pyproject.toml and MIGRATION_LINTER_OPTIONS apply
        assert default == schema_default(name), f"package.json {key}: default {default!r}"


def test_settings_ts_keys_and_defaults_are_the_schemas():
    text = SETTINGS_TS.read_text()
    keys = re.search(r"LINT_OPTION_KEYS = \[(.*?)\]", text, re.S)
    assert keys is not None
    for key in re.findall(r"'(\w+)'", keys.group(1)):
        assert normalise_key(key) in OPTION_NAMES, f"settings.ts {key}: not a lint option"
    defaults = dict(re.findall(r"export const DEFAULT_(\w+) = ([\d.]+);", text))
    assert float(defaults["DEBOUNCE_MS"]) == EditorSettings().debounce_ms
    assert float(defaults["REQUEST_TIMEOUT"]) == EditorSettings().request_timeout


def test_every_cli_flag_is_an_option_of_the_schema():
    args = build_parser().parse_args(["lint", "."])
    assert set(lint_flags(args)) == OPTION_NAMES - {
        "python",
        "scope",
        "postgres_version",
        "mysql_version",
    }  # config-only keys


def test_types_derive_the_coercion():
    assert "include_apps" in config.LIST_OPTIONS and "new" in config.BOOL_OPTIONS
    assert "warnings_as_errors" not in config.LIST_OPTIONS  # true/false or codes


def test_invalid_client_values_fall_back_to_defaults_with_a_message():
    settings = structure_settings(
        {
            "excludeMigrationTests": "DROP_COLUMN, NOT_NULL",
            "warningsAsErrors": True,
            "debounceMs": "soon",
            "lintOnChange": 3,
            "scope": "everything",
            "includeInstalledApps": True,
            "mystery": 1,
        }
    )
    assert settings.options == {
        "exclude_migration_tests": ["DROP_COLUMN", "NOT_NULL"],
        "warnings_as_errors": True,
        "include_installed_apps": True,
    }
    assert settings.editor == EditorSettings()
    problems = "\n".join(settings.problems)
    assert "debounceMs = 'soon' is not valid (it must be a whole number)" in problems
    assert "lintOnChange = 3 is not valid (it must be true or false)" in problems
    assert "scope = 'everything' is not valid (one of new, all)" in problems
    assert "unknown setting 'mystery'" in problems


@pytest.mark.parametrize("value", ["new", "all"])
def test_scope_values(value: str):
    assert structure_settings({"scope": value}).options == {"scope": value}
