"""Money rules that span documents hold for what a phone pushes: a copied credit note with a new
id and 4,000 times the amounts, or a payment past what a sale owes, is flagged by the auditor,
left out of every figure and export, and noticed to the owner (auditor/money.py)."""

from __future__ import annotations

import uuid
from typing import Any

from tests.security.test_forged_siblings import rows
from tests.security.test_poisoned_docs import finding_kinds
from tests.utils.accounts import bearer, new_phone
from tests.utils.auditor_process import audited, eventually, running_auditor
from tests.utils.checkout import ENGINE_OIL, ist, open_shop, stamp

MONEY = ("amount_paise", "taxable_paise", "cgst_paise", "sgst_paise", "igst_paise")


def note_of(phone, invoice: dict[str, Any], qty: int, times: int = 1) -> dict[str, Any]:
    """A phone-made credit note of `qty` of the invoice's only line, amounts multiplied by `times`."""
    line = invoice["lines"][0]
    share = {k: line[k] * qty // line["qty_milli"] * times for k in MONEY}
    at = ist("2026-11-10")
    return {
        **phone.common("credit_note", f"credit_note:{uuid.uuid4()}", at),
        "invoice_id": invoice["_id"],
        "number": f"C007/2627/{uuid.uuid4().int % 999999:06d}",
        "reason": "Returned by the customer",
        "issued_at": stamp(at),
        "lines": [{"line_index": 0, "qty_milli": qty * times, **share}],
        "total_paise": share["amount_paise"],
    }


def notice_kinds(admin, db: str, subject: str) -> set[str]:
    found = admin.post(f"/{db}/_find", json={"selector": {"type": "audit", "subject_id": subject}})
    return {n["kind"] for n in found.json()["docs"]}


def test_forged_credit_note_and_payment_are_flagged_and_left_out(api, sms_file, couch, admin) -> None:
    login, phone = open_shop(api, sms_file, couch)
    headers = bearer(login)
    customer = new_phone()
    _, invoice = phone.checkout(customer, ist("2026-11-03"), [(ENGINE_OIL, 2000)])  # ₹100
    real = phone.put(note_of(phone, invoice, 1000))  # ₹50 back
    forged = phone.put(note_of(phone, invoice, 1000, times=4000))  # ₹2,00,000 "back"
    due, _ = phone.checkout(customer, ist("2026-11-04"), [(ENGINE_OIL, 1000)], paid=1000)
    paid = phone.payment(due, 3000, ist("2026-11-05"))
    overpaid = phone.payment(due, 500_000, ist("2026-11-06"))
    with running_auditor(couch):
        eventually(lambda: audited(admin, phone.db))
        assert eventually(lambda: finding_kinds(admin, phone.db, forged["_id"]) == {"over_credit"})
        assert eventually(lambda: finding_kinds(admin, phone.db, overpaid["_id"]) == {"over_payment"})
        assert finding_kinds(admin, phone.db, real["_id"]) == set()
        assert finding_kinds(admin, phone.db, paid["_id"]) == set()
        assert "over_credit" in eventually(lambda: notice_kinds(admin, phone.db, forged["_id"]))
        assert "over_payment" in eventually(lambda: notice_kinds(admin, phone.db, overpaid["_id"]))
    dates = {"from": "2026-11-01", "to": "2026-11-30"}
    report = api.get("/v1/reports/sales", params={**dates, "group_by": "day"}, headers=headers).json()
    totals = report["totals"]
    assert totals["credit_notes"]["amount"] == 5000 and totals["amount"] == 10000 + 5000 - 5000
    assert totals["incomplete"]["outstanding"] == 1000, totals
    assert forged["_id"] in report["flagged"]["ids"]
    gstr1 = rows(api.get("/v1/exports/gstr1.csv", params=dates, headers=headers))
    assert forged["number"] not in {r["document_number"] for r in gstr1}
    assert real["number"] in {r["document_number"] for r in gstr1}
    history = api.get(f"/v1/customers/{customer}/history", headers=headers).json()
    assert history["invoices"]["credited"] == 5000, history
    assert history["incomplete"]["paid_later"] == 3000, history
    assert {forged["_id"], overpaid["_id"]} <= set(history["flagged"]["ids"])
    printed = f"/v1/invoices/{invoice['_id'].split(':', 1)[1]}/credit-notes/{{}}/print"
    refused = api.get(printed.format(forged["_id"].split(":", 1)[1]), headers=headers)
    assert refused.status_code == 409 and refused.json()["error"] == "credit_note_flagged", refused.text
    assert api.get(printed.format(real["_id"].split(":", 1)[1]), headers=headers).status_code == 200


def test_a_flagged_forged_credit_note_does_not_block_a_rest_credit_note(api, sms_file, couch, admin) -> None:
    """What is left to credit through the API leaves out the notes the auditor flagged: a forged
    over-credit pushed by a phone would otherwise make the invoice look fully credited."""
    login, phone = open_shop(api, sms_file, couch)
    _, invoice = phone.checkout(new_phone(), ist("2026-11-03"), [(ENGINE_OIL, 2000)])  # ₹100
    forged = phone.put(note_of(phone, invoice, 1000, times=4000))
    with running_auditor(couch):
        eventually(lambda: audited(admin, phone.db))
        assert eventually(lambda: finding_kinds(admin, phone.db, forged["_id"]) == {"over_credit"})
    sale_uuid = invoice["_id"].split(":", 1)[1]
    answer = api.post(
        f"/v1/invoices/{sale_uuid}/credit-notes",
        json={"id": str(uuid.uuid4()), "reason": "Returned by the customer"},
        headers=bearer(login),
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["total_paise"] == sum(line["amount_paise"] for line in invoice["lines"])
    again = api.post(
        f"/v1/invoices/{sale_uuid}/credit-notes",
        json={"id": str(uuid.uuid4()), "reason": "Returned twice"},
        headers=bearer(login),
    )
    assert again.status_code == 422, again.text  # the real note did use up the invoice
