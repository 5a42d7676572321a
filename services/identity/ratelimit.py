"""Sliding-window rate caps kept in CouchDB (not in process), so every service replica shares them.

One doc per (scope, key) counts events in short slots (`window / SLOTS` seconds each). A verdict
sums the current slot and the SLOTS slots before it, which together cover more than the last
`window` seconds: so no `window`-long stretch of time, wherever it starts, ever holds more than
`limit` events (a fixed hour window let `limit` events in at 10:59 and `limit` more at 11:00).
A refused caller waits until enough old slots have slid out.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from shopbill.services.core.names import OTP_DB
from shopbill.services.couch import Couch
from shopbill.services.errors import Conflict

SLOTS = 12  # five-minute slots for an hour: a doc holds at most 13 counters


@dataclass(frozen=True)
class RateVerdict:
    allowed: bool
    retry_after: int  # seconds until the next event would be allowed (0 when allowed)


def _doc_id(scope: str, key: str) -> str:
    return f"rate:{scope}:{key}"


def _live_slots(doc: dict[str, Any] | None, now: float, window: int) -> tuple[int, dict[int, int]]:
    """The slot of `now` and the counts of the slots still inside the sliding window."""
    width = max(window // SLOTS, 1)
    current = int(now) // width
    slots = {int(s): n for s, n in (doc or {}).get("slots", {}).items() if int(s) >= current - SLOTS}
    return current, slots


def _verdict(slots: dict[int, int], limit: int, now: float, window: int) -> RateVerdict:
    """Allowed while fewer than `limit` events are counted; else when enough slots slide out."""
    excess = sum(slots.values()) - limit + 1
    if excess <= 0:
        return RateVerdict(True, 0)
    width = max(window // SLOTS, 1)
    for slot in sorted(slots):
        excess -= slots[slot]
        if excess <= 0:  # this slot leaves the window when slot + SLOTS + 1 starts
            return RateVerdict(False, max(int((slot + SLOTS + 1) * width - now), 1))
    return RateVerdict(False, window)  # unreachable: the slots sum to at least `limit`


async def hit(couch: Couch, *, scope: str, key: str, limit: int, window: int = 3600) -> RateVerdict:
    """Count one event for (`scope`, `key`) unless `limit` events already fall in the window."""
    doc_id = _doc_id(scope, key)
    while True:
        now = time.time()
        doc = await couch.get_doc(OTP_DB, doc_id)
        current, slots = _live_slots(doc, now, window)
        verdict = _verdict(slots, limit, now, window)
        if not verdict.allowed:
            return verdict
        slots[current] = slots.get(current, 0) + 1
        fresh: dict[str, Any] = {
            "_id": doc_id,
            "slots": {str(s): n for s, n in slots.items()},
            "expires": int(now) + window,
        }
        if doc:
            fresh["_rev"] = doc["_rev"]
        try:
            await couch.put_doc(OTP_DB, fresh)
            return verdict
        except Conflict:
            continue  # another replica counted at the same time: re-read and count again


async def release(couch: Couch, *, scope: str, key: str, window: int = 3600) -> None:
    """Take back one event counted by `hit` (the newest): for caps that count only failures but
    must count every attempt while it runs, so racing attempts cannot pass the cap together."""
    doc_id = _doc_id(scope, key)
    while True:
        doc = await couch.get_doc(OTP_DB, doc_id)
        _, slots = _live_slots(doc, time.time(), window)
        if doc is None or not slots:
            return
        newest = max(slots)
        slots[newest] -= 1
        doc["slots"] = {str(s): n for s, n in slots.items() if n > 0}
        try:
            await couch.put_doc(OTP_DB, doc)
            return
        except Conflict:
            continue


async def peek(couch: Couch, caps: Sequence[tuple[str, str, int]], window: int = 3600) -> list[RateVerdict]:
    """Whether each (`scope`, `key`, `limit`) of `caps` still allows an event, without counting;
    all read with one request."""
    now = time.time()
    ids = [_doc_id(scope, key) for scope, key, _ in caps]
    response = await couch.request(
        "POST", f"/{OTP_DB}/_all_docs", params={"include_docs": "true"}, json={"keys": ids}, ok=(200, 404)
    )
    rows = response.json()["rows"] if response.status_code == 200 else [{} for _ in ids]
    return [
        _verdict(_live_slots(row.get("doc"), now, window)[1], limit, now, window)
        for row, (_, _, limit) in zip(rows, caps, strict=True)
    ]
