"""Launcher of the bundled language server: ``<project python> server.py [serve options]``.

The extension ships the server's pure-Python dependencies in ``../libs`` (pygls, lsprotocol,
cattrs, attrs, ...) and our own package alone in ``../server`` (so that the Django worker, which
gets our package's parent directory on ``PYTHONPATH``, sees nothing else of ours). Both go first on
``sys.path``, ahead of whatever the project's interpreter has installed, so only the project's
interpreter (with its Django) is needed. Nothing here imports Django or the project.
"""

import os
import sys

MIN_PYTHON = (3, 10)


def _bundled_paths():
    bundled = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return [os.path.join(bundled, "server"), os.path.join(bundled, "libs")]


def main():
    if sys.version_info < MIN_PYTHON:
        sys.stderr.write(
            "django-migration-lsp needs Python %d.%d or newer; %s is Python %s.\n"
            % (MIN_PYTHON + (sys.executable, sys.version.split()[0]))
        )
        return 3
    # Our copies first; the script's own folder (sys.path[0]) is of no use to anyone.
    paths = [p for p in _bundled_paths() if os.path.isdir(p)]
    if sys.path and os.path.abspath(sys.path[0]) == os.path.dirname(os.path.abspath(__file__)):
        del sys.path[0]
    sys.path[:0] = paths
    from django_migration_lsp.cli import main as cli_main

    return cli_main(["serve", *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
