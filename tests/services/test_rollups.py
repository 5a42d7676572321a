"""Pure parts of the roll-ups: which roll-up docs a batch of changes touches, and merging."""

from __future__ import annotations

import copy

from shopbill.services.core.names import shop_db
from shopbill.services.reporting.rollups import ENTRY_FIELDS, changes_of, merge
from tests.utils.docs import example

DB = shop_db("x")


def test_an_incomplete_sale_goes_to_its_utc_day_and_its_customer():
    sale = {
        **example("sale"),
        "_rev": "1-a",
        "_db": DB,
        "created_at": "2026-11-04T18:30:00Z",
        "status": "incomplete",
        "paid_paise": 1000,
    }
    changes = changes_of([sale])
    entry = dict(zip(ENTRY_FIELDS, changes[f"day:{DB}:2026-11-04"]["entries"][sale["_id"]]))
    assert entry == {
        "kind": "sale",
        "rev": "1-a",
        "at": "2026-11-04T18:30:00Z",
        "total": 64000,
        "paid": 1000,
        "sale_id": sale["_id"],
        "taxable": 50992,
        "cgst": 6503,
        "sgst": 6504,
        "igst": 0,
    }
    lines = changes[f"lines:{DB}:2026-11-04"]["entries"][sale["_id"]]
    assert lines[1][:4] == ["item:5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f70819", "Spark plug", 2000, 49000]
    assert changes[f"cust:{DB}:+919812345678"]["sales"] == {sale["_id"]: "2026-11-04T18:30:00Z"}


def test_an_invoiced_sale_leaves_the_day_roll_up():
    incomplete = {**example("sale"), "_rev": "1-a", "_db": DB, "status": "incomplete"}
    invoiced = {**example("sale"), "_rev": "2-b", "_db": DB}
    [(day, change)] = [(k, v) for k, v in changes_of([incomplete]).items() if k.startswith("day:")]
    before = merge(None, day, change)
    after = merge(copy.deepcopy(before), day, changes_of([invoiced])[day])
    assert incomplete["_id"] in before["entries"] and after["entries"] == {}


def test_payments_and_customer_names_and_deletions():
    payment = {**example("payment"), "_rev": "1-p", "_db": DB}
    named = {**example("customer"), "_rev": "1-c", "_db": DB}
    deleted = {"_id": named["_id"], "_rev": "2-c", "_deleted": True, "_db": DB}
    assert changes_of([payment])[f"pay:{DB}:{payment['sale_id']}"] == {"payments": {payment["_id"]: [10000, "1-p"]}}
    key = f"cust:{DB}:+919812345678"
    assert changes_of([named])[key] == {"name": {"": "अनिल कुमार"}}
    assert changes_of([deleted])[key] == {"name": {"": None}}


def test_merging_the_same_change_twice_changes_nothing():
    invoice = {**example("invoice"), "_rev": "1-i", "_db": DB}
    for doc_id, change in changes_of([invoice]).items():
        once = merge(None, doc_id, change)
        assert merge(copy.deepcopy(once), doc_id, change) == once
        assert invoice["_id"] in once["entries"]


def test_a_credit_note_goes_to_its_own_utc_day_with_the_credited_items_and_customer():
    invoice = example("invoice")
    note = {
        **example("credit_note"),
        "_rev": "1-n",
        "_db": DB,
        "issued_at": "2026-12-01T19:00:00Z",
        "_invoice_lines": invoice["lines"],
        "_invoice_phone": invoice["customer_phone"],
    }
    changes = changes_of([note])
    entry = dict(zip(ENTRY_FIELDS, changes[f"day:{DB}:2026-12-01"]["entries"][note["_id"]]))
    sale_id = "sale:" + note["invoice_id"].split(":", 1)[1]
    assert entry == {
        "kind": "credit_note",
        "rev": "1-n",
        "at": "2026-12-01T19:00:00Z",
        "total": 24500,
        "paid": 0,
        "sale_id": sale_id,
        "taxable": 19141,
        "cgst": 2679,
        "sgst": 2680,
        "igst": 0,
    }
    [line] = changes[f"lines:{DB}:2026-12-01"]["entries"][note["_id"]]
    assert line == [invoice["lines"][1]["item_id"], invoice["lines"][1]["name"], 1000, 24500, 19141, 2679, 2680, 0]
    assert changes[f"cust:{DB}:{invoice['customer_phone']}"] == {"credit_notes": {note["_id"]: note["invoice_id"]}}


def test_a_credit_note_whose_invoice_is_unreadable_keeps_its_money_and_names_the_line():
    note = {**example("credit_note"), "_rev": "1-n", "_db": DB, "_invoice_lines": [], "_invoice_phone": None}
    changes = changes_of([note])
    [line] = changes[f"lines:{DB}:2026-11-25"]["entries"][note["_id"]]
    assert line[:4] == [None, f"{note['invoice_id']} line 1", 1000, 24500]
    assert not [k for k in changes if k.startswith("cust:")]
