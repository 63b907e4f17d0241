#!/usr/bin/env bash
# `pip install .` offline: copies the sources (without build*/ trees) to a
# temporary directory, installs that copy with
#   pip install --no-build-isolation --no-index
# into a fresh venv that sees the system site-packages (Debian's setuptools
# and wheel; PEP 668 forbids installing into the system), then, from a neutral
# directory, checks the installed package alone: where it is loaded from, its
# VERSION, the type files, every file of the source package, a platform wheel,
# a round trip through each object type and `python -m posix_ipc list`
# (queues listed only where /dev/mqueue is mounted; elsewhere the CLI's
# warning is checked instead).
# The build must not write into the copied sources outside build-wheel/.
# Usage: check_pip.sh SOURCE_DIR PYTHON EXPECTED_VERSION
# Exits 77 (ctest: skipped) when PYTHON has no pip, setuptools or wheel.
set -euo pipefail
source_dir=$1 python=$2 expected=$3

if ! "$python" -c 'import importlib.util as u, sys; sys.exit(not all(u.find_spec(m) for m in ("pip", "setuptools", "wheel", "venv")))' 2>/dev/null; then
  echo "skipped: $python lacks pip, setuptools or wheel" \
       "(Debian: python3-pip python3-setuptools python3-wheel python3-venv)"
  exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/posix_ipc_pip.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
mkdir "$tmp/src" "$tmp/run"
started=$SECONDS

sh "$(dirname "$0")/copy_sources.sh" "$source_dir" "$tmp/src"
[ -f "$tmp/src/setup.py" ] && [ -f "$tmp/src/pyproject.toml" ] || {
  echo "setup.py or pyproject.toml missing from the copied sources" >&2; exit 1; }
(cd "$tmp/src" && find . | sort) > "$tmp/before"

unset PYTHONPATH PYTHONHOME PIP_INDEX_URL PIP_EXTRA_INDEX_URL PIP_FIND_LINKS || true
export PYTHONNOUSERSITE=1 PIP_CONFIG_FILE=/dev/null PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
cd "$tmp/run"
"$python" -m venv --system-site-packages "$tmp/venv"
venv_python=$tmp/venv/bin/python
"$venv_python" -m pip install --no-build-isolation --no-index --no-cache-dir -q "$tmp/src"

(cd "$tmp/src" && find . -path ./build-wheel -prune -o -print | sort) > "$tmp/after"
if ! diff "$tmp/before" "$tmp/after" > "$tmp/diff"; then
  echo "pip install wrote into the sources outside build-wheel/:" >&2
  cat "$tmp/diff" >&2
  exit 1
fi

"$venv_python" "$(dirname "$0")/check_installed_package.py" "$expected" \
  "$tmp/src/bindings/python/posix_ipc" "$tmp/venv/bin/posix-ipc"

echo "pip install OK ($((SECONDS - started)) s)"
