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
from ..django_side import loading
from ..django_side.loading import ProjectLoadError, describe_exception
from . import messages


class Worker:
    """Holds one ``LintSession`` and dispatches requests to it."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.session: Any = None
        self.root: Path | None = None
        self.overridden: dict[str, str] = {}  # path -> module name of unsaved buffers loaded
        self.load_error: dict[str, Any] | None = None

    # -- transport -----------------------------------------------------------------------------
    def write(self, line: str) -> None:
        self.out.write(line)
        self.out.flush()

    def notify(self, notification: messages.Message) -> None:
        self.write(messages.notification_line(notification))

    def serve(self, stdin: IO[str]) -> None:
        loading.on_import = lambda path: self.notify(messages.Loading(path))
        for line in stdin:
            if not line.strip():
                continue
            try:
                request = json.loads(line)
            except ValueError:
                self.notify(messages.Log(f"unparsable request: {line[:200]!r}"))
                continue
            method = request.get("method", "")
            self.write(self.answer(request.get("id"), method, request.get("params") or {}))
            if method == "shutdown":
                return

    def answer(self, request_id: Any, method: str, params: dict[str, Any]) -> str:
        """The response line to one request."""
        handler = getattr(self, f"do_{method}", None)
        if handler is None:
            error = messages.ErrorData("method", f"unknown method {method!r}")
            return messages.error_line(request_id, error)
        try:
            result = handler(params)
        except ProjectLoadError as exc:
            problem = exc.problem.to_dict()
            error = messages.ErrorData("project", exc.problem.message, problem)
            return messages.error_line(request_id, error)
        except Exception as exc:
            traceback.print_exc(file=sys.stderr)
            error = messages.ErrorData("internal", describe_exception(exc))
            return messages.error_line(request_id, error)
        return messages.response_line(request_id, result)

    # -- methods ---------------------------------------------------------------------------------
    def do_initialize(self, params: dict[str, Any]) -> messages.InitializeResult:
        from ..engine import LintSession

        request = messages.InitializeParams.from_dict(params)
        self.root = Path(request.root or os.getcwd()).resolve()
        options = LintOptions.from_dict(request.options)
        if request.settings:
            options.settings = request.settings
        if request.database:
            options.database = request.database
        os.chdir(self.root)
        self.session = LintSession(self.root, options)
        self.session.load()
        import django

        available = ["django_migration_lsp.operations"]
        try:
            import django_migration_linter  # type: ignore[import-not-found]  # noqa: F401

            available.append("django_migration_linter")
        except ImportError:
            pass
        return messages.InitializeResult(
            django=django.get_version(),
            vendor=self.session.vendor,
            settings=self.session.settings_module,
            python=sys.executable,
            migrations=len(self.session.disk.paths),
            problems=list(self.session.problems),
            ignore_migration_providers=available,
        )

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

    def _result(self, run: Any, sent: set[str] | None = None) -> messages.LintResult:
        sent = sent or set()
        return messages.LintResult(
            results=[r.to_dict() for r in run.results if r.path not in sent],
            linted=[r.path for r in run.results if r.path],
            problems=list(run.problems),
            project=run.project.to_dict(),
        )

    def do_lint(self, params: dict[str, Any]) -> messages.LintResult:
        """Lint every selected migration (or ``targets``), each result in a ``progress``
        notification as soon as it is known; with ``stream`` (the language server) the response
        then lists only the paths, so each result is sent once."""
        assert self.session is not None, "initialize first"
        request = messages.LintParams.from_dict(params)
        overrides = {os.path.realpath(k): v for k, v in request.overrides.items()}
        fresh = self._fresh_modules(list(request.changed))
        sent: set[str] = set()

        def progress(done: int, total: int, result: Any) -> None:
            self.notify(messages.Progress(done, total, result.to_dict()))
            if request.stream:
                sent.add(result.path)

        self.session.load(overrides, fresh)
        if request.targets:
            targets = [(app, name) for app, name in request.targets]
            run = self.session.lint_loaded(overrides, progress, targets)
        else:  # the whole project: unchanged migrations come from the result cache
            run = lint_with_cache(self.session, overrides, progress)
        self._remember_overrides(overrides)
        return self._result(run, sent)

    def _remember_overrides(self, overrides: dict[str, str]) -> None:
        for path in overrides:
            module = self._module_of(path)
            if module:
                self.overridden[path] = module

    def do_lint_file(self, params: dict[str, Any]) -> messages.LintResult:
        """Re-lint one migration (from ``text`` when given), then optionally its descendants."""
        assert self.session is not None, "initialize first"
        request = messages.LintFileParams.from_dict(params)
        path = os.path.realpath(request.path)
        overrides = {path: request.text} if request.text is not None else {}
        fresh = self._fresh_modules([path] if request.text is None else [])
        self.session.load(overrides, fresh)
        key = self.session.disk.key_of(path)
        if key is None:
            self._remember_overrides(overrides)
            return messages.LintResult(
                problems=[f"{path} is not a migration of this project"],
                project=self.session.project.to_dict(),
            )
        keys = [key]
        if request.descendants and key in self.session.loader.graph.nodes:
            keys += [k for k in self.session.loader.graph.backwards_plan(key) if k != key]
        run = self.session.lint_loaded(overrides, None, keys)
        self._remember_overrides(overrides)
        run.results.sort(key=lambda r: (r.app, r.name) != key)
        return self._result(run)

    def do_check(self, params: dict[str, Any]) -> messages.CheckResult:
        from ..checks import worker_check

        request = messages.CheckParams.from_dict(params)
        return messages.CheckResult.from_dict(worker_check(request.to_dict()))

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
