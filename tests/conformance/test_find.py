"""`_find` and `_index` with `_security` applied (any COUCHDB_URL): members query, others are
refused, and only admins create indexes (an index is a design doc)."""

from __future__ import annotations

import httpx

from tests.utils.access import Shop, as_member, as_outsider, shop  # noqa: F401

QUERY = {"selector": {"kind": "sale", "total": {"$gt": 10}}, "fields": ["_id", "total"]}


def fill(admin: httpx.Client, db: str) -> None:
    docs = [{"_id": f"s{t}", "kind": "sale", "total": t} for t in (5, 50, 20)]
    docs.append({"_id": "i1", "kind": "item", "total": 99})
    r = admin.post(f"/{db}/_bulk_docs", json={"docs": docs})
    assert r.status_code == 201, r.text


def test_member_finds_matching_docs(admin: httpx.Client, as_member: httpx.Client, shop: Shop) -> None:
    fill(admin, shop.db)
    r = as_member.post(f"/{shop.db}/_find", json=QUERY)
    assert r.status_code == 200, r.text
    assert sorted(d["_id"] for d in r.json()["docs"]) == ["s20", "s50"]
    assert all(set(d) == {"_id", "total"} for d in r.json()["docs"])


def test_sorted_find_over_an_admin_made_index(admin: httpx.Client, as_member: httpx.Client, shop: Shop) -> None:
    fill(admin, shop.db)
    r = admin.post(f"/{shop.db}/_index", json={"index": {"fields": ["kind", "total"]}, "name": "kt"})
    assert r.status_code == 200, r.text
    r = as_member.post(f"/{shop.db}/_find", json={**QUERY, "sort": [{"kind": "desc"}, {"total": "desc"}]})
    assert r.status_code == 200, r.text
    assert [d["_id"] for d in r.json()["docs"]] == ["s50", "s20"]


def test_anonymous_and_outsiders_are_refused(anon: httpx.Client, as_outsider: httpx.Client, shop: Shop) -> None:
    for path in ("_find", "_explain"):
        assert anon.post(f"/{shop.db}/{path}", json=QUERY).status_code == 401
        assert as_outsider.post(f"/{shop.db}/{path}", json=QUERY).status_code == 403
    assert anon.post(f"/{shop.db}/_bulk_get", json={"docs": [{"id": "d1"}]}).status_code == 401
    assert as_outsider.post(f"/{shop.db}/_bulk_get", json={"docs": [{"id": "d1"}]}).status_code == 403


def test_only_admins_create_indexes(
    admin: httpx.Client, anon: httpx.Client, as_member: httpx.Client, as_outsider: httpx.Client, shop: Shop
) -> None:
    index = {"index": {"fields": ["total"]}, "name": "by-total"}
    assert anon.post(f"/{shop.db}/_index", json=index).status_code == 401
    assert as_outsider.post(f"/{shop.db}/_index", json=index).status_code == 403
    # a member is refused too (CouchDB: 500 error_saving_ddoc, see test_refused_writes.py)
    assert as_member.post(f"/{shop.db}/_index", json=index).status_code in (401, 403, 500)
    names = [i["name"] for i in admin.get(f"/{shop.db}/_index").json()["indexes"]]
    assert "by-total" not in names
