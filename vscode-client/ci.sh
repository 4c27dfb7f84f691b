#!/usr/bin/env bash
# CI of the VS Code extension, from a fresh machine: installs what it needs, builds, lints, runs the
# unit tests, packages the .vsix (the Python server bundled by vscode:prepublish), checks it, and
# runs the end-to-end test in a real VS Code (code-server + headless Chromium). Called by the repository's .ci/test (as root in CI, CI=true,
# no stdin); runs the same on a developer's machine (steps already done are skipped quickly).
#   PYTHON=python3      interpreter used to bundle the server's dependencies (pip --target)
#   E2E_PYTHON=...      the example project's interpreter for the e2e test (default: a fresh venv
#                       with Django and psycopg only, the project's own needs (psycopg for the
#                       example's PostgreSQL settings), so the test proves the bundle needs nothing else)
#   SKIP_E2E=1          stop after packaging and checking the .vsix
set -euo pipefail
cd "$(dirname "$0")"
client=$PWD
repo=$(cd .. && pwd)
py=${PYTHON:-python3}
start=$SECONDS
step() { echo "=== vscode-client: $1 [$((SECONDS - start))s]"; }
work=$(mktemp -d "${TMPDIR:-/tmp}/dmlsp-vscode-ci.XXXXXX")
bg_pids=()
cleanup() {
    # Background jobs run in their own sessions (setsid): end each one's whole process group.
    for pid in "${bg_pids[@]}"; do kill -- "-$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

# --- Debian packages: Chromium for Playwright, headers for code-server's native modules ---------
step "apt packages"
missing=()
for pkg in chromium libkrb5-dev libxkbfile-dev libsecret-1-dev; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
    if [[ $(id -u) != 0 ]]; then
        echo "missing Debian packages (run as root to install them): ${missing[*]}" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- In the background: code-server + Node 24 (about 3 minutes), the e2e project's venv --------
if [[ -z ${SKIP_E2E:-} ]]; then
    step "e2e harness and project venv (background)"
    setsid e2e/install-harness.sh >"$work/harness.log" 2>&1 &
    bg_pids+=($!)
    harness_pid=$!
    if [[ -z ${E2E_PYTHON:-} ]]; then
        setsid bash -c '"$1" -m venv "$2" && PIP_ROOT_USER_ACTION=ignore "$2/bin/pip" install --disable-pip-version-check -q "Django>=5.2,<5.3" "psycopg[binary]>=3.1"' \
            _ "$py" "$work/project-venv" >"$work/venv.log" 2>&1 &
        bg_pids+=($!)
        venv_pid=$!
    fi
fi

# --- Build, lint, unit tests, package ----------------------------------------------------------
step "npm ci"
npm ci --no-audit --no-fund --loglevel=error
step "lint (eslint + tsc)"
npm run --silent lint
step "unit tests"
npm test --silent
step "package the .vsix (vscode:prepublish builds and bundles the Python server into bundled/)"
PYTHON=$py npm run --silent package
ls -l dist/*.vsix
step "check the .vsix (unzipped: the server and its dependencies; the server answers initialize)"
PYTHON=$py npm run --silent test:vsix

if [[ -n ${SKIP_E2E:-} ]]; then
    step "done (e2e skipped)"
    exit 0
fi

# --- End to end in code-server -----------------------------------------------------------------
step "wait for the e2e harness"
if ! wait "$harness_pid"; then
    cat "$work/harness.log" >&2
    echo "e2e harness install failed" >&2
    exit 1
fi
tail -n 3 "$work/harness.log"
if [[ -z ${E2E_PYTHON:-} ]]; then
    if ! wait "$venv_pid"; then
        cat "$work/venv.log" >&2
        exit 1
    fi
    export E2E_PYTHON=$work/project-venv/bin/python
fi
bg_pids=()
echo "e2e project interpreter: $E2E_PYTHON ($("$E2E_PYTHON" -c 'import django, psycopg, sys; print("Python", sys.version.split()[0], "Django", django.get_version(), "psycopg", psycopg.__version__)'))"
step "e2e test"
rm -rf e2e/artifacts
E2E_ARTIFACTS=$client/e2e/artifacts node --test --test-timeout=600000 e2e/e2e.test.mjs
step "done; screenshots in $client/e2e/artifacts"
