#!/usr/bin/env bash
# Create .venv with the locked packages and the kit (editable), or leave no .venv at all.
#
#   scripts/setup_venv.sh PYTHON VENV UV_VERSION UV_DIR
#
# uv (pinned, installed with the given Python's pip into UV_DIR) installs the lock in seconds;
# where uv cannot be had, plain pip in a venv installs the same lock. Both verify the lock's
# hashes. Any failure prints the installer's own error and removes VENV, so the next `make`
# starts again from nothing instead of trusting a half-made environment.
set -euo pipefail
python=$1 venv=$2 uv_version=$3 uv_dir=$4
uv=$uv_dir/bin/uv

fail() {
  echo "set-up failed: $*" >&2
  rm -rf "$venv"
  exit 1
}
# Whatever stops this script early (an installer's error, Ctrl-C) leaves no half-made venv.
trap 'status=$?; if [ $status -ne 0 ]; then rm -rf "$venv"; fi' EXIT

command -v "$python" >/dev/null 2>&1 || fail "no '$python' on PATH; install Python 3.11 or newer, or pass PYTHON=/path/to/python3"
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
  fail "$("$python" --version 2>&1) is too old: the kit needs Python 3.11 or newer (PYTHON=/path/to/python3.11)"

log=$(mktemp)
if [ ! -x "$uv" ] && ! "$python" -m pip install --quiet --disable-pip-version-check \
    --target "$uv_dir" "uv==$uv_version" >"$log" 2>&1; then
  echo "uv $uv_version could not be installed (pip said, below); installing with pip instead (slower)" >&2
  sed 's/^/    /' "$log" >&2
fi
rm -f "$log"

rm -rf "$venv"
if [ -x "$uv" ]; then
  "$uv" venv --quiet --seed --python "$python" "$venv"
  "$uv" pip sync --quiet --python "$venv/bin/python" requirements.lock
  "$uv" pip install --quiet --python "$venv/bin/python" --no-deps -e .
else
  "$python" -m venv "$venv" ||
    fail "'$python -m venv' did not work; on Debian or Ubuntu: apt-get install python3-venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements.lock
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -e .
fi
