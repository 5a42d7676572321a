"""Special fields a client may send but CouchDB drops before anything sees the doc (any
COUCHDB_URL): `_attachments: {}`, `_deleted: false`, `_conflicts` and `_local_seq` never reach a
validate_doc_update function and are not stored, whichever way the doc is written."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.utils.vdu import db_with_vdu, js_vdu, mango_vdu

SPECIAL = {"_attachments": {}, "_deleted": False, "_conflicts": ["1-abc"], "_local_seq": 5}

JS_REFUSE_SPECIAL = """function (newDoc) {
  ['_attachments', '_deleted', '_conflicts', '_local_seq'].forEach(function (field) {
    if (field in newDoc) { throw({forbidden: 'saw ' + field}); }
  });
}"""

VDUS = {
    "none": None,
    "mango": mango_vdu({f"newDoc.{field}": {"$exists": False} for field in SPECIAL}),
    "javascript": js_vdu(JS_REFUSE_SPECIAL),
}


def write_put(admin: httpx.Client, db: str, doc: dict[str, Any]) -> int:
    return admin.put(f"/{db}/{doc['_id']}", json=doc).status_code


def write_post(admin: httpx.Client, db: str, doc: dict[str, Any]) -> int:
    return admin.post(f"/{db}", json=doc).status_code


def write_bulk(admin: httpx.Client, db: str, doc: dict[str, Any]) -> int:
    r = admin.post(f"/{db}/_bulk_docs", json={"docs": [doc]})
    assert r.status_code == 201, r.text
    return 201 if r.json()[0].get("ok") else 403


@pytest.mark.parametrize("vdu", sorted(VDUS))
@pytest.mark.parametrize("write", [write_put, write_post, write_bulk], ids=["put", "post", "bulk"])
def test_special_fields_are_dropped(admin: httpx.Client, vdu: str, write: Any) -> None:
    db = db_with_vdu(admin, VDUS[vdu], prefix="special")
    for field, value in SPECIAL.items():
        doc_id = f"with{field}"
        assert write(admin, db, {"_id": doc_id, "n": 1, field: value}) == 201, field
        stored = admin.get(f"/{db}/{doc_id}").json()
        assert set(stored) == {"_id", "_rev", "n"}, stored
    assert write(admin, db, {"_id": "all", "n": 1, **SPECIAL}) == 201
    assert set(admin.get(f"/{db}/all").json()) == {"_id", "_rev", "n"}
