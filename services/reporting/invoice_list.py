"""Listing a shop's invoices as the server trusts them (sealed revisions), with filters and pages.

Candidates come from Mango `_find` over the `invoice:` (or `credit_note:`) id range (id order:
the cursor is the last id of a page); each is then read at its sealed revision
(services/integrity/sealed.py) and the filters are applied again to that revision, so a
conflicting branch can neither hide nor forge an entry.
An invoice whose sealed revision does not count (services/integrity/trusted.py `counts`: a
finding on it, or it breaks the checks), or whose trustworthy revision is unknown, is left out and
listed by id in `flagged`; a finding on another revision (a pushed sibling) leaves it in.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from shopbill.services.billing.server_docs import find_page
from shopbill.services.core.clock import rfc3339
from shopbill.services.core.localtime import checking_zone
from shopbill.services.couch import Couch
from shopbill.services.errors import Unsealable
from shopbill.services.integrity.sealed import read_sealed
from shopbill.services.integrity.trusted import counts, findings_of

Doc = dict[str, Any]


def utc_bounds(start: date | None, end: date | None, zone: ZoneInfo) -> tuple[str | None, str | None]:
    """[start 00:00, day after end 00:00) in the shop's zone, as UTC RFC 3339 strings."""

    def at_midnight(day: date) -> str:
        return rfc3339(datetime.combine(day, time(0), zone))

    return (at_midnight(start) if start else None, at_midnight(end + timedelta(days=1)) if end else None)


def issued_between(doc_type: str, since: str | None, until: str | None) -> Doc:
    """A selector of `doc_type` docs issued in [since, until) (either bound may be open)."""
    selector: Doc = {"type": doc_type}
    if since or until:
        selector["issued_at"] = {**({"$gte": since} if since else {}), **({"$lt": until} if until else {})}
    return selector


def _selector(since: str | None, until: str | None, number: str | None, customer: str | None) -> Doc:
    selector = issued_between("invoice", since, until)
    if number:
        selector["number"] = number
    if customer:
        selector["customer_phone"] = customer
    return selector


def _matches(doc: Doc, selector: Doc) -> bool:
    issued = selector.get("issued_at", {})
    return (
        doc.get("type") == selector["type"]
        and all(doc.get(k) == selector[k] for k in ("number", "customer_phone") if k in selector)
        and ("$gte" not in issued or doc["issued_at"] >= issued["$gte"])
        and ("$lt" not in issued or doc["issued_at"] < issued["$lt"])
    )


async def sealed_page(
    couch: Couch, db: str, selector: Doc, *, after: str | None, limit: int
) -> tuple[list[Doc], list[str], str | None]:
    """(sealed docs still matching `selector`, ids left out as untrusted, next cursor) of a page
    of the ids `<selector type>:...`."""
    candidates = await find_page(couch, db, selector["type"], selector, after=after, limit=limit)
    sealed = [(c["_id"], await _sealed_or_none(couch, db, c["_id"])) for c in candidates]
    findings = await findings_of(couch, db, [doc for _, doc in sealed if doc is not None])
    zone = await checking_zone(couch, db, (doc for _, doc in sealed))
    docs: list[dict[str, Any]] = []
    skipped: list[str] = []
    for doc_id, doc in sealed:
        if doc is None or not counts(doc, findings, zone):
            skipped.append(doc_id)
        elif _matches(doc, selector):
            docs.append(doc)
    return docs, skipped, candidates[-1]["_id"] if len(candidates) == limit else None


async def list_invoices(
    couch: Couch,
    db: str,
    *,
    since: str | None = None,
    until: str | None = None,
    number: str | None = None,
    customer: str | None = None,
    after: str | None = None,
    limit: int = 50,
) -> tuple[list[Doc], list[str], str | None]:
    """(sealed invoices, flagged ids, next cursor) of one page."""
    return await sealed_page(couch, db, _selector(since, until, number, customer), after=after, limit=limit)


async def trusted(couch: Couch, db: str, doc_id: str) -> Doc | None:
    """The sealed revision of an immutable doc if it counts; None if it is flagged, untrusted or
    missing."""
    doc = await _sealed_or_none(couch, db, doc_id)
    findings = await findings_of(couch, db, [doc] if doc else [])
    return doc if counts(doc, findings, await checking_zone(couch, db, [doc])) else None


async def _sealed_or_none(couch: Couch, db: str, doc_id: str) -> Doc | None:
    try:
        return await read_sealed(couch, db, doc_id)
    except Unsealable:
        return None


async def iter_sealed(
    couch: Couch, db: str, doc_type: str, *, since: str | None, until: str | None, batch: int = 200
) -> AsyncIterator[Doc]:
    """Every trusted `doc_type` doc issued in the range, page by page (for streaming exports)."""
    selector, cursor = issued_between(doc_type, since, until), None
    while True:
        page, _, cursor = await sealed_page(couch, db, selector, after=cursor, limit=batch)
        for doc in page:
            yield doc
        if cursor is None:
            return
