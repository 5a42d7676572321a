"""`_find` answers where PouchDB's own matcher differs from CouchDB's (any COUCHDB_URL): arrays
holding null, the default limit, comparisons on nested fields, `partial_filter_selector`,
`$regex` under `$or`, and what a selector must be."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.utils.couch import create_db, unique_name

DOCS = [
    {"_id": "a1", "arr": [None, 1], "name": "James", "age": 20, "type": "x", "a": {"b": 5}},
    {"_id": "a2", "arr": [2], "name": "Mary", "age": 30, "type": "y", "a": {"b": 1}},
    {"_id": "a3", "arr": [], "name": "John", "age": 40, "a": {"b": "s"}},
]


@pytest.fixture(scope="module")
def db(admin: httpx.Client) -> str:
    name = create_db(admin, unique_name("find"))
    docs = DOCS + [{"_id": f"n{i:02}", "n": i} for i in range(30)]
    assert admin.post(f"/{name}/_bulk_docs", json={"docs": docs}).status_code == 201
    return name


def ids(admin: httpx.Client, db: str, **query: Any) -> list[str]:
    r = admin.post(f"/{db}/_find", json=query)
    assert r.status_code == 200, r.text
    return [doc["_id"] for doc in r.json()["docs"]]


def test_array_containing_null(admin: httpx.Client, db: str) -> None:
    assert ids(admin, db, selector={"arr": {"$elemMatch": {"$eq": None}}}) == ["a1"]
    assert ids(admin, db, selector={"arr": {"$in": [None]}}) == ["a1"]
    assert ids(admin, db, selector={"arr": {"$all": [None]}}) == ["a1"]
    assert ids(admin, db, selector={"arr": None}) == []  # an array is not null


def test_default_limit_is_25(admin: httpx.Client, db: str) -> None:
    assert len(ids(admin, db, selector={"n": {"$gte": 0}})) == 25
    assert len(ids(admin, db, selector={"n": {"$gte": 0}}, limit=30)) == 30
    assert ids(admin, db, selector={"n": {"$gte": 0}}, skip=28) == ["n28", "n29"]


def test_gt_on_a_nested_field(admin: httpx.Client, db: str) -> None:
    # strings sort after numbers, so "s" > 1
    assert ids(admin, db, selector={"a.b": {"$gt": 1}}) == ["a1", "a3"]
    assert ids(admin, db, selector={"a": {"b": {"$gt": 1}}}) == ["a1", "a3"]
    assert ids(admin, db, selector={"a.b": {"$gt": 1, "$lt": 10}}) == ["a1"]


def test_regex_inside_or(admin: httpx.Client, db: str) -> None:
    assert ids(admin, db, selector={"$or": [{"name": {"$regex": "^J"}}, {"age": 30}]}) == ["a1", "a2", "a3"]
    assert ids(admin, db, selector={"$or": [{"name": {"$regex": "^Ja"}}, {"name": {"$regex": "^Ma"}}]}) == ["a1", "a2"]


def test_partial_filter_selector_is_stored_and_applied(admin: httpx.Client, db: str) -> None:
    index = {
        "index": {"fields": ["age"], "partial_filter_selector": {"type": "x"}},
        "ddoc": "typed",
        "name": "typed",
        "type": "json",
    }
    r = admin.post(f"/{db}/_index", json=index)
    assert r.status_code == 200, r.text
    listed = [i for i in admin.get(f"/{db}/_index").json()["indexes"] if i["name"] == "typed"]
    assert listed[0]["def"]["partial_filter_selector"] == {"type": {"$eq": "x"}}
    # used when named: only docs the partial filter admits
    assert ids(admin, db, selector={"age": {"$gt": 0}}, use_index=["typed", "typed"]) == ["a1"]
    assert ids(admin, db, selector={"age": {"$gt": 0}, "type": "y"}, use_index=["typed", "typed"]) == []
    # not chosen by itself: the same selector unnamed sees every doc
    assert ids(admin, db, selector={"age": {"$gt": 0}}) == ["a1", "a2", "a3"]


@pytest.mark.parametrize("selector", ["x", [], 1, None], ids=["string", "array", "number", "null"])
def test_selector_must_be_an_object(admin: httpx.Client, db: str, selector: Any) -> None:
    r = admin.post(f"/{db}/_find", json={"selector": selector})
    assert r.status_code == 400
    assert r.json()["error"] == "invalid_selector_json"
    assert r.json()["reason"].startswith("Selector must be a JSON object")


def test_selector_is_required(admin: httpx.Client, db: str) -> None:
    r = admin.post(f"/{db}/_find", json={"limit": 1})
    assert r.status_code == 400
    assert r.json() == {"error": "missing_required_key", "reason": "Missing required key: selector"}
