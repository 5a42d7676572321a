"""Defect 9: a `"language": "query"` design doc made every write fail with 500.

PouchDB Server evaluated the Mango selector as JavaScript (`program.replace is not a function`),
and `_bulk_docs` answered `[{"id": ...}]` while storing nothing. The embedded server now runs
Mango VDUs with CouchDB's verdicts (the verdicts themselves: tests/conformance/test_vdu_mango.py).
"""

from __future__ import annotations

import httpx
import pytest

from tests.utils.couch import CouchTarget
from tests.utils.pouchdb_replication import replicate_docs
from tests.utils.vdu import db_with_vdu, mango_vdu, replicate_write, rev_hash

TYPED = mango_vdu({"newDoc": {"type": {"$type": "string"}}})


pytestmark = pytest.mark.usefixtures("pouchdb_server")


def test_root_advertises_mango_vdu(admin: httpx.Client) -> None:
    assert "mango_vdu" in admin.get("/").json()["features"]


def test_put_post_and_delete_get_verdicts_not_500(admin: httpx.Client) -> None:
    db = db_with_vdu(admin, TYPED, prefix="d09")
    ok = admin.put(f"/{db}/a", json={"type": "item"})
    assert ok.status_code == 201, ok.text
    refused = admin.post(f"/{db}", json={"type": 7})
    assert refused.status_code == 403
    assert refused.json() == {
        "error": "forbidden",
        "reason": "document is not valid",
        "failures": [{"path": ["newDoc", "type"], "message": "must be of type string"}],
    }
    assert admin.delete(f"/{db}/a", params={"rev": ok.json()["rev"]}).status_code == 403


def test_failures_name_every_failing_path(admin: httpx.Client) -> None:
    db = db_with_vdu(
        admin,
        mango_vdu(
            {"newDoc.name": {"$type": "string"}, "newDoc.price": {"$gte": 0}, "newDoc.lines.0": {"$exists": True}}
        ),
        prefix="d09",
    )
    r = admin.put(f"/{db}/x", json={"name": "soap", "price": -1, "lines": []})
    assert r.status_code == 403
    paths = sorted(f["path"] for f in r.json()["failures"])
    assert paths == [["newDoc", "lines", "0"], ["newDoc", "price"]]


def test_bulk_docs_stores_the_valid_docs_and_reports_each_refusal(admin: httpx.Client) -> None:
    db = db_with_vdu(admin, TYPED, prefix="d09")
    r = admin.post(f"/{db}/_bulk_docs", json={"docs": [{"_id": "good", "type": "item"}, {"_id": "bad", "type": None}]})
    assert r.status_code == 201
    rows = {row["id"]: row for row in r.json()}
    assert rows["good"]["ok"] is True
    assert rows["bad"]["error"] == "forbidden"
    assert rows["bad"]["failures"][0]["path"] == ["newDoc", "type"]
    assert admin.get(f"/{db}/good").status_code == 200
    assert admin.get(f"/{db}/bad").status_code == 404


def test_replicated_refusal_is_reported(admin: httpx.Client) -> None:
    db = db_with_vdu(admin, TYPED, prefix="d09")
    good, bad = rev_hash(), rev_hash()
    r = replicate_write(
        admin, db, [{"_id": "good", "_rev": f"1-{good}", "type": "item"}, {"_id": "bad", "_rev": f"1-{bad}", "type": 1}]
    )
    assert r.status_code == 201
    assert [(e["id"], e["error"]) for e in r.json()] == [("bad", "forbidden")]
    assert admin.get(f"/{db}/good").status_code == 200
    assert admin.get(f"/{db}/bad").status_code == 404


def test_pouchdb_replicator_counts_and_emits_denied(couch: CouchTarget, admin: httpx.Client) -> None:
    db = db_with_vdu(admin, TYPED, prefix="d09")
    good, bad = rev_hash(), rev_hash()
    result = replicate_docs(
        url=couch.url,
        db=db,
        auth=couch.admin_auth,
        docs=[
            {"_id": "good", "_rev": f"1-{good}", "type": "item"},
            {"_id": "bad", "_rev": f"1-{bad}", "type": ["not", "a", "string"]},
        ],
    )
    assert result["doc_write_failures"] == 1, result
    assert result["denied"] == ["bad"]
    assert admin.get(f"/{db}/good").json()["_rev"] == f"1-{good}"
    assert admin.get(f"/{db}/bad").status_code == 404


@pytest.mark.parametrize(
    "selector",
    [
        {"newDoc.type": {"$unknownOperator": 1}},
        {"newDoc.name": {"$regex": "("}},
        {"userCtx.name": "admin"},  # only newDoc and oldDoc exist (apache/couchdb PR #5858)
    ],
)
def test_invalid_mango_vdu_is_refused_when_saved(admin: httpx.Client, selector: dict) -> None:
    db = db_with_vdu(admin, None, prefix="d09")
    r = admin.put(f"/{db}/_design/rules", json=mango_vdu(selector))
    assert r.status_code == 400
    assert r.json()["error"] == "compilation_error"
    assert admin.put(f"/{db}/doc", json={}).status_code == 201
