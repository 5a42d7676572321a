"""The ledger (`svc_ledger`, admin-only): what the server trusts about the shops' documents.

Phones cannot read or write it, and a Mango VDU cannot tell who writes, so the facts the server
relies on live here, never in a business database:
- `seal:<db>:<doc id>`    the revision and content hash of the original of an immutable doc (sealed.py);
- `finding:<db>:<doc id>:<rev>`  a rule a revision breaks; flagged docs are left out of figures;
- `decision:<db>:<doc id>`  which branch of a conflicted doc the server follows;
- `checkpoint:<name>`     where the auditor's feeds stopped;
- `series:<db>`           the invoice and credit-note number continuity report per series and FY;
- `number:<db>:<number>`  the invoice or credit note that first used a number (services/integrity/auditor/series.py).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from shopbill.services.core.clock import now_rfc3339
from shopbill.services.core.names import LEDGER_DB
from shopbill.services.couch import Couch
from shopbill.services.errors import Conflict

COUCH_FIELDS = ("_rev", "_revisions", "_conflicts", "_deleted_conflicts", "_revs_info")


def content_hash(doc: dict[str, Any]) -> str:
    """SHA-256 of the document's own content (CouchDB's bookkeeping fields left out)."""
    body = {k: v for k, v in doc.items() if k not in COUCH_FIELDS}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    # `surrogatepass`: a pushed string may hold an unpaired surrogate (the checks flag it); its
    # hash must still be computable, and every other string encodes exactly as plain UTF-8.
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


async def _create(couch: Couch, doc: dict[str, Any]) -> bool:
    """Write a new ledger doc; False when it exists already (first writer wins)."""
    try:
        await couch.put_doc(LEDGER_DB, doc)
        return True
    except Conflict:
        return False


async def get_seal(couch: Couch, db: str, doc_id: str) -> dict[str, Any] | None:
    return await couch.get_doc(LEDGER_DB, f"seal:{db}:{doc_id}")


async def get_seals(couch: Couch, db: str, doc_ids: list[str]) -> dict[str, dict[str, Any]]:
    """The seals of `doc_ids` that exist, by doc id, in one request (the auditor reads a batch)."""
    if not doc_ids:
        return {}
    keys = [f"seal:{db}:{doc_id}" for doc_id in doc_ids]
    rows = (
        await couch.request("POST", f"/{LEDGER_DB}/_all_docs", params={"include_docs": "true"}, json={"keys": keys})
    ).json()["rows"]
    prefix = f"seal:{db}:"
    return {row["key"].removeprefix(prefix): row["doc"] for row in rows if row.get("doc")}


async def seal_many(couch: Couch, db: str, docs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """`seal` for a batch, in one write: the seal of each doc by id (an earlier one stands)."""
    if not docs:
        return {}
    stamp = now_rfc3339()
    records = [
        {"_id": f"seal:{db}:{doc['_id']}", "rev": doc["_rev"], "hash": content_hash(doc), "sealed_at": stamp}
        for doc in docs
    ]
    rows = (await couch.request("POST", f"/{LEDGER_DB}/_bulk_docs", json={"docs": records})).json()
    prefix = f"seal:{db}:"
    sealed = {r["_id"].removeprefix(prefix): r for r, row in zip(records, rows) if row.get("ok")}
    lost = [r["_id"].removeprefix(prefix) for r, row in zip(records, rows) if not row.get("ok")]
    sealed.update(await get_seals(couch, db, lost))  # someone sealed them first: theirs stand
    return sealed


async def seal(couch: Couch, db: str, doc: dict[str, Any]) -> dict[str, Any]:
    """Seal `doc`'s revision; if someone sealed it first, that seal stands and is returned."""
    record = {
        "_id": f"seal:{db}:{doc['_id']}",
        "rev": doc["_rev"],
        "hash": content_hash(doc),
        "sealed_at": now_rfc3339(),
    }
    if await _create(couch, record):
        return record
    existing = await get_seal(couch, db, doc["_id"])
    assert existing is not None
    return existing


async def record_finding(
    couch: Couch, db: str, doc_id: str, rev: str, *, kind: str, problems: list[dict[str, str]]
) -> bool:
    """Record that `rev` of `doc_id` breaks a rule; False when it was recorded before."""
    return await _create(
        couch,
        {
            "_id": f"finding:{db}:{doc_id}:{rev}",
            "db": db,
            "doc_id": doc_id,
            "rev": rev,
            "kind": kind,
            "problems": problems,
            "found_at": now_rfc3339(),
        },
    )


async def flagged_ids(couch: Couch, db: str) -> set[str]:
    """Ids of the docs of `db` with at least one finding (left out of server-side figures)."""
    rows = await couch.all_docs(
        LEDGER_DB, startkey=json.dumps(f"finding:{db}:"), endkey=json.dumps(f"finding:{db}:\uffff")
    )
    return {row["doc_id"] for row in rows}


async def record_decision(couch: Couch, db: str, doc_id: str, *, winner: str, losers: list[str], reason: str) -> None:
    """Record (or update) which branch of a conflicted doc the server follows."""
    doc_key = f"decision:{db}:{doc_id}"
    while True:
        current = await couch.get_doc(LEDGER_DB, doc_key)
        doc = {"_id": doc_key, "winner": winner, "losers": losers, "reason": reason, "decided_at": now_rfc3339()}
        if current:
            if current["winner"] == winner and current["losers"] == losers:
                return
            doc["_rev"] = current["_rev"]
        try:
            await couch.put_doc(LEDGER_DB, doc)
            return
        except Conflict:
            continue


async def get_decision(couch: Couch, db: str, doc_id: str) -> dict[str, Any] | None:
    return await couch.get_doc(LEDGER_DB, f"decision:{db}:{doc_id}")


async def put_latest(couch: Couch, doc_id: str, body: dict[str, Any]) -> None:
    """Overwrite a ledger doc that only one writer updates (checkpoints, reports)."""
    while True:
        current = await couch.get_doc(LEDGER_DB, doc_id)
        doc = {"_id": doc_id, **body}
        if current:
            doc["_rev"] = current["_rev"]
        try:
            await couch.put_doc(LEDGER_DB, doc)
            return
        except Conflict:
            continue


async def get_checkpoint(couch: Couch, name: str) -> str | None:
    doc = await couch.get_doc(LEDGER_DB, f"checkpoint:{name}")
    return None if doc is None else str(doc["seq"])


async def set_checkpoint(couch: Couch, name: str, seq: str) -> None:
    await put_latest(couch, f"checkpoint:{name}", {"seq": seq})
