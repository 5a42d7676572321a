"""Pure parts of the customer history: purchases, summary, pages and cursors (no server)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from shopbill.services.errors import BadCursor
from shopbill.services.reporting.cursors import encode_cursor
from shopbill.services.reporting.history import page_of, purchases_of, summarize

IST = ZoneInfo("Asia/Kolkata")


def line(item: str, qty: int, amount: int) -> dict:
    return {"item_id": f"item:{item}", "name": item.title(), "qty_milli": qty, "amount_paise": amount}


def sale(n: int, at: str, total: int, paid: int, status: str, *lines: dict) -> dict:
    return {
        "_id": f"sale:{n}",
        "type": "sale",
        "created_at": at,
        "total_paise": total,
        "paid_paise": paid,
        "status": status,
        "lines": list(lines),
    }


def invoice(n: int, at: str, total: int, *lines: dict) -> dict:
    return {
        "_id": f"invoice:{n}",
        "type": "invoice",
        "sale_id": f"sale:{n}",
        "issued_at": at,
        "created_at": at,
        "number": f"A7/2627/{n:06d}",
        "total_paise": total,
        "paid_paise": total,
        "lines": list(lines),
    }


DOCS = [
    sale(1, "2026-11-01T04:30:00Z", 23600, 23600, "invoiced", line("plug", 2000, 23600)),
    invoice(1, "2026-11-01T04:30:00Z", 23600, line("plug", 2000, 23600)),
    sale(2, "2026-11-05T18:20:00Z", 22400, 10000, "incomplete", line("pad", 1000, 22400)),
    sale(3, "2026-11-05T18:40:00.500Z", 5000, 5000, "invoiced", line("oil", 1000, 5000)),
    invoice(3, "2026-11-05T18:40:00.500Z", 5000, line("oil", 1000, 5000)),
    sale(4, "2026-11-09T10:00:00Z", 5000, 5000, "invoiced", line("oil", 1000, 5000)),  # no invoice yet
]


def test_one_purchase_per_checkout_newest_first():
    purchases = purchases_of(DOCS, {"sale:2": 5000})
    assert [(p["sale_id"], p["kind"], p["outstanding_paise"]) for p in purchases] == [
        ("sale:3", "invoice", 0),
        ("sale:2", "incomplete", 7400),
        ("sale:1", "invoice", 0),
    ]


def test_summary_counts_visits_in_local_days():
    s = summarize(purchases_of(DOCS, {"sale:2": 5000}), IST)
    # 18:20Z and 18:40Z on 5 Nov are 23:50 on 5 Nov and 00:10 on 6 Nov in India: two visit days.
    assert (s["visits"], s["first_visit"], s["last_visit"]) == (3, "2026-11-01", "2026-11-06")
    assert s["average_days_between_visits"] == 2.5
    assert s["incomplete"] == {
        "count": 1,
        "total": 22400,
        "paid_at_checkout": 10000,
        "paid_later": 5000,
        "outstanding": 7400,
    }
    assert [i["name"] for i in s["top_items"]] == ["Plug", "Pad", "Oil"]


def test_summary_in_utc_merges_the_two_late_visits():
    s = summarize(purchases_of(DOCS, {}), ZoneInfo("UTC"))
    assert (s["visits"], s["last_visit"]) == (2, "2026-11-05")


def test_outstanding_never_goes_below_zero():
    [p] = purchases_of([sale(9, "2026-11-01T00:00:00Z", 1000, 600, "incomplete")], {"sale:9": 900})
    assert p["outstanding_paise"] == 0


def test_pages_have_no_gaps_or_repeats():
    purchases = purchases_of([sale(n, "2026-11-01T00:00:00Z", 100, 0, "incomplete") for n in range(10, 17)] + DOCS, {})
    seen, cursor = [], None
    while True:
        page, cursor = page_of(purchases, limit=3, cursor=cursor)
        seen += [p["sale_id"] for p in page]
        if cursor is None:
            break
    assert seen == [p["sale_id"] for p in purchases] and len(set(seen)) == len(seen)


@pytest.mark.parametrize("cursor", ["%%%", encode_cursor(["x"]), encode_cursor(["not a time", "s"])])
def test_bad_cursors_are_refused(cursor):
    with pytest.raises(BadCursor):
        page_of([], limit=3, cursor=cursor)


def note(n: int, invoice_n: int, at: str, *lines: tuple[int, int, int]) -> dict:
    """A credit note of invoice `invoice_n`: lines (line_index, qty_milli, amount_paise)."""
    return {
        "_id": f"credit_note:{n}",
        "type": "credit_note",
        "invoice_id": f"invoice:{invoice_n}",
        "number": f"C007/2627/{n:06d}",
        "reason": "Returned",
        "issued_at": at,
        "total_paise": sum(amount for _, _, amount in lines),
        "lines": [{"line_index": i, "qty_milli": q, "amount_paise": a} for i, q, a in lines],
    }


def test_credit_notes_are_netted_out_of_their_invoices_whatever_their_date():
    # invoice 1 (2 plugs, 23600): one plug credited on 01 Dec; invoice 3 (oil 5000): fully credited
    credits = {
        "invoice:1": [note(1, 1, "2026-12-01T05:00:00Z", (0, 1000, 11800))],
        "invoice:3": [note(2, 3, "2026-11-05T19:00:00Z", (0, 1000, 5000))],
    }
    purchases = purchases_of(DOCS, {"sale:2": 5000}, credits)
    by_sale = {p["sale_id"]: p for p in purchases}
    assert [(p["credited_paise"], p["net_paise"]) for p in purchases] == [(5000, 0), (0, 22400), (11800, 11800)]
    assert by_sale["sale:1"]["items"][0] == {
        "item_id": "item:plug",
        "name": "Plug",
        "qty_milli": 2000,
        "amount_paise": 23600,
        "credited_qty_milli": 1000,
        "credited_paise": 11800,
    }
    assert [c["number"] for c in by_sale["sale:1"]["credit_notes"]] == ["C007/2627/000001"]
    s = summarize(purchases, IST)
    assert s["invoices"] == {"count": 2, "total": 28600, "credited": 16800, "net": 11800}
    assert s["visits"] == 3  # a credit note is no visit
    assert [(i["name"], i["qty_milli"], i["amount_paise"]) for i in s["top_items"]] == [
        ("Pad", 1000, 22400),
        ("Plug", 1000, 11800),
        ("Oil", 0, 0),
    ]


def test_a_note_naming_no_line_of_its_invoice_still_counts_its_total():
    credits = {"invoice:3": [note(3, 3, "2026-11-06T00:00:00Z", (4, 1000, 700))]}
    [p] = [p for p in purchases_of(DOCS, {}, credits) if p["sale_id"] == "sale:3"]
    assert (p["credited_paise"], p["net_paise"], p["items"][0]["credited_paise"]) == (700, 4300, 0)
