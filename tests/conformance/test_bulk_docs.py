"""`_bulk_docs` answers one result per doc, in input order (any COUCHDB_URL), whatever mix of
written, refused and conflicting docs it gets."""

from __future__ import annotations

import httpx

from tests.utils.access import Shop, as_member, shop  # noqa: F401

REFUSE_FLAGGED = """function (newDoc) {
  if (newDoc.refuse) { throw({forbidden: 'refused'}); }
}"""


def test_results_in_input_order(admin: httpx.Client, as_member: httpx.Client, shop: Shop) -> None:
    r = admin.put(f"/{shop.db}/_design/refuse", json={"validate_doc_update": REFUSE_FLAGGED})
    assert r.status_code == 201, r.text
    docs = [
        {"_id": "n1"},
        {"_id": "bad1", "refuse": True},
        {"_id": "d1"},  # d1 exists: conflict
        {"_id": "n2"},
        {"_id": "bad2", "refuse": True},
        {"_id": "n3"},
    ]
    r = as_member.post(f"/{shop.db}/_bulk_docs", json={"docs": docs})
    assert r.status_code == 201, r.text
    rows = r.json()
    assert [row["id"] for row in rows] == [d["_id"] for d in docs]
    assert [row.get("error") for row in rows] == [None, "forbidden", "conflict", None, "forbidden", None]
    assert all(row["rev"].startswith("1-") for row in rows if "error" not in row)


def test_updates_and_deletes_in_one_batch(admin: httpx.Client, as_member: httpx.Client, shop: Shop) -> None:
    d1 = admin.get(f"/{shop.db}/d1").json()
    docs = [{"_id": "new"}, {**d1, "total": 7}, {"_id": "gone", "_deleted": True}]
    rows = as_member.post(f"/{shop.db}/_bulk_docs", json={"docs": docs}).json()
    assert [row["id"] for row in rows] == ["new", "d1", "gone"]
    assert rows[1]["rev"].startswith("2-")
    assert admin.get(f"/{shop.db}/d1").json()["total"] == 7
