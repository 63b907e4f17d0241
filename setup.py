"""pip install . -- builds the Python module with the project's CMake build.

setuptools compiles nothing itself: build_ext configures CMakeLists.txt with
only the Python module enabled, builds its target (posix_ipc_python) and
copies the whole built package directory (<cmake build>/python/posix_ipc:
the .py files, __init__.pyi, py.typed and _posix_ipc*.so) into the wheel.
The version is the one in CMakeLists.txt's project(). Needs cmake, a C++17
compiler, swig and the Python headers; offline on Debian 12:

    pip install --no-build-isolation .

Everything setuptools writes (including the CMake build tree and the
egg-info) goes to build-wheel/, not to build/ nor into the sources.
Extra CMake options can be passed in the environment variable CMAKE_ARGS.
"""

import os
import re
import shlex
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.egg_info import egg_info
from setuptools.errors import SetupError

ROOT = os.path.dirname(os.path.abspath(__file__))
BUILD_BASE = "build-wheel"


def project_version():
    with open(os.path.join(ROOT, "CMakeLists.txt"), encoding="utf-8") as cmakelists:
        match = re.search(r"^\s*project\s*\(\s*posix_ipc\s+VERSION\s+([0-9]+(?:\.[0-9]+)*)",
                          cmakelists.read(), re.MULTILINE | re.IGNORECASE)
    if not match:
        raise SetupError("no 'project(posix_ipc VERSION x.y.z)' in CMakeLists.txt")
    return match.group(1)


class CMakeExtension(Extension):
    """An extension module built by the CMake target `target`."""

    def __init__(self, name, target):
        super().__init__(name, sources=[])
        self.target = target


class CMakeBuild(build_ext):
    """Builds CMakeExtensions with CMake and copies their package directory whole."""

    def run(self):
        if self.inplace or getattr(self, "editable_mode", False):
            raise SetupError("in-place/editable builds are not supported; for development use "
                             "a CMake build tree: cmake -S . -B build && cmake --build build, "
                             "then PYTHONPATH=build/python")
        super().run()

    def build_extension(self, ext):
        if not isinstance(ext, CMakeExtension):
            return super().build_extension(ext)
        cmake = os.environ.get("CMAKE", "cmake")
        build_dir = os.path.join(os.path.abspath(self.build_temp), "cmake")
        configure = [cmake, "-S", ROOT, "-B", build_dir,
                     "-DPOSIX_IPC_PYTHON=ON", "-DPOSIX_IPC_LUA=OFF", "-DPOSIX_IPC_TCL=OFF",
                     "-DPOSIX_IPC_TESTS=OFF", "-DPython3_EXECUTABLE=" + sys.executable]
        configure += shlex.split(os.environ.get("CMAKE_ARGS", ""))
        build = [cmake, "--build", build_dir, "--target", ext.target]
        if isinstance(self.parallel, int) and not isinstance(self.parallel, bool):
            build += ["--parallel", str(self.parallel)]
        elif "CMAKE_BUILD_PARALLEL_LEVEL" not in os.environ:
            build += ["--parallel", str(os.cpu_count() or 1)]
        for command in (configure, build):
            print(" ".join(shlex.quote(word) for word in command), flush=True)
            subprocess.run(command, check=True)

        # <build_dir>/python/posix_ipc, as bindings/python/CMakeLists.txt lays it out.
        package = ext.name.rpartition(".")[0]
        built = os.path.join(build_dir, "python", *package.split("."))
        target = os.path.dirname(self.get_ext_fullpath(ext.name))
        if not os.path.isfile(os.path.join(built, os.path.basename(self.get_ext_fullpath(ext.name)))):
            raise SetupError("CMake did not build %s in %s (Python %s)" % (
                os.path.basename(self.get_ext_fullpath(ext.name)), built, sys.version.split()[0]))
        shutil.copytree(built, target, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__", "*.py[co]"))


class EggInfo(egg_info):
    """Writes posix_ipc.egg-info under build-wheel/ instead of the source tree."""

    def finalize_options(self):
        if self.egg_base is None:
            os.makedirs(BUILD_BASE, exist_ok=True)
            self.egg_base = BUILD_BASE
        super().finalize_options()


setup(
    version=project_version(),
    packages=["posix_ipc"],
    package_dir={"posix_ipc": "bindings/python/posix_ipc"},
    package_data={"posix_ipc": ["py.typed", "*.pyi"]},
    ext_modules=[CMakeExtension("posix_ipc._posix_ipc", "posix_ipc_python")],
    cmdclass={"build_ext": CMakeBuild, "egg_info": EggInfo},
    options={"build": {"build_base": BUILD_BASE}},
    zip_safe=False,
)
