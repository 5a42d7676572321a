"""The auditor's loop: follow `_db_updates`, then each changed shop database's `_changes`.

No feed is held open per database: one `_db_updates` long-poll says which `biz_*` databases
changed, and each is read from its checkpoint (kept in the ledger, so a restart resumes without
re-reading everything) until it has no more changes.

No document stops the auditor: whatever a document makes its checks raise becomes a
`check_failed` finding on that document (it is left out of figures) and a failure in the
auditor's status (`/healthz`); the worker goes on with the next document and the next shop. Only
an unreachable CouchDB ends a round, which is then retried.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from shopbill.services.core.localtime import business_zone
from shopbill.services.core.names import is_shop_db
from shopbill.services.couch import Couch
from shopbill.services.errors import CouchUnavailable, ServiceError
from shopbill.services.integrity.auditor.checks import audit_doc, flag
from shopbill.services.integrity.auditor.health import record_failure, record_round
from shopbill.services.integrity.auditor.money import check_money
from shopbill.services.integrity.auditor.series import update_series_report
from shopbill.services.integrity.ledger import get_checkpoint, get_seals, seal_many, set_checkpoint
from shopbill.services.integrity.sealed import SEALED_TYPES, seen_alone
from shopbill.services.reporting.rollups import update_rollups, warm_indexes
from shopbill.validators.checks import text_problems
from shopbill.validators.numbering import NUMBERED_TYPES

log = logging.getLogger(__name__)
BATCH = 200
Doc = dict[str, Any]


def describe(exc: BaseException) -> str:
    """`exc` as text safe to store and show (no unpaired surrogates, bounded)."""
    text = f"{type(exc).__name__}: {exc}"
    return text.encode("utf-8", "backslashreplace").decode("utf-8")[:300]


async def doc_failed(couch: Couch, db: str, doc: Doc, exc: Exception) -> None:
    """A check raised on `doc`: flag it and record the failure; never raise for the document."""
    error = describe(exc)
    log.error("auditor: checking %s %s failed: %s", db, describe(ValueError(doc.get("_id"))), error)
    try:
        await flag(couch, db, doc, str(doc.get("_rev")), "check_failed", [{"field": "", "message": error}])
    except CouchUnavailable:
        raise
    except Exception as flag_exc:  # the doc cannot even be flagged: the status still says so
        log.error("auditor: flagging %s failed: %s", db, describe(flag_exc))
    await record_failure(couch, db=db, doc_id=str(doc.get("_id")), error=error)


async def guarded(couch: Couch, db: str, docs: list[Doc], step: Any) -> None:
    """Run `step(docs)`; if it raises for a reason other than an outage, run it doc by doc so
    that only the documents it cannot handle are flagged."""
    try:
        await step(docs)
        return
    except CouchUnavailable:
        raise
    except Exception:
        if len(docs) == 1:
            raise
    for doc in docs:
        try:
            await step([doc])
        except CouchUnavailable:
            raise
        except Exception as exc:
            await doc_failed(couch, db, doc, exc)


async def audit_batch(couch: Couch, db: str, results: list[Doc]) -> None:
    """Seal, check, roll up and number one batch of `_changes` rows of `db`."""
    docs = [row["doc"] for row in results if row.get("doc") and not row["doc"].get("_deleted")]
    # One read for the batch's seals and one write for its new ones, not two round trips per
    # sealed doc (auditor lag). Here a doc is sealed only when `seen_alone`.
    sealable = [d for d in docs if d.get("type") in SEALED_TYPES]
    seals = await get_seals(couch, db, [d["_id"] for d in sealable])
    try:
        seals.update(await seal_many(couch, db, [d for d in sealable if d["_id"] not in seals and seen_alone(d)]))
    except CouchUnavailable:
        raise
    except Exception as exc:  # audit_doc seals them one by one, and flags what it cannot
        log.warning("auditor: batch seal of %s failed: %s", db, describe(exc))
    zone = await business_zone(couch, db)
    for doc in docs:
        try:
            await audit_doc(couch, db, doc, zone=zone, seals=seals)
        except CouchUnavailable:
            raise
        except Exception as exc:
            await doc_failed(couch, db, doc, exc)
    # Text that is not Unicode cannot be written anywhere (the doc is flagged by audit_doc).
    writable = [row["doc"] for row in results if row.get("doc") and not text_problems(row["doc"])]
    if writable:
        await guarded(couch, db, writable, lambda batch: update_rollups(couch, db, batch))
    writable_ids = {d["_id"] for d in writable}
    good = [d for d in docs if d["_id"] in writable_ids]
    await guarded(couch, db, good, lambda batch: check_money(couch, db, batch))
    # invoices and credit notes: their series never share a number (validators/numbering/series.py)
    numbered = [d for d in good if d.get("type") in NUMBERED_TYPES]
    if numbered:
        await guarded(couch, db, numbered, lambda batch: update_series_report(couch, db, batch))


async def audit_database(couch: Couch, db: str) -> int:
    """Audit every change of `db` since its checkpoint; return how many docs were looked at."""
    since = await get_checkpoint(couch, db) or "0"
    seen = 0
    while True:
        response = await couch.request(
            "GET",
            f"/{db}/_changes",
            ok=(200, 404),
            params={"since": since, "include_docs": "true", "conflicts": "true", "limit": BATCH},
        )
        if response.status_code == 404:
            return seen  # the database was deleted meanwhile
        body = response.json()
        await audit_batch(couch, db, body["results"])
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
        # batch's seals (auditor lag of minutes under a 10,000-doc push).
        await warm_indexes(couch, db)
    return seen


async def follow(couch: Couch, *, stop: asyncio.Event, timeout_ms: int = 10_000) -> None:
    """Audit changed shop databases until `stop` is set; never ends on an error."""
    retry: set[str] = set()  # shops whose audit failed: tried again each round until it passes
    while not stop.is_set():
        try:
            since = await get_checkpoint(couch, "_db_updates") or "0"
            response = await couch.request(
                "GET",
                "/_db_updates",
                params={"feed": "longpoll", "since": since, "timeout": timeout_ms},
                timeout=timeout_ms / 1000 + 10,
            )
            body = response.json()
            changed = sorted(
                {r["db_name"] for r in body["results"] if is_shop_db(r["db_name"]) and r["type"] != "deleted"}
            )
            failed = []
            for db in sorted(set(changed) | retry):
                if not await _audit_one(couch, db):
                    failed.append(db)
            retry = set(failed)
            await set_checkpoint(couch, "_db_updates", str(body["last_seq"]))
            await record_round(couch, error=f"could not audit {', '.join(failed)}" if failed else None)
        except Exception as exc:  # an outage or a bug outside any one shop: say so, retry
            log.warning("auditor: %s; retrying", describe(exc))
            await _record_round_failure(couch, describe(exc))
            await _sleep_unless(stop, 1.0)


async def _audit_one(couch: Couch, db: str) -> bool:
    """Audit `db`; False (logged) when it failed. One shop's failure never holds back the others;
    its checkpoint stays, so the next round retries it."""
    try:
        await audit_database(couch, db)
        return True
    except CouchUnavailable:
        raise
    except Exception as exc:
        log.error("auditor: auditing %s failed: %s", db, describe(exc))
        try:
            await record_failure(couch, db=db, doc_id=None, error=describe(exc))
        except ServiceError:
            pass
        return False


async def _record_round_failure(couch: Couch, error: str) -> None:
    try:
        await record_round(couch, error=error)
    except Exception:
        pass  # the server itself is down: /healthz says so, and the record goes stale


async def _sleep_unless(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except TimeoutError:
        pass
