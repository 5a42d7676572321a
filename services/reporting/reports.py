"""The shop's reports: sales by day, month, item or group; incomplete sales with dues; invoice series.

Sales figures come from the auditor's roll-ups (services/reporting/rollups.py), read for the UTC days
around the requested local days and bucketed in the business's time zone. Amounts are integer
paise. Invoices count at their sealed revision; a doc whose counted revision has a finding is
left out and counted under `flagged`. GST collected is the GST of invoices (an incomplete sale
has no tax invoice yet). Rows by item or group add up line amounts (round-off belongs to a
checkout, not to an item); totals add up checkouts.

Credit notes are netted out in the period of their own `issued_at` (as GST returns report them),
not their invoice's: `amount`, `taxable` and `gst` are net of them and `credit_notes` shows what
they took off (`amount = invoices.amount + incomplete.amount - credit_notes.amount`). `count`
counts checkouts, so a credit note leaves it alone; by item, a credited line takes its quantity
and money off its item's row. A credit note counts on its own findings, like an invoice.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from shopbill.services.core.clock import parse_time
from shopbill.services.core.localtime import business_zone
from shopbill.services.core.names import LEDGER_DB, ROLLUP_DB
from shopbill.services.couch import Couch
from shopbill.services.integrity.trusted import Findings, get_many, load_findings
from shopbill.services.reporting.rollups import ENTRY_FIELDS, LINE_FIELDS

GROUP_BYS = ("day", "month", "item", "group")
MAX_DAYS = 366
Entry = dict[str, Any]


def blank(*, checkout_level: bool) -> dict[str, Any]:
    incomplete = {"count": 0, "amount": 0}
    if checkout_level:
        incomplete |= {"paid": 0, "outstanding": 0}
    return {
        "count": 0,
        "amount": 0,
        "invoices": {"count": 0, "amount": 0},
        "incomplete": incomplete,
        "credit_notes": {"count": 0, "amount": 0, "taxable": 0, "gst": 0},
        "taxable": 0,
        "gst": {"cgst": 0, "sgst": 0, "igst": 0, "total": 0},
    }


def take_off(bucket: dict[str, Any], amount: int, taxes: dict[str, int]) -> None:
    """Net one credit note (or one credited line) out of a bucket."""
    credits = bucket["credit_notes"]
    credits["count"] += 1
    credits["amount"] += amount
    credits["taxable"] += taxes["taxable"]
    bucket["amount"] -= amount
    bucket["taxable"] -= taxes["taxable"]
    for tax in ("cgst", "sgst", "igst"):
        credits["gst"] += taxes[tax]
        bucket["gst"][tax] -= taxes[tax]
        bucket["gst"]["total"] -= taxes[tax]


def add(bucket: dict[str, Any], entry: Entry, amount: int, taxes: dict[str, int], paid: int | None = None) -> None:
    """Add one checkout or credit note (or one line of it) to a bucket; `taxes` has taxable,
    cgst, sgst, igst."""
    if entry["kind"] == "credit_note":
        take_off(bucket, amount, taxes)
        return
    bucket["count"] += 1
    bucket["amount"] += amount
    part = bucket["invoices"] if entry["kind"] == "invoice" else bucket["incomplete"]
    part["count"] += 1
    part["amount"] += amount
    if entry["kind"] == "invoice":
        bucket["taxable"] += taxes["taxable"]
        for tax in ("cgst", "sgst", "igst"):
            bucket["gst"][tax] += taxes[tax]
            bucket["gst"]["total"] += taxes[tax]
    elif paid is not None:
        part["paid"] += paid
        part["outstanding"] += max(0, amount - paid)


def utc_bounds(start: date, end: date, zone: Any) -> tuple[datetime, datetime]:
    """[start 00:00, end+1 00:00) in `zone`, as UTC datetimes."""
    lo = datetime.combine(start, time.min, zone).astimezone(UTC)
    hi = datetime.combine(end + timedelta(days=1), time.min, zone).astimezone(UTC)
    return lo, hi


def utc_days_around(start: date, end: date) -> tuple[datetime, datetime]:
    """UTC [start − 1 day, end + 2 days): every instant of the local days [start, end] in any
    time zone (offsets are within ±14 h), so the roll-ups can be read before the zone is known."""
    return (
        datetime.combine(start - timedelta(days=1), time.min, UTC),
        datetime.combine(end + timedelta(days=2), time.min, UTC),
    )


async def read_days(couch: Couch, db: str, prefix: str, lo: datetime, hi: datetime) -> dict[str, Any]:
    """{doc id: value} of the `prefix` roll-ups of the UTC days that [lo, hi) touches."""
    last = (hi - timedelta(microseconds=1)).date()
    rows = await couch.all_docs(
        ROLLUP_DB, startkey=json.dumps(f"{prefix}:{db}:{lo.date()}"), endkey=json.dumps(f"{prefix}:{db}:{last}")
    )
    return {doc_id: value for row in rows for doc_id, value in row.get("entries", {}).items()}


def counted_entries(
    days: dict[str, Any], lo: datetime, hi: datetime, findings: Findings
) -> tuple[list[tuple[str, Entry]], list[str]]:
    """([(doc id, entry)] counted in [lo, hi)), flagged ids) of day roll-up entries; each
    entry's time is parsed once, into `when`."""
    entries = []
    for doc_id, row in days.items():
        entry = dict(zip(ENTRY_FIELDS, row))
        entry["when"] = parse_time(entry["at"])
        if lo <= entry["when"] < hi:
            entries.append((doc_id, entry))
    invoiced = {e["sale_id"] for _, e in entries if e["kind"] == "invoice"}
    counted, flagged = [], []
    for doc_id, entry in entries:
        if entry["rev"] in findings.get(doc_id, ()):
            flagged.append(doc_id)
        elif entry["kind"] == "invoice" or doc_id not in invoiced:
            counted.append((doc_id, entry))
    return counted, sorted(flagged)


async def paid_later(couch: Couch, db: str, sale_ids: list[str], findings: Findings) -> dict[str, int]:
    """{sale id: sum of its later payments} from the payment roll-ups (flagged ones left out)."""
    docs = await get_many(couch, ROLLUP_DB, [f"pay:{db}:{sale_id}" for sale_id in sale_ids])
    paid = {}
    for doc in docs.values():
        sale_id = doc["_id"].split(":", 2)[2]
        paid[sale_id] = sum(
            amount for payment_id, (amount, rev) in doc["payments"].items() if rev not in findings.get(payment_id, ())
        )
    return paid


async def sales_report(couch: Couch, db: str, *, start: date, end: date, group_by: str) -> dict[str, Any]:
    """Totals and rows of the sales of the local days [start, end], grouped by `group_by`.

    The business's zone, the findings and the roll-ups of the UTC days around the period are
    read at once (and, by item or group, the lines and the catalogue): a month by day is two
    round trips, not five.
    """
    by_lines = group_by in ("item", "group")
    wide_lo, wide_hi = utc_days_around(start, end)
    zone, findings, days, lines, groups = await asyncio.gather(
        business_zone(couch, db),
        load_findings(couch, db),
        read_days(couch, db, "day", wide_lo, wide_hi),
        read_days(couch, db, "lines", wide_lo, wide_hi) if by_lines else _nothing(),
        item_groups(couch, db) if group_by == "group" else _nothing(),
    )
    lo, hi = utc_bounds(start, end, zone)
    counted, flagged = counted_entries(days, lo, hi, findings)
    later = await paid_later(couch, db, [i for i, e in counted if e["kind"] == "sale"], findings)
    totals = blank(checkout_level=True)
    rows: dict[str, dict[str, Any]] = {}
    if group_by in ("day", "month"):
        for day in range((end - start).days + 1):
            key = _period(start + timedelta(days=day), group_by)
            rows.setdefault(key, {"key": key, **blank(checkout_level=True)})
    for doc_id, entry in counted:
        paid = entry["paid"] + later.get(doc_id, 0) if entry["kind"] == "sale" else None
        if not by_lines:  # each checkout in one row: the totals are the rows' sum (below)
            add(rows[_period(entry["when"].astimezone(zone).date(), group_by)], entry, entry["total"], entry, paid)
            continue
        add(totals, entry, entry["total"], entry, paid)
        for line in (dict(zip(LINE_FIELDS, values)) for values in lines.get(doc_id, [])):
            key, label = _line_key(line, group_by, groups)
            row = rows.setdefault(key, {"key": key, "label": label, "qty_milli": 0, **blank(checkout_level=False)})
            credited = entry["kind"] == "credit_note"
            row["qty_milli"] += -line["qty_milli"] if credited else line["qty_milli"]
            add(
                row,
                entry,
                line["amount_paise"],
                {tax: line[f"{tax}_paise"] for tax in ("taxable", "cgst", "sgst", "igst")},
            )
    if not by_lines:
        for row in rows.values():
            _sum_into(totals, row)
    ordered = sorted(
        rows.values(),
        key=lambda r: (r["key"]) if group_by in ("day", "month") else (-r["amount"], r["label"], r["key"]),
    )
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "timezone": str(zone),
        "group_by": group_by,
        "totals": totals,
        "rows": ordered,
        "flagged": {"count": len(flagged), "ids": flagged[:100]},
    }


async def _nothing() -> dict[str, Any]:
    return {}


def _sum_into(total: dict[str, Any], bucket: dict[str, Any]) -> None:
    """Add a bucket's figures into `total` (same shape; the row's `key` is not a figure)."""
    for name, value in bucket.items():
        if isinstance(value, dict):
            _sum_into(total[name], value)
        elif name != "key":
            total[name] += value


def _period(day: date, group_by: str) -> str:
    return day.isoformat() if group_by == "day" else day.isoformat()[:7]


def _line_key(line: dict[str, Any], group_by: str, groups: dict[str, tuple[str, str]]) -> tuple[str, str]:
    item_id = line["item_id"] or f"name:{line['name']}"
    if group_by == "item":
        return item_id, line["name"]
    return groups.get(item_id, ("ungrouped", "Ungrouped"))


async def item_groups(couch: Couch, db: str) -> dict[str, tuple[str, str]]:
    """{item id: (group id, group name)} from the shop's catalogue."""
    items = await couch.all_docs(db, startkey=json.dumps("item:"), endkey=json.dumps("item:\uffff"))
    groups = await couch.all_docs(db, startkey=json.dumps("group:"), endkey=json.dumps("group:\uffff"))
    names = {g["_id"]: g.get("name", g["_id"]) for g in groups}
    return {i["_id"]: (i["group_id"], names.get(i["group_id"], i["group_id"])) for i in items if i.get("group_id")}


async def series_report(couch: Couch, db: str) -> dict[str, Any]:
    """The auditor's continuity report of invoice and credit-note numbers (per series and financial year)."""
    report = await couch.get_doc(LEDGER_DB, f"series:{db}")
    if report is None:
        return {"updated_at": None, "series": []}
    return {"updated_at": report.get("updated_at"), "series": list(report["series"].values())}
