"""pytest plugin (`-p pytest_suite_check`, with tests/ on PYTHONPATH) that makes
a run fail unless every test it has ran, and records what passed.

"Every test it has" is found in the source, not taken from the collection: each
`def test_*` of every test_*.py file under the paths given to pytest must have
run (passed, failed or skipped with a reason). A file that cannot be imported,
is skipped at module level, or stops the run early (-x) turns the run red.

With POSIX_IPC_RESULTS=FILE the outcome of every test is written to FILE, one
line each: "passed|failed|skipped <TAB> case ID (or -) <TAB> node id", and
for a skipped test a fourth field, the reason it gave. The file
is removed when the run starts, so it only ever holds this run's results;
tests/parity.py reads it.
"""
import os
import re

import pytest

TEST_DEF = re.compile(r"^[ \t]*(?:async[ \t]+)?def[ \t]+(test_\w+)[ \t]*\(", re.M)


def _declared_tests(paths):
    """{(file, function name)} for every test function found in the source."""
    declared = set()
    for path in paths:
        files = []
        if os.path.isdir(path):
            for directory, _, names in os.walk(path):
                files += [os.path.join(directory, name) for name in names
                          if name.startswith("test_") and name.endswith(".py")]
        elif path.endswith(".py"):
            files.append(path)
        for file in files:
            with open(file, encoding="utf-8") as source:
                for name in TEST_DEF.findall(source.read()):
                    declared.add((os.path.realpath(file), name))
    return declared


class SuiteCheck:
    def __init__(self, config):
        self.config = config
        self.results_file = os.environ.get("POSIX_IPC_RESULTS")
        self.outcomes = {}  # nodeid -> (outcome, case ID)
        self.items = []
        self.collect_problems = []
        self.case_of = {}
        if self.results_file and os.path.exists(self.results_file):
            os.remove(self.results_file)

    def pytest_collectreport(self, report):
        if report.failed:
            self.collect_problems.append("%s: could not be collected" % report.nodeid)
        elif report.skipped:
            self.collect_problems.append("%s: skipped as a whole (%s)" % (report.nodeid, report.longrepr[-1]))

    def pytest_collection_finish(self, session):
        self.items = list(session.items)
        self.case_of = {}
        for item in self.items:
            marker = item.get_closest_marker("case")
            self.case_of[item.nodeid] = marker.args[0] if marker and marker.args else "-"

    def pytest_runtest_logreport(self, report):
        outcome = None
        if report.when == "call" or (report.when == "setup" and not report.passed):
            outcome = "passed" if report.passed else ("skipped" if report.skipped else "failed")
        elif report.when == "teardown" and report.failed:
            outcome = "failed"
        if outcome is None:
            return
        previous = self.outcomes.get(report.nodeid, (None, None))[0]
        if previous == "failed":
            return  # a failed call stays failed whatever teardown does
        reason = ""
        if outcome == "skipped" and isinstance(report.longrepr, tuple):
            reason = str(report.longrepr[-1]).replace("Skipped: ", "", 1)
        self.outcomes[report.nodeid] = (outcome, self.case_of.get(report.nodeid, "-"), reason)

    def problems(self, session):
        problems = list(self.collect_problems)
        paths = [str(arg).split("::")[0] for arg in self.config.args]
        ran = set()
        for item in self.items:
            if item.nodeid in self.outcomes:
                ran.add((os.path.realpath(str(item.path)), getattr(item, "originalname", item.name)))
            else:
                problems.append("%s: collected but never ran" % item.nodeid)
        if not (self.config.getoption("keyword") or self.config.getoption("markexpr")):
            for file, name in sorted(_declared_tests(paths) - ran):
                problems.append("%s::%s: in the source but never ran" % (os.path.relpath(file, str(self.config.rootpath)), name))
        if not self.outcomes:
            problems.append("no test ran")
        return problems

    def pytest_sessionfinish(self, session, exitstatus):
        problems = self.problems(session)
        if self.results_file:
            os.makedirs(os.path.dirname(os.path.abspath(self.results_file)), exist_ok=True)
            with open(self.results_file + ".tmp", "w", encoding="utf-8") as out:
                for nodeid, (outcome, case, reason) in sorted(self.outcomes.items()):
                    line = "%s\t%s\t%s" % (outcome, case, nodeid)
                    out.write(line + ("\t" + " ".join(reason.split()) if reason else "") + "\n")
            os.replace(self.results_file + ".tmp", self.results_file)
        if problems:
            reporter = self.config.pluginmanager.get_plugin("terminalreporter")
            if reporter:
                reporter.write_line("")  # off the progress line
            for problem in problems:
                if reporter:
                    reporter.write_line("suite check: " + problem, red=True)
                else:
                    print("suite check: " + problem)
            if session.exitstatus == 0:
                session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_configure(config):
    config.pluginmanager.register(SuiteCheck(config), "posix_ipc_suite_check")
