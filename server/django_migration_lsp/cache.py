"""Result cache keys and storage: a repeat run of an unchanged project costs a few file stats,
never a stale verdict. Pure keys and a file; the runs that use them are in ``runs``.

Two levels, both in one JSON file per (project, database) under the cache directory:

1. **Project fingerprint** -> the whole run. The fingerprint covers everything a verdict can
   depend on that is visible without Django: every source/config file under the project root
   (path, size, mtime), the installed distributions, the interpreter, our version, the options,
   and the environment variables the settings read during the last cold run (recorded while
   ``django.setup()`` ran). A hit skips Django entirely.
2. **Per migration** -> its result, keyed like a Merkle DAG: the migration file's content, the
   keys of its graph parents (so any change upstream invalidates the descendants), the project
   modules the migrations import, Django's version, the vendor and the verdict options. On a
   level-1 miss, only migrations whose key changed are rendered. The content hashed is the
   content that was imported and rendered (``django_side.changes``), never a later read.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from types import FrameType
from typing import Any

from . import __version__
from .config import LintOptions
from .findings import LintRun, MigrationResult, ProjectInfo

Key = tuple[str, str]
#: bumped when what a cached result holds changes (2: RunSQL scripts and migrate crashes on
#: rendered operations), so results of an older layout are linted again, never shown stale
CACHE_FORMAT = 2
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


#: modules whose frames pass an environment read on (``os.environ.copy()``, ``items()``,
#: ``os.getenv``, …): the read is the caller's
_ENVIRON_PLUMBING = {"os", "_collections_abc", __name__}
_STDLIB = os.path.dirname(os.path.realpath(os.__file__))


def reads_a_setting(filename: str) -> bool:
    """True when an environment read made from ``filename`` can change what the project is:
    the settings, the apps, third-party packages. Reads of the standard library are not (a copy
    of the whole environment for a subprocess, as ``ctypes.util.find_library`` makes when
    psycopg looks for libpq; ``TMPDIR``; ``USER``)."""
    if filename.startswith("<frozen "):
        return False
    real = os.path.realpath(filename)
    in_stdlib = real.startswith(_STDLIB + os.sep) and not any(
        part in real for part in ("site-packages", "dist-packages")
    )
    return not in_stdlib


def _reader_file() -> str:
    """The file of the first frame, out of the environment plumbing, that asked for a read."""
    frame: FrameType | None = sys._getframe(2)
    while frame is not None and frame.f_globals.get("__name__") in _ENVIRON_PLUMBING:
        frame = frame.f_back
    return frame.f_code.co_filename if frame is not None else ""


class EnvRecorder:
    """Record the environment variables whose values can change a verdict, as read while the
    settings and apps are imported: those read by the settings, the apps and third-party code,
    with the value they had in the caller's environment. Not recorded: reads by the standard
    library, and reads of a variable after the project itself set it (Django sets ``TZ`` from
    ``TIME_ZONE``): the settings files that set them are in the fingerprint already."""

    def __init__(self) -> None:
        self.read: dict[str, str | None] = {}
        self.written: set[str] = set()

    def record(self, key: object, value: str | None) -> None:
        if isinstance(key, str) and key not in self.written and reads_a_setting(_reader_file()):
            self.read.setdefault(key, value)

    def __enter__(self) -> EnvRecorder:
        recorder = self
        original = os.environ

        class Recording(type(original)):  # type: ignore[misc]  # base is os.environ's class
            def __getitem__(self, key: str) -> str:
                try:
                    value = super().__getitem__(key)
                except KeyError:
                    recorder.record(key, None)
                    raise
                recorder.record(key, value)
                return value

            def get(self, key: str, default: Any = None) -> Any:
                value = original.get(key)
                recorder.record(key, value)
                return value if value is not None else default

            def __contains__(self, key: object) -> bool:
                present = original.__contains__(key)
                recorder.record(
                    key, original.get(key) if present and isinstance(key, str) else None
                )
                return present

            def __setitem__(self, key: str, value: str) -> None:
                recorder.written.add(key)
                super().__setitem__(key, value)

            def __delitem__(self, key: str) -> None:
                recorder.written.add(key)
                super().__delitem__(key)

        self._original = original
        recording = Recording.__new__(Recording)
        recording.__dict__.update(original.__dict__)
        os.environ = recording  # noqa: B003 - same contents
        return self

    def __exit__(self, *exc: Any) -> None:
        os.environ = self._original  # noqa: B003


def key_base(
    django_version: str,
    vendor: str,
    analyser: str,
    options: LintOptions,
    project_files: list[tuple[str, str]],
) -> str:
    """The session-wide part of every level-2 key: what the verdict on any migration depends on
    besides the migration itself and its ancestors."""
    return _sha(
        CACHE_FORMAT,
        __version__,
        django_version,
        vendor,
        analyser,
        option_signature(options),
        project_files,
    )


def migration_keys(
    parents: Mapping[Key, Sequence[Key]],
    content: Mapping[Key, str],
    base: str,
) -> dict[Key, str]:
    """Level-2 keys, Merkle style: ``base``, the migration, the hash of the content that was
    rendered (``content``) and the keys of its graph parents. ``parents`` holds the migrations
    placed in the graph; any other migration of ``content`` (replaced by a squash in use, or not
    loadable) is keyed by its content only."""
    keys: dict[Key, str] = {}
    for node in parents:
        stack = [node]
        while stack:
            current = stack[-1]
            if current in keys:
                stack.pop()
                continue
            ups = sorted(parents.get(current, ()))
            missing = [p for p in ups if p not in keys]
            if missing:
                stack.extend(missing)
                continue
            stack.pop()
            keys[current] = _sha(base, current, content.get(current), [keys[p] for p in ups])
    for key in content:
        keys.setdefault(key, _sha(base, key, content[key], "unplaced"))
    return keys


def cache_file(root: Path, options: LintOptions) -> Path:
    directory = Path(options.cache_path) if options.cache_path else default_cache_dir()
    name = hashlib.sha256(str(root).encode()).hexdigest()[:16]
    return directory / f"{name}-{options.database}.json"


def cache_path_for(root: Path, options: LintOptions) -> Path | None:
    """The cache file of a lint of ``root`` with ``options``; None when no cache may be used
    (``--no-cache``, or a selection that depends on the database's contents)."""
    if options.no_cache or options.applied_migrations or options.unapplied_migrations:
        return None
    project_root = Path(options.project_root_path).resolve() if options.project_root_path else root
    return cache_file(project_root, options)


@dataclass(frozen=True)
class WholeRun:
    """The level-1 entry: a run and what it was computed under."""

    fingerprint: str
    env: dict[str, str | None]
    run: LintRun


class CacheFile:
    """One cache file's contents: the whole-run entry and the per-migration results."""

    def __init__(self, path: Path) -> None:
        self.path = path
        data = self._read(path)
        self.run_entry: dict[str, Any] | None = data.get("run")
        self.migrations: dict[str, Any] = data.get("migrations", {})

    @staticmethod
    def _read(path: Path) -> dict[str, Any]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return data if data.get("format") == CACHE_FORMAT else {}
        except (OSError, ValueError, AttributeError):
            return {}

    def whole_run(self, fingerprint: str) -> LintRun | None:
        """The stored run when its fingerprint and recorded environment still hold."""
        entry = self.run_entry
        if not (
            entry
            and entry.get("fingerprint") == fingerprint
            and all(os.environ.get(k) == v for k, v in entry.get("env", {}).items())
        ):
            return None
        run = LintRun(
            ProjectInfo(**entry["project"]),
            [MigrationResult.from_dict(r) for r in entry["results"]],
            list(entry.get("problems", [])),
            list(entry.get("skipped_apps", [])),
            int(entry.get("not_new", 0)),
        )
        for result in run.results:
            result.cached = True
        return run

    def result(self, key: str) -> MigrationResult | None:
        """The stored result of the migration whose level-2 key is ``key``."""
        entry = self.migrations.get(key)
        if entry is None:
            return None
        result = MigrationResult.from_dict(entry)
        result.cached = True
        return result

    def store_results(self, results: Mapping[str, MigrationResult]) -> None:
        """Per-migration results of this run (by level-2 key) first, then the newest of the
        others (the file's version of a migration linted from an unsaved buffer, another set of
        options), up to as many again."""
        store: dict[str, Any] = {}
        for key, result in results.items():
            entry = result.to_dict()
            entry["cached"] = False
            store[key] = entry
        bound = 2 * len(store) + 100
        for key, entry in self.migrations.items():
            if len(store) >= bound:
                break
            store.setdefault(key, entry)
        self.migrations = store

    def store_run(self, whole: WholeRun) -> None:
        self.run_entry = {
            "fingerprint": whole.fingerprint,
            "env": whole.env,
            "project": whole.run.project.to_dict(),
            "results": [r.to_dict() for r in whole.run.results],
            "problems": whole.run.problems,
            "skipped_apps": whole.run.skipped_apps,
            "not_new": whole.run.not_new,
        }

    def save(self) -> None:
        data = {"format": CACHE_FORMAT, "run": self.run_entry, "migrations": self.migrations}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(data), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:
            pass  # a cache that cannot be written only costs time
