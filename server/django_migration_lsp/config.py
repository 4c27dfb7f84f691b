"""Lint options and where they come from.

Precedence (highest first): command-line flags / LSP client settings, then
``[tool.django-migration-lsp]`` in the project's ``pyproject.toml``, then
django-migration-linter's own config files (``[tool.django_migration_linter]`` in
pyproject.toml, ``[django_migration_linter]`` in ``.django_migration_linter.cfg``,
``setup.cfg``, ``tox.ini``), then the Django setting
``MIGRATION_LINTER_OPTIONS`` (applied once Django is set up: ``apply_django_settings``).
"""

from __future__ import annotations

import configparser
import dataclasses
import functools
import sys
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .mysql_server import parse_mysql_version

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    try:
        import tomli as tomllib  # type: ignore[import-not-found]  # optional backport
    except ImportError:  # the worker gets its options from the server on 3.10
        tomllib = None

SECTION = "django-migration-lsp"
REFERENCE_SECTION = "django_migration_linter"
REFERENCE_CFG_FILES = (".django_migration_linter.cfg", "setup.cfg", "tox.ini")


class ConfigError(Exception):
    """A configuration value is wrong; ``where`` says which file/flag and line."""

    def __init__(self, message: str, where: str | None = None) -> None:
        super().__init__(f"{where}: {message}" if where else message)
        self.where = where


@dataclass
class LintOptions:
    """Everything that selects migrations and shapes the verdict (lintmigrations' options)."""

    settings: str | None = None
    database: str = "default"
    python: str | None = None
    project_root_path: str | None = None
    exclude_migration_tests: list[str] = field(default_factory=list)
    include_apps: list[str] | None = None
    exclude_apps: list[str] | None = None
    ignore_name_contains: str | None = None
    ignore_name: list[str] = field(default_factory=list)
    include_name_contains: str | None = None
    include_name: list[str] = field(default_factory=list)
    warnings_as_errors: bool | list[str] = False
    applied_migrations: bool = False
    unapplied_migrations: bool = False
    ignore_initial_migrations: bool = False
    ignore_sqlmigrate_errors: bool = False
    sql_analyser: str | None = None
    git_commit_id: str | None = None
    include_migrations_from: str | None = None
    app_label: str | None = None
    migration_name: str | None = None
    cache_path: str | None = None
    no_cache: bool = False
    quiet: list[str] = field(default_factory=list)
    #: the PostgreSQL major version the lock rules assume (None: the oldest the Django supports)
    postgres_version: int | None = None
    #: lint the apps outside the project root too (site-packages, other distributions)
    include_installed_apps: bool = False
    #: only migrations git does not have on ``base`` (``lint --new``)
    new: bool = False
    #: the commit "new" is measured from; default: merge-base with the default branch
    base: str | None = None
    #: file of accepted findings (``lint --write-baseline``): only others are reported
    baseline: str | None = None
    #: the editor's whole-project lint: "new" (new migrations only) or "all"
    scope: str = "new"
    #: the MySQL-family server SQL is rendered for: "8.0", "mariadb-10.11" (mysql_server.py)
    mysql_version: str | None = None
    #: where each value came from, for located error messages: key -> "pyproject.toml:12"
    origins: dict[str, str] = field(default_factory=dict, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LintOptions:
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})

    def warnings_as_errors_codes(self) -> tuple[bool, set[str]]:
        """(all warnings are errors, the codes made errors)."""
        value = self.warnings_as_errors
        if value is True or value == []:
            return True, set()
        if not value:
            return False, set()
        if isinstance(value, str):
            return False, {c.strip().upper() for c in value.split(",") if c.strip()}
        return False, {str(c).upper() for c in value}


@dataclass(frozen=True)
class EditorSettings:
    """The language server's own settings (client section ``djangoMigrationLsp``), next to the
    lint options: one schema for both, with the defaults the client declares."""

    lint_on_change: bool = True
    debounce_ms: int = 400
    request_timeout: float = 30.0
    python: str | None = None
    trusted: bool = True


def _kinds(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


OPTION_TYPES: dict[str, Any] = {k: v for k, v in _kinds(LintOptions).items() if k != "origins"}
EDITOR_TYPES: dict[str, Any] = _kinds(EditorSettings)
OPTION_NAMES = set(OPTION_TYPES)
EDITOR_KEYS = set(EDITOR_TYPES)
#: derived from the types: options that hold a list of strings / a boolean
LIST_OPTIONS = {k for k, t in OPTION_TYPES.items() if t == list[str] or t == (list[str] | None)}
BOOL_OPTIONS = {k for k, t in OPTION_TYPES.items() if t is bool}
CHOICES = {"scope": ("new", "all")}


@functools.cache
def _converter() -> Any:
    """cattrs, imported only where client settings are structured (the language server): the
    worker imports this module in the project's interpreter, which needs nothing but Django."""
    import cattrs

    return cattrs.Converter(forbid_extra_keys=True)


@dataclass(frozen=True)
class Settings:
    """Client settings structured: the lint options, the editor's own, what was wrong."""

    options: dict[str, Any]
    editor: EditorSettings
    problems: tuple[str, ...] = ()
    #: the editor settings actually given (and valid), by name
    given: dict[str, Any] = field(default_factory=dict)


def describe_type(kind: Any) -> str:
    """A schema type as a user reads it."""
    names = {bool: "true or false", int: "a whole number", float: "a number", str: "a string"}
    parts = [names.get(t, "a list of strings") for t in typing.get_args(kind) or (kind,)]
    return " or ".join(
        p
        for p, t in zip(parts, typing.get_args(kind) or (kind,), strict=True)
        if t is not type(None)
    )


def _structure_one(key: str, value: Any, kind: Any) -> Any:
    if isinstance(value, str) and list[str] in (kind, *typing.get_args(kind)):
        value = [v.strip() for v in value.split(",") if v.strip()]  # "a, b" as the client reads it
    if kind == (bool | list[str]):  # warnings_as_errors: cattrs cannot pick a union member
        if isinstance(value, bool):
            return value
        return _converter().structure(value, list[str])
    if kind in (bool, int, float) and (kind is bool) != isinstance(value, bool):
        raise TypeError("booleans and numbers are not interchangeable")
    structured = _converter().structure(value, kind)
    if key in CHOICES and structured not in CHOICES[key]:
        raise ValueError(f"one of {', '.join(CHOICES[key])}")
    return structured


def structure_settings(raw: dict[str, Any] | None, where: str = "settings") -> Settings:
    """Structure client settings (camelCase or snake_case keys) against the schema; a value of
    the wrong type is reported and its default kept, unknown keys are reported and ignored."""
    options: dict[str, Any] = {}
    editor: dict[str, Any] = {}
    problems = []
    for raw_key, value in (raw or {}).items():
        key = normalise_key(raw_key)
        kind = OPTION_TYPES.get(key, EDITOR_TYPES.get(key))
        if kind is None:
            problems.append(f"{where}: unknown setting {raw_key!r}; it is ignored")
            continue
        if value is None:
            continue
        try:
            structured = _structure_one(key, value, kind)
        except Exception as exc:  # cattrs raises several kinds; all mean "wrong type"
            choice = key in CHOICES and isinstance(exc, ValueError)
            reason = exc.args[0] if choice else f"it must be {describe_type(kind)}"
            problems.append(
                f"{where}: {raw_key} = {value!r} is not valid ({reason}); the default is used"
            )
            continue
        (options if key in OPTION_TYPES else editor)[key] = structured
    return Settings(options, EditorSettings(**editor), tuple(problems), editor)


def normalise_key(key: str) -> str:
    """``excludeMigrationTests`` / ``exclude-migration-tests`` -> ``exclude_migration_tests``."""
    out = []
    for ch in key.replace("-", "_"):
        if ch.isupper():
            out.append("_" + ch.lower())
        else:
            out.append(ch)
    return "".join(out).lstrip("_")


def coerce(key: str, value: Any, where: str) -> Any:
    """Check and convert one option value from a config file."""
    if key in LIST_OPTIONS:
        if isinstance(value, str):
            value = [v.strip() for v in value.replace("\n", ",").split(",") if v.strip()]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"`{key}` must be a list of strings, not {value!r}", where)
        return value
    if key in BOOL_OPTIONS:
        if isinstance(value, str):
            value = value.strip().lower() in ("1", "true", "yes", "on")
        if not isinstance(value, bool):
            raise ConfigError(f"`{key}` must be true or false, not {value!r}", where)
        return value
    if key == "warnings_as_errors":
        if isinstance(value, (bool, list)):
            return value
        if isinstance(value, str):
            return [v.strip() for v in value.split(",") if v.strip()] or True
        raise ConfigError("`warnings_as_errors` must be true/false or a list of codes", where)
    if key == "postgres_version":
        return coerce_postgres_version(value, where)
    if value is not None and not isinstance(value, str):
        raise ConfigError(f"`{key}` must be a string, not {value!r}", where)
    if key == "mysql_version":
        try:
            parse_mysql_version(value)
        except ValueError as exc:
            raise ConfigError(str(exc), where) from exc
    if key in CHOICES and value not in CHOICES[key]:
        choices = " or ".join(repr(c) for c in CHOICES[key])
        raise ConfigError(f"`{key}` must be {choices}, not {value!r}", where)
    return value


def coerce_postgres_version(value: Any, where: str) -> int | None:
    """``14``, ``"14"`` or ``"14.2"`` -> 14 (a PostgreSQL major version, 10 or later)."""
    text = str(value).strip() if value is not None else ""
    major = text.split(".")[0]
    if value is None or isinstance(value, bool) or not major.isdigit() or int(major) < 10:
        raise ConfigError(
            f"`postgres_version` must be a PostgreSQL major version such as 14, not {value!r}",
            where,
        )
    return int(major)


def _line_of(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith(key) and stripped[len(key) :].lstrip().startswith("="):
            return number
    return None


def read_pyproject(root: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """Options from ``pyproject.toml``: ours, then django-migration-linter's section below it."""
    path = root / "pyproject.toml"
    if not path.is_file() or tomllib is None:
        return {}, {}
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"pyproject.toml is not valid TOML: {exc}", str(path)) from exc
    tool = data.get("tool", {})
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for section in (REFERENCE_SECTION, SECTION):  # ours last: it wins
        table = tool.get(section, {})
        if not isinstance(table, dict):
            continue
        for raw_key, value in table.items():
            key = normalise_key(raw_key)
            line = _line_of(text, raw_key)
            where = f"{path}:{line}" if line else str(path)
            if key not in OPTION_NAMES:
                if section == SECTION:
                    raise ConfigError(
                        f"unknown key `{raw_key}` in [tool.{SECTION}]; known keys: "
                        + ", ".join(sorted(OPTION_NAMES - {"app_label", "migration_name"})),
                        where,
                    )
                continue
            values[key] = coerce(key, value, where)
            origins[key] = where
    return values, origins


def has_config_section(root: Path) -> bool:
    """True when ``pyproject.toml`` has a ``[tool.django-migration-lsp]`` section."""
    path = root / "pyproject.toml"
    if not path.is_file() or tomllib is None:
        return False
    try:
        return SECTION in tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {})
    except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError):
        return False


def read_reference_cfg(root: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """django-migration-linter's ini-style config files, for drop-in use."""
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for name in reversed(REFERENCE_CFG_FILES):  # the first file wins, as in the reference
        path = root / name
        if not path.is_file():
            continue
        parser = configparser.ConfigParser()
        try:
            parser.read(path, encoding="utf-8")
        except configparser.Error as exc:
            raise ConfigError(f"cannot parse: {exc}", str(path)) from exc
        if not parser.has_section(REFERENCE_SECTION):
            continue
        for raw_key, value in parser.items(REFERENCE_SECTION):
            key = normalise_key(raw_key)
            if key in OPTION_NAMES:
                values[key] = coerce(key, value, str(path))
                origins[key] = str(path)
    return values, origins


def load_options(root: Path, flags: dict[str, Any] | None = None) -> LintOptions:
    """Merge flags over the project's config files (Django's setting comes later)."""
    values, origins = read_reference_cfg(root)
    py_values, py_origins = read_pyproject(root)
    values.update(py_values)
    origins.update(py_origins)
    for key, value in (flags or {}).items():
        key = normalise_key(key)
        if key in OPTION_NAMES and value is not None and value is not False:
            values[key] = value
            origins[key] = "command line"
    options = LintOptions.from_dict(values)
    options.origins = origins
    return options


def apply_django_settings(options: LintOptions, django_options: dict[str, Any]) -> None:
    """Fill options not set elsewhere from ``settings.MIGRATION_LINTER_OPTIONS``."""
    defaults = LintOptions()
    for raw_key, value in (django_options or {}).items():
        key = normalise_key(raw_key)
        if key not in OPTION_NAMES or key in options.origins:
            continue
        if getattr(options, key) != getattr(defaults, key):
            continue
        setattr(options, key, coerce(key, value, "settings.MIGRATION_LINTER_OPTIONS"))
        options.origins[key] = "settings.MIGRATION_LINTER_OPTIONS"


def validate_codes(options: LintOptions, known: set[str]) -> list[str]:
    """Messages for unknown rule codes in the options (typos make a check silently absent)."""
    problems = []
    _all, made_errors = options.warnings_as_errors_codes()
    for key, codes in (
        ("exclude_migration_tests", options.exclude_migration_tests),
        ("warnings_as_errors", sorted(made_errors)),
    ):
        for code in codes:
            if code.upper() not in known:
                where = options.origins.get(key, "options")
                problems.append(
                    f"{where}: unknown rule code {code!r} in `{key}`; it has no effect. "
                    f"Known codes: {', '.join(sorted(known))}."
                )
    return problems
