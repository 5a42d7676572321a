"""Mango validate_doc_update verdicts, as Apache CouchDB main gives them (PR #5839).

Each case below was checked on a build of CouchDB main (commit a6778e5); the embedded server must
give the same verdict. Servers without Mango VDUs (CouchDB 3.5 and older) skip the whole module,
with the reason the probe write found.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.utils.vdu import (
    db_with_vdu,
    is_embedded_server,
    mango_vdu,
    mango_vdu_unsupported_reason,
    put_design,
)

Json = dict[str, Any]
NEW = {"$or": [{"oldDoc": None}, {"oldDoc": {"$exists": False}}]}


@pytest.fixture(scope="module", autouse=True)
def mango_vdu_support(admin: httpx.Client) -> None:
    reason = mango_vdu_unsupported_reason(admin)
    if reason:
        pytest.skip(reason)


@pytest.fixture
def verdict(admin: httpx.Client) -> Iterator[Any]:
    """verdict(selector, doc) -> HTTP status of writing `doc` as a new doc under that Mango VDU
    (at the URL of its own `_id`, default "d": the URL names the doc, not the body)."""
    dbs: list[str] = []

    def write(selector: Json, doc: Json) -> int:
        db = db_with_vdu(admin, mango_vdu(selector))
        dbs.append(db)
        return admin.put(f"/{db}/{doc.get('_id', 'd')}", json=doc).status_code

    yield write
    for db in dbs:
        admin.delete(f"/{db}")


def test_refusal_is_403_forbidden_document_is_not_valid(admin: httpx.Client) -> None:
    db = db_with_vdu(admin, mango_vdu({"newDoc": {"type": {"$type": "string"}}}))
    r = admin.put(f"/{db}/d", json={"type": 1})
    assert r.status_code == 403
    body = r.json()
    assert body["error"] == "forbidden"
    assert body["reason"] == "document is not valid"
    if "failures" in body or is_embedded_server(admin):  # PR #5858 (open) adds the paths
        assert {"path": ["newDoc", "type"], "message": body["failures"][0]["message"]} in body["failures"]
    assert admin.get(f"/{db}/d").status_code == 404
    assert admin.put(f"/{db}/d", json={"type": "item"}).status_code == 201


def test_admin_writes_are_validated_too(admin: httpx.Client) -> None:
    db = db_with_vdu(admin, mango_vdu({"newDoc": {"ok": True}}))
    assert admin.post(f"/{db}", json={"ok": False}).status_code == 403
    assert admin.post(f"/{db}", json={"ok": True}).status_code in (201, 202)


def test_old_doc_is_null_for_a_new_doc(verdict: Any) -> None:
    assert verdict({"oldDoc": None}, {"a": 1}) == 201
    assert verdict({"oldDoc": {"$exists": False}}, {"a": 1}) == 403
    assert verdict({"oldDoc._id": {"$exists": False}}, {"a": 1}) == 403
    assert verdict(NEW, {"a": 1}) == 201


def test_old_doc_is_the_stored_revision_on_update(admin: httpx.Client) -> None:
    db = db_with_vdu(admin, None)
    rev = admin.put(f"/{db}/d", json={"state": "open"}).json()["rev"]
    put_design(admin, db, "rules", mango_vdu({"$or": [NEW, {"oldDoc.state": "open"}]}))
    r = admin.put(f"/{db}/d", json={"_rev": rev, "state": "closed"})
    assert r.status_code == 201
    r = admin.put(f"/{db}/d", json={"_rev": r.json()["rev"], "state": "reopened"})
    assert r.status_code == 403


def test_condition_under_a_null_or_scalar_parent_never_matches(verdict: Any) -> None:
    absent = {"newDoc.a.b": {"$exists": False}}
    assert verdict(absent, {"a": None}) == 403
    assert verdict(absent, {"a": 5}) == 403
    assert verdict(absent, {"a": "text"}) == 403
    assert verdict(absent, {"a": {}}) == 201
    assert verdict(absent, {}) == 201
    assert verdict({"newDoc.a.b": {"$ne": 1}}, {"a": None}) == 403


def test_array_index_paths(verdict: Any) -> None:
    assert verdict({"newDoc.a.0": {"$exists": True}}, {"a": ["x"]}) == 201
    assert verdict({"newDoc.a.0": {"$exists": True}}, {"a": []}) == 403
    assert verdict({"newDoc.a.1": {"$exists": False}}, {"a": ["x"]}) == 403
    assert verdict({"newDoc.a.1": {"$exists": False}}, {"a": ["x", "y"]}) == 403
    assert verdict({"newDoc.a.1": {"$exists": True}}, {"a": ["x", "y"]}) == 201


def test_negations_are_normalised(verdict: Any) -> None:
    for selector in ({"newDoc.a.1": {"$not": {"$exists": True}}}, {"$not": {"newDoc.a.1": {"$exists": True}}}):
        assert verdict(selector, {"a": ["x"]}) == 403
        assert verdict(selector, {"a": ["x", "y"]}) == 403
    # $not of $gt becomes $lte, which a missing field fails.
    assert verdict({"$not": {"newDoc.n": {"$gt": 5}}}, {}) == 403
    assert verdict({"$not": {"newDoc.n": {"$gt": 5}}}, {"n": 3}) == 201


def test_type_number_accepts_fractions(verdict: Any) -> None:
    selector = {"newDoc.n": {"$type": "number"}}
    assert verdict(selector, {"n": 1.5}) == 201
    assert verdict(selector, {"n": 2}) == 201
    assert verdict(selector, {"n": "2"}) == 403


def test_mod_accepts_only_integers(verdict: Any) -> None:
    selector = {"newDoc.n": {"$mod": [1, 0]}}
    assert verdict(selector, {"n": 3}) == 201
    assert verdict(selector, {"n": -4}) == 201
    assert verdict(selector, {"n": 1.5}) == 403
    assert verdict(selector, {"n": "3"}) == 403


def test_mod_and_the_float_literal_one(admin: httpx.Client) -> None:
    """CouchDB (Erlang) refuses `1.0`; JavaScript cannot tell `1.0` from `1` after JSON.parse,
    so the embedded server accepts it (documented divergence, on the permissive side)."""
    db = db_with_vdu(admin, mango_vdu({"newDoc.n": {"$mod": [1, 0]}}))
    r = admin.put(f"/{db}/d", content=b'{"n": 1.0}', headers={"Content-Type": "application/json"})
    assert r.status_code == (201 if is_embedded_server(admin) else 403)


def test_regex_never_matches_a_non_string(verdict: Any) -> None:
    selector = {"newDoc.a": {"$regex": "^1$"}}
    assert verdict(selector, {"a": "1"}) == 201
    assert verdict(selector, {"a": 1}) == 403
    assert verdict(selector, {"a": ["1"]}) == 403
    assert verdict(selector, {"a": None}) == 403


def test_regex_counts_utf8_bytes(verdict: Any) -> None:
    selector = {"newDoc.name": {"$regex": "^.{1,5}$"}}
    assert verdict(selector, {"name": "abc"}) == 201
    assert verdict(selector, {"name": "नमस"}) == 403  # 3 characters, 9 bytes
    assert verdict({"newDoc.name": {"$regex": "^.{9}$"}}, {"name": "नमस"}) == 201


def test_key_map_match(verdict: Any) -> None:
    selector = {"newDoc.m": {"$keyMapMatch": {"$regex": "^[a-z]+$"}}}
    assert verdict(selector, {"m": {"abc": 1}}) == 201
    assert verdict(selector, {"m": {"1": 1, "b": 2}}) == 201
    assert verdict(selector, {"m": {"1": 1}}) == 403
    assert verdict(selector, {"m": {}}) == 403
    assert verdict(selector, {"m": ["abc"]}) == 403
    every_key = {"newDoc.m": {"$not": {"$keyMapMatch": {"$not": {"$regex": "^[a-z]+$"}}}}}
    assert verdict(every_key, {"m": {"a": 1, "b": 2}}) == 201
    assert verdict(every_key, {"m": {"a": 1, "B": 2}}) == 403


def test_begins_with(verdict: Any) -> None:
    selector = {"newDoc._id": {"$beginsWith": "item:"}}
    assert verdict(selector, {"_id": "item:1"}) == 201
    assert verdict(selector, {"_id": "group:1"}) == 403
    assert verdict({"newDoc.a": {"$beginsWith": "1"}}, {"a": 12}) == 403
    assert verdict({"newDoc.a": {"$beginsWith": "1"}}, {"a": "12"}) == 201


def test_delete_arrives_as_a_bare_deleted_doc(admin: httpx.Client) -> None:
    db = db_with_vdu(admin, None)
    rev = admin.put(f"/{db}/d", json={"type": "item", "name": "x"}).json()["rev"]
    # Deletes are allowed only when newDoc carries nothing but the tombstone.
    put_design(
        admin,
        db,
        "rules",
        mango_vdu(
            {
                "$or": [
                    {"newDoc._deleted": {"$exists": False}, "newDoc.type": {"$exists": True}},
                    {
                        "newDoc._deleted": True,
                        "newDoc.type": {"$exists": False},
                        "newDoc.name": {"$exists": False},
                        "oldDoc.type": "item",
                    },
                ]
            }
        ),
    )
    assert admin.delete(f"/{db}/d", params={"rev": rev}).status_code == 200


def test_delete_can_be_refused(admin: httpx.Client) -> None:
    db = db_with_vdu(admin, None)
    rev = admin.put(f"/{db}/d", json={"type": "invoice"}).json()["rev"]
    put_design(admin, db, "rules", mango_vdu({"newDoc._deleted": {"$exists": False}}))
    r = admin.delete(f"/{db}/d", params={"rev": rev})
    assert r.status_code == 403
    assert r.json()["error"] == "forbidden"
    assert admin.get(f"/{db}/d").json()["_rev"] == rev


def test_bulk_docs_reports_each_refused_doc(admin: httpx.Client) -> None:
    db = db_with_vdu(admin, mango_vdu({"newDoc.type": {"$type": "string"}}))
    docs = [{"_id": "a", "type": "x"}, {"_id": "b", "type": 1}, {"_id": "c", "type": "y"}]
    r = admin.post(f"/{db}/_bulk_docs", json={"docs": docs})
    assert r.status_code in (201, 202)
    results = {row["id"]: row for row in r.json()}
    assert results["b"]["error"] == "forbidden"
    assert results["b"]["reason"] == "document is not valid"
    assert results["a"]["ok"] and results["c"]["ok"]
    assert admin.get(f"/{db}/b").status_code == 404
    assert admin.get(f"/{db}/a").status_code == 200


def test_every_vdu_must_accept(admin: httpx.Client) -> None:
    db = db_with_vdu(admin, mango_vdu({"newDoc.type": {"$exists": True}}))
    put_design(admin, db, "year", mango_vdu({"newDoc.year": {"$lt": 2026}}))
    assert admin.put(f"/{db}/a", json={"type": "m", "year": 1994}).status_code == 201
    assert admin.put(f"/{db}/b", json={"year": 1994}).status_code == 403
    assert admin.put(f"/{db}/c", json={"type": "m", "year": 2094}).status_code == 403


def test_design_docs_are_not_judged_by_vdus(admin: httpx.Client) -> None:
    db = db_with_vdu(admin, mango_vdu({"newDoc.type": {"$exists": True}}))
    put_design(admin, db, "other", {"views": {}})
