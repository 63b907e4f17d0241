"""Runs a GoogleTest binary and fails unless every test it has ran and passed.

    python3 run_gtest.py [--unsupported CAPABILITY,...] SOURCE.cpp... -- COMMAND [ARGS...]

"Every test it has" is found in the source: each TEST(Suite, Name) / TEST_F
of the SOURCE files must appear in the binary's JSON report as run and not
skipped (GTEST_SKIP) or disabled. A binary that crashes, is filtered
(GTEST_FILTER) or leaves tests out turns the run red. COMMAND may be a wrapper
(valgrind) whose last argument list ends with the test binary's own options.

In a simulated lane (--unsupported MESSAGE_QUEUES_SUPPORTED,...: what the
platform lacks) a test may be skipped when its source says it NEEDS(one of
those); any other skip still fails.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

TEST_MACRO = re.compile(r"^\s*TEST(?:_F)?\(\s*(\w+)\s*,\s*(\w+)\s*\)", re.M)


NEEDS = re.compile(r"^\s*NEEDS\((\w+)\)", re.M)


def main(argv):
    unsupported = set()
    if argv[:1] == ["--unsupported"]:
        unsupported = set(filter(None, argv[1].split(",")))
        argv = argv[2:]
    split = argv.index("--")
    sources, command = argv[:split], argv[split + 1:]
    declared, needs = [], {}
    for source in sources:
        with open(source, encoding="utf-8") as text:
            code = text.read()
        found = list(TEST_MACRO.finditer(code))
        for i, match in enumerate(found):
            name = "%s.%s" % match.groups()
            declared.append(name)
            body = code[match.end():found[i + 1].start() if i + 1 < len(found) else len(code)]
            needs[name] = set(NEEDS.findall(body))
    with tempfile.TemporaryDirectory() as scratch:
        report_path = os.path.join(scratch, "report.json")
        done = subprocess.run(command + ["--gtest_output=json:" + report_path])
        problems = []
        if done.returncode != 0:
            problems.append("the test binary exited with %d" % done.returncode)
        outcomes = {}
        if os.path.exists(report_path):
            with open(report_path, encoding="utf-8") as report:
                for suite in json.load(report).get("testsuites", []):
                    for test in suite.get("testsuite", []):
                        name = "%s.%s" % (suite["name"], test["name"])
                        failed = bool(test.get("failures"))
                        if test.get("status") != "RUN":
                            outcomes[name] = "disabled"
                        elif test.get("result") != "COMPLETED":
                            outcomes[name] = test.get("result", "?").lower()
                        else:
                            outcomes[name] = "failed" if failed else "passed"
        else:
            problems.append("no JSON report was written")
    for name in declared:
        outcome = outcomes.get(name)
        if outcome is None:
            problems.append("%s is in the source but never ran" % name)
        elif outcome == "skipped" and needs[name] & unsupported:
            print("suite check: %s: skipped, needs %s (false on this platform)"
                  % (name, ", ".join(sorted(needs[name] & unsupported))))
        elif outcome != "passed":
            problems.append("%s: %s" % (name, outcome))
    if not outcomes:
        problems.append("no test ran")
    for problem in problems:
        print("suite check: " + problem)
    print("suite check: %d of the %d tests in the source passed, %d skipped for the platform" % (
        sum(outcomes.get(name) == "passed" for name in declared), len(declared),
        sum(outcomes.get(name) == "skipped" and bool(needs[name] & unsupported) for name in declared)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
