"""Sale returns on the phone (README: returns): a partial return made really offline is a credit
note numbered in the device's credit-note series; once online it syncs, the server's credit notes,
sales report and GSTR-1 export show it, and the auditor seals it without a finding. A second return
cannot take more than is left; "Return everything left" credits the rest to the paisa.

Hand-computed (GST 18 % included in the prices): 3 spark plugs at ₹118 = 35400 and 2 l engine oil
at ₹450 = 90000, invoice 125400. Return 1 plug (11800: taxable 10000, CGST 900, SGST 900) and
0.5 l oil (22500: taxable 19068, CGST 1716, SGST 1716) = 34300. The rest: 2 plugs 23600 and
1.5 l oil 67500 = 91100, so the two notes credit the whole invoice.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from shopbill.services.core.names import LEDGER_DB
from tests.app.conftest import PHONE, fresh_phone, new_phone_number, shot
from tests.app.flows import add_group, add_item, bill, business_db, server_docs, sign_up, wait_for
from tests.app.test_app_credit_notes import clear_of_midnight_ist, device_token, ist_day
from tests.app.test_app_invoice import CAPTURE_SHARE
from tests.app.test_invoice_layouts import OVERFLOWS
from tests.security.test_forged_siblings import rows
from tests.security.test_poisoned_docs import finding_kinds
from tests.utils.auditor_process import audited, running_auditor

# making a PDF on the phone takes about a second; a loaded 2-core CI machine may take several
PDF_BOUND_MS = 30_000

COUNTER = {**PHONE, "viewport": {"width": 390, "height": 844}}


@pytest.fixture
def page(browser) -> Iterator[Any]:
    """A fresh phone at 390×844."""
    with fresh_phone(browser, COUNTER) as p:
        yield p


def all_sent(page: Any) -> None:
    wait_for(lambda: page.get_by_test_id("pending").inner_text() == "All sent", 90, "all sent")


def return_items(page: Any, quantities: dict[int, str]) -> None:
    page.get_by_test_id("return-items").click()
    for line, qty in quantities.items():
        page.get_by_test_id(f"return-qty-{line}").fill(qty)


def sealed_and_clean(admin: httpx.Client, db: str, note: dict[str, Any]) -> bool:
    seal = admin.get(f"/{LEDGER_DB}/seal:{db}:{note['_id']}")
    return seal.status_code == 200 and seal.json()["rev"] == note["_rev"] and not finding_kinds(admin, db, note["_id"])


def test_a_return_made_offline_is_a_credit_note_that_syncs_and_passes_the_audit(stack, page) -> None:
    clear_of_midnight_ist()
    shop_phone = sign_up(page, stack)
    add_group(page, "Engine parts")
    add_item(page, "Spark plug", "118", "pcs", 1800)
    add_item(page, "Engine oil", "450", "l", 1800)
    customer = new_phone_number()
    assert bill(page, customer, [("Spark plug", "3", ""), ("Engine oil", "2", "")], None) == "Total: ₹1,254.00"
    page.get_by_test_id("invoice-issued").wait_for()
    all_sent(page)
    db = business_db(stack, shop_phone)
    [invoice] = server_docs(stack, db, "invoice")
    series = invoice["number"].split("/")[0]
    credit_series = "C" + series.rjust(3, "0")

    page.context.set_offline(True)  # really offline: the browser reaches no server
    try:
        expect(page.get_by_test_id("sync-state")).to_contain_text("Offline")
        return_items(page, {0: "1", 1: "0.5"})
        expect(page.get_by_test_id("return-line-0")).to_contain_text("sold 3 pcs, 3 pcs left to return")
        page.get_by_test_id("return_reason").fill("One plug and half a litre back")
        page.get_by_test_id("refund_method").select_option("upi")
        shot(page, "returns-0-form")
        page.get_by_test_id("make-credit-note").click()
        expect(page.get_by_test_id("credit-note-made")).to_have_text(
            f"Credit note {credit_series}/{invoice['number'].split('/')[1]}/000001 made for ₹343.00. "
            "It is sent with the next sync."
        )
        frame = page.frame_locator("[data-testid=invoice-frame]")
        document = frame.locator("#invoice")
        expect(document.locator("h1")).to_have_text("Credit Note")
        expect(document.locator(".meta")).to_contain_text(f"Original invoice{invoice['number']}")
        expect(document).to_contain_text("One plug and half a litre back")
        expect(document).to_contain_text("Sri Murugan Auto Spares")
        expect(document.locator(".totals")).to_contain_text("₹ 343.00")
        expect(document).to_contain_text("Rupees Three Hundred Forty-Three Only")
        assert page.frames[1].evaluate(OVERFLOWS) == []
        expect(document.locator(".narrow").first).to_contain_text("Spark plug")
        expect(document.locator(".narrow").first).to_contain_text("Taxable value\u00a0100.00")
        expect(document.locator(".narrow").first).to_contain_text("Taxable value\u00a0190.68")
        expect(page.get_by_test_id("pending")).to_have_text("1 return not sent yet")
        shot(page, "returns-1-credit-note-offline")

        # figures on the phone net it out at once
        page.get_by_test_id("nav-today").click()
        expect(page.get_by_test_id("credit-notes")).to_have_text("1 (−₹343.00)")
        expect(page.get_by_test_id("net-sales")).to_have_text("₹911.00")
        # paid in cash, ₹343 given back by UPI: each drawer shows what it should hold
        expect(page.get_by_test_id("method-cash")).to_have_text("₹1,254.00")
        expect(page.get_by_test_id("method-upi")).to_have_text("−₹343.00")
        page.get_by_test_id("nav-customers").click()
        page.get_by_test_id("history_phone").fill(customer)
        page.get_by_test_id("show-history").click()
        expect(page.get_by_test_id("history-invoices")).to_have_text(
            "Invoices: 1, ₹1,254.00 billed, ₹343.00 credited, ₹911.00 net."
        )
    finally:
        page.context.set_offline(False)
    all_sent(page)

    [note] = server_docs(stack, db, "credit_note")
    assert note["number"] == f"{credit_series}/{invoice['number'].split('/')[1]}/000001"
    assert note["refund_method"] == "upi" and note["total_paise"] == 34300
    assert note["lines"] == [
        {
            "line_index": 0,
            "qty_milli": 1000,
            "amount_paise": 11800,
            "taxable_paise": 10000,
            "cgst_paise": 900,
            "sgst_paise": 900,
            "igst_paise": 0,
        },
        {
            "line_index": 1,
            "qty_milli": 500,
            "amount_paise": 22500,
            "taxable_paise": 19068,
            "cgst_paise": 1716,
            "sgst_paise": 1716,
            "igst_paise": 0,
        },
    ]
    day = ist_day(note["issued_at"])
    headers = {"Authorization": f"Bearer {device_token(page)}"}
    sale_uuid = invoice["sale_id"].split(":", 1)[1]
    with (
        running_auditor(stack.couch),
        stack.admin() as admin,
        httpx.Client(base_url=stack.url, headers=headers, timeout=30) as api,
    ):
        wait_for(lambda: audited(admin, db) and sealed_and_clean(admin, db, note), 120, "the note sealed")
        listed = api.get(f"/v1/invoices/{sale_uuid}/credit-notes").json()["credit_notes"]
        assert [n["number"] for n in listed] == [note["number"]]
        totals = api.get("/v1/reports/sales", params={"from": day, "to": day}).json()["totals"]
        assert totals["credit_notes"]["amount"] == 34300 and totals["amount"] == 125400 - 34300
        gstr1 = rows(api.get("/v1/exports/gstr1.csv", params={"from": day, "to": day}))
        [credited] = [r for r in gstr1 if r["document_type"] == "credit_note"]
        assert credited["document_number"] == note["number"]
        assert credited["original_invoice_number"] == invoice["number"]

        # a second return: more than is left is refused; then everything left, in one tap
        page.get_by_test_id("nav-customers").click()
        page.get_by_test_id("history_phone").fill(customer)
        page.get_by_test_id("show-history").click()
        page.get_by_test_id(f"sale-{invoice['sale_id']}").click()
        expect(page.get_by_test_id(f"view-credit-note-{note['number']}")).to_be_visible()
        return_items(page, {0: "3"})
        expect(page.get_by_test_id("return-line-0")).to_contain_text("sold 3 pcs, 2 pcs left to return")
        page.get_by_test_id("make-credit-note").click()
        expect(page.get_by_test_id("message")).to_have_text("Spark plug: that is more than is left to return.")
        page.get_by_test_id("return-all").click()
        expect(page.get_by_test_id("return-qty-0")).to_have_value("2")
        expect(page.get_by_test_id("return-qty-1")).to_have_value("1.5")
        page.get_by_test_id("make-credit-note").click()
        expect(page.get_by_test_id("credit-note-made")).to_contain_text("/000002 made for ₹911.00.")
        shot(page, "returns-2-everything-left")
        assert page.frames[1].evaluate(OVERFLOWS) == []  # the phone layout fits its box

        # shared as a PDF made on the phone, like an invoice
        page.evaluate(CAPTURE_SHARE)
        page.get_by_test_id("share-pdf").click()
        expect(page.get_by_test_id("share-result")).to_contain_text("Credit note C", timeout=PDF_BOUND_MS)
        shared = page.evaluate("window.__shared")
        pdf = base64.b64decode(shared["base64"])
        number = page.get_by_test_id("credit-note-made").inner_text().split()[2]
        assert shared["name"] == f"credit-note-{number.replace('/', '-')}.pdf"
        assert b"Credit Note" in pdf and number.encode() in pdf and invoice["number"].encode() in pdf
        assert number in shared["text"] and "₹911.00" in shared["text"]
        page.get_by_test_id("back-to-invoice").click()
        expect(page.get_by_test_id("all-returned")).to_be_visible()
        expect(page.get_by_test_id("invoice-net")).to_contain_text("= net ₹0.00")
        shot(page, "returns-3-invoice-fully-returned")
        all_sent(page)
        second = next(n for n in server_docs(stack, db, "credit_note") if n["_id"] != note["_id"])
        assert second["total_paise"] == 91100 and "refund_method" in second
        wait_for(lambda: audited(admin, db) and sealed_and_clean(admin, db, second), 120, "the second note sealed")
        assert not finding_kinds(admin, db, note["_id"])
        totals = api.get("/v1/reports/sales", params={"from": day, "to": day}).json()["totals"]
        assert totals["credit_notes"]["amount"] == 125400 and totals["amount"] == 0
