"""Unit tests of couchdb/embedded/lib/mango-selector.js (CouchDB's mango_selector semantics in JS).

The HTTP-level verdicts checked on CouchDB main live in tests/conformance/test_vdu_mango.py; these
pin the rest of the operator table and the failure reports, straight through node.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

LIB = Path(__file__).resolve().parents[2] / "couchdb" / "embedded" / "lib" / "mango-selector.js"
RUNNER = """
const s = require(process.argv[1]);
const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = cases.map(([sel, doc]) => {
  try { return s.match(s.normalize(sel), doc); } catch (e) { return 'error: ' + e.message; }
});
process.stdout.write(JSON.stringify(out));
"""


def run(cases: list[tuple[Any, Any]]) -> list[Any]:
    node = shutil.which("node")
    assert node, "node is required (the embedded server needs it too)"
    proc = subprocess.run(
        [node, "-e", RUNNER, str(LIB)], input=json.dumps(cases), capture_output=True, text=True, timeout=30, check=True
    )
    return list(json.loads(proc.stdout))


def verdicts(cases: list[tuple[Any, Any]]) -> list[bool | str]:
    return [r if isinstance(r, str) else r == [] for r in run(cases)]


@pytest.mark.parametrize(
    ("selector", "doc", "expected"),
    [
        ({"a": {"$in": [1, 2]}}, {"a": [5, 2]}, True),  # $in on an array: any element
        ({"a": {"$nin": [1, 2]}}, {"a": [5, 2]}, False),
        ({"a": {"$all": [1, 2]}}, {"a": [2, 3, 1]}, True),
        ({"a": {"$all": [[1, 2]]}}, {"a": [1, 2]}, True),
        ({"a": {"$all": [1]}}, {"a": 1}, False),
        ({"a": {"$size": 2}}, {"a": [1, 2]}, True),
        ({"a": {"$size": 2}}, {"a": "ab"}, False),
        ({"a": {"$elemMatch": {"$gt": 2}}}, {"a": [1, 3]}, True),
        ({"a": {"$elemMatch": {"$gt": 2}}}, {"a": []}, False),
        ({"a": {"$allMatch": {"$gt": 2}}}, {"a": []}, False),
        ({"a": {"$allMatch": {"b": 1}}}, {"a": [{"b": 1}, {"b": 1}]}, True),
        ({"a": {"$gt": 5}}, {"a": "text"}, True),  # collation: strings sort after numbers
        ({"a": {"$lt": None}}, {"a": False}, False),
        ({"a": {"$eq": {"x": [1]}}}, {"a": {"x": [1]}}, True),
        ({"a": {"b": 1}}, {"a": {"b": 1, "c": 2}}, True),  # a nested object is a path, not equality
        ({"a\\.b": 1}, {"a.b": 1}, True),  # escaped dot: one field name
        ({"a.b": 1}, {"a.b": 1}, False),
        ({"$or": []}, {}, False),
        ({"$nor": []}, {}, True),
        ({"$nor": [{"a": 1}]}, {"a": 2}, True),
        ({"a": {"$ne": 1}}, {}, False),  # a missing field fails every condition but $exists: false
        ({"a.0.b": 1}, {"a": [{"b": 1}]}, True),
        ({"a.x": {"$exists": False}}, {"a": [1]}, False),  # non-integer index into an array: bad path
        ({"a": {"$regex": "^é$"}}, {"a": "é"}, True),
    ],
)
def test_operator_verdicts(selector: Any, doc: Any, expected: bool) -> None:
    assert verdicts([(selector, doc)]) == [expected]


def test_invalid_selectors_are_errors() -> None:
    results = verdicts(
        [
            ({"a": {"$nope": 1}}, {}),
            ({"a": {"$mod": [0, 1]}}, {}),
            ({"a": {"$size": -1}}, {}),
            ({"$or": {"a": 1}}, {}),
            ([], {}),
        ]
    )
    assert all(isinstance(r, str) and r.startswith("error: ") for r in results), results


def test_failures_report_every_path() -> None:
    [failures] = run(
        [
            (
                {"newDoc": {"a": {"$type": "string"}, "b": {"$allMatch": {"$gt": 0}}, "c": {"$exists": True}}},
                {"newDoc": {"a": 1, "b": [1, -1]}},
            )
        ]
    )
    assert sorted(f["path"] for f in failures) == [["newDoc", "a"], ["newDoc", "b", "1"], ["newDoc", "c"]]
    assert all(isinstance(f["message"], str) and f["message"] for f in failures)
