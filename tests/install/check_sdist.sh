#!/usr/bin/env bash
# The Python sdist, offline: `python3 -m build --sdist --no-isolation` in a copy
# of the sources, then checks the archive holds what a build needs (CMake
# files, core/, swig/, cmake/, bindings/, LICENSE, the SWIG-generated wrapper)
# and nothing of the development tree, then installs it with
#   pip install --no-build-isolation --no-index posix_ipc-X.tar.gz
# into a fresh venv with SWIG out of reach, as on a machine without it:
# no swig on PATH, and CMake told not to look for it (CMake also searches
# /usr/bin whatever PATH says). The build log must show the shipped wrapper
# was compiled; then the same checks as pip_install (check_installed_package.py).
# Usage: check_sdist.sh SOURCE_DIR PYTHON EXPECTED_VERSION
# Exits 77 (ctest: skipped) when PYTHON lacks build, pip, setuptools or wheel.
set -euo pipefail
source_dir=$1 python=$2 expected=$3
here=$(cd "$(dirname "$0")" && pwd)

if ! "$python" -c 'import importlib.util as u, sys; sys.exit(not all(u.find_spec(m) for m in ("build", "pip", "setuptools", "wheel", "venv")))' 2>/dev/null; then
  echo "skipped: $python lacks build, pip, setuptools or wheel" \
       "(Debian: python3-build python3-pip python3-setuptools python3-wheel python3-venv)"
  exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/posix_ipc_sdist.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
mkdir "$tmp/src" "$tmp/dist" "$tmp/run" "$tmp/bin"
started=$SECONDS

unset PYTHONPATH PYTHONHOME PIP_INDEX_URL PIP_EXTRA_INDEX_URL PIP_FIND_LINKS CMAKE_ARGS || true
export PYTHONNOUSERSITE=1 PIP_CONFIG_FILE=/dev/null PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1

sh "$here/copy_sources.sh" "$source_dir" "$tmp/src"
(cd "$tmp/src" && "$python" -m build --sdist --no-isolation --outdir "$tmp/dist" >"$tmp/sdist.log" 2>&1) || {
  cat "$tmp/sdist.log" >&2; exit 1; }
archive=$tmp/dist/posix_ipc-$expected.tar.gz
[ -f "$archive" ] || { echo "no $archive; made: $(ls "$tmp/dist")" >&2; exit 1; }
echo "sdist: $(basename "$archive"), $(stat -c %s "$archive") bytes"

tar -tzf "$archive" | sed "s|^posix_ipc-$expected/||" | sort > "$tmp/contents"
for needed in LICENSE README.md PKG-INFO CMakeLists.txt pyproject.toml setup.py \
              cmake/PosixIpcSwigModule.cmake core/CMakeLists.txt core/posix_ipc_version.h.in \
              core/src/semaphore.cpp core/include/posix_ipc/posix_ipc.hpp \
              swig/posix_ipc.i swig/python.i docs/python-reference.md \
              bindings/python/CMakeLists.txt bindings/python/README.md \
              bindings/python/posix_ipc_python.hpp bindings/python/fast_methods.hpp \
              bindings/python/builtin_types.hpp bindings/python/make_stub.py bindings/python/make_reference.py \
              bindings/python/posix_ipc/__init__.py \
              bindings/python/posix_ipc/__main__.py bindings/python/posix_ipc/py.typed \
              bindings/python/generated/_posix_ipc_wrap.cxx; do
  grep -qx "$needed" "$tmp/contents" || { echo "missing from the sdist: $needed" >&2; exit 1; }
done
if grep -E '^(build|tests|benchmarks|examples|\.git)/|\.so$|__pycache__' "$tmp/contents" | grep -v '^build-wheel/posix_ipc.egg-info/' >&2; then
  echo "the sdist carries development files (above)" >&2; exit 1
fi
# Every file git tracks under the directories the build reads is in the sdist.
for dir in core swig cmake bindings/python; do
  (cd "$tmp/src" && find "$dir" -type f ! -path '*/__pycache__/*' | sort) | while read -r file; do
    grep -qx "$file" "$tmp/contents" || { echo "missing from the sdist: $file" >&2; exit 1; }
  done
done

# A PATH without swig: every other program of the PATH, linked into one directory.
IFS=: read -r -a path_dirs <<< "$PATH"
for dir in "${path_dirs[@]}"; do
  [ -d "$dir" ] || continue
  for program in "$dir"/*; do
    name=${program##*/}
    case $name in swig*) continue ;; esac
    [ -e "$tmp/bin/$name" ] || ln -s "$program" "$tmp/bin/$name"
  done
done
export PATH=$tmp/bin
if command -v swig swig4.0 >/dev/null 2>&1; then echo "swig is still on PATH" >&2; exit 1; fi
export CMAKE_ARGS=-DCMAKE_DISABLE_FIND_PACKAGE_SWIG=ON

cd "$tmp/run"
"$python" -m venv --system-site-packages "$tmp/venv"
"$tmp/venv/bin/python" -m pip install --no-build-isolation --no-index --no-cache-dir -v "$archive" \
  >"$tmp/pip.log" 2>&1 || { tail -60 "$tmp/pip.log" >&2; exit 1; }
grep -q "SWIG >= 4.1 not found: posix_ipc_python is built from the shipped wrapper" "$tmp/pip.log" || {
  echo "the build did not use the shipped wrapper:" >&2; grep -i swig "$tmp/pip.log" >&2; exit 1; }
unset CMAKE_ARGS

mkdir "$tmp/package"
tar -xzf "$archive" -C "$tmp/package"
"$tmp/venv/bin/python" "$here/check_installed_package.py" "$expected" \
  "$tmp/package/posix_ipc-$expected/bindings/python/posix_ipc" "$tmp/venv/bin/posix-ipc"

echo "sdist install without SWIG OK ($((SECONDS - started)) s)"
