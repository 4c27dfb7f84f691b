"""The lint pipeline: one path from options to a ``LintRun``, with the result cache, used by the
CLI (``lint``), ``manage.py lintmigrations`` and the language server's worker.

- ``whole_run``: the cached run of an unchanged project, found without Django; it also returns
  the ``RunCache`` (cache file + fingerprint, computed once) that ``lint_project`` then uses.
- ``lint_project``: set Django up, lint, reuse unchanged migrations' results, store the run.
- ``lint_loaded_session``: a loaded session (the worker's) linted with the per-migration cache,
  yielding to waiting requests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cache import (
    CacheFile,
    EnvRecorder,
    WholeRun,
    cache_path_for,
    key_base,
    migration_keys,
    project_fingerprint,
)
from .config import LintOptions
from .findings import LintRun, MigrationResult

if TYPE_CHECKING:
    from .engine import LintSession, ProgressCallback


@dataclass(frozen=True)
class RunCache:
    """Where a lint's results are cached, and the project's fingerprint (computed once)."""

    file: CacheFile
    fingerprint: str


def whole_run(root: Path, options: LintOptions) -> tuple[LintRun | None, RunCache | None]:
    """(the cached run if nothing it depends on changed, the cache to lint with); needs no
    Django. The cache is None when none may be used (``--no-cache``, database selections)."""
    path = cache_path_for(root, options)
    if path is None:
        return None, None
    cache = RunCache(CacheFile(path), project_fingerprint(root, options))
    return cache.file.whole_run(cache.fingerprint), cache


def lint_project(
    root: Path,
    options: LintOptions,
    cache: RunCache | None,
    progress: ProgressCallback | None = None,
) -> LintRun:
    """Set Django up for ``root`` and lint it; with ``cache``, unchanged migrations come from
    it and the run is stored (with the environment variables the settings read); ``progress``
    hears of each migration's result."""
    from .engine import LintSession

    if cache is None:
        return LintSession(root, options).lint(progress=progress)
    with EnvRecorder() as env:
        session = LintSession(root, options)
    env.read.pop("DJANGO_SETTINGS_MODULE", None)  # set by us; the fingerprint has the original
    session.load()
    run, results = _lint_reusing(session, cache.file, progress=progress)
    cache.file.store_results(results)
    cache.file.store_run(WholeRun(cache.fingerprint, env.read, run))
    cache.file.save()
    return run


def lint(root: Path, options: LintOptions) -> LintRun:
    """``whole_run`` then, on a miss, ``lint_project``."""
    hit, cache = whole_run(root, options)
    return hit if hit is not None else lint_project(root, options, cache)


class LintPreempted(Exception):
    """A whole-project lint stopped so that waiting requests are served first; the results it
    had are in the cache, so running it again renders only the rest."""


def lint_loaded_session(
    session: LintSession,
    overrides: dict[str, str] | None = None,
    progress: ProgressCallback | None = None,
    should_yield: Callable[[], bool] | None = None,
) -> LintRun:
    """Lint a loaded session (the language server's worker), reusing and refreshing the
    per-migration results of the cache file; its whole-run entry is left as it is (it checks
    its own fingerprint). ``should_yield`` is asked after each result: when it says so, the
    results so far are stored and ``LintPreempted`` raised (only with a cache, so that each
    run gets further than the last)."""
    path = cache_path_for(session.root, session.options)
    if path is None:
        return session.lint_loaded(overrides, progress)
    file = CacheFile(path)
    keys = session_keys(session, overrides)
    heard: dict[str, MigrationResult] = {}

    def on_result(done: int, total: int, result: MigrationResult) -> None:
        heard[keys[(result.app, result.name)]] = result
        if progress is not None:
            progress(done, total, result)
        if should_yield is not None and done < total and should_yield():
            file.store_results(heard)
            file.save()
            raise LintPreempted()

    run = session.lint_loaded(overrides, on_result, None, lambda key: file.result(keys[key]))
    file.store_results({keys[(r.app, r.name)]: r for r in run.results})
    file.save()
    return run


def session_keys(session: LintSession, overrides: dict[str, str] | None) -> dict[Any, str]:
    """The level-2 key of every migration of the session's last load."""
    from .django_side.changes import content_hashes, graph_parents, imported_project_files

    assert session.disk is not None
    base = key_base(
        session.django_version,
        session.vendor,
        session.analyser,
        session.options,
        imported_project_files(session.root, session.disk),
    )
    return migration_keys(
        graph_parents(session.loader), content_hashes(session.disk, overrides), base
    )


def _lint_reusing(
    session: LintSession,
    file: CacheFile,
    overrides: dict[str, str] | None = None,
    progress: ProgressCallback | None = None,
) -> tuple[LintRun, dict[str, MigrationResult]]:
    """Lint the loaded ``session``, reusing the results of ``file`` whose keys did not change;
    the run and its results by level-2 key."""
    keys = session_keys(session, overrides)
    run = session.lint_loaded(overrides, progress, None, lambda key: file.result(keys[key]))
    return run, {keys[(r.app, r.name)]: r for r in run.results}
