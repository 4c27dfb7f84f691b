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
from ..django_side import importer
from ..django_side.loading import describe_exception
from ..load_errors import ProjectLoadError
from ..runs import LintPreempted, lint_loaded_session
from . import messages
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
    def write(self, line: str) -> None:
        self.out.write(line)
        self.out.flush()

    def notify(self, notification: messages.Message) -> None:
        self.write(messages.notification_line(notification))

    def serve(self, stdin: IO[str]) -> None:
        """Answer requests in order, except that a whole-project lint yields to saved files
        (``lint_file``) that arrive while it runs (``Inbox``)."""
        importer.on_execute = lambda path: self.notify(messages.Loading(path))
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
            self.notify(messages.Log(f"unparsable request: {line[:200]!r}"))
            return False
        method = request.get("method", "")
        self.write(self.answer(request.get("id"), method, request.get("params") or {}))
        return method == "shutdown"

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
        self.session = LintSession(self.root, options, editor=True)
        self.session.load()
        import django

        available = ["django_migration_lsp.operations"]
        try:
            import django_migration_linter  # noqa: F401

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
        sent: set[str] = set()

        def progress(done: int, total: int, result: Any) -> None:
            self.notify(messages.Progress(done, total, result.to_dict()))
            if request.stream:
                sent.add(result.path)

        # every file and project module is compared with what was loaded last (its stamp)
        self.session.load(overrides)
        if request.targets:
            targets = [(app, name) for app, name in request.targets]
            return self._result(self.session.lint_loaded(overrides, progress, targets), sent)
        while True:  # the whole project: unchanged migrations come from the result cache
            try:
                run = lint_loaded_session(self.session, overrides, progress, self.inbox.has_edits)
            except LintPreempted:  # saved files first, then the rest of the project
                for line in self.inbox.take_edits():
                    self.handle(line)
                    _newer_buffer(line, overrides)
                self.session.load(overrides)
            else:
                return self._result(run, sent)

    def do_lint_file(self, params: dict[str, Any]) -> messages.LintResult:
        """Re-lint one migration (from ``text`` when given), then optionally its descendants."""
        assert self.session is not None, "initialize first"
        request = messages.LintFileParams.from_dict(params)
        path = os.path.realpath(request.path)
        overrides = {path: request.text} if request.text is not None else {}
        self.session.load(overrides)
        key = self.session.disk.key_of(path)
        if key is None:
            return messages.LintResult(
                problems=[f"{path} is not a migration of this project"],
                project=self.session.project.to_dict(),
            )
        keys = [key]
        if request.descendants and key in self.session.loader.graph.nodes:
            keys += [k for k in self.session.loader.graph.backwards_plan(key) if k != key]
        run = self.session.lint_loaded(overrides, None, keys)
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
