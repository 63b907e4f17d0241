"""pip install . -- builds the Python module with the project's CMake build.

setuptools compiles nothing itself: build_ext configures CMakeLists.txt with
only the Python module enabled, builds its target (posix_ipc_python_package:
the module, and the type stub generated from it) and copies the whole built
package directory (<cmake build>/python/posix_ipc: the .py files, the
generated __init__.pyi, py.typed and _posix_ipc*.so) into the wheel.
The version is the one in CMakeLists.txt's project(). Needs cmake, a C++17
compiler and the Python headers, plus SWIG >= 4.1 in a checkout; offline on
Debian 12:

    pip install --no-build-isolation .

The module is built as CMake's Release (-O3, no debug information); extra
CMake options come from the environment variable CMAKE_ARGS, after ours, so
CMAKE_ARGS=-DCMAKE_BUILD_TYPE=RelWithDebInfo gives a debuggable build.

sdist (python3 -m build --sdist) runs SWIG once through the same CMake
build and adds its output as bindings/python/generated/_posix_ipc_wrap.cxx:
installing the sdist then needs no SWIG (CMake compiles that file when it
finds no SWIG >= 4.1). MANIFEST.in lists the rest of what the build needs.

Everything setuptools writes (including the CMake build trees and the
egg-info) goes to build-wheel/, not to build/ nor into the sources.
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
from setuptools.command.sdist import sdist
from setuptools.errors import SetupError

ROOT = os.path.dirname(os.path.abspath(__file__))
BUILD_BASE = "build-wheel"
# Where an sdist carries the SWIG-generated wrapper (see bindings/python/CMakeLists.txt).
PREGENERATED_WRAPPER = os.path.join("bindings", "python", "generated", "_posix_ipc_wrap.cxx")


def project_version():
    with open(os.path.join(ROOT, "CMakeLists.txt"), encoding="utf-8") as cmakelists:
        match = re.search(r"^\s*project\s*\(\s*posix_ipc\s+VERSION\s+([0-9]+(?:\.[0-9]+)*)",
                          cmakelists.read(), re.MULTILINE | re.IGNORECASE)
    if not match:
        raise SetupError("no 'project(posix_ipc VERSION x.y.z)' in CMakeLists.txt")
    return match.group(1)


def cmake_configure_command(build_dir):
    """CMake's configure step for the Python module alone, in build_dir."""
    return [os.environ.get("CMAKE", "cmake"), "-S", ROOT, "-B", build_dir,
            "-DCMAKE_BUILD_TYPE=Release",
            "-DPOSIX_IPC_PYTHON=ON", "-DPOSIX_IPC_LUA=OFF", "-DPOSIX_IPC_TCL=OFF",
            "-DPOSIX_IPC_TESTS=OFF", "-DPython3_EXECUTABLE=" + sys.executable]


def run_commands(*commands):
    for command in commands:
        print(" ".join(shlex.quote(word) for word in command), flush=True)
        subprocess.run(command, check=True)


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
        configure = cmake_configure_command(build_dir) + shlex.split(os.environ.get("CMAKE_ARGS", ""))
        build = [cmake, "--build", build_dir, "--target", ext.target]
        if isinstance(self.parallel, int) and not isinstance(self.parallel, bool):
            build += ["--parallel", str(self.parallel)]
        elif "CMAKE_BUILD_PARALLEL_LEVEL" not in os.environ:
            build += ["--parallel", str(os.cpu_count() or 1)]
        run_commands(configure, build)

        # <build_dir>/python/posix_ipc, as bindings/python/CMakeLists.txt lays it out.
        package = ext.name.rpartition(".")[0]
        built = os.path.join(build_dir, "python", *package.split("."))
        target = os.path.dirname(self.get_ext_fullpath(ext.name))
        if not os.path.isfile(os.path.join(built, os.path.basename(self.get_ext_fullpath(ext.name)))):
            raise SetupError("CMake did not build %s in %s (Python %s)" % (
                os.path.basename(self.get_ext_fullpath(ext.name)), built, sys.version.split()[0]))
        shutil.copytree(built, target, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__", "*.py[co]"))


class SDist(sdist):
    """An sdist that also carries the SWIG-generated wrapper of the module."""

    def make_release_tree(self, base_dir, files):
        super().make_release_tree(base_dir, files)
        if os.path.isfile(os.path.join(ROOT, PREGENERATED_WRAPPER)):
            return  # an sdist made from an unpacked sdist: copied with the rest
        build_dir = os.path.join(ROOT, BUILD_BASE, "sdist-swig")
        run_commands(cmake_configure_command(build_dir),
                     [os.environ.get("CMAKE", "cmake"), "--build", build_dir,
                      "--target", "posix_ipc_python_swig_compilation"])
        generated = os.path.join(build_dir, "bindings", "python", "swig", "pythonPYTHON_wrap.cxx")
        if not os.path.isfile(generated):
            raise SetupError("SWIG did not generate %s (SWIG >= 4.1 is needed to make an sdist)"
                             % generated)
        target = os.path.join(base_dir, PREGENERATED_WRAPPER)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(generated, target)


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
    ext_modules=[CMakeExtension("posix_ipc._posix_ipc", "posix_ipc_python_package")],
    cmdclass={"build_ext": CMakeBuild, "egg_info": EggInfo, "sdist": SDist},
    options={"build": {"build_base": BUILD_BASE}},
    zip_safe=False,
)
