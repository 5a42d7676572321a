"""Helpers for tests of validate_doc_update and replicated writes, over the CouchDB HTTP API only."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.utils.couch import create_db, unique_name

Json = dict[str, Any]

# A JavaScript VDU that accepts everything: enough to make a server take its validation path.
PERMISSIVE_JS = "function (newDoc, oldDoc, userCtx, secObj) {}"


def rev_hash() -> str:
    """A random revision id (32 hex digits, like CouchDB's)."""
    return uuid.uuid4().hex


def put_design(admin: httpx.Client, db: str, name: str, body: Json) -> str:
    """Create or replace `_design/<name>`; returns its new rev."""
    current = admin.get(f"/{db}/_design/{name}")
    doc = dict(body)
    if current.status_code == 200:
        doc["_rev"] = current.json()["_rev"]
    r = admin.put(f"/{db}/_design/{name}", json=doc)
    assert r.status_code in (201, 202), r.text
    return str(r.json()["rev"])


def mango_vdu(selector: Json) -> Json:
    """A Mango validate_doc_update design doc (apache/couchdb PR #5839)."""
    return {"language": "query", "validate_doc_update": selector}


def js_vdu(source: str) -> Json:
    """A JavaScript validate_doc_update design doc."""
    return {"language": "javascript", "validate_doc_update": source}


def db_with_vdu(admin: httpx.Client, ddoc: Json | None, *, prefix: str = "vdu") -> str:
    """A fresh admin-only database with `ddoc` installed as `_design/rules` (none if None)."""
    db = create_db(admin, unique_name(prefix))
    if ddoc is not None:
        put_design(admin, db, "rules", ddoc)
    return db


def replicate_write(client: httpx.Client, db: str, docs: list[Json]) -> httpx.Response:
    """`_bulk_docs` with `new_edits=false`, as a replicator writes."""
    return client.post(f"/{db}/_bulk_docs", json={"docs": docs, "new_edits": False})


def history(client: httpx.Client, db: str, doc_id: str, rev: str | None = None) -> Json:
    """The stored doc (at `rev`, or the winner) with its `_revisions` and `_conflicts`."""
    params = {"revs": "true", "conflicts": "true"}
    if rev:
        params["rev"] = rev
    r = client.get(f"/{db}/{doc_id}", params=params)
    assert r.status_code == 200, r.text
    return dict(r.json())


def mango_vdu_unsupported_reason(admin: httpx.Client) -> str | None:
    """None when the server enforces Mango VDUs, else why not (from a probe write)."""
    db = db_with_vdu(admin, None, prefix="probe")
    try:
        r = admin.put(f"/{db}/_design/rules", json=mango_vdu({"newDoc": {"probe": {"$eq": "ok"}}}))
        if r.status_code not in (201, 202):
            return f"server refuses Mango VDU design docs ({r.status_code} {r.text.strip()})"
        bad = admin.put(f"/{db}/bad", json={"probe": "no"})
        good = admin.put(f"/{db}/good", json={"probe": "ok"})
        if bad.status_code == 403 and good.status_code in (201, 202):
            return None
        return (
            "server has no Mango validate_doc_update (probe: refused write got "
            f"{bad.status_code}, valid write got {good.status_code}); CouchDB <= 3.5 lacks it"
        )
    finally:
        admin.delete(f"/{db}")


def is_embedded_server(client: httpx.Client) -> bool:
    """True for our patched PouchDB Server (it advertises the `mango_vdu` feature)."""
    root = client.get("/").json()
    return "express-pouchdb" in root and "mango_vdu" in root.get("features", [])


def vdu_stats(admin: httpx.Client) -> dict[str, int]:
    """The embedded server's admin-only `shopbill` counters of `/_stats` (VDU compiles, reads)."""
    r = admin.get("/_stats")
    assert r.status_code == 200, r.text
    return {name: counter["value"] for name, counter in r.json()["shopbill"].items()}
