"""The outcome of the last SMS send, kept in CouchDB (`svc_otp/sms_status`) for `/healthz`.

The services keep no state of their own, so whichever instance sent last tells every instance's
`/healthz` whether the gateway takes messages. A refusing gateway (wrong key, unmapped template)
is otherwise only visible as users who never get their code.
"""

from __future__ import annotations

import logging
from typing import Any

from shopbill.services.core.clock import age_seconds, now_rfc3339
from shopbill.services.core.names import OTP_DB
from shopbill.services.couch import Couch
from shopbill.services.errors import Conflict, ServiceError

log = logging.getLogger(__name__)
STATUS_ID = "sms_status"
# An unchanged outcome is rewritten at most this often: one write per OTP is not needed to show
# that the gateway still works.
REFRESH_AFTER = 60.0


async def record_outcome(couch: Couch, *, backend: str, error: str | None) -> None:
    """Record that a send through `backend` worked (`error=None`) or why it failed.

    Best effort: a record that cannot be written is logged, never a reason to fail the request."""
    for _ in range(3):
        try:
            current = await couch.get_doc(OTP_DB, STATUS_ID)
            if (
                current
                and current.get("error") == error
                and current.get("backend") == backend
                and age_seconds(current["updated_at"]) < REFRESH_AFTER
            ):
                return
            doc = {"_id": STATUS_ID, "backend": backend, "error": error, "updated_at": now_rfc3339()}
            if current:
                doc["_rev"] = current["_rev"]
            await couch.put_doc(OTP_DB, doc)
            return
        except Conflict:
            continue  # another instance recorded meanwhile: re-read and compare again
        except ServiceError as exc:
            log.warning("SMS outcome not recorded: %s", exc)
            return


async def sms_health(couch: Couch) -> dict[str, Any]:
    """The SMS part of `/healthz`: `ok`, `failing` (with the gateway's answer) or `unknown`
    (nothing sent yet, or the record unreadable)."""
    try:
        status = await couch.get_doc(OTP_DB, STATUS_ID)
    except ServiceError:
        return {"status": "unknown"}
    if status is None:
        return {"status": "unknown", "detail": "no message sent yet"}
    body: dict[str, Any] = {
        "status": "failing" if status.get("error") else "ok",
        "backend": status.get("backend"),
        "seen_at": status["updated_at"],
    }
    if status.get("error"):
        body["detail"] = status["error"]
    return body
