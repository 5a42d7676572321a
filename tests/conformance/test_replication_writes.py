"""Replicated writes (`_bulk_docs` with `new_edits=false`), with and without a VDU.

This is how a phone's PouchDB pushes its edits. The server must store each revision exactly as
sent (its history and any conflict), judge it against the nearest stored ancestor, and report a
VDU refusal per document so the replicator counts it in `doc_write_failures` and emits `denied`.
Every case runs with no VDU, with a permissive JavaScript VDU, and (when the server has them) with
a permissive Mango VDU: a VDU must never change what gets stored.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.utils.vdu import (
    PERMISSIVE_JS,
    db_with_vdu,
    history,
    js_vdu,
    mango_vdu,
    mango_vdu_unsupported_reason,
    put_design,
    replicate_write,
    rev_hash,
)

Json = dict[str, Any]


@pytest.fixture(scope="module")
def mango_reason(admin: httpx.Client) -> str | None:
    return mango_vdu_unsupported_reason(admin)


@pytest.fixture(params=["no_vdu", "js_vdu", "mango_vdu"])
def db(request: pytest.FixtureRequest, admin: httpx.Client, mango_reason: str | None) -> str:
    """A database with no VDU, a permissive JS VDU or a permissive Mango VDU."""
    if request.param == "no_vdu":
        return db_with_vdu(admin, None, prefix="repl")
    if request.param == "js_vdu":
        return db_with_vdu(admin, js_vdu(PERMISSIVE_JS), prefix="repl")
    if mango_reason:
        pytest.skip(mango_reason)
    return db_with_vdu(admin, mango_vdu({"newDoc._id": {"$exists": True}}), prefix="repl")


def test_new_doc_keeps_its_history(admin: httpx.Client, db: str) -> None:
    ids = [rev_hash(), rev_hash(), rev_hash()]
    r = replicate_write(
        admin, db, [{"_id": "d", "_rev": f"3-{ids[0]}", "v": 3, "_revisions": {"start": 3, "ids": ids}}]
    )
    assert r.status_code in (201, 202) and r.json() == [], r.text
    doc = history(admin, db, "d")
    assert doc["_rev"] == f"3-{ids[0]}"
    assert doc["_revisions"] == {"start": 3, "ids": ids}
    assert doc["v"] == 3


def test_edit_of_an_existing_doc_is_stored(admin: httpx.Client, db: str) -> None:
    first = admin.put(f"/{db}/d", json={"v": 1}).json()["rev"]
    second = rev_hash()
    r = replicate_write(
        admin, db, [{"_id": "d", "_rev": f"2-{second}", "v": 2, "_revisions": {"start": 2, "ids": [second, first[2:]]}}]
    )
    assert r.status_code in (201, 202) and r.json() == [], r.text
    doc = history(admin, db, "d")
    assert (doc["_rev"], doc["v"]) == (f"2-{second}", 2)
    assert doc["_revisions"]["ids"] == [second, first[2:]]


def test_a_sibling_revision_becomes_a_conflict(admin: httpx.Client, db: str) -> None:
    first = admin.put(f"/{db}/d", json={"v": 1}).json()["rev"]
    left = admin.put(f"/{db}/d", json={"_rev": first, "v": "left"}).json()["rev"]
    right = rev_hash()
    r = replicate_write(
        admin,
        db,
        [{"_id": "d", "_rev": f"2-{right}", "v": "right", "_revisions": {"start": 2, "ids": [right, first[2:]]}}],
    )
    assert r.status_code in (201, 202) and r.json() == [], r.text
    doc = history(admin, db, "d")
    revs = {doc["_rev"], *doc.get("_conflicts", [])}
    assert revs == {left, f"2-{right}"}
    assert history(admin, db, "d", f"2-{right}")["v"] == "right"


def test_deletion_is_replicated(admin: httpx.Client, db: str) -> None:
    first = admin.put(f"/{db}/d", json={"v": 1}).json()["rev"]
    tomb = rev_hash()
    r = replicate_write(
        admin,
        db,
        [{"_id": "d", "_rev": f"2-{tomb}", "_deleted": True, "_revisions": {"start": 2, "ids": [tomb, first[2:]]}}],
    )
    assert r.status_code in (201, 202) and r.json() == [], r.text
    assert admin.get(f"/{db}/d").status_code == 404


LOCKED_JS = """function (newDoc, oldDoc) {
  if (oldDoc && oldDoc.locked) { throw({forbidden: 'locked'}); }
  if (newDoc.bad) { throw({forbidden: 'bad doc'}); }
}"""
LOCKED_MANGO = {
    "$and": [
        {"$or": [{"oldDoc": None}, {"oldDoc.locked": {"$ne": True}}]},
        {"newDoc.bad": {"$exists": False}},
    ]
}


@pytest.fixture(params=["js", "mango"])
def locked_vdu(request: pytest.FixtureRequest, mango_reason: str | None) -> Json:
    """A VDU refusing docs with `bad` and any edit of a stored doc with `locked: true`."""
    if request.param == "js":
        return js_vdu(LOCKED_JS)
    if mango_reason:
        pytest.skip(mango_reason)
    return mango_vdu(LOCKED_MANGO)


def test_denied_docs_are_reported_and_not_stored(admin: httpx.Client, locked_vdu: Json) -> None:
    db = db_with_vdu(admin, locked_vdu, prefix="repl")
    good, bad = rev_hash(), rev_hash()
    r = replicate_write(
        admin,
        db,
        [
            {"_id": "good", "_rev": f"1-{good}", "_revisions": {"start": 1, "ids": [good]}},
            {"_id": "bad", "_rev": f"1-{bad}", "bad": True, "_revisions": {"start": 1, "ids": [bad]}},
        ],
    )
    assert r.status_code in (201, 202), r.text
    errors = r.json()
    assert [e["id"] for e in errors] == ["bad"]
    assert errors[0]["error"] == "forbidden"
    assert admin.get(f"/{db}/bad").status_code == 404
    assert admin.get(f"/{db}/good").json()["_rev"] == f"1-{good}"


def test_edit_is_judged_against_its_stored_ancestor(admin: httpx.Client, locked_vdu: Json) -> None:
    db = db_with_vdu(admin, None, prefix="repl")
    first = admin.put(f"/{db}/d", json={"locked": True}).json()["rev"]
    put_design(admin, db, "rules", locked_vdu)
    child = rev_hash()
    r = replicate_write(
        admin,
        db,
        [{"_id": "d", "_rev": f"2-{child}", "locked": False, "_revisions": {"start": 2, "ids": [child, first[2:]]}}],
    )
    assert [e["error"] for e in r.json()] == ["forbidden"]
    assert admin.get(f"/{db}/d").json()["_rev"] == first


def test_unrelated_root_is_judged_as_a_new_doc(admin: httpx.Client, locked_vdu: Json) -> None:
    """CouchDB gives a branch that shares no stored ancestor oldDoc = null: it passes and is kept
    as a conflict (immutability needs a server-side guard beyond the VDU, see DOMAIN.md)."""
    db = db_with_vdu(admin, None, prefix="repl")
    first = admin.put(f"/{db}/d", json={"locked": True}).json()["rev"]
    put_design(admin, db, "rules", locked_vdu)
    other = rev_hash()
    r = replicate_write(
        admin, db, [{"_id": "d", "_rev": f"1-{other}", "locked": False, "_revisions": {"start": 1, "ids": [other]}}]
    )
    assert r.json() == [], r.text
    doc = history(admin, db, "d")
    assert {doc["_rev"], *doc.get("_conflicts", [])} == {first, f"1-{other}"}


def test_already_stored_revision_is_not_judged_again(admin: httpx.Client, locked_vdu: Json) -> None:
    db = db_with_vdu(admin, None, prefix="repl")
    rev = admin.put(f"/{db}/d", json={"bad": True}).json()["rev"]
    put_design(admin, db, "rules", locked_vdu)
    r = replicate_write(
        admin, db, [{"_id": "d", "_rev": rev, "bad": True, "_revisions": {"start": 1, "ids": [rev[2:]]}}]
    )
    assert r.json() == [], r.text
