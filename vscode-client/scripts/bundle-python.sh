#!/usr/bin/env bash
# Installs the server's pure-Python dependencies into bundled/libs and our own package (from the
# repository root) alone into bundled/server, with `pip install --target`. The .vsix ships both,
# so that the project's interpreter needs nothing but its Django.
#   PYTHON=/path/to/python scripts/bundle-python.sh     (default: python3)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
repo=$(cd "$here/.." && pwd)
py=${PYTHON:-python3}
export PIP_ROOT_USER_ACTION=ignore
pip=("$py" -m pip install --quiet --disable-pip-version-check --no-input --no-compile --no-warn-script-location)

rm -rf "$here/bundled/libs" "$here/bundled/server"
# Wheels only, pure Python only, for the oldest Python we support: the same bundle runs on 3.10+.
"${pip[@]}" --target "$here/bundled/libs" --no-deps --only-binary=:all: \
    --implementation py --platform any --python-version 3.10 -r "$here/requirements.txt"
"${pip[@]}" --target "$here/bundled/server" --no-deps "$repo"
rm -rf "$here/bundled/libs/bin" "$here/bundled/server/bin"
find "$here/bundled" -name __pycache__ -prune -exec rm -rf {} +
echo "bundled: $(ls "$here/bundled/libs" | grep -c dist-info) packages in bundled/libs; $(ls "$here/bundled/server")"
