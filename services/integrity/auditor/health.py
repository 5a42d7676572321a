"""The auditor's liveness: the worker records each round of its `_db_updates` follow in the
ledger, and `/healthz` reads that record (a dead or failing auditor is not "ok")."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from shopbill.services.couch import Couch
from shopbill.services.errors import ServiceError
from shopbill.services.integrity.ledger import LEDGER_DB, put_latest

STATUS_ID = "auditor_status"
# A round is one long-poll of at most 10 s plus the audit of what changed; a record older than
# this means the worker is gone or stuck.
STALE_AFTER = 120.0


async def record_round(couch: Couch, *, error: str | None) -> None:
    """Record that the worker finished a round of its follow, with the error that ended it."""
    await put_latest(couch, STATUS_ID, {"updated_at": datetime.now(UTC).isoformat(),
                                        "error": error})


async def auditor_health(couch: Couch) -> dict[str, Any]:
    """The auditor part of `/healthz`: `ok`, `failing` (with the error), `stale` or
    `not_started`."""
    try:
        status = await couch.get_doc(LEDGER_DB, STATUS_ID)
    except ServiceError:
        return {"status": "unknown"}
    if status is None:
        return {"status": "not_started"}
    age = (datetime.now(UTC) - datetime.fromisoformat(status["updated_at"])).total_seconds()
    state = "stale" if age > STALE_AFTER else "failing" if status.get("error") else "ok"
    body = {"status": state, "seen_at": status["updated_at"]}
    if status.get("error"):
        body["detail"] = status["error"]
    return body
