"""The portable regex subset: what it admits, and that `$` means the very end everywhere."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from shopbill.validators.regex_subset import END, PatternError, exact_regex, translate_pattern

ADMITTED = [
    "^[A-Z0-9/]{1,16}$",
    "^(0[1-9]|1[0-2])$",
    "^a(?:b|c)*d?$",
    r"^\+[1-9][0-9]{6,14}$",
    r"^[ \t\n\r]|[ \t\n\r]$",
    "^[!-~]{1,40}$",
    "[0-9]{4,}",
]
REFUSED = [
    "^a.c$",
    r"\d",
    r"\w",
    r"\s",
    r"\b",
    r"(a)\1",
    "(?=a)",
    "(?!a)",
    "(?<=a)",
    "(?i)a",
    "a*?",
    "a++",
    "[^a]",
    "[]",
    "ह",
    "\x01",
    "(a",
    "a)",
    "*a",
    "a{3,1}",
    "a{1001}",
    "a\\",
    r"\u0041",
    r"\x41",
    "[a",
]


@pytest.mark.parametrize("pattern", ADMITTED)
def test_admitted_patterns_compile_in_python(pattern: str) -> None:
    re.compile(translate_pattern(pattern))


@pytest.mark.parametrize("pattern", REFUSED)
def test_refused_patterns(pattern: str) -> None:
    with pytest.raises(PatternError):
        translate_pattern(pattern)


def test_dollar_is_the_very_end() -> None:
    portable = translate_pattern("^abc$")
    assert portable == "^abc" + END
    assert re.search("^abc$", "abc\n")  # Python's own `$` lets a trailing newline through
    assert not re.search(portable, "abc\n")
    assert re.search(portable, "abc")


def test_exact_regex_escapes_metacharacters() -> None:
    regex = exact_regex(["a+b", "c.d"])
    assert re.search(regex, "a+b") and re.search(regex, "c.d")
    assert not re.search(regex, "aab") and not re.search(regex, "cxd")


def test_same_verdicts_in_javascript() -> None:
    """The translated patterns give JavaScript's RegExp the same verdicts as Python's re."""
    subjects = ["abc", "abc\n", "AB/2526/000123", "+919812345678", " a", "a ", "0", "12", "x\n"]
    script = (
        "const [pats, subs] = JSON.parse(process.argv[1]);"
        "console.log(JSON.stringify(pats.map(p => subs.map(s => new RegExp(p).test(s)))));"
    )
    patterns = [translate_pattern(p) for p in ADMITTED + ["^abc$"]]
    out = subprocess.run(
        ["node", "-e", script, json.dumps([patterns, subjects])], capture_output=True, text=True, check=True
    ).stdout
    python = [[re.search(p, s) is not None for s in subjects] for p in patterns]
    assert json.loads(out) == python
