"""The lint engine: a long-lived Django context that turns migrations into verdicts.

Used in-process by the CLI and inside the language server's worker, so editor and CI agree.
``LintSession`` sets Django up once, loads the migration graph without a database connection,
and lints: the selection (``selection``) says which migrations to report on, one walk of the
plan (``walk``) renders them offline (``django_side.render``) and moves the state over the rest,
and ``results`` turns each into its verdict.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .check_codes import CHECK_CODES
from .config import LintOptions, apply_django_settings, validate_codes
from .django_side.loading import (
    MISSING_BACKENDS,
    DiskMigrations,
    GraphShape,
    build_loader,
    load_disk_migrations,
    refresh_loader,
    setup_django,
)
from .django_side.offline import offline_connection, vendor_of
from .django_side.render import CHECKPOINT_EVERY, RenderedMigration, Renderer, full_plan
from .findings import LintRun, MigrationResult, ProjectInfo
from .heap import frozen_heap
from .load_errors import LoadProblem, ProjectLoadError
from .results import Judged, failed_result, ignored_result, read_source, rendered_result
from .rules.catalogue import RULES
from .scope import gather_facts, is_ignore_migration
from .selection import Facts, Selection, SelectionError, closest, select
from .walk import Checkpoints, walk

Key = tuple[str, str]
ProgressCallback = Callable[[int, int, MigrationResult], None]
#: every code a user may name in options: the rules', RENDER_ERROR and the cross-checks'
KNOWN_CODES = {*RULES, "RENDER_ERROR", *CHECK_CODES}
BUILTIN_BACKENDS = ("postgresql", "sqlite3", "mysql", "oracle")


def _problem(kind: str, message: str) -> ProjectLoadError:
    return ProjectLoadError(LoadProblem(kind, message))


def check_engine(alias: str) -> None:
    """A database ENGINE that names no importable module is a typo: one paragraph, exit 2.
    (A backend whose driver is missing still loads: its operations are checked from what they
    do.)"""
    from django.conf import settings

    engine = settings.DATABASES[alias].get("ORIGINAL_ENGINE")
    if not engine or alias not in MISSING_BACKENDS:
        return
    try:
        found = importlib.util.find_spec(engine) is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        known = {f"django.db.backends.{name}" for name in BUILTIN_BACKENDS}
        raise _problem(
            "settings",
            f"settings.DATABASES[{alias!r}]: {closest(engine, known, 'ENGINE')} It names no "
            "importable module, so no SQL can be rendered for this database (and `migrate` "
            "cannot run on it). Fix the ENGINE in the settings, or pass --database with "
            "another alias.",
        )


def fixed_vendor(alias: str) -> str:
    """The vendor of ``alias``: its backend's when it loads, else read from the ENGINE path."""
    try:
        return str(offline_connection(alias).vendor)
    except Exception:
        return vendor_of(alias)


def real_path(path: str, dirs: dict[str, str]) -> str:
    """``os.path.realpath(path)``, each directory resolved once (``dirs``: directory -> real)."""
    if os.path.islink(path):
        return os.path.realpath(path)
    directory, name = os.path.split(path)
    real = dirs.get(directory)
    if real is None:
        real = dirs[directory] = os.path.realpath(directory)
    return os.path.join(real, name)


class LintSession:
    """A Django context for one project: set up once, load and lint many times.

    ``editor``: the language server's worker. There ``scope = "new"`` limits the whole-project
    lint to new migrations, and falls back to every migration when git cannot tell which are.
    """

    def __init__(self, root: Path, options: LintOptions, *, editor: bool = False) -> None:
        self.root = root.resolve()
        self.options = options
        self.editor = editor
        settings_module = setup_django(self.root, options.settings)
        import django
        from django.conf import settings

        apply_django_settings(options, getattr(settings, "MIGRATION_LINTER_OPTIONS", {}) or {})
        if options.database not in settings.DATABASES:
            raise _problem(
                "config",
                f"Unknown database alias {options.database!r}: settings.DATABASES "
                f"defines {', '.join(sorted(settings.DATABASES)) or 'no database'}. "
                "Pass one of those with --database.",
            )
        check_engine(options.database)
        self.problems: list[str] = validate_codes(options, KNOWN_CODES)
        self.settings_module = settings_module
        self.vendor = fixed_vendor(options.database)
        self.analyser = (options.sql_analyser or self.vendor).lower()
        if options.sql_analyser and self.analyser not in ("postgresql", "sqlite", "mysql"):
            raise _problem(
                "config",
                f"Unknown SQL analyser {options.sql_analyser!r}; use one of postgresql, "
                "sqlite, mysql.",
            )
        self.django_version = django.get_version()
        self.disk: DiskMigrations | None = None
        self._real_dirs: dict[str, str] = {}  # directory -> its real path, this load
        self.loader: Any = None
        self.renderer: Renderer | None = None
        self.rendered: dict[Key, RenderedMigration] = {}
        self.checkpoints = Checkpoints(CHECKPOINT_EVERY)
        self._shape: GraphShape | None = None  # of the last load (self.loader's graph)
        self._reusable = False  # self.loader can serve a load of the same shape
        self._plan: list[Key] | None = None  # full_plan of self.loader's graph
        self.skipped_apps: tuple[str, ...] = ()  # installed apps left out by the last selection
        self.not_new = 0  # migrations left out by the last selection as not new
        self.selection_problems: list[str] = []

    @property
    def plan(self) -> list[Key]:
        """Every migration of the graph in an order that applies dependencies first."""
        assert self.loader is not None
        if self._plan is None:
            self._plan = full_plan(self.loader.graph)
        return self._plan

    @property
    def project(self) -> ProjectInfo:
        return ProjectInfo(
            root=str(self.root),
            settings=self.settings_module,
            vendor=self.vendor,
            django=self.django_version,
            database=self.options.database,
        )

    @property
    def git_root(self) -> Path:
        """Where git runs (``project_root_path`` when set)."""
        given = self.options.project_root_path
        return Path(given).resolve() if given else self.root

    # -- loading -----------------------------------------------------------------------------
    def load(self, overrides: dict[str, str] | None = None, fresh: Iterable[str] = ()) -> None:
        """(Re)load migration files and build the graph (no database connection).

        When no migration's dependencies, replaces or run_before changed (the usual save in the
        editor), the graph of the previous load is kept with the new Migration objects in it.
        """
        disk = load_disk_migrations(
            overrides, frozenset(fresh), previous=self.disk, root=str(self.root)
        )
        shape = GraphShape(disk, self._shape)
        if self.loader is not None and self._reusable and shape == self._shape:
            refresh_loader(self.loader, disk)
        else:
            problems = len(disk.problems)
            self.loader = build_loader(disk)
            self._plan = None
            # A graph built by dropping broken migrations is rebuilt each time (the problems
            # it records live in the load, not in the graph).
            self._reusable = len(disk.problems) == problems
        self._shape = shape
        self.disk = disk
        self._real_dirs = {}
        if self.renderer is None:
            self.renderer = Renderer(
                self.options.database, self.loader.unmigrated_apps, self.options.mysql_version
            )

    # -- selection ---------------------------------------------------------------------------
    def facts(self, only: Iterable[Key] | None = None) -> Facts:
        """What the selection needs from disk, git and the database."""
        assert self.disk is not None
        self.selection_problems = []
        return gather_facts(
            self.disk,
            self.options,
            root=self.root,
            git_root=self.git_root,
            editor=self.editor,
            only=only,
            problems=self.selection_problems,
        )

    def select(self, only: Iterable[Key] | None = None) -> Selection:
        """The migrations to report on per the options; ``only``: among these."""
        try:
            selection = select(self.facts(only), self.options)
        except SelectionError as exc:
            raise _problem("selection", str(exc)) from exc
        self.skipped_apps = selection.installed_apps
        self.not_new = selection.not_new
        return selection

    # -- rendering ---------------------------------------------------------------------------
    def render(self, keys: set[Key], on_rendered: Callable[[Key], None] | None = None) -> None:
        """Render ``keys`` (walking the whole graph for the states in between), starting from
        the latest valid checkpoint before the first of them. Migrations replaced by a squash
        in use are rendered by a second walk, over the originals' graph."""
        assert self.loader is not None and self.renderer is not None and self.disk is not None
        plan = self.plan
        signatures = self.checkpoints.signatures(plan, self.loader.graph.nodes)
        todo = set(keys)
        first = min((i for i, k in enumerate(plan) if k in todo), default=len(plan))
        start, state = self.checkpoints.start(first, signatures, self.renderer.initial_state)
        checkpoint = self.checkpoints.hook(signatures)
        main = walk(self.renderer, self.loader.graph.nodes, plan, todo, state, start, checkpoint)
        self._keep(main, on_rendered)
        replaced = {k for k in todo if k in self.disk.migrations}
        if replaced:  # replaced by a squash in use: the same walk over the originals' graph
            originals = build_loader(self.disk, replace_migrations=False)
            order = full_plan(originals.graph, exclude=set(self.loader.replacements))
            state = self.renderer.initial_state()
            self._keep(
                walk(self.renderer, originals.graph.nodes, order, replaced, state), on_rendered
            )

    def _keep(
        self,
        rendered: Iterable[tuple[Key, RenderedMigration]],
        on_rendered: Callable[[Key], None] | None,
    ) -> None:
        for key, migration in rendered:
            self.rendered[key] = migration
            if on_rendered:
                on_rendered(key)

    # -- verdicts ----------------------------------------------------------------------------
    def result_for(self, key: Key, overrides: dict[str, str] | None = None) -> MigrationResult:
        """The verdict on one migration (rendered beforehand, or failed to load)."""
        assert self.disk is not None
        path = self.disk.paths.get(key)
        read = read_source(path, overrides)
        who = Judged(*key, self.display_path(path), self.vendor, self.analyser, self.options)
        migration = self.disk.migrations.get(key)
        if (migration is not None and is_ignore_migration(migration)) or (
            read.source is not None and read.source.ignore_migration
        ):
            return ignored_result(who)
        problem = self.disk.problems.get(key)
        if problem is not None or key not in self.rendered:
            return failed_result(who, read, problem)
        backend_error = self.renderer.backend_error if self.renderer is not None else None
        return rendered_result(who, read, self.rendered[key], backend_error)

    def display_path(self, path: str | None) -> str | None:
        """``path`` relative to the project root when inside it, else absolute."""
        if not path:
            return None
        real = Path(real_path(path, self._real_dirs))
        try:
            return str(real.relative_to(self.root))
        except ValueError:
            return str(real)

    def lint(
        self,
        overrides: dict[str, str] | None = None,
        progress: ProgressCallback | None = None,
        keys: list[Key] | None = None,
    ) -> LintRun:
        """Load, select, render and judge; results sorted by (app, name)."""
        self.load(overrides)
        return self.lint_loaded(overrides, progress, keys)

    def lint_loaded(
        self,
        overrides: dict[str, str] | None = None,
        progress: ProgressCallback | None = None,
        keys: list[Key] | None = None,
        reuse: Callable[[Key], MigrationResult | None] | None = None,
    ) -> LintRun:
        """Select, render and judge the migrations loaded last (``keys``: only these).

        ``reuse`` answers a migration's result without rendering it (the result cache), or
        None. ``progress`` hears of each result as soon as it is known: reused ones and those
        that need no rendering first, then each migration as the walk of the graph renders it.
        Results are returned sorted by (app, name).
        """
        assert self.disk is not None
        selection = self.select(keys)
        selected = selection.keys
        results: dict[Key, MigrationResult] = {}

        def done(key: Key, result: MigrationResult) -> None:
            results[key] = result
            if progress:
                progress(len(results), len(selected), result)

        def judge(key: Key) -> None:
            done(key, self.result_for(key, overrides))

        to_render: set[Key] = set()
        for key in selected:
            reused = reuse(key) if reuse is not None else None
            if reused is not None:
                done(key, reused)
            elif key not in selection.ignored and key in self.disk.migrations:
                to_render.add(key)
            else:  # ignored, or failed to load: nothing to render
                judge(key)
        self.rendered = {}
        with frozen_heap():  # what is loaded outlives the lint (heap.py)
            self.render(to_render, on_rendered=judge)
        for key in selected:
            if key not in results:  # could not be placed in the graph
                judge(key)
        run = self.new_run()
        run.results = [results[key] for key in selected]
        return run

    def new_run(self) -> LintRun:
        """An empty run carrying the problems that concern no single migration."""
        assert self.disk is not None
        run = LintRun(self.project, problems=[*self.problems, *self.selection_problems])
        run.problems += [f"{p.path or p.app}: {p.message}" for p in self.disk.app_problems]
        run.skipped_apps = list(self.skipped_apps)
        run.not_new = self.not_new
        return run
