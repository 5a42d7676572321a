"""Fixed-window rate caps kept in CouchDB (not in process), so every service replica shares them."""

from __future__ import annotations

import time
from collections.abc import Sequence
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


async def peek(couch: Couch, caps: Sequence[tuple[str, str, int]],
               window: int = 3600) -> list[RateVerdict]:
    """Whether each (`scope`, `key`, `limit`) of `caps` is over its limit in the current window,
    without counting; all read with one request."""
    now = int(time.time())
    start = now - now % window
    ids = [f"rate:{scope}:{key}:{start}" for scope, key, _ in caps]
    response = await couch.request("POST", f"/{RATE_DB}/_all_docs", params={"include_docs": "true"},
                                   json={"keys": ids}, ok=(200, 404))
    rows = response.json()["rows"] if response.status_code == 200 else [{} for _ in ids]
    counts = [(row.get("doc") or {}).get("count", 0) for row in rows]
    return [RateVerdict(False, start + window - now) if count >= limit else RateVerdict(True, 0)
            for count, (_, _, limit) in zip(counts, caps, strict=True)]
