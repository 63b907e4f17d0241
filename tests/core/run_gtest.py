"""Runs a GoogleTest binary and fails unless every test it has ran and passed.

    python3 run_gtest.py SOURCE.cpp... -- COMMAND [ARGS...]

"Every test it has" is found in the source: each TEST(Suite, Name) / TEST_F
of the SOURCE files must appear in the binary's JSON report as run and not
skipped (GTEST_SKIP) or disabled. A binary that crashes, is filtered
(GTEST_FILTER) or leaves tests out turns the run red. COMMAND may be a wrapper
(valgrind) whose last argument list ends with the test binary's own options.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

TEST_MACRO = re.compile(r"^\s*TEST(?:_F)?\(\s*(\w+)\s*,\s*(\w+)\s*\)", re.M)


def main(argv):
    split = argv.index("--")
    sources, command = argv[:split], argv[split + 1:]
    declared = []
    for source in sources:
        with open(source, encoding="utf-8") as text:
            declared += ["%s.%s" % pair for pair in TEST_MACRO.findall(text.read())]
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
        elif outcome != "passed":
            problems.append("%s: %s" % (name, outcome))
    if not outcomes:
        problems.append("no test ran")
    for problem in problems:
        print("suite check: " + problem)
    print("suite check: %d of the %d tests in the source passed" % (
        sum(outcomes.get(name) == "passed" for name in declared), len(declared)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
