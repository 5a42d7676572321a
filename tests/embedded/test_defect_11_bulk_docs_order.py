"""Defect 11: `_bulk_docs` answered refused docs first, then the written ones; CouchDB answers in
the order of the input, which is how clients match results to their docs."""

from __future__ import annotations

import httpx

from tests.utils.access import Shop, as_member, shop  # noqa: F401

REFUSE_FLAGGED = """function (newDoc) {
  if (newDoc.refuse) { throw({forbidden: 'refused'}); }
}"""


def test_results_follow_input_order(admin: httpx.Client, as_member: httpx.Client, shop: Shop) -> None:
    r = admin.put(f"/{shop.db}/_design/refuse", json={"validate_doc_update": REFUSE_FLAGGED})
    assert r.status_code == 201, r.text
    docs = [{"_id": f"o{i}", "refuse": i % 3 == 1} for i in range(9)]
    r = as_member.post(f"/{shop.db}/_bulk_docs", json={"docs": docs})
    assert r.status_code == 201, r.text
    results = r.json()
    assert [row["id"] for row in results] == [d["_id"] for d in docs]
    for doc, row in zip(docs, results, strict=True):
        assert ("error" in row) == doc["refuse"], row
        if doc["refuse"]:
            assert row["error"] == "forbidden"


def test_refused_design_doc_keeps_its_place(as_member: httpx.Client, shop: Shop) -> None:
    docs = [{"_id": "a"}, {"_id": "_design/not-yours"}, {"_id": "b"}]
    r = as_member.post(f"/{shop.db}/_bulk_docs", json={"docs": docs})
    assert r.status_code == 201, r.text
    rows = r.json()
    assert [row["id"] for row in rows] == ["a", "_design/not-yours", "b"]
    assert rows[1]["error"] == "forbidden" and "ok" in rows[0] and "ok" in rows[2]
