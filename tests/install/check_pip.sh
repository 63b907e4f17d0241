#!/usr/bin/env bash
# `pip install .` offline: copies the sources (without build*/ trees) to a
# temporary directory, installs that copy with
#   pip install --no-build-isolation --no-index
# into a fresh venv that sees the system site-packages (Debian's setuptools
# and wheel; PEP 668 forbids installing into the system), then, from a neutral
# directory, checks the installed package alone: where it is loaded from, its
# VERSION, the type files, every file of the source package, a platform wheel,
# a round trip through each object type and `python -m posix_ipc list`.
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

EXPECTED=$expected SOURCE_PACKAGE=$tmp/src/bindings/python/posix_ipc TAG="$$_$RANDOM" "$venv_python" - <<'EOF'
import importlib.metadata
import mmap
import os
import subprocess
import sys
import sysconfig

import posix_ipc

expected = os.environ["EXPECTED"]
package = os.path.dirname(os.path.abspath(posix_ipc.__file__))
site = sysconfig.get_paths()["platlib"]
assert sys.prefix != sys.base_prefix, "not running in the venv"
assert package == os.path.join(site, "posix_ipc"), "loaded from %s, not %s" % (package, site)
assert os.path.dirname(posix_ipc._posix_ipc.__file__) == package, posix_ipc._posix_ipc.__file__
assert posix_ipc.VERSION == posix_ipc.__version__ == expected, (posix_ipc.VERSION, expected)
assert importlib.metadata.version("posix_ipc") == expected, importlib.metadata.version("posix_ipc")

# Every file of the source package (new modules included) and the typing files.
source_files = {f for f in os.listdir(os.environ["SOURCE_PACKAGE"])
                if os.path.isfile(os.path.join(os.environ["SOURCE_PACKAGE"], f))}
installed = set(os.listdir(package))
assert {"__init__.py", "__init__.pyi", "py.typed", "__main__.py"} <= source_files, source_files
assert source_files <= installed, "not installed: %s" % sorted(source_files - installed)

# A platform wheel (the extension module), not a pure one.
wheel = importlib.metadata.distribution("posix_ipc").read_text("WHEEL")
assert "Root-Is-Purelib: false" in wheel and "-none-any" not in wheel, wheel

tag = os.environ["TAG"]
names = {"sem": "/pi_pip_sem_" + tag, "shm": "/pi_pip_shm_" + tag, "mq": "/pi_pip_mq_" + tag}
sem = shm = mq = None
try:
    sem = posix_ipc.Semaphore(names["sem"], posix_ipc.O_CREX, initial_value=1)
    sem.acquire(0)
    assert sem.value == 0
    sem.release()
    with sem:
        assert sem.value == 0
    assert sem.value == 1

    shm = posix_ipc.SharedMemory(names["shm"], posix_ipc.O_CREX, size=posix_ipc.PAGE_SIZE)
    with mmap.mmap(shm.fd, shm.size) as memory:
        memory[:6] = b"\x00hello"
    assert shm.read(6) == b"\x00hello"
    shm.write(b"HE", 1)
    assert shm.read(6) == b"\x00HEllo"

    mq = posix_ipc.MessageQueue(names["mq"], posix_ipc.O_CREX, max_messages=4, max_message_size=64)
    mq.send(b"\x00ping\xff", priority=3)
    mq.send("low")
    assert mq.current_messages == 2
    assert mq.receive(1.0) == (b"\x00ping\xff", 3)
    assert mq.receive(0) == (b"low", 0)

    listing = subprocess.run([sys.executable, "-m", "posix_ipc", "list"], check=True,
                             capture_output=True, text=True).stdout
    assert listing.startswith("TYPE"), listing
    for name in names.values():
        assert name in listing, (name, listing)
finally:
    for obj, unlink in ((sem, posix_ipc.unlink_semaphore), (shm, posix_ipc.unlink_shared_memory),
                        (mq, posix_ipc.unlink_message_queue)):
        if obj is not None:
            try:
                unlink(obj.name)
            except posix_ipc.ExistentialError:
                pass
    if sem is not None:
        sem.close()
    if shm is not None:
        shm.close_fd()
    if mq is not None:
        mq.close()
print("posix_ipc %s from %s" % (posix_ipc.VERSION, package))
EOF

echo "pip install OK ($((SECONDS - started)) s)"
