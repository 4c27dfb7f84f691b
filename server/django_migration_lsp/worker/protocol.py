"""The worker process: a long-lived Django context answering JSON-lines requests.

Started by the language server as ``python -m django_migration_lsp.worker`` in the project's
interpreter, with our package on ``PYTHONPATH`` and the project root as cwd. Requests arrive one
per line on stdin; responses and notifications leave one per line on the original stdout, which
nothing else may write to (user code's prints go to stderr). See docs/internals.md.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path
from typing import IO, Any

from ..cache import lint_with_cache
from ..config import LintOptions
from ..django_side.loading import ProjectLoadError, describe_exception


class Worker:
    """Holds one ``LintSession`` and dispatches requests to it."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.session: Any = None
        self.root: Path | None = None
        self.overridden: dict[str, str] = {}  # path -> module name of unsaved buffers loaded
        self.load_error: dict[str, Any] | None = None

    # -- transport -----------------------------------------------------------------------------
    def send(self, message: dict[str, Any]) -> None:
        self.out.write(json.dumps(message) + "\n")
        self.out.flush()

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self.send({"method": method, "params": params})

    def serve(self, stdin: IO[str]) -> None:
        for line in stdin:
            if not line.strip():
                continue
            try:
                request = json.loads(line)
            except ValueError:
                self.notify("log", {"message": f"unparsable request: {line[:200]!r}"})
                continue
            request_id = request.get("id")
            method = request.get("method", "")
            handler = getattr(self, f"do_{method}", None)
            if handler is None:
                self.send(
                    {
                        "id": request_id,
                        "error": {"kind": "method", "message": f"unknown method {method!r}"},
                    }
                )
                continue
            try:
                result = handler(request.get("params") or {})
            except ProjectLoadError as exc:
                self.send(
                    {
                        "id": request_id,
                        "error": {
                            "kind": "project",
                            "message": exc.problem.message,
                            "problem": exc.problem.to_dict(),
                        },
                    }
                )
            except Exception as exc:
                traceback.print_exc(file=sys.stderr)
                self.send(
                    {
                        "id": request_id,
                        "error": {"kind": "internal", "message": describe_exception(exc)},
                    }
                )
            else:
                self.send({"id": request_id, "result": result})
            if method == "shutdown":
                return

    # -- methods ---------------------------------------------------------------------------------
    def do_initialize(self, params: dict[str, Any]) -> dict[str, Any]:
        from ..engine import LintSession

        self.root = Path(params.get("root") or os.getcwd()).resolve()
        options = LintOptions.from_dict(params.get("options") or {})
        if params.get("settings"):
            options.settings = params["settings"]
        if params.get("database"):
            options.database = params["database"]
        os.chdir(self.root)
        self.session = LintSession(self.root, options, editor=True)
        self.session.load()
        import django

        available = ["django_migration_lsp.operations"]
        try:
            import django_migration_linter  # type: ignore[import-not-found]  # noqa: F401

            available.append("django_migration_linter")
        except ImportError:
            pass
        return {
            "django": django.get_version(),
            "vendor": self.session.vendor,
            "settings": self.session.settings_module,
            "python": sys.executable,
            "migrations": len(self.session.disk.paths),
            "problems": list(self.session.problems),
            "ignore_migration_providers": available,
        }

    def _fresh_modules(self, paths: list[str]) -> set[str]:
        fresh = set()
        for path in paths:
            module = self._module_of(path)
            if module:
                fresh.add(module)
        for path, module in list(self.overridden.items()):
            fresh.add(module)
            del self.overridden[path]
        return fresh

    def _module_of(self, path: str) -> str | None:
        if self.session is None or self.session.disk is None:
            return None
        key = self.session.disk.key_of(path)
        migration = self.session.disk.migrations.get(key) if key else None
        module = sys.modules.get(type(migration).__module__) if migration is not None else None
        return module.__name__ if module else None

    def _results(self, run: Any) -> dict[str, Any]:
        return {
            "results": [r.to_dict() for r in run.results],
            "problems": run.problems,
            "project": run.project.to_dict(),
        }

    def do_lint(self, params: dict[str, Any]) -> dict[str, Any]:
        """Lint every selected migration (or ``targets``), streaming ``progress``."""
        assert self.session is not None, "initialize first"
        overrides = {os.path.realpath(k): v for k, v in (params.get("overrides") or {}).items()}
        fresh = self._fresh_modules(list(params.get("changed") or []))
        targets = params.get("targets")

        def progress(done: int, total: int, result: Any) -> None:
            self.notify("progress", {"done": done, "total": total, "result": result.to_dict()})

        self.session.load(overrides, fresh)
        report = progress if params.get("progress", True) else None
        if targets:
            run = self.session.lint_loaded(overrides, report, [tuple(t) for t in targets])
        else:  # the whole project: unchanged migrations come from the result cache
            run = lint_with_cache(self.session, overrides, report)
        self._remember_overrides(overrides)
        return self._results(run)

    def _remember_overrides(self, overrides: dict[str, str]) -> None:
        for path in overrides:
            module = self._module_of(path)
            if module:
                self.overridden[path] = module

    def do_lint_file(self, params: dict[str, Any]) -> dict[str, Any]:
        """Re-lint one migration (from ``text`` when given), then optionally its descendants."""
        assert self.session is not None, "initialize first"
        path = os.path.realpath(params["path"])
        text = params.get("text")
        overrides = {path: text} if text is not None else {}
        fresh = self._fresh_modules([path] if text is None else [])
        self.session.load(overrides, fresh)
        key = self.session.disk.key_of(path)
        if key is None:
            self._remember_overrides(overrides)
            return {
                "results": [],
                "problems": [f"{path} is not a migration of this project"],
                "project": self.session.project.to_dict(),
            }
        keys = [key]
        if params.get("descendants") and key in self.session.loader.graph.nodes:
            keys += [k for k in self.session.loader.graph.backwards_plan(key) if k != key]
        run = self.session.lint_loaded(overrides, None, keys)
        self._remember_overrides(overrides)
        run.results.sort(key=lambda r: (r.app, r.name) != key)
        return self._results(run)

    def do_check(self, params: dict[str, Any]) -> dict[str, Any]:
        from ..checks import worker_check

        return worker_check(params)

    def do_ping(self, params: dict[str, Any]) -> str:
        return "pong"

    def do_shutdown(self, params: dict[str, Any]) -> None:
        return None


def main() -> None:
    """Run the worker on stdin/stdout (stdout reserved for the protocol)."""
    protocol_out = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints go to stderr
    sys.stdout = sys.stderr
    with open(sys.stdin.fileno(), encoding="utf-8", closefd=False) as stdin:
        Worker(protocol_out).serve(stdin)
