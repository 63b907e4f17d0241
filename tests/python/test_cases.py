"""The suite itself: every case of tests/cases.txt is tagged, and only known IDs are used."""

import os
import re

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, os.pardir, "cases.txt")
TAG = re.compile(r"""mark\.case\(\s*["']([\w.\-]+)["']""")


def _case_ids():
    with open(CASES) as listing:
        return {line.split()[0] for line in listing if line.strip() and not line.startswith("#")}


def _tagged():
    found = set()
    for name in os.listdir(HERE):
        if name.endswith(".py") and name != "test_cases.py":
            with open(os.path.join(HERE, name), encoding="utf-8") as source:
                found.update(TAG.findall(source.read()))
    return found


@pytest.mark.case("py.suite.parity")
def test_every_case_is_tagged():
    assert sorted(_case_ids() - _tagged()) == []


@pytest.mark.case("py.suite.parity")
def test_no_unknown_case_is_tagged():
    unknown = {c for c in _tagged() - _case_ids() if not c.startswith("py.")}
    assert sorted(unknown) == []


@pytest.mark.case("py.suite.parity")
def test_every_test_has_a_case(request):
    untagged = [item.nodeid for item in request.session.items if item.get_closest_marker("case") is None]
    assert untagged == []
