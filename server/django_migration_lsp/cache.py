"""Result cache: a repeat run of an unchanged project costs a few file stats, never a stale verdict.

Two levels, both in one JSON file per (project, database) under the cache directory:

1. **Project fingerprint** -> the whole run. The fingerprint covers everything a verdict can
   depend on that is visible without Django: every source/config file under the project root
   (path, size, mtime), the installed distributions, the interpreter, our version, the options,
   and the environment variables the settings read during the last cold run (recorded while
   ``django.setup()`` ran). A hit skips Django entirely.
2. **Per migration** -> its result, keyed like a Merkle DAG: the migration file's content, the
   keys of its graph parents (so any change upstream invalidates the descendants), the project
   modules the migrations import, Django's version, the vendor and the verdict options. On a
   level-1 miss, only migrations whose key changed are rendered.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from . import __version__
from .config import LintOptions
from .findings import LintRun, MigrationResult, ProjectInfo

CACHE_FORMAT = 1
SKIP_DIRS = {
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".tox",
    ".nox",
    "build",
    "dist",
    ".cache",
}
WATCHED_SUFFIXES = (".py", ".toml", ".cfg", ".ini", ".json", ".env")
#: options that do not change what a run reports
NEUTRAL_OPTIONS = {"cache_path", "no_cache", "quiet", "origins", "python"}


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "django-migration-lsp"


def _sha(*parts: Any) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(json.dumps(part, sort_keys=True, default=str).encode())
        digest.update(b"\0")
    return digest.hexdigest()


def tree_signature(root: Path) -> list[tuple[str, int, int]]:
    """(relative path, size, mtime_ns) of every watched file under ``root``, sorted."""
    entries: list[tuple[str, int, int]] = []
    for dirpath, dirnames, filenames in os.walk(root):
        if "pyvenv.cfg" in filenames and Path(dirpath) != root:
            dirnames[:] = []
            continue
        dirnames[:] = sorted(
            d for d in dirnames if d not in SKIP_DIRS and not d.endswith(".egg-info")
        )
        for name in filenames:
            if name.endswith(WATCHED_SUFFIXES) or name in ("manage.py",):
                path = os.path.join(dirpath, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                entries.append((os.path.relpath(path, root), st.st_size, st.st_mtime_ns))
    entries.sort()
    return entries


def distributions_signature() -> list[tuple[str, str]]:
    """Installed distributions (name, version) of this interpreter."""
    seen = set()
    for dist in metadata.distributions():
        try:
            seen.add((dist.metadata["Name"] or "", dist.version or ""))
        except Exception:
            continue
    return sorted(seen)


def _git_rev(root: Path, rev: str) -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", rev], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return f"unresolved:{rev}"


def option_signature(options: LintOptions) -> dict[str, Any]:
    return {k: v for k, v in options.to_dict().items() if k not in NEUTRAL_OPTIONS}


def project_fingerprint(root: Path, options: LintOptions) -> str:
    """Level-1 key (without the recorded environment variables)."""
    git = _git_rev(root, options.git_commit_id) if options.git_commit_id else None
    return _sha(
        CACHE_FORMAT,
        __version__,
        sys.version,
        sys.executable,
        str(root),
        option_signature(options),
        os.environ.get("DJANGO_SETTINGS_MODULE"),
        git,
        tree_signature(root),
        distributions_signature(),
    )


class EnvRecorder:
    """Record which environment variables are read (while the settings are imported)."""

    def __init__(self) -> None:
        self.read: dict[str, str | None] = {}

    def __enter__(self) -> EnvRecorder:
        recorder = self
        original = os.environ

        class Recording(type(original)):  # type: ignore[misc]
            def __getitem__(self, key: str) -> str:
                try:
                    value = super().__getitem__(key)
                except KeyError:
                    recorder.read[key] = None
                    raise
                recorder.read[key] = value
                return value

            def get(self, key: str, default: Any = None) -> Any:
                value = super().get(key)
                recorder.read[key] = value
                return value if value is not None else default

            def __contains__(self, key: object) -> bool:
                present = super().__contains__(key)
                if isinstance(key, str):
                    recorder.read[key] = original.get(key) if present else None
                return present

        self._original = original
        recording = Recording.__new__(Recording)
        recording.__dict__.update(original.__dict__)
        os.environ = recording  # type: ignore[assignment]  # noqa: B003 - same contents
        return self

    def __exit__(self, *exc: Any) -> None:
        os.environ = self._original  # type: ignore[assignment]  # noqa: B003


def migration_keys(
    session: Any, overrides: dict[str, str] | None = None
) -> dict[tuple[str, str], str]:
    """Level-2 keys: content + parents' keys (Merkle), plus the session-wide part.
    ``overrides``: real path -> unsaved text that stands for the file's content."""
    disk = session.disk
    graph = session.loader.graph
    base = _sha(
        CACHE_FORMAT,
        __version__,
        session.django_version,
        session.vendor,
        session.analyser,
        option_signature(session.options),
        imported_project_files(session.root, disk),
    )
    content: dict[tuple[str, str], str] = {}
    for key, path in disk.paths.items():
        text = overrides.get(os.path.realpath(path)) if overrides else None
        try:
            data = text.encode("utf-8") if text is not None else Path(path).read_bytes()
        except OSError:
            content[key] = "missing"
        else:
            content[key] = hashlib.sha256(data).hexdigest()
    keys: dict[tuple[str, str], str] = {}

    def key_of(node: tuple[str, str]) -> str:
        if node in keys:
            return keys[node]
        stack = [node]
        while stack:
            current = stack[-1]
            parents = sorted(graph.node_map[current].parents) if current in graph.node_map else []
            missing = [p.key for p in parents if p.key not in keys]
            if missing:
                stack.extend(missing)
                continue
            stack.pop()
            keys[current] = _sha(
                base, current, content.get(current), [keys[p.key] for p in parents]
            )
        return keys[node]

    for node in graph.nodes:
        key_of(node)
    for key in disk.paths:  # replaced by a squash or failed to load: content only
        keys.setdefault(key, _sha(base, key, content.get(key), "unplaced"))
    return keys


def imported_project_files(root: Path, disk: Any) -> list[tuple[str, str]]:
    """Hashes of project files (outside migrations) that migration modules import from."""
    root_s = str(root)
    files: set[str] = set()
    for migration in disk.migrations.values():
        module = sys.modules.get(type(migration).__module__)
        if module is None:
            continue
        for value in vars(module).values():
            name = getattr(value, "__module__", None) or getattr(value, "__name__", None)
            mod = sys.modules.get(name) if isinstance(name, str) else None
            file = getattr(mod, "__file__", None) if mod is not None else None
            if file and file.startswith(root_s) and "/migrations/" not in file:
                files.add(file)
    out = []
    for file in sorted(files):
        try:
            out.append(
                (os.path.relpath(file, root), hashlib.sha256(Path(file).read_bytes()).hexdigest())
            )
        except OSError:
            continue
    return out


def cache_file(root: Path, options: LintOptions) -> Path:
    directory = Path(options.cache_path) if options.cache_path else default_cache_dir()
    name = hashlib.sha256(str(root).encode()).hexdigest()[:16]
    return directory / f"{name}-{options.database}.json"


def _load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if data.get("format") == CACHE_FORMAT else {}
    except (OSError, ValueError):
        return {}


def _save(path: Path, data: dict[str, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # a cache that cannot be written only costs time


def _level1(data: dict[str, Any], fingerprint: str) -> LintRun | None:
    level1 = data.get("run")
    if not (
        level1
        and level1.get("fingerprint") == fingerprint
        and all(os.environ.get(k) == v for k, v in level1.get("env", {}).items())
    ):
        return None
    run = LintRun(
        ProjectInfo(**level1["project"]),
        [MigrationResult.from_dict(r) for r in level1["results"]],
        list(level1.get("problems", [])),
        list(level1.get("skipped_apps", [])),
        int(level1.get("not_new", 0)),
    )
    for result in run.results:
        result.cached = True
    return run


def cache_path_for(root: Path, options: LintOptions) -> Path | None:
    """The cache file of a lint of ``root`` with ``options``; None when no cache may be used
    (``--no-cache``, or a selection that depends on the database's contents)."""
    if options.no_cache or options.applied_migrations or options.unapplied_migrations:
        return None
    project_root = Path(options.project_root_path).resolve() if options.project_root_path else root
    return cache_file(project_root, options)


def cached_run(root: Path, options: LintOptions) -> LintRun | None:
    """The whole run from the cache when nothing it depends on changed; needs no Django."""
    path = cache_path_for(root, options)
    if path is None:
        return None
    return _level1(_load(path), project_fingerprint(root, options))


def lint_reusing(
    session: Any,
    data: dict[str, Any],
    overrides: dict[str, str] | None = None,
    progress: Callable[..., None] | None = None,
) -> tuple[LintRun, dict[str, Any]]:
    """Lint the loaded ``session``, reusing the per-migration results of ``data`` (a cache
    file's contents) whose keys did not change. Returns the run and the per-migration results
    to store: those of this run first, then the newest of the others (the file's version of a
    migration linted from an unsaved buffer, another set of options), up to as many again."""
    keys = migration_keys(session, overrides)
    stored = data.get("migrations", {})

    def reuse(key: tuple[str, str]) -> MigrationResult | None:
        entry = stored.get(keys[key])
        if entry is None:
            return None
        result = MigrationResult.from_dict(entry)
        result.cached = True
        return result

    run = session.lint_loaded(overrides, progress, None, reuse)
    new_store: dict[str, Any] = {}
    for result in run.results:
        entry = result.to_dict()
        entry["cached"] = False
        new_store[keys[(result.app, result.name)]] = entry
    bound = 2 * len(new_store) + 100
    for key, entry in stored.items():
        if len(new_store) >= bound:
            break
        new_store.setdefault(key, entry)
    return run, new_store


def lint_with_cache(
    session: Any,
    overrides: dict[str, str] | None = None,
    progress: Callable[..., None] | None = None,
) -> LintRun:
    """Lint a loaded session (the language server's worker), reusing and refreshing the
    per-migration results of the cache file; the whole-run entry of the file is left as it is
    (it checks its own fingerprint)."""
    path = cache_path_for(session.root, session.options)
    if path is None:
        return session.lint_loaded(overrides, progress)
    data = _load(path)
    run, new_store = lint_reusing(session, data, overrides, progress)
    _save(path, {"format": CACHE_FORMAT, "run": data.get("run"), "migrations": new_store})
    return run


def cached_lint(root: Path, options: LintOptions, session_class: Callable[..., Any]) -> Any:
    """Lint ``root`` with ``options``, using and refreshing the cache unless ``no_cache``."""
    path = cache_path_for(root, options)
    if path is None:
        session = session_class(root, options)
        return session.lint()
    data = _load(path)
    fingerprint = project_fingerprint(root, options)
    hit = _level1(data, fingerprint)
    if hit is not None:
        return hit

    with EnvRecorder() as env:
        session = session_class(root, options)
    env.read.pop("DJANGO_SETTINGS_MODULE", None)  # set by us; the fingerprint has the original
    session.load()
    run, new_store = lint_reusing(session, data)
    _save(
        path,
        {
            "format": CACHE_FORMAT,
            "run": {
                "fingerprint": fingerprint,
                "env": env.read,
                "project": run.project.to_dict(),
                "results": [r.to_dict() for r in run.results],
                "problems": run.problems,
                "skipped_apps": run.skipped_apps,
                "not_new": run.not_new,
            },
            "migrations": new_store,
        },
    )
    return run
