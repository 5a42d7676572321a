"""Defect 6: in a database with any VDU, replicated edits (`new_edits=false`) were silently lost.

PouchDB Server's pouchdb-validation overwrote each incoming doc's `_revisions` with the stored
doc's history, so an edit of an existing doc was dropped, a new doc lost its history and a
conflicting branch vanished, while `_bulk_docs` answered 201 and the phone counted them written.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.utils.couch import CouchTarget
from tests.utils.pouchdb_replication import replicate_docs
from tests.utils.vdu import (
    PERMISSIVE_JS,
    db_with_vdu,
    history,
    js_vdu,
    mango_vdu,
    replicate_write,
    rev_hash,
)

VDUS: dict[str, dict[str, Any]] = {
    "js": js_vdu(PERMISSIVE_JS),
    "mango": mango_vdu({"newDoc._id": {"$exists": True}}),
}


pytestmark = pytest.mark.usefixtures("pouchdb_server")


@pytest.fixture(params=sorted(VDUS))
def vdu_db(request: pytest.FixtureRequest, admin: httpx.Client) -> str:
    return db_with_vdu(admin, VDUS[request.param], prefix="d06")


def test_edit_of_existing_doc_is_stored(admin: httpx.Client, vdu_db: str) -> None:
    first = admin.put(f"/{vdu_db}/d", json={"v": 1}).json()["rev"]
    second = rev_hash()
    r = replicate_write(
        admin,
        vdu_db,
        [{"_id": "d", "_rev": f"2-{second}", "v": 2, "_revisions": {"start": 2, "ids": [second, first[2:]]}}],
    )
    assert r.status_code == 201 and r.json() == [], r.text
    doc = history(admin, vdu_db, "d")
    assert (doc["_rev"], doc["v"]) == (f"2-{second}", 2)
    assert doc["_revisions"] == {"start": 2, "ids": [second, first[2:]]}


def test_new_doc_keeps_its_history(admin: httpx.Client, vdu_db: str) -> None:
    ids = [rev_hash() for _ in range(4)]
    r = replicate_write(admin, vdu_db, [{"_id": "n", "_rev": f"4-{ids[0]}", "_revisions": {"start": 4, "ids": ids}}])
    assert r.status_code == 201 and r.json() == [], r.text
    assert history(admin, vdu_db, "n")["_revisions"] == {"start": 4, "ids": ids}


def test_conflicting_branch_is_kept(admin: httpx.Client, vdu_db: str) -> None:
    first = admin.put(f"/{vdu_db}/c", json={"v": 1}).json()["rev"]
    mine = admin.put(f"/{vdu_db}/c", json={"_rev": first, "v": "server"}).json()["rev"]
    theirs = rev_hash()
    r = replicate_write(
        admin,
        vdu_db,
        [{"_id": "c", "_rev": f"2-{theirs}", "v": "phone", "_revisions": {"start": 2, "ids": [theirs, first[2:]]}}],
    )
    assert r.status_code == 201 and r.json() == [], r.text
    doc = history(admin, vdu_db, "c")
    assert {doc["_rev"], *doc.get("_conflicts", [])} == {mine, f"2-{theirs}"}


def test_pouchdb_replication_keeps_histories_and_conflicts(
    couch: CouchTarget, admin: httpx.Client, vdu_db: str
) -> None:
    root, a2, a3, left, right = (rev_hash() for _ in range(5))
    phone_docs = [
        {"_id": "a", "_rev": f"3-{a3}", "v": 3, "_revisions": {"start": 3, "ids": [a3, a2, root]}},
        {"_id": "b", "_rev": f"2-{left}", "v": "left", "_revisions": {"start": 2, "ids": [left, root]}},
        {"_id": "b", "_rev": f"2-{right}", "v": "right", "_revisions": {"start": 2, "ids": [right, root]}},
    ]
    result = replicate_docs(url=couch.url, db=vdu_db, auth=couch.admin_auth, docs=phone_docs)
    assert result["ok"] and result["doc_write_failures"] == 0 and result["denied"] == [], result
    assert history(admin, vdu_db, "a")["_revisions"] == {"start": 3, "ids": [a3, a2, root]}
    b = history(admin, vdu_db, "b")
    assert {b["_rev"], *b.get("_conflicts", [])} == {f"2-{left}", f"2-{right}"}
    # And the phone's next edit of `a` (a replicated child of 3-a3) lands too.
    a4 = rev_hash()
    phone_docs = [{"_id": "a", "_rev": f"4-{a4}", "v": 4, "_revisions": {"start": 4, "ids": [a4, a3, a2, root]}}]
    result = replicate_docs(url=couch.url, db=vdu_db, auth=couch.admin_auth, docs=phone_docs)
    assert result["doc_write_failures"] == 0, result
    assert history(admin, vdu_db, "a")["_rev"] == f"4-{a4}"
