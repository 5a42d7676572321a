"""Pure parts of the roll-ups: which roll-up docs a batch of changes touches, and merging."""

from __future__ import annotations

import copy

from shopbill.services.rollups import ENTRY_FIELDS, changes_of, merge
from tests.utils.docs import example

DB = "biz_x"


def test_an_incomplete_sale_goes_to_its_utc_day_and_its_customer():
    sale = {**example("sale"), "_rev": "1-a", "_db": DB, "created_at": "2026-11-04T18:30:00Z",
            "status": "incomplete", "paid_paise": 1000}
    changes = changes_of([sale])
    entry = dict(zip(ENTRY_FIELDS, changes[f"day:{DB}:2026-11-04"]["entries"][sale["_id"]]))
    assert entry == {"kind": "sale", "rev": "1-a", "at": "2026-11-04T18:30:00Z", "total": 64000,
                     "paid": 1000, "sale_id": sale["_id"], "taxable": 50992, "cgst": 6503,
                     "sgst": 6504, "igst": 0}
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
    assert changes_of([payment])[f"pay:{DB}:{payment['sale_id']}"] == {
        "payments": {payment["_id"]: [10000, "1-p"]}}
    key = f"cust:{DB}:+919812345678"
    assert changes_of([named])[key] == {"name": {"": "अनिल कुमार"}}
    assert changes_of([deleted])[key] == {"name": {"": None}}


def test_merging_the_same_change_twice_changes_nothing():
    invoice = {**example("invoice"), "_rev": "1-i", "_db": DB}
    for doc_id, change in changes_of([invoice]).items():
        once = merge(None, doc_id, change)
        assert merge(copy.deepcopy(once), doc_id, change) == once
        assert invoice["_id"] in once["entries"]
