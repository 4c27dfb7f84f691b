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

from ..config import LintOptions
from ..django_side.loading import ProjectLoadError, describe_exception
from ..runs import LintPreempted, lint_loaded_session
from .inbox import Inbox


class Worker:
    """Holds one ``LintSession`` and dispatches requests to it."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.session: Any = None
        self.root: Path | None = None
        self.load_error: dict[str, Any] | None = None
        self.inbox = Inbox()

    # -- transport -----------------------------------------------------------------------------
    def send(self, message: dict[str, Any]) -> None:
        self.out.write(json.dumps(message) + "\n")
        self.out.flush()

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self.send({"method": method, "params": params})

    def serve(self, stdin: IO[str]) -> None:
        """Answer requests in order, except that a whole-project lint yields to saved files
        (``lint_file``) that arrive while it runs (``Inbox``)."""
        self.inbox.listen(stdin)
        while True:
            line = self.inbox.get()
            if line is None or self.handle(line):
                return

    def handle(self, line: str) -> bool:
        """Answer one request line; True after ``shutdown``."""
        if not line.strip():
            return False
        try:
            request = json.loads(line)
        except ValueError:
            self.notify("log", {"message": f"unparsable request: {line[:200]!r}"})
            return False
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
            return False
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
        return method == "shutdown"

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
        targets = params.get("targets")

        def progress(done: int, total: int, result: Any) -> None:
            self.notify("progress", {"done": done, "total": total, "result": result.to_dict()})

        # every file and project module is compared with what was loaded last (its stamp)
        self.session.load(overrides)
        report = progress if params.get("progress", True) else None
        if targets:
            run = self.session.lint_loaded(overrides, report, [tuple(t) for t in targets])
            return self._results(run)
        while True:  # the whole project: unchanged migrations come from the result cache
            try:
                run = lint_loaded_session(self.session, overrides, report, self.inbox.has_edits)
            except LintPreempted:  # saved files first, then the rest of the project
                for line in self.inbox.take_edits():
                    self.handle(line)
                    _newer_buffer(line, overrides)
                self.session.load(overrides)
            else:
                return self._results(run)

    def do_lint_file(self, params: dict[str, Any]) -> dict[str, Any]:
        """Re-lint one migration (from ``text`` when given), then optionally its descendants."""
        assert self.session is not None, "initialize first"
        path = os.path.realpath(params["path"])
        text = params.get("text")
        overrides = {path: text} if text is not None else {}
        self.session.load(overrides)
        key = self.session.disk.key_of(path)
        if key is None:
            return {
                "results": [],
                "problems": [f"{path} is not a migration of this project"],
                "project": self.session.project.to_dict(),
            }
        keys = [key]
        if params.get("descendants") and key in self.session.loader.graph.nodes:
            keys += [k for k in self.session.loader.graph.backwards_plan(key) if k != key]
        run = self.session.lint_loaded(overrides, None, keys)
        run.results.sort(key=lambda r: (r.app, r.name) != key)
        return self._results(run)

    def do_check(self, params: dict[str, Any]) -> dict[str, Any]:
        from ..checks import worker_check

        return worker_check(params)

    def do_ping(self, params: dict[str, Any]) -> str:
        return "pong"

    def do_shutdown(self, params: dict[str, Any]) -> None:
        return None


def _newer_buffer(line: str, overrides: dict[str, str]) -> None:
    """Bring ``overrides`` up to date with a served ``lint_file`` request: its text stands for
    the file from now on; without text (a save), the file itself does."""
    params = json.loads(line).get("params") or {}
    path = os.path.realpath(params.get("path") or "")
    if params.get("text") is not None:
        overrides[path] = params["text"]
    else:
        overrides.pop(path, None)


def main() -> None:
    """Run the worker on stdin/stdout (stdout reserved for the protocol)."""
    protocol_out = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints go to stderr
    sys.stdout = sys.stderr
    # never closed here: the inbox's reader thread may still be blocked reading it
    stdin = open(sys.stdin.fileno(), encoding="utf-8", closefd=False)  # noqa: SIM115
    Worker(protocol_out).serve(stdin)
    protocol_out.flush()
