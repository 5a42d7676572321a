"""What the auditor does with one changed document of a business database."""

from __future__ import annotations

import json
import logging
from datetime import tzinfo
from typing import Any

from shopbill.services.couch import Couch, doc_path
from shopbill.services.integrity.auditor.notices import write_notice
from shopbill.services.integrity.ledger import get_seal, record_decision, record_finding, seal
from shopbill.services.integrity.sealed import SEALED_TYPES, find_original, seen_alone
from shopbill.validators.checks import explain
from shopbill.validators.schemas import DELETABLE_TYPES

log = logging.getLogger(__name__)


async def flag(couch: Couch, db: str, doc: dict[str, Any], rev: str, kind: str, problems: list[dict[str, str]]) -> None:
    """Record a finding in the ledger and tell the phone, once per revision and kind."""
    if await record_finding(couch, db, doc["_id"], rev, kind=kind, problems=problems):
        detail = "; ".join(f"{p['field']}: {p['message']}" for p in problems[:3])
        await write_notice(couch, db, subject_id=doc["_id"], rev=rev, kind=kind, detail=detail)
        log.info("flagged %s %s@%s: %s", db, doc["_id"], rev, kind)


async def audit_doc(
    couch: Couch,
    db: str,
    doc: dict[str, Any],
    *,
    zone: tzinfo,
    seals: dict[str, dict[str, Any]] | None = None,
) -> None:
    """Check one document (the winning revision, with `_conflicts`) and act on what is wrong.

    `seals`, when given, holds every existing seal of the docs being audited (read in one
    request for the batch): a doc missing from it has no seal yet. `zone` is the business's time
    zone (read once for the batch).
    """
    doc_type = doc.get("type")
    if doc["_id"].startswith("_design/") or doc_type == "audit":
        return
    if doc_type in SEALED_TYPES:
        record = seals.get(doc["_id"]) if seals is not None else await get_seal(couch, db, doc["_id"])
        await _check_seal(couch, db, doc, record, zone)
    problems = explain({k: v for k, v in doc.items() if k != "_conflicts"}, time_zone=zone)
    if problems:
        await flag(couch, db, doc, doc["_rev"], "invalid", problems)
    if doc.get("_conflicts") and doc_type not in SEALED_TYPES:
        await resolve_conflict(couch, db, doc)


async def _check_seal(couch: Couch, db: str, doc: dict[str, Any], record: dict[str, Any] | None, zone: tzinfo) -> None:
    conflicts = doc.get("_conflicts", [])
    if record is None:
        if seen_alone(doc):
            record = await seal(couch, db, doc)
        else:  # first seen with several revisions: sealed by the rule of sealed.py
            original = await find_original(couch, db, doc["_id"])
            if original is None:
                await flag(
                    couch,
                    db,
                    doc,
                    doc["_rev"],
                    "unsealable",
                    [{"field": "_rev", "message": "no revision can be the original"}],
                )
                return
            record = await seal(couch, db, original)
            if record["rev"] == original["_rev"] != doc["_rev"]:
                problems = explain(original, time_zone=zone)  # the winner is checked below; the original here
                if problems:
                    await flag(couch, db, original, original["_rev"], "invalid", problems)
    for rev in [doc["_rev"], *conflicts]:
        if rev != record["rev"]:
            await flag(
                couch,
                db,
                doc,
                rev,
                "tampered",
                [{"field": "_rev", "message": f"differs from the sealed {record['rev']}"}],
            )


async def resolve_conflict(couch: Couch, db: str, doc: dict[str, Any]) -> None:
    """Pick the branch to follow: latest `updated_at` (then revision), but `invoiced` beats
    `incomplete` for a sale. Record it; delete the losing branches where deletion is allowed."""
    revs = [doc["_rev"], *doc["_conflicts"]]
    response = await couch.request(
        "GET", doc_path(db, doc["_id"]), params={"open_revs": json.dumps(revs)}, headers={"Accept": "application/json"}
    )
    branches = [row["ok"] for row in response.json() if "ok" in row]

    def rank(branch: dict[str, Any]) -> tuple[Any, ...]:
        invoiced = branch.get("type") == "sale" and branch.get("status") == "invoiced"
        return (invoiced, str(branch.get("updated_at", "")), _rev_key(branch["_rev"]))

    winner = max(branches, key=rank)
    losers = sorted(b["_rev"] for b in branches if b["_rev"] != winner["_rev"])
    await record_decision(
        couch,
        db,
        doc["_id"],
        winner=winner["_rev"],
        losers=losers,
        reason="sale invoiced wins, then latest updated_at, then revision",
    )
    if doc.get("type") in DELETABLE_TYPES:
        for rev in losers:
            await couch.request("DELETE", doc_path(db, doc["_id"]), params={"rev": rev}, ok=(200, 202, 403, 404, 409))


def _rev_key(rev: str) -> tuple[int, str]:
    number, _, digest = rev.partition("-")
    return (int(number), digest)
