"""A business's local time: its `timezone` (an IANA name on the `business` doc), the numbering's
DEFAULT_TIME_ZONE when it names none."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shopbill.services.core.clock import parse_time
from shopbill.services.couch import Couch
from shopbill.validators.numbering import DEFAULT_TIME_ZONE, NUMBERED_TYPES


def zone_of(business: dict[str, Any] | None) -> ZoneInfo:
    """The time zone of a `business` doc; the default when it is missing or not a known zone."""
    name = (business or {}).get("timezone") or DEFAULT_TIME_ZONE
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIME_ZONE)


async def business_zone(couch: Couch, db: str) -> ZoneInfo:
    """The time zone of the business whose database is `db`."""
    return zone_of(await couch.get_doc(db, "business"))


def local_day(stamp: str, zone: ZoneInfo) -> date:
    """The calendar day in `zone` at which `stamp` happened."""
    return parse_time(stamp).astimezone(zone).date()


async def checking_zone(couch: Couch, db: str, docs: Iterable[dict[str, Any] | None]) -> ZoneInfo:
    """The zone to check `docs` of `db` in: the business's when one of them carries a number
    (its financial year is a date there), else the default, without reading the business."""
    if any(doc is not None and doc.get("type") in NUMBERED_TYPES for doc in docs):
        return await business_zone(couch, db)
    return ZoneInfo(DEFAULT_TIME_ZONE)
