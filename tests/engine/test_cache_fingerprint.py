"""The whole-run cache hits from an ordinary shell: its fingerprint holds what can change a
verdict, not the shell's own variables nor the ones Django sets during setup."""

from __future__ import annotations

from pathlib import Path

from .conftest import INITIAL, run_cli, write_project

#: the settings count their imports in a file outside the project (a whole-run hit imports
#: nothing), set TIME_ZONE (Django then sets TZ) and copy the environment the way
#: ctypes.util.find_library does when psycopg looks for libpq
EXTRA = """
TIME_ZONE = "Europe/Paris"
with open(os.path.join(os.path.dirname(BASE_DIR), "settings-imports.log"), "a") as _log:
    _log.write("imported\\n")
import ctypes.util
ctypes.util.find_library("definitely-not-a-library")
SHOP_FLAVOUR = os.environ.get("SHOP_FLAVOUR", "plain")
"""

#: an app module imported during setup reads TZ after Django set it (as tzlocal does)
READS_TZ = "import os\n\nTZ_SEEN = os.environ.get('TZ')\n"


def test_two_shells_with_different_shell_variables_hit_the_whole_run_cache(tmp_path: Path):
    root = write_project(
        tmp_path / "site", {"shop": {"0001_initial": INITIAL}}, extra_settings=EXTRA
    )
    (root / "shop" / "models.py").write_text(READS_TZ)
    log = tmp_path / "settings-imports.log"
    args = ("lint", str(root), "--format", "json", "--cache-path", str(tmp_path / "cache"))

    def lint(**env: str) -> int:
        out = run_cli(*args, cwd=root, env=env)
        assert out.code in (0, 1) and out.json()["migrations"], out.stderr
        return len(log.read_text().splitlines())

    assert lint(_="/usr/bin/bash", SHLVL="1") == 1
    assert lint(_="/usr/local/bin/django-migration-lsp", SHLVL="3") == 1  # a hit: no setup
    assert lint(_="/bin/sh", SHLVL="2", OLDPWD="/elsewhere") == 1
    # a variable the settings read still takes part in the key
    assert lint(SHOP_FLAVOUR="spicy") == 2
    assert lint(SHOP_FLAVOUR="spicy", SHLVL="7") == 2
