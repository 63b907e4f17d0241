"""Fails unless every ctest entry of BUILD_DIR has a TIMEOUT, so a wait that
hangs fails its test instead of holding ctest for its default 10^7 s.

    python3 tests/check_timeouts.py CTEST BUILD_DIR
"""
import json
import subprocess
import sys


def main(ctest, build):
    listing = subprocess.run([ctest, "--test-dir", build, "--show-only=json-v1"],
                             capture_output=True, text=True, check=True)
    tests = json.loads(listing.stdout)["tests"]
    missing = [test["name"] for test in tests
               if not any(p["name"] == "TIMEOUT" for p in test.get("properties", []))]
    for name in missing:
        print("ctest entry %s has no TIMEOUT" % name)
    print("%d of %d ctest entries have a TIMEOUT" % (len(tests) - len(missing), len(tests)))
    return 1 if missing or not tests else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
