"""Which revision of an immutable document (invoice, credit note, payment) is the original: the
one owner of the sealing rule and of the types it covers.

A replicated write (`new_edits=false`) can add a sibling branch or a child revision that the VDU
never compares with the original, and CouchDB may make it the winner. The server therefore
seals one revision per document in the ledger and every reader reads that one, whatever
CouchDB's winner is. The rule, here only:

- `is_sealable`: only a generation-1 revision can be an original (an immutable doc is written
  once; any later generation is an edit).
- A doc written by the server is sealed by the server as it writes it (its revision is known
  from the write, so a sibling pushed at that moment cannot take its place).
- A doc first seen alone (`seen_alone`) is sealed as it is. A doc first seen with several revisions (a race
  with the first seal) is sealed at `pick_original` of its generation-1 revisions (the leaves
  and the roots of the leaves): one that passes the checks, then the earliest `created_at`, then
  the lowest content hash. Pushing a sibling later wins nothing; every other revision is
  flagged `tampered` by the auditor, so the document never disappears from the books.
"""

from __future__ import annotations

import json
from datetime import tzinfo
from typing import Any

from shopbill.services.core.localtime import checking_zone
from shopbill.services.couch import Couch, doc_path
from shopbill.services.errors import Unsealable
from shopbill.services.integrity.ledger import content_hash, get_seal, seal
from shopbill.validators.checks import explain
from shopbill.validators.schemas import IMMUTABLE_TYPES

# The immutable types that are the books. An `audit` doc (immutable too) is the auditor's own
# notice to the phone: nothing is counted from it, so there is no original to protect.
SEALED_TYPES = tuple(t for t in IMMUTABLE_TYPES if t != "audit")
Doc = dict[str, Any]


def is_sealable(doc: Doc) -> bool:
    """True when `doc` (one revision) can be sealed as an immutable doc's original."""
    return str(doc.get("_rev", "")).startswith("1-") and not doc.get("_deleted")


def seen_alone(doc: Doc) -> bool:
    """True when `doc`, a winning revision read with `conflicts=true` from a doc with no seal yet,
    is sealed as it is: it can be an original and no other branch competes with it."""
    return is_sealable(doc) and not doc.get("_conflicts")


def pick_original(revisions: list[Doc], zone: tzinfo) -> Doc | None:
    """The revision to seal among `revisions` of one doc, by the rule above (checked as a document
    of a business in `zone`); None if none can be."""
    candidates = [r for r in revisions if is_sealable(r)]
    if not candidates:
        return None
    return min(
        candidates,
        key=lambda r: (
            bool(explain(_clean(r), time_zone=zone)),
            str(r.get("created_at", "")),
            content_hash(r),
            r["_rev"],
        ),
    )


async def revisions_of(couch: Couch, db: str, doc_id: str) -> list[Doc]:
    """The leaves of `doc_id` and, where still readable, the generation-1 root of each."""
    leaves = await _open_revs(couch, db, doc_id, "all")
    roots = set()
    for leaf in leaves:
        history = leaf.get("_revisions") or {}
        ids = history.get("ids", [])
        if ids and history.get("start", 0) - len(ids) + 1 == 1:
            roots.add(f"1-{ids[-1]}")
    missing = sorted(roots - {leaf["_rev"] for leaf in leaves})
    found = await _open_revs(couch, db, doc_id, json.dumps(missing)) if missing else []
    return [_clean(r) for r in leaves + found]


async def find_original(couch: Couch, db: str, doc_id: str) -> Doc | None:
    """The revision of `doc_id` to seal when it has no seal yet (None if none can be)."""
    revisions = await revisions_of(couch, db, doc_id)
    return pick_original(revisions, await checking_zone(couch, db, revisions))


async def seal_original(couch: Couch, db: str, doc_id: str) -> dict[str, Any] | None:
    """Seal `doc_id` by the rule (an existing seal stands); the seal record, or None."""
    original = await find_original(couch, db, doc_id)
    return None if original is None else await seal(couch, db, original)


async def read_sealed(couch: Couch, db: str, doc_id: str) -> Doc | None:
    """The sealed revision of an immutable doc (sealing it on first sight), or None if missing."""
    record = await get_seal(couch, db, doc_id)
    if record is None:
        doc = await couch.get_doc(db, doc_id, conflicts="true")
        if doc is None:
            return None
        if seen_alone(doc):
            record = await seal(couch, db, doc)
            if record["rev"] == doc["_rev"]:
                return _clean(doc)
        else:
            record = await seal_original(couch, db, doc_id)
            if record is None:
                raise Unsealable(f"{doc_id} has no revision that can be its original")
    response = await couch.request("GET", doc_path(db, doc_id), params={"rev": record["rev"]}, ok=(200, 404))
    if response.status_code == 404:
        raise Unsealable(f"the sealed revision of {doc_id} is gone")
    doc = response.json()
    if content_hash(doc) != record["hash"]:
        raise Unsealable(f"the sealed revision of {doc_id} does not match its seal")
    return _clean(doc)


async def _open_revs(couch: Couch, db: str, doc_id: str, revs: str) -> list[Doc]:
    response = await couch.request(
        "GET",
        doc_path(db, doc_id),
        params={"open_revs": revs, "revs": "true"},
        headers={"Accept": "application/json"},
        ok=(200, 404),
    )
    if response.status_code == 404:
        return []
    return [row["ok"] for row in response.json() if "ok" in row and not row["ok"].get("_deleted")]


def _clean(doc: Doc) -> Doc:
    return {k: v for k, v in doc.items() if k not in ("_revisions", "_conflicts")}
