"""One measurement of a command in a fresh wrapper process: wall seconds, CPU seconds (user +
system of the command) and peak RSS from ``getrusage(RUSAGE_CHILDREN)``, exit code, and the tail of
its stderr. Shared by the benchmarks that time whole ``django-migration-lsp`` runs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

MEASURE = (
    "import resource, subprocess, sys, time, json\n"
    "t = time.perf_counter()\n"
    "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
    "dt = time.perf_counter() - t\n"
    "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(json.dumps({'seconds': dt, 'cpu': u.ru_utime + u.ru_stime, 'rss_kb': u.ru_maxrss,"
    " 'rc': p.returncode, 'stderr': p.stderr.decode()[-400:]}))\n"
)


def measure(cmd: list[str], cwd: Path, env: dict[str, str]) -> dict:
    """Wall and CPU seconds, peak RSS (KB), exit code and stderr tail of ``cmd``."""
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, *cmd], cwd=cwd, env=env, capture_output=True, text=True
    )
    return json.loads(out.stdout)
