"""Credit notes netted out of customer history and sales reports, with hand-computed values.

A credit note is reported in the period of its own date (GST practice), not its invoice's; the
customer history nets every counted credit note out of its invoice. Shop (IST, UTC+5:30):
  #1 X 03 Nov 10:00  invoice 2 spark plugs   23600 (taxable 20000, CGST 1800, SGST 1800)
  #2 X 05 Nov 12:00  invoice 1 brake pad     22400 (20000, 1200, 1200)
  #3 Y 07 Nov 10:00  invoice 2 engine oil    10000 (0 %)
  #4 X 08 Nov 10:00  incomplete 1 oil 5000, paid 1000 → owes 4000
  A  10 Dec 11:00  credit note on #1: one plug  11800 (10000, 900, 900)    — another month
  B  06 Nov 00:15  credit note on #2: all of it 22400 (20000, 1200, 1200)  — another day
                   (05 Nov 18:45 in UTC: the shop's day decides)
  C  09 Nov 10:00  credit note on #3 with a wrong total (4000 for a 5000 line): flagged
November: invoices 56000 + incomplete 5000 − B 22400 = 38600; taxable 50000 − 20000 = 30000;
GST 3600 + 2400 − 2400 = 3600 (CGST 1800, SGST 1800). December: −11800 (taxable −10000,
GST −1800). X's invoices: 46000, credited 34200, net 11800; Y's: 10000 (C left out).
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from shopbill.services.core.config import load_settings
from shopbill.services.core.names import LEDGER_DB, ROLLUP_DB
from shopbill.services.couch import Couch
from shopbill.services.integrity.auditor.worker import audit_database
from shopbill.validators import arithmetic
from shopbill.validators.checks import explain
from tests.utils.accounts import bearer, login, new_phone, signup
from tests.utils.auditor_process import audited, eventually
from tests.utils.checkout import BRAKE_PAD, ENGINE_OIL, SPARK_PLUG, Phone, ist, stamp
from tests.utils.rest_shop import new_shop, new_uuid

IST = ZoneInfo("Asia/Kolkata")
MONEY = ("amount_paise", "taxable_paise", "cgst_paise", "sgst_paise", "igst_paise")


def credit_note(
    phone: Phone,
    invoice: dict[str, Any],
    at: datetime,
    credits: list[tuple[int, int]],
    number: int,
    *,
    total_override: int | None = None,
) -> dict[str, Any]:
    """A phone-made credit note of `invoice`: credits [(line index, qty_milli)], money exact."""
    lines = []
    for index, qty in credits:
        line = invoice["lines"][index]
        money = vars(arithmetic.line_money(arithmetic.line_input({**line, "qty_milli": qty}), invoice["supply"]))
        lines.append({"line_index": index, "qty_milli": qty, **{k: money[k] for k in MONEY}})
    note = {
        **phone.common("credit_note", f"credit_note:{uuid.uuid4()}", at),
        "invoice_id": invoice["_id"],
        "number": f"C007/2627/{number:06d}",
        "reason": "Returned by the customer",
        "lines": lines,
        "issued_at": stamp(at),
        "total_paise": total_override or sum(ln["amount_paise"] for ln in lines),
    }
    assert (explain(note) == []) == (total_override is None), explain(note)
    return phone.put(note)


@pytest.fixture(scope="module")
def shop(api, sms_file, couch, admin, auditor) -> dict[str, Any]:
    answer = login(api, signup(api, sms_file))
    creds = answer["couchdb"]
    phone = Phone(client=couch.client(auth=(creds["username"], creds["password"])), db=creds["db"])
    x, y = new_phone(), new_phone()
    _, one = phone.checkout(x, ist("2026-11-03"), [(SPARK_PLUG, 2000)])
    _, two = phone.checkout(x, ist("2026-11-05", "12:00"), [(BRAKE_PAD, 1000)])
    _, three = phone.checkout(y, ist("2026-11-07"), [(ENGINE_OIL, 2000)])
    due, _ = phone.checkout(x, ist("2026-11-08"), [(ENGINE_OIL, 1000)], paid=1000)
    a = credit_note(phone, one, ist("2026-12-10", "11:00"), [(0, 1000)], 1)
    b = credit_note(phone, two, ist("2026-11-06", "00:15"), [(0, 1000)], 2)
    c = credit_note(phone, three, ist("2026-11-09"), [(0, 1000)], 3, total_override=4000)
    eventually(lambda: audited(admin, phone.db))
    return {
        "login": answer,
        "phone": phone,
        "x": x,
        "y": y,
        "invoices": (one, two, three),
        "due": due,
        "notes": (a, b, c),
    }


def get(api, login_answer: dict[str, Any], path: str, **params: Any) -> dict[str, Any]:
    r = api.get(path, params=params, headers=bearer(login_answer))
    assert r.status_code == 200, r.text
    return r.json()


def sales(api, shop, start: str, end: str, group_by: str = "day") -> dict[str, Any]:
    return get(api, shop["login"], "/v1/reports/sales", **{"from": start, "to": end, "group_by": group_by})


def history(api, shop, phone: str) -> dict[str, Any]:
    return get(api, shop["login"], f"/v1/customers/{phone}/history")


def test_november_nets_out_the_credit_note_issued_in_november(api, shop):
    r = sales(api, shop, "2026-11-01", "2026-11-30")
    t = r["totals"]
    assert (t["count"], t["amount"]) == (4, 38600)
    assert t["invoices"] == {"count": 3, "amount": 56000}
    assert t["incomplete"] == {"count": 1, "amount": 5000, "paid": 1000, "outstanding": 4000}
    assert t["credit_notes"] == {"count": 1, "amount": 22400, "taxable": 20000, "gst": 2400}
    assert t["taxable"] == 30000
    assert t["gst"] == {"cgst": 1800, "sgst": 1800, "igst": 0, "total": 3600}
    assert r["flagged"] == {"count": 1, "ids": [shop["notes"][2]["_id"]]}


def test_a_credit_note_counts_on_its_own_local_day(api, shop):
    rows = {row["key"]: row for row in sales(api, shop, "2026-11-05", "2026-11-06")["rows"]}
    five, six = rows["2026-11-05"], rows["2026-11-06"]
    assert (five["count"], five["amount"], five["credit_notes"]["count"]) == (1, 22400, 0)
    assert (six["count"], six["amount"], six["taxable"]) == (0, -22400, -20000)
    assert six["gst"] == {"cgst": -1200, "sgst": -1200, "igst": 0, "total": -2400}
    assert six["credit_notes"] == {"count": 1, "amount": 22400, "taxable": 20000, "gst": 2400}


def test_a_credit_note_of_a_november_invoice_counts_in_december(api, shop):
    t = sales(api, shop, "2026-12-01", "2026-12-31")["totals"]
    assert (t["count"], t["amount"], t["taxable"]) == (0, -11800, -10000)
    assert t["invoices"] == {"count": 0, "amount": 0}
    assert t["gst"] == {"cgst": -900, "sgst": -900, "igst": 0, "total": -1800}
    assert t["credit_notes"] == {"count": 1, "amount": 11800, "taxable": 10000, "gst": 1800}
    months = sales(api, shop, "2026-11-01", "2026-12-31", "month")["rows"]
    assert [(m["key"], m["amount"], m["credit_notes"]["amount"]) for m in months] == [
        ("2026-11", 38600, 22400),
        ("2026-12", -11800, 11800),
    ]


def test_by_item_a_credited_line_comes_off_its_item(api, shop):
    rows = sales(api, shop, "2026-11-01", "2026-11-30", "item")["rows"]
    assert [(r["label"], r["count"], r["qty_milli"], r["amount"]) for r in rows] == [
        ("Spark plug", 1, 2000, 23600),
        ("Engine oil", 2, 3000, 15000),
        ("Brake pad", 1, 0, 0),
    ]
    assert rows[2]["credit_notes"] == {"count": 1, "amount": 22400, "taxable": 20000, "gst": 2400}
    assert rows[2]["gst"]["total"] == 0
    both = sales(api, shop, "2026-11-01", "2026-12-31", "item")["rows"]
    plug = next(r for r in both if r["label"] == "Spark plug")
    assert (plug["qty_milli"], plug["amount"], plug["taxable"], plug["gst"]["total"]) == (1000, 11800, 10000, 1800)
    [group] = sales(api, shop, "2026-11-01", "2026-12-31", "group")["rows"]
    assert (group["key"], group["amount"]) == ("ungrouped", 26800)


def test_history_shows_credited_and_net_amounts(api, shop):
    h = history(api, shop, shop["x"])
    assert h["invoices"] == {"count": 2, "total": 46000, "credited": 34200, "net": 11800}
    assert h["incomplete"]["outstanding"] == 4000
    assert (h["visits"], h["last_visit"]) == (3, "2026-11-08")  # credit notes are no visits
    one, two = shop["invoices"][:2]
    a, b, _ = shop["notes"]
    assert [(p["sale_id"], p["credited_paise"], p["net_paise"]) for p in h["purchases"]] == [
        (shop["due"]["_id"], 0, 5000),
        (two["sale_id"], 22400, 0),
        (one["sale_id"], 11800, 11800),
    ]
    assert [n["id"] for n in h["purchases"][1]["credit_notes"]] == [b["_id"]]
    first = h["purchases"][2]
    assert [(n["number"], n["total_paise"]) for n in first["credit_notes"]] == [(a["number"], 11800)]
    assert (first["items"][0]["credited_qty_milli"], first["items"][0]["credited_paise"]) == (1000, 11800)
    assert [(i["name"], i["qty_milli"], i["amount_paise"]) for i in h["top_items"]] == [
        ("Spark plug", 1000, 11800),
        ("Engine oil", 1000, 5000),
        ("Brake pad", 0, 0),
    ]
    assert h["flagged"]["count"] == 0


def test_history_leaves_a_flagged_credit_note_out(api, shop):
    h = history(api, shop, shop["y"])
    assert h["invoices"] == {"count": 1, "total": 10000, "credited": 0, "net": 10000}
    assert h["purchases"][0]["credit_notes"] == []
    assert h["flagged"] == {"count": 1, "ids": [shop["notes"][2]["_id"]]}


def test_reports_and_history_agree_on_net_sales(api, shop):
    t = sales(api, shop, "2026-10-01", "2026-12-31")["totals"]
    nets = sum(history(api, shop, phone)["invoices"]["net"] for phone in (shop["x"], shop["y"]))
    assert t["invoices"]["amount"] - t["credit_notes"]["amount"] == nets == 21800


def test_a_rebuilt_roll_up_gives_the_same_figures(api, shop, couch, admin):
    queries = [
        ("2026-11-01", "2026-11-30", "day"),
        ("2026-12-01", "2026-12-31", "day"),
        ("2026-10-01", "2026-12-31", "month"),
        ("2026-11-01", "2026-12-31", "item"),
        ("2026-11-01", "2026-12-31", "group"),
    ]
    before = [sales(api, shop, *q) for q in queries]
    histories = [history(api, shop, phone) for phone in (shop["x"], shop["y"])]
    db = shop["phone"].db
    rows = admin.get(f"/{ROLLUP_DB}/_all_docs").json()["rows"]
    mine = [
        {"_id": r["id"], "_rev": r["value"]["rev"], "_deleted": True} for r in rows if r["id"].split(":")[1:2] == [db]
    ]
    assert len(mine) >= 5
    assert admin.post(f"/{ROLLUP_DB}/_bulk_docs", json={"docs": mine}).status_code == 201
    checkpoint = admin.get(f"/{LEDGER_DB}/checkpoint:{db}").json()
    assert admin.delete(f"/{LEDGER_DB}/checkpoint:{db}", params={"rev": checkpoint["_rev"]}).is_success
    assert sales(api, shop, *queries[0])["totals"]["amount"] == 0  # the roll-ups are gone

    async def rebuild() -> int:
        settings = load_settings(
            {
                "COUCHDB_URL": couch.url,
                "COUCHDB_ADMIN_USER": couch.admin_user,
                "COUCHDB_ADMIN_PASSWORD": couch.admin_password,
            }
        )
        client = Couch(settings)
        try:
            return await audit_database(client, db)
        finally:
            await client.aclose()

    assert asyncio.run(rebuild()) > 0
    assert [sales(api, shop, *q) for q in queries] == before
    assert [history(api, shop, phone) for phone in (shop["x"], shop["y"])] == histories


def test_a_credit_note_made_over_rest_is_netted_out_on_its_day(api, sms_file, auditor, admin):
    rest = new_shop(api, sms_file)
    plug = rest.item(name="Spark plug", unit_price_paise=11800, gst_rate_bp=1800)
    customer = new_phone()
    sale = rest.post(
        "/v1/sales",
        {
            "id": new_uuid(),
            "customer_phone": customer,
            "paid_paise": 23600,
            "lines": [{"item_id": plug["_id"], "qty_milli": 2000}],
        },
    )
    assert sale.status_code == 201 and sale.json()["invoice"], sale.text
    sale_uuid = sale.json()["sale"]["_id"].split(":")[1]
    note = rest.post(
        f"/v1/invoices/{sale_uuid}/credit-notes",
        {"id": new_uuid(), "reason": "One returned", "lines": [{"line_index": 0, "qty_milli": 1000}]},
    )
    assert note.status_code == 201, note.text
    eventually(lambda: audited(admin, rest.db))
    h = get(api, rest.login, f"/v1/customers/{customer}/history")
    assert h["invoices"] == {"count": 1, "total": 23600, "credited": 11800, "net": 11800}
    # the invoice and its credit note were issued just now: a range of their local days
    days = [
        datetime.fromisoformat(at).astimezone(IST).date().isoformat()
        for at in (sale.json()["invoice"]["issued_at"], note.json()["issued_at"])
    ]
    t = get(api, rest.login, "/v1/reports/sales", **{"from": days[0], "to": days[1]})["totals"]
    assert (t["amount"], t["taxable"], t["gst"]["total"]) == (11800, 10000, 1800)
    assert t["credit_notes"] == {"count": 1, "amount": 11800, "taxable": 10000, "gst": 1800}
