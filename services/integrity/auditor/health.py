"""The auditor's liveness: the worker records each round of its `_db_updates` follow in the
ledger, and `/healthz` reads that record (a dead or failing auditor is not "ok").

The record also counts the documents whose checks failed (flagged `check_failed`, the worker
went on) and names the last one, so an operator sees a rule that cannot run."""

from __future__ import annotations

from typing import Any

from shopbill.services.core.clock import age_seconds, now_rfc3339
from shopbill.services.core.names import LEDGER_DB
from shopbill.services.couch import Couch
from shopbill.services.errors import ServiceError
from shopbill.services.integrity.ledger import put_latest

STATUS_ID = "auditor_status"
# A round is one long-poll of at most 10 s plus the audit of what changed; a record older than
# this means the worker is gone or stuck.
STALE_AFTER = 120.0


async def _update(couch: Couch, changes: dict[str, Any]) -> None:
    current = await couch.get_doc(LEDGER_DB, STATUS_ID) or {}
    kept = {k: v for k, v in current.items() if not k.startswith("_")}
    await put_latest(couch, STATUS_ID, {**kept, **changes})


async def record_round(couch: Couch, *, error: str | None) -> None:
    """Record that the worker finished a round of its follow, with the error that ended it."""
    await _update(couch, {"updated_at": now_rfc3339(), "error": error})


async def record_failure(couch: Couch, *, db: str, doc_id: str | None, error: str) -> None:
    """Count a document (or a whole shop, `doc_id` None) the worker could not check."""
    current = await couch.get_doc(LEDGER_DB, STATUS_ID) or {}
    count = int((current.get("failures") or {}).get("count", 0)) + 1
    last = {"db": db, "doc_id": doc_id, "error": error, "at": now_rfc3339()}
    await _update(
        couch, {"updated_at": current.get("updated_at", last["at"]), "failures": {"count": count, "last": last}}
    )


async def auditor_health(couch: Couch) -> dict[str, Any]:
    """The auditor part of `/healthz`: `ok`, `failing` (with the error), `stale` or
    `not_started`, and `failures` when documents could not be checked."""
    try:
        status = await couch.get_doc(LEDGER_DB, STATUS_ID)
    except ServiceError:
        return {"status": "unknown"}
    if status is None:
        return {"status": "not_started"}
    age = age_seconds(status["updated_at"])
    state = "stale" if age > STALE_AFTER else "failing" if status.get("error") else "ok"
    body = {"status": state, "seen_at": status["updated_at"]}
    if status.get("error"):
        body["detail"] = status["error"]
    if status.get("failures"):
        body["failures"] = status["failures"]
    return body
