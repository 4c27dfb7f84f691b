"""Import a module for a load, re-executing it only when its source changed since its stamp.

The one mechanism behind saves, unsaved buffers, watched-file events and whole-project lints:
each load compares every migration file (and every project module a migration imports) with
the ``Stamp`` of what was executed last (``stamps``), so an edit made on disk behind the
worker's back (a checkout, another editor) is picked up by whichever load comes next.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import time
import types
from collections.abc import Callable, Iterable, Mapping

from .stamps import FileStat, Stamp, read_stamped

#: called with a file's path just before its code runs (the worker tells the server, so a
#: migration that hangs or ends the process at import can be named)
on_execute: Callable[[str], None] | None = None


def _announce(path: str) -> None:
    if on_execute is not None:
        on_execute(path)


def exec_module_from_source(name: str, path: str, source: str | bytes) -> types.ModuleType:
    """Import module ``name`` from ``source`` (an editor's unsaved buffer, or the bytes read and
    hashed from the file) as if it were ``path``."""
    _announce(path)
    sys.modules.pop(name, None)  # never leave an older version behind, even on a syntax error
    spec = importlib.util.spec_from_loader(name, loader=None, origin=path)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    module.__file__ = path
    package, _, _ = name.rpartition(".")
    if os.path.basename(path) == "__init__.py":  # a package keeps finding its submodules
        module.__path__ = [os.path.dirname(path)]
        package = name
    module.__package__ = package
    code = compile(source, path, "exec", dont_inherit=True)
    sys.modules[name] = module
    try:
        exec(code, module.__dict__)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    parent = sys.modules.get(name.rpartition(".")[0])
    if parent is not None:  # as the import system does: ``from package import name`` sees it
        setattr(parent, name.rpartition(".")[2], module)
    return module


def import_stamped(
    name: str, path: str, text: str | None, previous: Stamp | None, force: bool = False
) -> tuple[types.ModuleType, Stamp]:
    """Module ``name`` (file ``path``) as it is now, and the stamp of what it was executed
    from. ``text``: an unsaved buffer that stands for the file. ``previous``: the stamp of the
    module in ``sys.modules`` (None: unknown). ``force``: do not trust an unchanged ``stat``.
    Raises whatever importing the module raises."""
    loaded = sys.modules.get(name)
    if text is not None:
        stamp = Stamp.of_text(text)
        if loaded is not None and previous is not None and previous.sha == stamp.sha:
            return loaded, stamp
        return exec_module_from_source(name, path, text), stamp
    if loaded is None:
        before = FileStat.of(path)
        _announce(path)
        module = importlib.import_module(name)
        read = read_stamped(path)
        if read is None:
            return module, Stamp("unreadable", None)
        stat = read[1].stat if read[1].stat == before else None
        return module, Stamp(read[1].sha, stat)
    if not force and previous is not None and previous.matches(FileStat.of(path), time.time_ns()):
        return loaded, previous
    read = read_stamped(path)
    if read is None:
        raise FileNotFoundError(f"cannot read {path}")
    data, stamp = read
    if not force and previous is not None and previous.sha == stamp.sha:
        return loaded, stamp  # touched, or a buffer saved as it was: the same module
    return exec_module_from_source(name, path, data), stamp


def project_modules_of(module: types.ModuleType, root: str) -> set[str]:
    """Names of the project modules (files under ``root``, outside migrations packages) whose
    objects ``module``'s globals hold: what a migration imports from the project."""
    names: set[str] = set()
    for value in vars(module).values():
        name = getattr(value, "__module__", None) or getattr(value, "__name__", None)
        mod = sys.modules.get(name) if isinstance(name, str) else None
        file = getattr(mod, "__file__", None) if mod is not None else None
        if mod is not None and file and file.startswith(root) and "/migrations/" not in file:
            names.add(mod.__name__)
    return names


def is_models_module(name: str) -> bool:
    """A module that defines models: Django's app registry holds its classes, so it is never
    re-executed in a running context (a changed models module means a fresh worker)."""
    parts = name.split(".")
    return "models" in parts


def refresh_project_modules(previous: Mapping[str, Stamp]) -> tuple[dict[str, Stamp], set[str]]:
    """Execute again, in place (as ``importlib.reload`` does, so whoever holds the module sees
    the new code), the project modules of ``previous`` (name -> stamp) whose source changed.
    Returns (their stamps now, the names executed again); a module that raises keeps what it
    defined before the error (the migrations importing it are executed again and report it)."""
    stamps: dict[str, Stamp] = {}
    changed: set[str] = set()
    now = time.time_ns()
    for name, stamp in previous.items():
        module = sys.modules.get(name)
        path = getattr(module, "__file__", None)
        if module is None or not path or is_models_module(name):
            continue
        if stamp.matches(FileStat.of(path), now):
            stamps[name] = stamp
            continue
        read = read_stamped(path)
        if read is None or read[1].sha == stamp.sha:
            stamps[name] = read[1] if read is not None else stamp
            continue
        stamps[name] = read[1]
        changed.add(name)
        try:
            _announce(path)
            exec(compile(read[0], path, "exec", dont_inherit=True), module.__dict__)
        except Exception:
            stamps[name] = Stamp("failed", None)
    return stamps, changed


def stamp_project_modules(names: Iterable[str], known: dict[str, Stamp]) -> None:
    """Stamp the project modules of ``names`` not yet in ``known`` (as they are on disk now)."""
    for name in names - known.keys():
        path = getattr(sys.modules.get(name), "__file__", None)
        read = read_stamped(path) if path else None
        if read is not None:
            known[name] = read[1]
