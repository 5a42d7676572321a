"""Reading immutable documents the way the server trusts them: by their sealed revision.

A replicated write can add a sibling branch to an invoice that the VDU never compares with the
original, and CouchDB may even make it the winner. Server-side readers therefore read the sealed
revision, whatever CouchDB's winner is; an immutable doc first seen already in conflict (or with
more than one revision) is not guessed at: it is reported as flagged.
"""

from __future__ import annotations

from typing import Any

from shopbill.services.couch import Couch, doc_path
from shopbill.services.errors import ServiceError
from shopbill.services.integrity.ledger import content_hash, get_seal, seal


class Unsealable(ServiceError):
    """The document's trustworthy revision cannot be known; the owner has been told."""


async def read_sealed(couch: Couch, db: str, doc_id: str) -> dict[str, Any] | None:
    """The sealed revision of an immutable doc (sealing it on first sight), or None if missing."""
    record = await get_seal(couch, db, doc_id)
    if record is None:
        doc = await couch.get_doc(db, doc_id, conflicts="true", revs="true")
        if doc is None:
            return None
        if doc.get("_conflicts") or len(doc["_revisions"]["ids"]) != 1:
            raise Unsealable(f"{doc_id} was first seen with more than one revision")
        record = await seal(couch, db, doc)
        if record["rev"] == doc["_rev"]:
            return _clean(doc)
    response = await couch.request("GET", doc_path(db, doc_id), params={"rev": record["rev"]},
                                   ok=(200, 404))
    if response.status_code == 404:
        raise Unsealable(f"the sealed revision of {doc_id} is gone")
    doc = response.json()
    if content_hash(doc) != record["hash"]:
        raise Unsealable(f"the sealed revision of {doc_id} does not match its seal")
    return _clean(doc)


def _clean(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k not in ("_revisions", "_conflicts")}
