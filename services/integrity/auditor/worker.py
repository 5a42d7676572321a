"""The auditor's loop: follow `_db_updates`, then each changed shop database's `_changes`.

No feed is held open per database: one `_db_updates` long-poll says which `biz_*` databases
changed, and each is read from its checkpoint (kept in the ledger, so a restart resumes without
re-reading everything) until it has no more changes.
"""

from __future__ import annotations

import asyncio
import logging

from shopbill.services.integrity.auditor.checks import SEALED_TYPES, audit_doc
from shopbill.services.integrity.auditor.health import record_round
from shopbill.services.integrity.auditor.series import update_series_report
from shopbill.services.couch import Couch
from shopbill.services.errors import ServiceError
from shopbill.services.integrity.ledger import get_checkpoint, get_seals, seal_many, set_checkpoint
from shopbill.services.reporting.rollups import update_rollups, warm_indexes

log = logging.getLogger(__name__)
BATCH = 200
DB_PREFIX = "biz_"


async def audit_database(couch: Couch, db: str) -> int:
    """Audit every change of `db` since its checkpoint; return how many docs were looked at."""
    since = await get_checkpoint(couch, db) or "0"
    seen = 0
    while True:
        response = await couch.request("GET", f"/{db}/_changes", ok=(200, 404), params={
            "since": since, "include_docs": "true", "conflicts": "true", "limit": BATCH})
        if response.status_code == 404:
            return seen  # the database was deleted meanwhile
        body = response.json()
        docs = [row["doc"] for row in body["results"] if row.get("doc") and not row["doc"].get("_deleted")]
        # One read for the batch's seals and one write for its new ones, not two round trips per
        # sealed doc (issue 9: auditor lag). A doc is sealed only when first seen alone.
        sealable = [d for d in docs if d.get("type") in SEALED_TYPES]
        seals = await get_seals(couch, db, [d["_id"] for d in sealable])
        seals.update(await seal_many(couch, db, [
            d for d in sealable if d["_id"] not in seals and not d.get("_conflicts")
            and d["_rev"].startswith("1-")]))
        for doc in docs:
            await audit_doc(couch, db, doc, seals)
        changed = [row["doc"] for row in body["results"] if row.get("doc")]
        if changed:
            await update_rollups(couch, db, changed)
        invoices = [doc for doc in docs if doc.get("type") == "invoice"]
        if invoices:
            await update_series_report(couch, db, invoices)
        seen += len(body["results"])
        since = str(body["last_seq"])
        if body["results"]:
            log.info("audited %d changes of %s", len(body["results"]), db)
        await set_checkpoint(couch, db, since)
        if len(body["results"]) < BATCH:
            break
    if seen:
        # Once the shop is caught up, not per batch: bringing the Mango indexes up to date costs
        # the embedded server ~1 ms per doc and index, and per batch it held back the next
        # batch's seals (issue 9: auditor lag of minutes under a 10,000-doc push).
        await warm_indexes(couch, db)
    return seen


async def follow(couch: Couch, *, stop: asyncio.Event, timeout_ms: int = 10_000) -> None:
    """Audit changed shop databases until `stop` is set."""
    while not stop.is_set():
        try:
            since = await get_checkpoint(couch, "_db_updates") or "0"
            response = await couch.request("GET", "/_db_updates", params={
                "feed": "longpoll", "since": since, "timeout": timeout_ms},
                timeout=timeout_ms / 1000 + 10)
            body = response.json()
            changed = sorted({r["db_name"] for r in body["results"]
                              if r["db_name"].startswith(DB_PREFIX) and r["type"] != "deleted"})
            for db in changed:
                await audit_database(couch, db)
            await set_checkpoint(couch, "_db_updates", str(body["last_seq"]))
            await record_round(couch, error=None)
        except ServiceError as exc:
            log.warning("auditor: %s; retrying", exc)
            await _record_failure(couch, str(exc))
            await _sleep_unless(stop, 1.0)


async def _record_failure(couch: Couch, error: str) -> None:
    try:
        await record_round(couch, error=error)
    except ServiceError:
        pass  # the server itself is down: /healthz says so, and the record goes stale


async def _sleep_unless(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except TimeoutError:
        pass
