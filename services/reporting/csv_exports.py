"""CSV exports of a shop's books, streamed row by row: invoices, items, a GSTR-1-friendly table.

UTF-8 with a byte-order mark, so spreadsheet apps open Hindi and Tamil names correctly; amounts
are rupees with two decimals (`1234.50`, no digit grouping, so they stay numbers); dates are the
shop's local dates (`YYYY-MM-DD`). Text cells that a spreadsheet would run as a formula
(`=`, `+`, `-`, `@`, tab, CR) are prefixed with `'`. Invoices and credit notes are the sealed
revisions; flagged ones are left out (services/reporting/invoice_list.py).
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Iterable
from typing import Any
from zoneinfo import ZoneInfo

from shopbill.services.billing.server_docs import find_page
from shopbill.services.core.localtime import local_day
from shopbill.services.couch import Couch
from shopbill.services.reporting.invoice_list import iter_sealed, trusted

BOM = "\ufeff"
INVOICE_COLUMNS = [
    "invoice_number",
    "date",
    "customer_phone",
    "supply",
    "taxable_value",
    "cgst",
    "sgst",
    "igst",
    "round_off",
    "invoice_value",
]
ITEM_COLUMNS = [
    "item_id",
    "name",
    "group",
    "hsn",
    "unit",
    "price",
    "price_includes_gst",
    "gst_rate_percent",
    "sku",
    "barcode",
    "archived",
]
GSTR1_COLUMNS = [
    "document_type",
    "document_number",
    "date",
    "original_invoice_number",
    "customer_phone",
    "place_of_supply",
    "supply",
    "gst_rate_percent",
    "taxable_value",
    "igst",
    "cgst",
    "sgst",
    "cess",
    "document_value",
]
MONEY = ("taxable_paise", "igst_paise", "cgst_paise", "sgst_paise")


def rupees(paise: int) -> str:
    """`-1234.05` for -123405 paise, exactly (no floats)."""
    sign = "-" if paise < 0 else ""
    return f"{sign}{abs(paise) // 100}.{abs(paise) % 100:02d}"


def cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _row(values: Iterable[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(list(values))
    return buffer.getvalue()


def _sum(lines: list[dict[str, Any]], key: str) -> int:
    return sum(int(line[key]) for line in lines)


async def invoices_csv(
    couch: Couch, db: str, zone: ZoneInfo, since: str | None, until: str | None
) -> AsyncIterator[str]:
    """One row per invoice issued in [since, until)."""
    yield BOM + _row(INVOICE_COLUMNS)
    async for inv in iter_sealed(couch, db, "invoice", since=since, until=until):
        lines = inv["lines"]
        yield _row(
            [
                cell(inv["number"]),
                local_day(inv["issued_at"], zone).isoformat(),
                cell(inv["customer_phone"]),
                inv["supply"],
                rupees(_sum(lines, "taxable_paise")),
                rupees(_sum(lines, "cgst_paise")),
                rupees(_sum(lines, "sgst_paise")),
                rupees(_sum(lines, "igst_paise")),
                rupees(inv["round_off_paise"]),
                rupees(inv["total_paise"]),
            ]
        )


async def items_csv(couch: Couch, db: str) -> AsyncIterator[str]:
    """The catalogue, one row per item, with its group's name."""
    yield BOM + _row(ITEM_COLUMNS)
    groups: dict[str, str] = {}
    cursor: str | None = None
    while True:
        page = await find_page(couch, db, "group", {"type": "group"}, after=cursor, limit=500)
        groups.update((g["_id"], g["name"]) for g in page)
        if len(page) < 500:
            break
        cursor = page[-1]["_id"]
    cursor = None
    while True:
        page = await find_page(couch, db, "item", {"type": "item"}, after=cursor, limit=500)
        for it in page:
            yield _row(
                [
                    it["_id"],
                    cell(it["name"]),
                    cell(groups.get(it["group_id"], "")),
                    it.get("hsn", ""),
                    it["unit"],
                    rupees(it["unit_price_paise"]),
                    str(it["price_includes_gst"]).lower(),
                    _percent(it["gst_rate_bp"]),
                    cell(it.get("sku")),
                    it.get("barcode", ""),
                    str(it["archived"]).lower(),
                ]
            )
        if len(page) < 500:
            return
        cursor = page[-1]["_id"]


def _percent(bp: int) -> str:
    return f"{bp // 100}" if bp % 100 == 0 else f"{bp / 100:g}"


def _by_rate(lines: list[dict[str, Any]]) -> dict[int, dict[str, int]]:
    rates: dict[int, dict[str, int]] = {}
    for line in lines:
        acc = rates.setdefault(int(line["gst_rate_bp"]), {k: 0 for k in MONEY})
        for key in MONEY:
            acc[key] += int(line[key])
    return dict(sorted(rates.items()))


async def gstr1_csv(
    couch: Couch, db: str, zone: ZoneInfo, business: dict[str, Any], since: str | None, until: str | None
) -> AsyncIterator[str]:
    """Per document and GST rate: taxable value and tax; invoices, then credit notes of the range."""
    yield BOM + _row(GSTR1_COLUMNS)
    state = business.get("state_code", "")
    numbers: dict[str, dict[str, Any]] = {}
    async for inv in iter_sealed(couch, db, "invoice", since=since, until=until):
        numbers[inv["_id"]] = inv
        for bp, money in _by_rate(inv["lines"]).items():
            yield _gstr1_row("invoice", inv, "", inv, bp, money, zone, state)
    async for note in iter_sealed(couch, db, "credit_note", since=since, until=until):
        invoice = numbers.get(note["invoice_id"]) or await trusted(couch, db, note["invoice_id"])
        if invoice is None:
            continue
        rate_of = [line["gst_rate_bp"] for line in invoice["lines"]]
        lines = [{**ln, "gst_rate_bp": rate_of[ln["line_index"]]} for ln in note["lines"]]
        for bp, money in _by_rate(lines).items():
            yield _gstr1_row("credit_note", note, invoice["number"], invoice, bp, money, zone, state)


def _gstr1_row(
    kind: str,
    doc: dict[str, Any],
    original: str,
    invoice: dict[str, Any],
    bp: int,
    money: dict[str, int],
    zone: ZoneInfo,
    state: str,
) -> str:
    inter = invoice["supply"] == "inter_state"
    # an intra-state supply without a place of supply is supplied at the shop: in its state as
    # issued (`seller`), today's only for an invoice from before the snapshot
    state = invoice.get("seller", {}).get("state_code", state)
    return _row(
        [
            kind,
            cell(doc["number"]),
            local_day(doc["issued_at"], zone).isoformat(),
            cell(original),
            cell(invoice["customer_phone"]),
            invoice.get("place_of_supply", "" if inter else state),
            invoice["supply"],
            _percent(bp),
            rupees(money["taxable_paise"]),
            rupees(money["igst_paise"]),
            rupees(money["cgst_paise"]),
            rupees(money["sgst_paise"]),
            "0.00",
            rupees(doc["total_paise"]),
        ]
    )
