"""An invoice made on the phone keeps the shop's details it was issued with: the phone writes them
on the invoice (`seller`), and after the shop's GSTIN is corrected (PATCH /v1/business, synced to
the phone) the old invoice still shows the old GSTIN and state, on the phone and on the server's
print page, while the next invoice has the new ones."""

from __future__ import annotations

import httpx

from shopbill.validators.checks import explain
from tests.app.flows import add_group, add_item, bill, business_db, server_docs, shop_state_offered, sign_up, wait_for
from tests.app.test_app_credit_notes import device_token

FIRST = "33AAACM1234A1ZF"  # Tamil Nadu
CORRECTED = "29AABCT1332L1ZA"  # Karnataka: the registration the shop really holds
ADDRESS = "12 Gandhi Road, Coimbatore 641001"


def correct_the_shop(stack, headers: dict[str, str], **changes: str) -> dict:
    rev = httpx.get(f"{stack.url}/v1/business", headers=headers, timeout=30).json()["_rev"]
    r = httpx.patch(f"{stack.url}/v1/business", headers=headers, timeout=30, json={"rev": rev, **changes})
    assert r.status_code == 200, r.text
    return r.json()


def wait_for_shop_state(page, label: str) -> None:
    """The business doc reached the phone by sync: the sale screen offers its state first."""
    wait_for(lambda: label in shop_state_offered(page), 60, f"the business doc with {label} on the phone")


def invoice_text(page) -> str:
    page.get_by_test_id("invoice-issued").wait_for()
    return page.frame_locator("[data-testid=invoice-frame]").locator("#invoice").inner_text()


def test_a_phone_invoice_keeps_the_shop_details_it_was_issued_with(stack, phone_page) -> None:
    page = phone_page
    phone = sign_up(page, stack)
    db = business_db(stack, phone)
    add_group(page, "Engine parts")
    add_item(page, "Spark plug", "250", "pcs", 2800)
    headers = {"Authorization": f"Bearer {device_token(page)}"}
    business = correct_the_shop(stack, headers, gstin=FIRST, state_code="33", address=ADDRESS)
    wait_for_shop_state(page, "Tamil Nadu (33)")

    bill(page, "9812345678", [("Spark plug", "1", "")], None)
    first_text = invoice_text(page)
    assert f"GSTIN: {FIRST}" in first_text and ADDRESS in first_text
    number = page.get_by_test_id("invoice-issued").inner_text().split("invoice ")[1].split(" ")[0]
    first = wait_for(
        lambda: [d for d in server_docs(stack, db, "invoice") if d["number"] == number], 60, "the invoice on the server"
    )[0]
    assert first["seller"] == {
        "name": business["name"],
        "address": ADDRESS,
        "phone": business["phone"],
        "gstin": FIRST,
        "state_code": "33",
    }
    assert explain(first) == []

    correct_the_shop(stack, headers, gstin=CORRECTED, state_code="29", address="5 MG Road, Bengaluru 560001")
    wait_for_shop_state(page, "Karnataka (29)")

    # the issued invoice, opened again on the phone: as issued
    page.get_by_test_id("nav-customers").click()
    page.get_by_test_id("history_phone").fill("9812345678")
    page.get_by_test_id("show-history").click()
    page.get_by_test_id(f"sale-{first['sale_id']}").click()
    again = invoice_text(page)
    assert f"GSTIN: {FIRST}" in again and "Tamil Nadu (33)" in again and ADDRESS in again
    assert CORRECTED not in again and "Bengaluru" not in again
    # and on the server's print page, rendered by the browser
    html = httpx.get(f"{stack.url}/v1/invoices/{first['sale_id'].split(':')[1]}/print", headers=headers, timeout=30)
    assert html.status_code == 200, html.text
    page.set_content(html.text)
    printed = page.locator("#invoice").inner_text()
    assert f"GSTIN: {FIRST}" in printed and CORRECTED not in printed

    # the next invoice has the corrected details
    page.goto(stack.app_url)
    bill(page, "9812345678", [("Spark plug", "1", "")], None)
    next_text = invoice_text(page)
    assert f"GSTIN: {CORRECTED}" in next_text and "Karnataka (29)" in next_text and FIRST not in next_text
