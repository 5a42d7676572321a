"""Documents the server writes into a business database, under the same rules as the phone's.

Every write is checked twice: first by validators/checks.py `explain` (so a refusal names its
fields), then by the database's own validate_doc_update, which applies to admin writes too. A
server-written revision carries `device_id: "server"`, so it is told apart from the phone's.
A refused write raises a DocumentError (services/errors.py).
"""

from __future__ import annotations

from typing import Any

from shopbill.services.billing.business import SERVER_DEVICE_ID
from shopbill.services.core.clock import now_rfc3339
from shopbill.services.core.localtime import checking_zone
from shopbill.services.couch import Couch
from shopbill.services.errors import (
    AlreadyExists,
    Conflict,
    CouchError,
    DocumentInvalid,
    StaleRevision,
)
from shopbill.services.integrity.ledger import seal
from shopbill.services.integrity.sealed import SEALED_TYPES
from shopbill.validators.checks import explain
from shopbill.validators.schemas import SCHEMA_VERSION


def new_doc(doc_type: str, doc_id: str, fields: dict[str, Any], *, at: str | None = None) -> dict[str, Any]:
    """A new document of `doc_type` written by the server (common fields filled in)."""
    stamp = at or now_rfc3339()
    return {
        "_id": doc_id,
        "type": doc_type,
        "schema_version": SCHEMA_VERSION,
        "created_at": stamp,
        "updated_at": stamp,
        "device_id": SERVER_DEVICE_ID,
        **fields,
    }


async def _put(couch: Couch, db: str, doc: dict[str, Any]) -> dict[str, Any]:
    try:
        doc["_rev"] = await couch.put_doc(db, doc)
    except Conflict:
        raise
    except CouchError as exc:
        if exc.status == 403:  # the VDU refused what explain() accepted: still the caller's input
            raise DocumentInvalid([{"field": "", "message": exc.reason or exc.error}]) from exc
        raise
    return doc


async def create_doc(couch: Couch, db: str, doc: dict[str, Any]) -> dict[str, Any]:
    """Write a new document (create-only); returns it with its `_rev`."""
    problems = explain(doc, time_zone=await checking_zone(couch, db, [doc]))
    if problems:
        raise DocumentInvalid(problems)
    try:
        written = await _put(couch, db, dict(doc))
    except Conflict as exc:
        raise AlreadyExists(doc["_id"]) from exc
    if written.get("type") in SEALED_TYPES:
        # The server knows the revision it wrote: sealing it now leaves no moment in which a
        # sibling pushed by a phone could be taken for the original (services/integrity/sealed.py).
        await seal(couch, db, written)
    return written


async def update_doc(
    couch: Couch, db: str, current: dict[str, Any], rev: str, changes: dict[str, Any]
) -> dict[str, Any]:
    """Apply `changes` (None removes a field) to `current` if the caller read revision `rev`.

    Never a silent overwrite: a stale `rev`, or a write that lands between our read and our PUT
    (CouchDB's own revision check), is StaleRevision.
    """
    if current.get("_rev") != rev:
        raise StaleRevision(current["_id"])
    merged = {**current, **changes, "updated_at": now_rfc3339(), "device_id": SERVER_DEVICE_ID}
    doc = {k: v for k, v in merged.items() if v is not None}  # None removes an optional field
    problems = explain(doc, current)
    if problems:
        raise DocumentInvalid(problems)
    try:
        return await _put(couch, db, doc)
    except Conflict as exc:  # someone wrote in between our read and our write
        raise StaleRevision(current["_id"]) from exc


async def delete_doc(couch: Couch, db: str, current: dict[str, Any], rev: str) -> None:
    """Delete a deletable document at revision `rev` (StaleRevision if it changed)."""
    if current.get("_rev") != rev:
        raise StaleRevision(current["_id"])
    tombstone = {"_id": current["_id"], "_rev": rev, "_deleted": True}
    problems = explain(tombstone, current)
    if problems:
        raise DocumentInvalid(problems)
    try:
        await _put(couch, db, tombstone)
    except Conflict as exc:
        raise StaleRevision(current["_id"]) from exc


async def get_live(couch: Couch, db: str, doc_id: str, doc_type: str) -> dict[str, Any] | None:
    """The current revision of a live `doc_type` document, or None."""
    doc = await couch.get_doc(db, doc_id)
    return doc if doc is not None and doc.get("type") == doc_type else None


async def find_page(
    couch: Couch, db: str, prefix: str, selector: dict[str, Any], *, after: str | None, limit: int
) -> list[dict[str, Any]]:
    """Up to `limit` docs with ids `<prefix>:...` after id `after` matching `selector`, by id."""
    # Apache CouchDB orders Mango `_id` ranges by ICU collation, where ";" sorts before ":", so
    # the range ends at "\ufff0" (after every character an id uses), not at the next code point.
    id_range: dict[str, Any] = {
        "$gt": after if after and after.startswith(f"{prefix}:") else f"{prefix}:",
        "$lt": f"{prefix}:\ufff0",
    }
    response = await couch.request(
        "POST",
        f"/{db}/_find",
        json={"selector": {**selector, "_id": id_range}, "sort": [{"_id": "asc"}], "limit": limit},
    )
    return list(response.json()["docs"])
