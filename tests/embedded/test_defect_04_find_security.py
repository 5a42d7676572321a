"""Defect 4: `_find`, `_index`, `_explain` and `_bulk_get` ignored `_security` (the routes did not
pass the caller's userCtx, so pouchdb-security saw an admin): anyone read a members-only db.

CouchDB: anonymous 401, a signed-in non-member 403; creating an index writes a design doc, which
only a db admin may do.
"""

from __future__ import annotations

import httpx
import pytest

from tests.utils.access import Shop, as_member, as_outsider, shop  # noqa: F401

ALL = {"selector": {"_id": {"$gt": None}}}
READS = [
    ("post", "_find", ALL),
    ("post", "_explain", ALL),
    ("post", "_bulk_get", {"docs": [{"id": "d1"}]}),
    ("get", "_index", None),
    ("post", "_index", {"index": {"fields": ["total"]}, "name": "by-total"}),
]


@pytest.mark.parametrize(("method", "path", "body"), READS)
def test_anonymous_gets_401(anon: httpx.Client, shop: Shop, method: str, path: str, body) -> None:
    r = anon.request(method.upper(), f"/{shop.db}/{path}", json=body)
    assert r.status_code == 401, r.text
    assert "docs" not in r.json() and "results" not in r.json()


@pytest.mark.parametrize(("method", "path", "body"), READS)
def test_non_member_gets_403(as_outsider: httpx.Client, shop: Shop, method: str, path: str, body) -> None:
    r = as_outsider.request(method.upper(), f"/{shop.db}/{path}", json=body)
    assert r.status_code == 403, r.text


def test_member_finds_but_cannot_create_index(admin: httpx.Client, as_member: httpx.Client, shop: Shop) -> None:
    r = as_member.post(f"/{shop.db}/_find", json=ALL)
    assert r.status_code == 200, r.text
    assert [d["_id"] for d in r.json()["docs"]] == ["d1"]
    r = as_member.post(f"/{shop.db}/_index", json={"index": {"fields": ["total"]}, "name": "t"})
    assert r.status_code in (401, 403), r.text
    ddocs = admin.get(f"/{shop.db}/_all_docs", params={"startkey": '"_design/"', "endkey": '"_design0"'}).json()
    assert ddocs["rows"] == []
