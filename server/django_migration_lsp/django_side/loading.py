"""Load a user's Django project: find its settings, ``django.setup()`` once, load migrations.

Loading is fault tolerant: a migration that fails to import, depends on something missing or
sits in a dependency cycle becomes a located ``LoadProblem`` and is left out of the graph; every
other migration still loads. Only broken settings stop everything (``ProjectLoadError``).
"""

from __future__ import annotations

import ast
import importlib
import os
import pkgutil
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..load_errors import LoadProblem, ProjectLoadError
from .importer import (
    import_stamped,
    project_modules_of,
    refresh_project_modules,
    stamp_project_modules,
)
from .stamps import Stamp

SETTINGS_ENV = "DJANGO_SETTINGS_MODULE"

#: aliases whose database backend could not be imported -> why (their ENGINE is replaced by
#: Django's dummy backend in this process so the project still loads; SQL is not rendered for
#: them, operations are checked from what they do)
MISSING_BACKENDS: dict[str, str] = {}


def settings_from_manage_py(root: Path) -> str | None:
    """The settings module that ``manage.py`` sets with ``os.environ.setdefault(...)``."""
    manage = root / "manage.py"
    if not manage.is_file():
        return None
    try:
        tree = ast.parse(manage.read_text(encoding="utf-8", errors="replace"))
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "setdefault"
            and len(node.args) == 2
            and isinstance(node.args[0], ast.Constant)
            and node.args[0].value == SETTINGS_ENV
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
        ):
            return node.args[1].value
    return None


def detect_settings(root: Path, configured: str | None = None) -> str | None:
    """Settings module: the configured one, else ``DJANGO_SETTINGS_MODULE``, else ``manage.py``."""
    return configured or os.environ.get(SETTINGS_ENV) or settings_from_manage_py(root)


def locate_exception(exc: BaseException, root: Path) -> tuple[str | None, int | None, int | None]:
    """The innermost place inside ``root`` where ``exc`` happened: (path, line, col)."""
    if isinstance(exc, SyntaxError) and exc.filename:
        return exc.filename, exc.lineno, (exc.offset - 1) if exc.offset else None
    best: tuple[str | None, int | None, int | None] = (None, None, None)
    root_s = str(root.resolve())
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.startswith(root_s) and "site-packages" not in frame.filename:
            best = (frame.filename, frame.lineno, None)
    return best


def describe_exception(exc: BaseException) -> str:
    """``ExceptionType: message`` on one line."""
    text = str(exc).strip().replace("\n", " ").rstrip(".")
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def setup_django(root: Path, settings: str | None = None) -> str:
    """Put ``root`` on ``sys.path``, select the settings and run ``django.setup()`` once.

    Returns the settings module used. Raises ``ProjectLoadError`` with a located message.
    """
    root = root.resolve()
    module = detect_settings(root, settings)
    if not module:
        raise ProjectLoadError(
            LoadProblem(
                "settings",
                f"No Django settings module found for {root}: set `settings` under "
                "[tool.django-migration-lsp] in pyproject.toml, pass --settings, or set "
                "DJANGO_SETTINGS_MODULE (manage.py did not set one either).",
                path=str(root / "manage.py") if (root / "manage.py").exists() else None,
            )
        )
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    os.environ[SETTINGS_ENV] = module
    try:
        import django
        from django.conf import settings as django_settings

        _replace_missing_backends(django_settings)
        from .guard import install as block_connections

        block_connections()  # from here on nothing connects but read-only sessions (guard)
        django.setup()
    except Exception as exc:
        path, line, col = locate_exception(exc, root)
        raise ProjectLoadError(
            LoadProblem(
                "settings",
                f"The Django project could not be set up with settings {module!r}: "
                f"{describe_exception(exc)}. Fix the settings (or the app they name).",
                path=path,
                line=line,
                col=col,
            )
        ) from exc
    return module


def _replace_missing_backends(django_settings: Any) -> None:
    """Swap backends whose driver is not installed for Django's dummy one (see MISSING_BACKENDS)."""
    from django.db.utils import load_backend

    for alias, config in django_settings.DATABASES.items():
        engine = config.get("ENGINE") or ""
        if not engine or engine == "django.db.backends.dummy":
            continue
        try:
            load_backend(engine)
        except Exception as exc:
            MISSING_BACKENDS[alias] = f"{engine}: {describe_exception(exc)}"
            config["ORIGINAL_ENGINE"] = engine
            config["ENGINE"] = "django.db.backends.dummy"


#: a directory listing is reused while the directory's mtime is older than this (ns): a file
#: added within the file system's timestamp granularity of the listing keeps the mtime it had
#: (the "racily clean" case of git), so a recent mtime is always listed again
LISTING_SETTLED_NS = 2_000_000_000


def migration_module_names(
    path: list[str],
    previous: dict[tuple[str, ...], tuple[tuple[int, ...], list[str]]],
    listings: dict[tuple[str, ...], tuple[tuple[int, ...], list[str]]],
) -> list[str]:
    """Names of a migrations package's modules, as Django's loader finds them (pkgutil: plain
    modules, not ``_`` or ``~`` ones), sorted. Listed again only when a directory of ``path``
    changed since ``previous`` (files added, removed or renamed); recorded in ``listings``."""
    key = tuple(path)
    try:
        mtimes = tuple(os.stat(d).st_mtime_ns for d in path)
    except OSError:
        mtimes = ()
    cached = previous.get(key)
    if mtimes and cached is not None and cached[0] == mtimes:
        listings[key] = cached
        return cached[1]
    names = sorted(
        name for _, name, is_pkg in pkgutil.iter_modules(path) if not is_pkg and name[0] not in "_~"
    )
    if mtimes and time.time_ns() - max(mtimes) > LISTING_SETTLED_NS:
        listings[key] = (mtimes, names)
    return names


@dataclass
class DiskMigrations:
    """Every migration file found for the installed apps, loaded or not."""

    migrations: dict[tuple[str, str], Any] = field(default_factory=dict)
    paths: dict[tuple[str, str], str] = field(default_factory=dict)
    problems: dict[tuple[str, str], LoadProblem] = field(default_factory=dict)
    unmigrated_apps: set[str] = field(default_factory=set)
    migrated_apps: set[str] = field(default_factory=set)
    app_problems: list[LoadProblem] = field(default_factory=list)
    _by_real_path: dict[str, tuple[str, str]] | None = field(default=None, repr=False)
    #: migrations package path -> (its directories' mtimes, module names) for the next load
    listings: dict[tuple[str, ...], tuple[tuple[int, ...], list[str]]] = field(
        default_factory=dict, repr=False
    )
    #: what each imported migration module was executed from (see ``importer``)
    stamps: dict[tuple[str, str], Stamp] = field(default_factory=dict, repr=False)
    #: the project modules each imported migration takes objects from
    imports: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict, repr=False)
    #: what each of those project modules was executed from
    module_stamps: dict[str, Stamp] = field(default_factory=dict, repr=False)

    def key_of(self, path: str) -> tuple[str, str] | None:
        """The migration a file path (any spelling, symlinks resolved) belongs to."""
        if self._by_real_path is None:
            dirs: dict[str, str] = {}
            self._by_real_path = {}
            for key, p in self.paths.items():
                directory, name = os.path.split(p)
                if directory not in dirs:
                    dirs[directory] = os.path.realpath(directory)
                self._by_real_path[os.path.join(dirs[directory], name)] = key
        return self._by_real_path.get(os.path.realpath(path))


def load_disk_migrations(
    overrides: dict[str, str] | None = None,
    fresh: frozenset[str] = frozenset(),
    previous: DiskMigrations | None = None,
    root: str | None = None,
) -> DiskMigrations:
    """Import every migration module of every installed app, recording failures per file.

    ``overrides`` maps absolute file paths to source text that replaces the file's content
    (unsaved editor buffers). Module names in ``fresh`` are executed again even if unchanged.
    ``previous``: a former load; a module whose source (file or buffer) did not change since
    then is not executed again, and its Migration instance is reused (same class object), so
    repeated loads cost little; any other is (``importer``). ``root``: the project directory
    (default: the current one), whose modules imported by migrations are tracked too.
    """
    from django.apps import apps

    overrides = {os.path.realpath(k): v for k, v in (overrides or {}).items()}
    result = DiskMigrations()
    root_s = os.path.realpath(root or os.getcwd())
    result.module_stamps, reexecuted = refresh_project_modules(
        previous.module_stamps if previous else {}
    )
    for app_config in apps.get_app_configs():
        label = app_config.label
        found = _migrations_package(label, result)
        if found is None:
            continue
        module_name, package = found
        names = migration_module_names(
            list(package.__path__), previous.listings if previous else {}, result.listings
        )
        pkg_dir = next(iter(package.__path__))
        real_dir = os.path.realpath(pkg_dir) if overrides else pkg_dir
        for name in names:
            key = (label, name)
            dotted = f"{module_name}.{name}"
            path = os.path.join(pkg_dir, f"{name}.py")
            result.paths[key] = path
            force = dotted in fresh or bool(
                previous is not None and previous.imports.get(key, frozenset()) & reexecuted
            )
            text = overrides.get(os.path.join(real_dir, f"{name}.py"))
            _load_migration(result, key, dotted, path, text, previous, force, root_s)
    if previous is not None and previous.paths == result.paths:
        result._by_real_path = previous._by_real_path  # same files: same resolved paths
    return result


def _migrations_package(label: str, result: DiskMigrations) -> tuple[str, Any] | None:
    """(module name, package) of the app's migrations; None when it has none (recorded in
    ``result``: unmigrated, or an app problem when the package fails to import)."""
    from django.db.migrations.loader import MIGRATIONS_MODULE_NAME, MigrationLoader

    module_name, explicit = MigrationLoader.migrations_module(label)
    if module_name is None:
        result.unmigrated_apps.add(label)
        return None
    try:
        package = importlib.import_module(module_name)
    except Exception as exc:
        if isinstance(exc, ModuleNotFoundError) and (
            (not explicit and exc.name and MIGRATIONS_MODULE_NAME in exc.name.split("."))
            or (explicit and exc.name == module_name)
        ):
            result.unmigrated_apps.add(label)
            return None
        path, line, col = locate_exception(exc, Path.cwd())
        result.app_problems.append(
            LoadProblem("import", describe_exception(exc), path, line, col, app=label)
        )
        return None
    if not hasattr(package, "__path__") or (
        getattr(package, "__file__", None) is None and not isinstance(package.__path__, list)
    ):
        result.unmigrated_apps.add(label)
        return None
    result.migrated_apps.add(label)
    return module_name, package


def _load_migration(
    result: DiskMigrations,
    key: tuple[str, str],
    dotted: str,
    path: str,
    text: str | None,
    previous: DiskMigrations | None,
    force: bool,
    root: str,
) -> None:
    """Import one migration module (from ``text`` when given) into ``result``: its Migration
    instance, stamp and project imports, or the located problem that kept it out."""
    label, name = key
    try:
        module, stamp = import_stamped(
            dotted, path, text, previous.stamps.get(key) if previous else None, force
        )
    except BaseException as exc:  # user code: anything can happen
        if isinstance(exc, KeyboardInterrupt):
            raise
        result.problems[key] = _import_problem(exc, key, path)
        return
    result.stamps[key] = stamp
    result.imports[key] = frozenset(project_modules_of(module, root))
    stamp_project_modules(result.imports[key], result.module_stamps)
    migration_class = getattr(module, "Migration", None)
    if migration_class is None:
        result.problems[key] = LoadProblem(
            "import",
            "The module has no `Migration` class, so Django cannot load it as a "
            "migration; define `class Migration(migrations.Migration)` or move the "
            "file out of the migrations package.",
            path=path,
            line=1,
            app=label,
            migration=name,
        )
        return
    reused = previous.migrations.get(key) if previous is not None else None
    if reused is not None and type(reused) is migration_class:
        result.migrations[key] = reused
        return
    try:
        result.migrations[key] = migration_class(name, label)
    except Exception as exc:
        result.problems[key] = LoadProblem(
            "import",
            f"Instantiating the Migration class raised {describe_exception(exc)}.",
            path=path,
            app=label,
            migration=name,
        )


def _import_problem(exc: BaseException, key: tuple[str, str], path: str) -> LoadProblem:
    """The located problem of a migration module that raised ``exc`` when imported."""
    label, name = key
    if isinstance(exc, SyntaxError):
        return LoadProblem(
            "syntax",
            f"{exc.msg} (line {exc.lineno}); the migration cannot be imported, so its "
            "SQL cannot be rendered and migrations that depend on it are not checked "
            "against the database state.",
            path=path,
            line=exc.lineno,
            col=(exc.offset - 1) if exc.offset else None,
            app=label,
            migration=name,
        )
    if isinstance(exc, UnicodeDecodeError):
        return LoadProblem(
            "decode",
            f"The file is not valid UTF-8 ({exc.reason} at byte {exc.start}); save it "
            "as UTF-8 or declare its encoding.",
            path=path,
            app=label,
            migration=name,
        )
    epath, line, col = locate_exception(exc, Path(os.path.dirname(path)))
    return LoadProblem(
        "import",
        f"Importing the migration raised {describe_exception(exc)}; fix it so "
        "Django can load the migration (Django's own `migrate` would fail too).",
        path=epath or path,
        line=line,
        col=col,
        app=label,
        migration=name,
    )


def _edges(value: Any) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(item) for item in value or ())


class GraphShape:
    """What the migration graph is built from: the apps, the migrations and their edges
    (dependencies, replaces, run_before). Two loads of equal shapes give the same graph, up to
    the Migration objects in its nodes. ``previous``: the shape of the last load, whose edges are
    reused for the Migration objects that did not change."""

    def __init__(self, disk: DiskMigrations, previous: GraphShape | None = None) -> None:
        self.apps = (frozenset(disk.migrated_apps), frozenset(disk.unmigrated_apps))
        self.objects = dict(disk.migrations)
        known = previous.objects if previous is not None else {}
        self.edges: dict[tuple[str, str], tuple[Any, ...]] = {}
        for key, m in self.objects.items():
            if previous is not None and known.get(key) is m:
                self.edges[key] = previous.edges[key]
            else:
                run_before = getattr(m, "run_before", ())
                self.edges[key] = (_edges(m.dependencies), _edges(m.replaces), _edges(run_before))

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, GraphShape) and self.apps == other.apps and self.edges == other.edges
        )

    __hash__ = None  # type: ignore[assignment]  # compared by value, never hashed (mutable edges)


def refresh_loader(loader: Any, disk: DiskMigrations) -> None:
    """Put the Migration objects of ``disk`` into a loader built from a load of an equal
    ``GraphShape`` (a saved migration whose operations changed but not its dependencies)."""
    loader.disk_migrations = dict(disk.migrations)
    nodes = loader.graph.nodes
    for key, migration in disk.migrations.items():
        if key in nodes and nodes[key] is not migration:
            nodes[key] = migration
        if key in loader.replacements:
            loader.replacements[key] = migration


def _loader_class(disk: DiskMigrations) -> type:
    """Django's ``MigrationLoader`` reading ``disk`` instead of importing the modules again."""
    from django.db.migrations.loader import MigrationLoader

    class _Loader(MigrationLoader):
        def load_disk(self) -> None:
            self.disk_migrations = dict(disk.migrations)
            self.unmigrated_apps = set(disk.unmigrated_apps)
            self.migrated_apps = set(disk.migrated_apps)
            self._first_last: dict[tuple[str, str], Any] = {}
            # run_before within one app changes its roots while external deps are added
            self._unstable_apps = {
                key[0]
                for key, m in disk.migrations.items()
                for later in getattr(m, "run_before", ())
                if later[0] == key[0]
            }

        def check_key(self, key: tuple[str, str], current_app: str) -> Any:
            # Django resolves every ``__first__`` (e.g. each swappable_dependency) with a scan
            # of the whole graph: quadratic on large projects. While external dependencies
            # are added, an app's root and leaf nodes cannot change, so remember them.
            if (
                key[1] not in ("__first__", "__latest__")
                or key[0] == current_app
                or key[0] in self._unstable_apps
            ):
                return super().check_key(key, current_app)
            if key not in self._first_last:
                self._first_last[key] = super().check_key(key, current_app)
            return self._first_last[key]

    return _Loader


def build_loader(
    disk: DiskMigrations, *, replace_migrations: bool = True, connection: Any = None
) -> Any:
    """A Django ``MigrationLoader`` over ``disk`` that drops (and records) broken migrations.

    Migrations whose dependencies are missing or that sit in a cycle are removed one by one with
    a ``LoadProblem`` in ``disk.problems``; so are their descendants (they cannot be placed).
    """
    from django.db.migrations.exceptions import CircularDependencyError, NodeNotFoundError

    loader_class = _loader_class(disk)
    for _ in range(len(disk.migrations) + 1):
        _drop_unresolvable(disk)
        loader = loader_class(None, load=False, replace_migrations=replace_migrations)
        if connection is not None:
            loader.connection = connection
        try:
            loader.build_graph()
            return loader
        except NodeNotFoundError as exc:
            origin = getattr(exc, "origin", None)
            if origin is not None and hasattr(origin, "app_label") and hasattr(origin, "name"):
                origin = (origin.app_label, origin.name)
            if origin not in disk.migrations:
                raise
            _record(
                disk,
                origin,
                "dependency",
                f"Depends on {exc.node[0]}.{exc.node[1]}, which does not exist (or could not "
                "be loaded); restore that migration or fix the dependency, or Django's "
                "`migrate` fails too.",
            )
        except CircularDependencyError:
            for key in _cycle_members(disk.migrations):
                _record(
                    disk,
                    key,
                    "cycle",
                    "This migration is part of a circular dependency; Django cannot order it. "
                    "Remove one of the dependencies in the cycle.",
                )
    raise RuntimeError("could not build the migration graph")


def _record(disk: DiskMigrations, key: tuple[str, str], kind: str, message: str) -> None:
    disk.migrations.pop(key, None)
    disk.problems[key] = LoadProblem(
        kind, message, path=disk.paths.get(key), app=key[0], migration=key[1]
    )


def _drop_unresolvable(disk: DiskMigrations) -> None:
    """Record migrations whose dependencies point at a broken or absent app or migration."""
    from django.conf import settings

    changed = True
    while changed:
        changed = False
        for key, migration in list(disk.migrations.items()):
            for dep in migration.dependencies:
                app = dep[0]
                if app == "__setting__":
                    app = getattr(settings, dep[1]).split(".")[0]
                name = dep[1]
                if (app, name) in disk.problems and (app, name) not in disk.migrations:
                    _record(
                        disk,
                        key,
                        "dependency",
                        f"Depends on {app}.{name}, which could not be loaded "
                        f"({disk.problems[(app, name)].kind} problem there); it is checked "
                        "again once that migration loads.",
                    )
                    changed = True
                    break
                if name in ("__first__", "__latest__") and app not in disk.migrated_apps:
                    if app in disk.unmigrated_apps:
                        msg = f"Depends on app {app!r}, which has no migrations."
                    else:
                        msg = f"Depends on app {app!r}, which is not in INSTALLED_APPS."
                    _record(disk, key, "dependency", msg + " Fix the dependency.")
                    changed = True
                    break


def _cycle_members(migrations: dict[tuple[str, str], Any]) -> set[tuple[str, str]]:
    """Nodes that sit on a dependency cycle (Tarjan's strongly connected components)."""
    edges: dict[tuple[str, str], list[tuple[str, str]]] = {
        key: [(d[0], d[1]) for d in m.dependencies if tuple(d) in migrations]
        for key, m in migrations.items()
    }
    for key, m in migrations.items():
        for later in getattr(m, "run_before", []):
            if (later[0], later[1]) in edges:
                edges[(later[0], later[1])].append(key)
    index: dict[tuple[str, str], int] = {}
    low: dict[tuple[str, str], int] = {}
    stack: list[tuple[str, str]] = []
    on_stack: set[tuple[str, str]] = set()
    members: set[tuple[str, str]] = set()
    counter = 0

    def visit(v: tuple[str, str]) -> None:
        nonlocal counter
        work = [(v, iter(edges[v]))]
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        while work:
            node, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(edges[w])))
                    break
                if w in on_stack:
                    low[node] = min(low[node], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        component.append(w)
                        if w == node:
                            break
                    if len(component) > 1 or node in edges[node]:
                        members.update(component)

    for v in edges:
        if v not in index:
            visit(v)
    return members
