#!/bin/sh
# Copies the source tree as a fresh clone would have it into DEST (existing):
# in a git checkout the files git knows (tracked, or new and not ignored),
# else everything but build*/ trees, .git and caches. Used by the pip and
# luarocks tests, which build from a copy so they never write into the sources.
# Usage: copy_sources.sh SOURCE_DIR DEST
set -eu
src=$1 dest=$2
if [ "$(git -C "$src" rev-parse --show-toplevel 2>/dev/null || true)" = "$(cd "$src" && pwd -P)" ]; then
  # --ignore-failed-read: a tracked file deleted in the working tree is skipped.
  (cd "$src" && git ls-files -z --cached --others --exclude-standard |
     tar --null --no-recursion -T - --ignore-failed-read -cf - 2>/dev/null) | tar -C "$dest" -xf -
else
  tar -C "$src" --anchored --exclude='./build*' --exclude=./.git \
      --no-anchored --exclude=__pycache__ --exclude='*.egg-info' -cf - . | tar -C "$dest" -xf -
fi
