"""The lint engine: a long-lived Django context that turns migrations into verdicts.

Used in-process by the CLI and inside the language server's worker, so editor and CI agree.
``LintSession`` sets Django up once, loads the migration graph without a database connection,
renders SQL per operation offline (``django_side.render``), runs the rules and applies suppression.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from . import __version__
from .config import LintOptions, apply_django_settings, validate_codes
from .django_side.loading import (
    DiskMigrations,
    GraphShape,
    LoadProblem,
    ProjectLoadError,
    build_loader,
    load_disk_migrations,
    refresh_loader,
    setup_django,
)
from .django_side.offline import vendor_of
from .django_side.render import CHECKPOINT_EVERY, RenderedMigration, Renderer, full_plan
from .findings import LintRun, MigrationResult, ProjectInfo
from .rules.catalogue import RULES
from .source import (
    MigrationSource,
    SourceDecodeError,
    parse_migration_source,
    read_source_file,
)
from .static import static_operations
from .verdicts import verdict

Key = tuple[str, str]
ProgressCallback = Callable[[int, int, MigrationResult], None]


def git_changed_paths(root: Path, rev: str) -> set[str]:
    """Absolute paths of files added or renamed since ``rev`` (as lintmigrations does), plus
    files git does not track yet (a new migration not committed is new too)."""
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        out = subprocess.run(
            ["git", "diff", "--name-only", "--diff-filter=AR", rev],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        out += subprocess.run(
            ["git", "ls-files", "--others", "--exclude-standard", "--full-name"],
            cwd=top,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        raise ProjectLoadError(
            LoadProblem(
                "git",
                f"`git diff {rev}` failed in {root}: {detail.strip()}. Pass a commit that "
                "exists in this repository to --git-commit-id.",
            )
        ) from exc
    return {os.path.realpath(os.path.join(top, line)) for line in out.splitlines() if line}


def read_listed_migrations(path: str) -> set[Key]:
    """``--include-migrations-from``: (app, name) of each migration file path listed."""
    keys: set[Key] = set()
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            parts = line.strip().replace("\\", "/").split("/")
            if "migrations" in parts and parts[-1].endswith(".py") and "__init__" not in parts[-1]:
                i = len(parts) - 1 - parts[::-1].index("migrations")
                if i >= 1 and i + 1 < len(parts):
                    keys.add((parts[i - 1], parts[i + 1][:-3]))
    return keys


def is_ignore_migration(migration: Any) -> bool:
    """True when ``IgnoreMigration()`` (from any module) is among the operations."""
    return any(type(op).__name__ == "IgnoreMigration" for op in migration.operations)


class LintSession:
    """A Django context for one project: set up once, lint many times."""

    def __init__(self, root: Path, options: LintOptions) -> None:
        self.root = root.resolve()
        self.options = options
        settings_module = setup_django(self.root, options.settings)
        import django
        from django.conf import settings

        apply_django_settings(options, getattr(settings, "MIGRATION_LINTER_OPTIONS", {}) or {})
        if options.database not in settings.DATABASES:
            raise ProjectLoadError(
                LoadProblem(
                    "config",
                    f"Unknown database alias {options.database!r}: settings.DATABASES "
                    f"defines {', '.join(sorted(settings.DATABASES)) or 'no database'}. "
                    "Pass one of those with --database.",
                )
            )
        self.problems: list[str] = validate_codes(options, set(RULES))
        self.settings_module = settings_module
        self.vendor = vendor_of(options.database)
        self.analyser = (options.sql_analyser or self.vendor).lower()
        if options.sql_analyser and self.analyser not in ("postgresql", "sqlite", "mysql"):
            raise ProjectLoadError(
                LoadProblem(
                    "config",
                    f"Unknown SQL analyser {options.sql_analyser!r}; use one of postgresql, "
                    "sqlite, mysql.",
                )
            )
        self.django_version = django.get_version()
        self.disk: DiskMigrations | None = None
        self.loader: Any = None
        self.renderer: Renderer | None = None
        self.rendered: dict[Key, RenderedMigration] = {}
        #: plan position -> (signature of the plan up to there, state before that position)
        self.checkpoints: dict[int, tuple[str, Any]] = {}
        self._shape: GraphShape | None = None  # of the last load (self.loader's graph)
        self._reusable = False  # self.loader can serve a load of the same shape
        self._plan: list[Key] | None = None  # full_plan of self.loader's graph

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

    # -- loading -----------------------------------------------------------------------------
    def load(self, overrides: dict[str, str] | None = None, fresh: Iterable[str] = ()) -> None:
        """(Re)load migration files and build the graph (no database connection).

        When no migration's dependencies, replaces or run_before changed (the usual save in the
        editor), the graph of the previous load is kept with the new Migration objects in it.
        """
        disk = load_disk_migrations(overrides, frozenset(fresh), previous=self.disk)
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
        if self.renderer is None:
            self.renderer = Renderer(
                self.options.database, self.loader.unmigrated_apps, self.options.mysql_version
            )
            if self.renderer.vendor:
                self.vendor = self.renderer.vendor
                if not self.options.sql_analyser:
                    self.analyser = self.vendor

    # -- selection ---------------------------------------------------------------------------
    def select(self, only: Iterable[Key] | None = None) -> tuple[list[Key], set[Key]]:
        """(migrations to report on, those of them that are ignored) per the options;
        ``only``: among these."""
        assert self.disk is not None
        opts = self.options
        keys = set(self.disk.paths)
        if only is not None:
            keys.intersection_update(only)
        applied: set[Key] | None = None
        if opts.applied_migrations or opts.unapplied_migrations:
            from .django_side.dbread import DatabaseUnavailable, applied_keys

            try:
                applied = applied_keys(opts.database)
            except DatabaseUnavailable as exc:
                raise ProjectLoadError(
                    LoadProblem(
                        "database",
                        f"--applied-migrations/--unapplied-migrations need to read the "
                        f"django_migrations table, but {exc}. Start the database or drop "
                        "the option.",
                    )
                ) from exc
        changed: set[str] | None = None
        if opts.git_commit_id:
            changed = git_changed_paths(self.root, opts.git_commit_id)
        listed = (
            read_listed_migrations(opts.include_migrations_from)
            if opts.include_migrations_from
            else None
        )
        selected: list[Key] = []
        ignored: set[Key] = set()
        for key in sorted(keys):
            app, name = key
            if opts.app_label and app != opts.app_label:
                continue
            if opts.migration_name and not name.startswith(opts.migration_name):
                continue
            if changed is not None and os.path.realpath(self.disk.paths[key]) not in changed:
                continue
            if listed is not None and key not in listed:
                continue
            if opts.include_apps and app not in opts.include_apps:
                continue
            if opts.exclude_apps and app in opts.exclude_apps:
                continue
            if opts.ignore_name_contains and opts.ignore_name_contains in name:
                continue
            if opts.include_name_contains and opts.include_name_contains not in name:
                continue
            if name in (opts.ignore_name or []):
                continue
            if opts.include_name and name not in opts.include_name:
                continue
            if applied is not None:
                if opts.applied_migrations and key not in applied:
                    continue
                if opts.unapplied_migrations and key in applied:
                    continue
            migration = self.disk.migrations.get(key)
            if opts.ignore_initial_migrations and migration is not None and migration.initial:
                continue
            selected.append(key)
            if migration is not None and is_ignore_migration(migration):
                ignored.add(key)
        return selected, ignored

    # -- rendering ---------------------------------------------------------------------------
    def render(self, keys: set[Key], on_rendered: Callable[[Key], None] | None = None) -> None:
        """Render ``keys`` (walking the whole graph for the states in between).

        States before every ``CHECKPOINT_EVERY``-th migration of the plan are kept (keyed by
        the exact plan prefix and migration classes), so re-rendering one migration, as the
        editor does on each save, starts close to it instead of at the beginning.
        """
        assert self.loader is not None and self.renderer is not None and self.disk is not None
        renderer = self.renderer
        graph = self.loader.graph
        plan = self.plan
        signatures = []
        digest = hashlib.sha1()
        for key in plan:
            signatures.append(digest.hexdigest())
            digest.update(f"{key}{id(type(graph.nodes[key]))};".encode())
        todo = set(keys)
        first = min((i for i, k in enumerate(plan) if k in todo), default=len(plan))
        start = 0
        state = None
        for position in sorted(self.checkpoints, reverse=True):
            signature, saved = self.checkpoints[position]
            if position <= first and position < len(plan) and signatures[position] == signature:
                start, state = position, saved.clone()
                break
        if state is None:
            state = renderer.initial_state()
        for position in range(start, len(plan)):
            if not todo:
                break
            key = plan[position]
            if position % CHECKPOINT_EVERY == 0:
                saved = self.checkpoints.get(position)
                if saved is None or saved[0] != signatures[position]:
                    self.checkpoints[position] = (signatures[position], state.clone())
            migration = graph.nodes[key]
            if key in todo:
                self.rendered[key] = renderer.render_migration(migration, state)
                todo.discard(key)
                if on_rendered:
                    on_rendered(key)
            else:
                renderer.advance(migration, state)
        replaced = {k for k in todo if k in self.disk.migrations}
        if replaced:
            # Migrations replaced by a squash in use: walk the graph made of the originals.
            originals = build_loader(self.disk, replace_migrations=False)
            squashes = set(self.loader.replacements)
            state = renderer.initial_state()
            for key in full_plan(originals.graph, exclude=squashes):
                migration = originals.graph.nodes[key]
                if key in replaced:
                    self.rendered[key] = renderer.render_migration(migration, state)
                    replaced.discard(key)
                    if on_rendered:
                        on_rendered(key)
                    if not replaced:
                        break
                else:
                    renderer.advance(migration, state)

    # -- verdicts ----------------------------------------------------------------------------
    def result_for(self, key: Key, overrides: dict[str, str] | None = None) -> MigrationResult:
        """The verdict on one migration (rendered beforehand, or failed to load)."""
        assert self.disk is not None
        app, name = key
        path = self.disk.paths.get(key)
        source: MigrationSource | None = None
        source_error: str | None = None
        decode_location: dict[str, int] | None = None
        text: str | None = None
        if path:
            real = os.path.realpath(path)
            text = (overrides or {}).get(real) or (overrides or {}).get(path)
            if text is None:
                try:
                    text = read_source_file(path)
                except SourceDecodeError as exc:  # Python may still import it (in a comment)
                    source_error = exc.message
                    decode_location = {"line": exc.line, "column": exc.col + 1}
                    with open(path, "rb") as handle:
                        text = handle.read().decode("utf-8", errors="replace")
                except OSError as exc:
                    source_error = f"cannot read the file: {exc}"
            if text is not None:
                source = parse_migration_source(text, path)
        shown_path = self.display_path(path)
        migration = self.disk.migrations.get(key)
        if (migration is not None and is_ignore_migration(migration)) or (
            source is not None and source.ignore_migration
        ):
            return MigrationResult(app, name, shown_path, "ignored", vendor=self.vendor)
        problem = self.disk.problems.get(key)
        if problem is not None or key not in self.rendered:
            message = problem.message if problem else (source_error or "not rendered")
            operations = static_operations(source) if source is not None else []
            result = verdict(
                app,
                name,
                shown_path,
                source,
                operations,
                vendor=self.analyser,
                atomic=True,
                options=self.options,
                error=message,
            )
            result.status = "error" if result.status == "error" else "render_error"
            if problem is not None and problem.line:
                result.error_location = {"line": problem.line, "column": (problem.col or 0) + 1}
            return result
        rendered = self.rendered[key]
        error = source_error
        if self.renderer is not None and self.renderer.backend_error:
            error = "; ".join(filter(None, [error, self.renderer.backend_error]))
        result = verdict(
            app,
            name,
            shown_path,
            source,
            rendered.operations,
            vendor=self.analyser,
            atomic=rendered.atomic,
            options=self.options,
            error=error,
        )
        if decode_location:
            result.error_location = decode_location
        return result

    def display_path(self, path: str | None) -> str | None:
        """``path`` relative to the project root when inside it, else absolute."""
        if not path:
            return None
        real = Path(os.path.realpath(path))
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
        selected, ignored = self.select(keys)
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
            elif key not in ignored and key in self.disk.migrations:
                to_render.add(key)
            else:  # ignored, or failed to load: nothing to render
                judge(key)
        self.rendered = {}
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
        run = LintRun(self.project, problems=list(self.problems))
        run.problems += [f"{p.path or p.app}: {p.message}" for p in self.disk.app_problems]
        return run


def tool_version() -> str:
    """Our version, for cache keys and SARIF."""
    return __version__
