"""Fixed-window rate caps kept in CouchDB (not in process), so every service replica shares them."""

from __future__ import annotations

import time
from dataclasses import dataclass

from shopbill.services.couch import Couch
from shopbill.services.errors import Conflict

RATE_DB = "svc_otp"


@dataclass(frozen=True)
class RateVerdict:
    allowed: bool
    retry_after: int  # seconds until the window ends (0 when allowed)


async def hit(couch: Couch, *, scope: str, key: str, limit: int, window: int = 3600) -> RateVerdict:
    """Count one event for (`scope`, `key`); refuse once `limit` events fall in the current window."""
    now = int(time.time())
    start = now - now % window
    doc_id = f"rate:{scope}:{key}:{start}"
    while True:
        doc = await couch.get_doc(RATE_DB, doc_id) or {"_id": doc_id, "count": 0,
                                                         "expires": start + window}
        if doc["count"] >= limit:
            return RateVerdict(False, start + window - now)
        doc["count"] += 1
        try:
            await couch.put_doc(RATE_DB, doc)
            return RateVerdict(True, 0)
        except Conflict:
            continue  # another replica counted at the same time: re-read and count again


async def peek(couch: Couch, *, scope: str, key: str, limit: int, window: int = 3600) -> RateVerdict:
    """Whether (`scope`, `key`) is over `limit` in the current window, without counting."""
    now = int(time.time())
    start = now - now % window
    doc = await couch.get_doc(RATE_DB, f"rate:{scope}:{key}:{start}")
    if doc and doc["count"] >= limit:
        return RateVerdict(False, start + window - now)
    return RateVerdict(True, 0)
