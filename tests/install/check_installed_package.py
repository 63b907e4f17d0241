"""Checks the posix_ipc that pip installed into the running venv (the pip_install
and sdist_install tests): where it is loaded from, its version and metadata
(license, classifiers, URLs), every file of the source package, a platform
wheel built optimised, the posix-ipc console script, a round trip through
each object type and the CLI's listing.

usage: VENV_PYTHON check_installed_package.py EXPECTED_VERSION SOURCE_PACKAGE_DIR CONSOLE_SCRIPT
"""
import importlib.metadata
import mmap
import os
import shutil
import subprocess
import sys
import sysconfig

import posix_ipc

expected, source_package, console_script = sys.argv[1:4]
package = os.path.dirname(os.path.abspath(posix_ipc.__file__))
site = sysconfig.get_paths()["platlib"]
assert sys.prefix != sys.base_prefix, "not running in the venv"
assert package == os.path.join(site, "posix_ipc"), "loaded from %s, not %s" % (package, site)
assert os.path.dirname(posix_ipc._posix_ipc.__file__) == package, posix_ipc._posix_ipc.__file__
assert posix_ipc.VERSION == posix_ipc.__version__ == expected, (posix_ipc.VERSION, expected)
assert importlib.metadata.version("posix_ipc") == expected, importlib.metadata.version("posix_ipc")

# Every file of the source package (new modules included) and the typing
# files: py.typed, and the stub the build generates (bindings/python/make_stub.py).
source_files = {f for f in os.listdir(source_package)
                if os.path.isfile(os.path.join(source_package, f))}
installed = set(os.listdir(package))
assert {"__init__.py", "py.typed", "__main__.py"} <= source_files, source_files
assert source_files <= installed, "not installed: %s" % sorted(source_files - installed)
assert "__init__.pyi" in installed, "the generated type stub is not installed: %s" % sorted(installed)
with open(os.path.join(package, "__init__.pyi"), encoding="utf-8") as stub:
    stub_text = stub.read()
assert "generated at build time" in stub_text and "class MessageQueue(" in stub_text, stub_text[:400]

# A platform wheel (the extension module), not a pure one.
distribution = importlib.metadata.distribution("posix_ipc")
wheel = distribution.read_text("WHEEL")
assert "Root-Is-Purelib: false" in wheel and "-none-any" not in wheel, wheel

# Metadata: the license file rides along, the supported versions are declared.
license_files = [f for f in distribution.files if f.name == "LICENSE"]
assert license_files, sorted(str(f) for f in distribution.files)
assert "BSD" in license_files[0].read_text(), license_files[0]
metadata = distribution.metadata
classifiers = metadata.get_all("Classifier")
for minor in range(9, 14):
    assert "Programming Language :: Python :: 3.%d" % minor in classifiers, classifiers
assert "License :: OSI Approved :: BSD License" in classifiers, classifiers
assert "Operating System :: POSIX :: Linux" in classifiers, classifiers
assert metadata["Requires-Python"] == ">=3.9", metadata["Requires-Python"]
urls = metadata.get_all("Project-URL")
assert urls and not any("shared" in url or "file:" in url for url in urls), urls
description = metadata.get_payload() if hasattr(metadata, "get_payload") else metadata["Description"]
assert "](" not in description, "the long description links somewhere: %r" % description

# Built optimised (CMake's Release): no debug information in the module.
module_path = posix_ipc._posix_ipc.__file__
if shutil.which("readelf"):
    sections = subprocess.run(["readelf", "-S", "-W", module_path], check=True,
                              capture_output=True, text=True).stdout
    assert ".debug_info" not in sections, "built with debug information: " + module_path
print("module: %s, %d bytes" % (os.path.basename(module_path), os.path.getsize(module_path)))

# The console script of the wheel, and the CLI's --version.
for command in ([console_script], [sys.executable, "-m", "posix_ipc"]):
    version = subprocess.run(command + ["--version"], check=True, capture_output=True, text=True)
    assert version.stdout == "posix_ipc %s\n" % expected, (command, version.stdout, version.stderr)

tag = "%d_%d" % (os.getpid(), int.from_bytes(os.urandom(2), "little"))
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

    listed = subprocess.run([console_script, "list"], check=True, capture_output=True, text=True)
    listing = listed.stdout
    assert listing.startswith("TYPE"), listing
    assert names["sem"] in listing and names["shm"] in listing, listing
    # Queues are listable only where the mqueue file system is mounted (a
    # fresh machine or container may not have it): there the CLI must say so.
    if os.path.ismount("/dev/mqueue"):
        assert names["mq"] in listing, listing
    else:
        assert names["mq"] not in listing, listing
        assert "message queues: /dev/mqueue is not mounted" in listed.stderr, listed.stderr
        print("note: /dev/mqueue is not mounted: the queue was not looked for in the listing")
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
