"""Defect: the generated Mango VDU made a phone's push about 3x slower than no VDU.

Two causes, both fixed in the embedded server:
- every write ran the full failure-reporting matcher over the 70 KB generated selector: failure
  messages built for every losing `$or` branch, regexes recompiled, field paths re-parsed
  (~4 ms per doc). Now a compiled, short-circuiting `matches` decides, and the report is built
  only for a refused doc (`/_stats` counter `vdu_failure_reports`);
- every replicated doc cost one extra `get(open_revs=all)` to find the doc it replaces, though a
  phone's push is mostly new docs. Now one `allDocs` read per batch finds the new ones
  (`vdu_old_doc_reads` counts the per-doc lookups left).
The verdicts themselves must not change: `matches` agrees with the full report everywhere.

Still 1.37x after that (target 1.15x); profiled with `node --cpu-prof`:
- the one `allDocs({keys})` per batch opened a LevelDB iterator per key (pouchdb-adapter-utils'
  allDocsKeysQuery). A write that cannot replace a stored doc (no `_rev`, or a replicated first
  revision) is now judged against null at once, and the store is read only if it is refused, to
  tell a refusal from a write CouchDB does not judge (`vdu_absent_checks` counts the reads);
- a JSON copy of every doc for the Mango VDU, which only reads it;
- the matcher: an `$and` tested the dearest condition (every key against a regex) first, in each
  of the nine type branches; enums and key lists were regexes; one field looked up per condition.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.utils.couch import create_db, unique_name
from tests.utils.shop_docs import ShopDocs
from tests.utils.vdu import mango_vdu, put_design, replicate_write, rev_hash, vdu_stats

ROOT = Path(__file__).resolve().parents[2]
SELECTOR_LIB = ROOT / "couchdb" / "embedded" / "lib" / "mango-selector.js"
GENERATED_VDU = json.loads((ROOT / "design_docs" / "validate_mango.json").read_text())


pytestmark = pytest.mark.usefixtures("pouchdb_server")


def as_replicated(docs: list[dict]) -> list[dict]:
    """The docs as a phone's push sends them: first revisions with their `_revisions`."""
    out = []
    for doc in docs:
        rev = rev_hash()
        out.append({**doc, "_rev": f"1-{rev}", "_revisions": {"start": 1, "ids": [rev]}})
    return out


def test_valid_push_builds_no_failure_report_and_no_per_doc_lookup(admin: httpx.Client) -> None:
    db = create_db(admin, unique_name("pushcost"))
    put_design(admin, db, "validate", GENERATED_VDU)
    docs = as_replicated(ShopDocs(seed=3).days(2, total=120))
    before = vdu_stats(admin)
    r = replicate_write(admin, db, docs)
    assert r.status_code == 201 and r.json() == [], r.text
    after = vdu_stats(admin)
    assert after["vdu_validations"] - before["vdu_validations"] >= len(docs)
    assert after["vdu_failure_reports"] - before["vdu_failure_reports"] == 0
    assert after["vdu_old_doc_reads"] - before["vdu_old_doc_reads"] == 0
    assert after["vdu_absent_checks"] - before["vdu_absent_checks"] == 0
    assert admin.get(f"/{db}").json()["doc_count"] == len(docs) + 1


def test_refused_doc_still_gets_its_failures_and_the_batch_is_stored(admin: httpx.Client) -> None:
    db = create_db(admin, unique_name("pushcost"))
    put_design(admin, db, "validate", GENERATED_VDU)
    docs = as_replicated(ShopDocs(seed=4).days(1, total=30))
    bad = next(d for d in docs if d["type"] == "sale")
    bad["total_paise"] = "12.50"
    before = vdu_stats(admin)
    rows = replicate_write(admin, db, docs).json()
    assert [row["id"] for row in rows] == [bad["_id"]]
    assert rows[0]["error"] == "forbidden" and rows[0]["reason"] == "document is not valid"
    assert any("total_paise" in f["path"] for f in rows[0]["failures"]), rows[0]
    assert vdu_stats(admin)["vdu_failure_reports"] - before["vdu_failure_reports"] == 1
    assert admin.get(f"/{db}").json()["doc_count"] == len(docs) - 1 + 1


def test_replicated_edit_of_a_stored_doc_is_still_judged_against_it(admin: httpx.Client) -> None:
    db = create_db(admin, unique_name("pushcost"))
    put_design(admin, db, "rules", mango_vdu({"oldDoc": None}))  # new docs only
    first = rev_hash()
    stored = {"_id": "a", "v": 1, "_rev": f"1-{first}", "_revisions": {"start": 1, "ids": [first]}}
    assert replicate_write(admin, db, [stored]).json() == []
    second = rev_hash()
    edit = {"_id": "a", "v": 2, "_rev": f"2-{second}", "_revisions": {"start": 2, "ids": [second, first]}}
    new = as_replicated([{"_id": "b", "v": 1}])[0]
    before = vdu_stats(admin)
    rows = replicate_write(admin, db, [edit, new]).json()
    assert [(row["id"], row["error"]) for row in rows] == [("a", "forbidden")]
    assert vdu_stats(admin)["vdu_old_doc_reads"] - before["vdu_old_doc_reads"] == 1
    assert admin.get(f"/{db}/b").status_code == 200
    assert admin.get(f"/{db}/a").json()["v"] == 1


def test_refused_first_revision_already_stored_is_not_judged_again(admin: httpx.Client) -> None:
    """A replicated revision the db holds is ignored (CouchDB runs no VDU), even one the VDU
    installed since would refuse: the lazy check reads the store before answering a refusal."""
    db = create_db(admin, unique_name("pushcost"))
    rev = rev_hash()
    stored = {"_id": "a", "v": 1, "_rev": f"1-{rev}", "_revisions": {"start": 1, "ids": [rev]}}
    assert replicate_write(admin, db, [stored]).json() == []
    put_design(admin, db, "rules", mango_vdu({"newDoc": {"v": 2}}))
    new = as_replicated([{"_id": "b", "v": 1}])[0]
    before = vdu_stats(admin)
    rows = replicate_write(admin, db, [stored, new]).json()
    assert [(row["id"], row["error"]) for row in rows] == [("b", "forbidden")]
    assert vdu_stats(admin)["vdu_old_doc_reads"] - before["vdu_old_doc_reads"] == 2
    assert admin.get(f"/{db}/a").json()["_rev"] == stored["_rev"]


def test_refused_write_without_rev_on_a_live_doc_is_a_conflict(admin: httpx.Client) -> None:
    db = create_db(admin, unique_name("pushcost"))
    assert admin.put(f"/{db}/a", json={"v": 1}).status_code == 201
    put_design(admin, db, "rules", mango_vdu({"newDoc": {"v": 2}}))
    r = admin.put(f"/{db}/a", json={"v": 3})
    assert r.status_code == 409 and r.json()["error"] == "conflict", r.text
    r = admin.put(f"/{db}/c", json={"v": 3})
    assert r.status_code == 403 and r.json()["error"] == "forbidden", r.text
    rows = admin.post(f"/{db}/_bulk_docs", json={"docs": [{"_id": "a", "v": 3}, {"_id": "d", "v": 2}]}).json()
    assert [(row["id"], row.get("error")) for row in rows] == [("a", "conflict"), ("d", None)]


MATCHES_AGREE = """
const s = require(process.argv[1]);
const [selector, docs] = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const sel = s.normalize(selector);
const out = docs.map((doc) => {
  const value = {newDoc: doc, oldDoc: null};
  return [s.matches(sel, value), s.match(sel, value).length === 0];
});
process.stdout.write(JSON.stringify(out));
"""


def mutations(doc: dict) -> list[dict]:
    """`doc` and, for each field, a copy with that field broken or removed."""
    out = [doc]
    for key in doc:
        for value in ("x", None, -1, [{}], "नारियल"):
            out.append({**copy.deepcopy(doc), key: value})
        out.append({k: v for k, v in doc.items() if k != key})
    return out


def line_mutations(doc: dict) -> list[dict]:
    """Copies of `doc` with one field of its first line broken (enums, ranges, types)."""
    out = []
    for key in doc["lines"][0]:
        for value in ("kg", "KG", -1, 2 * 10**14 + 1, None):
            broken = copy.deepcopy(doc)
            broken["lines"][0][key] = value
            out.append(broken)
    return out


def test_fast_matcher_agrees_with_the_failure_report() -> None:
    node = shutil.which("node")
    assert node, "node is required (the embedded server needs it too)"
    originals = ShopDocs(seed=5).days(1, total=40)
    docs = [m for doc in originals for m in mutations(doc)]
    for kind in ("sale", "invoice"):
        docs += line_mutations(next(d for d in originals if d["type"] == kind and d["lines"]))
    proc = subprocess.run(
        [node, "-e", MATCHES_AGREE, str(SELECTOR_LIB)],
        input=json.dumps([GENERATED_VDU["validate_doc_update"], docs]),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    verdicts = json.loads(proc.stdout)
    assert all(fast == full for fast, full in verdicts)
    assert {fast for fast, _ in verdicts} == {True, False}  # both verdicts were exercised
