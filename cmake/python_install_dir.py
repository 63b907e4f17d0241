"""Prints where, relative to PREFIX, this interpreter looks for packages
installed under PREFIX: the directory `cmake --install` puts posix_ipc/ in.

usage: python3 cmake/python_install_dir.py PREFIX

Debian's Python searches /usr/local/lib/python3.X/dist-packages (its
"posix_local" scheme, written as {base}/local/...) and
/usr/lib/python3/dist-packages ("deb_system"), not the upstream layout
lib/python3.X/site-packages ("posix_prefix"). The first of these schemes'
directories that is on sys.path wins; when none is (a prefix the
interpreter does not search, e.g. /opt/x), the upstream layout, which
PYTHONPATH or a .pth file then names.
"""
import os
import sys
import sysconfig

prefix = os.path.normpath(os.path.abspath(sys.argv[1]))
searched = {os.path.normpath(path) for path in sys.path if path}
schemes = sysconfig.get_scheme_names()


def directories(scheme):
    base = prefix
    if scheme == "posix_local":
        if os.path.basename(prefix) != "local":
            return []
        base = os.path.dirname(prefix)
    variables = {"base": base, "platbase": base, "installed_base": base, "installed_platbase": base}
    return [os.path.normpath(sysconfig.get_path(kind, scheme, vars=variables))
            for kind in ("platlib", "purelib")]


candidates = [path for scheme in ("posix_local", "deb_system", "posix_prefix") if scheme in schemes
              for path in directories(scheme)]
chosen = next((path for path in candidates if path in searched), None)
if chosen is None:
    chosen = directories("posix_prefix")[0]
print(os.path.relpath(chosen, prefix))
