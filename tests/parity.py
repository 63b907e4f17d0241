"""Checks that every behaviour case in tests/cases.txt is tested in every
language suite, and that no suite tags a case the list does not have.

    python3 tests/parity.py              check (exit 1 on a gap), print a summary
    python3 tests/parity.py --markdown   print the parity table for the README
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LANGUAGE_PREFIXES = ("py.", "lua.", "tcl.")

# How each suite tags a test with a case ID.
SUITES = {
    "python": ("python", (".py",), re.compile(r"""mark\.case\(\s*["']([\w.\-]+)["']""")),
    "lua": ("lua", ("_spec.lua",), re.compile(r"""\bit\s*\(\s*["']([\w.\-]+):""")),
    "tcl": ("tcl", (".test",), re.compile(r"""^\s*(?:tcltest::)?test\s+([\w.\-]+)\s""", re.M)),
}


def load_cases():
    cases = {}
    with open(os.path.join(HERE, "cases.txt")) as listing:
        for line in listing:
            if line.strip() and not line.startswith("#"):
                case_id, _, statement = line.strip().partition(" ")
                cases[case_id] = statement.strip()
    return cases


def tagged(language):
    folder, endings, pattern = SUITES[language]
    found = set()
    root = os.path.join(HERE, folder)
    for directory, _, files in os.walk(root):
        for name in files:
            if name.endswith(endings):
                with open(os.path.join(directory, name), encoding="utf-8") as source:
                    found.update(pattern.findall(source.read()))
    return found


def main():
    cases = load_cases()
    found = {language: tagged(language) for language in SUITES}
    if "--markdown" in sys.argv:
        print("| case | " + " | ".join(SUITES) + " |")
        print("| --- |" + " --- |" * len(SUITES))
        for case_id in cases:
            marks = " | ".join("yes" if case_id in found[lang] else "**missing**" for lang in SUITES)
            print("| `%s` | %s |" % (case_id, marks))
        return 0
    problems = []
    for language, ids in found.items():
        for case_id in sorted(set(cases) - ids):
            problems.append("%s: missing case %s" % (language, case_id))
        for case_id in sorted(ids - set(cases)):
            if not case_id.startswith(LANGUAGE_PREFIXES):
                problems.append("%s: case %s is not in tests/cases.txt" % (language, case_id))
    for problem in problems:
        print(problem)
    covered = sum(all(case_id in found[lang] for lang in SUITES) for case_id in cases)
    print("parity: %d of %d cases in all of %s" % (covered, len(cases), ", ".join(SUITES)))
    print("%d passed, %d failed" % (len(cases) * len(SUITES) - len(problems), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
