"""`_id` ranges as the services write them, on CouchDB's collation (any COUCHDB_URL).

CouchDB's Mango compares strings by ICU collation, where `;` sorts *before* `:`: the range
`"item:"`..`"item;"` is empty, so the services bound a prefix with `"item:\\ufff0"` (Mango) or
`"item:\\uffff"` (`_all_docs`, which is ordered by code point). An `_id` range over `_all_docs`
is taken by code point and its docs then matched by ICU, so both bounds must hold in both orders;
the embedded server does the same.
"""

from __future__ import annotations

import json

import httpx
import pytest

from tests.utils.couch import create_db, unique_name

IDS = ["group:1", "item:", "item:1", "item:2", "item:A", "item:a", "item:b~", "item;x", "items", "itemz"]
ITEMS = ["item:1", "item:2", "item:A", "item:a", "item:b~"]


@pytest.fixture(scope="module")
def db(admin: httpx.Client) -> str:
    name = create_db(admin, unique_name("collation"))
    r = admin.post(f"/{name}/_bulk_docs", json={"docs": [{"_id": i} for i in IDS]})
    assert r.status_code == 201, r.text
    return name


def found(admin: httpx.Client, db: str, id_range: dict) -> list[str]:
    r = admin.post(f"/{db}/_find", json={"selector": {"_id": id_range}, "fields": ["_id"], "limit": 100})
    assert r.status_code == 200, r.text
    return sorted(doc["_id"] for doc in r.json()["docs"])


def test_mango_prefix_range_finds_the_items(admin: httpx.Client, db: str) -> None:
    assert found(admin, db, {"$gt": "item:", "$lt": "item:\ufff0"}) == ITEMS


def test_semicolon_end_is_empty(admin: httpx.Client, db: str) -> None:
    """`"item;"` sorts before every `"item:..."` in ICU, so as an end bound it finds nothing."""
    assert found(admin, db, {"$gt": "item:", "$lt": "item;"}) == []


def test_semicolon_start_finds_only_what_both_orders_admit(admin: httpx.Client, db: str) -> None:
    """ICU alone would admit the `item:` docs (`;` < `:`), but the `_all_docs` range, taken by
    code point (`:` < `;`), never reads them."""
    assert found(admin, db, {"$gte": "item;", "$lt": "itemz"}) == ["item;x", "items"]


def test_all_docs_prefix_range_finds_the_items(admin: httpx.Client, db: str) -> None:
    r = admin.get(f"/{db}/_all_docs", params={"startkey": json.dumps("item:"), "endkey": json.dumps("item:\uffff")})
    assert r.status_code == 200, r.text
    assert [row["id"] for row in r.json()["rows"]] == ["item:"] + ITEMS
