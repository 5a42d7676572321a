"""The counter flow on a 390×844 phone: the total and Charge always in view, line amounts, one tap
for "paid in full" by cash/UPI/card, a known customer's name from the number, recent customers,
≤ 3 taps from picked items to an issued invoice (counted); percentage and whole-bill discounts
(the server's checks accept what the phone computed); customers with what they owe; the day by
payment method; a new phone sees the shop's items after login without switching tabs; the sync
bar's words; the storage notice dismissed once; the install icons; the owner's screen."""

from __future__ import annotations

import json
import struct
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import expect

from shopbill.validators.arithmetic import line_input, sale_money
from shopbill.validators.checks import explain
from tests.app.conftest import ARTIFACTS, fresh_phone
from tests.app.flows import PASSWORD, add_group, add_item, bill, business_db, server_docs, sign_up, wait_for

COUNTER = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


@pytest.fixture
def counter_page(browser) -> Iterator[object]:
    """A fresh phone at 390×844."""
    with fresh_phone(browser, COUNTER) as page:
        yield page


def shot(page, name: str) -> None:
    """What the phone's screen shows (the viewport: the fixed bars where they really are)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"app-{name}.png"))


def all_sent(page, timeout: float = 60) -> None:
    wait_for(lambda: page.get_by_test_id("pending").inner_text() == "All sent", timeout, "all sent")


def in_view(page, test_id: str) -> bool:
    box = page.get_by_test_id(test_id).bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 844


def log_in(page, stack, phone: str, password: str = PASSWORD) -> None:
    page.goto(stack.app_url + "#/login")
    page.get_by_test_id("phone").fill(phone)
    page.get_by_test_id("password").fill(password)
    page.get_by_test_id("login").click()


def test_counter_flow_discounts_customers_and_the_day_by_method(stack, counter_page) -> None:
    page = counter_page
    phone = sign_up(page, stack)
    add_group(page, "Engine parts")
    add_item(page, "Spark plug", "250", "pcs", 2800)
    add_item(page, "Engine oil", "99.99", "l", 1800)
    add_item(page, "Brake cable", "120", "pcs", 1800)
    add_item(page, "Air filter", "345.50", "pcs", 1800)
    # a ₹0 item is refused with a message (the schema refuses it too)
    page.get_by_test_id("add-item").click()
    page.get_by_test_id("item_name").fill("Free sample")
    page.get_by_test_id("price").fill("0")
    page.get_by_test_id("save-item").click()
    expect(page.get_by_test_id("message")).to_contain_text("₹0 item")
    page.get_by_role("button", name="Cancel").click()

    # bill 1: a new customer, named; 10 % off the oil, ₹20 off the whole bill; paid by UPI
    page.get_by_test_id("nav-bill").click()
    page.get_by_test_id("customer_phone").fill("98123 45678")
    page.get_by_test_id("customer_name").fill("Anil Kumar")
    page.get_by_test_id("pick-Engine oil").click()
    page.get_by_test_id("qty-0").fill("1.5")
    page.get_by_test_id("discount-0").fill("10")
    page.get_by_test_id("discount_kind-0").select_option("pct")
    page.get_by_test_id("pick-Spark plug").click()
    page.get_by_test_id("pick-Spark plug").click()  # a second tap adds one more
    expect(page.get_by_test_id("qty-1")).to_have_value("2")
    page.get_by_text("Discount on the whole bill").click()
    page.get_by_test_id("bill_discount").fill("20")
    expected = sale_money(
        [
            line_input({"qty_milli": 1500, "unit_price_paise": 9999, "gst_rate_bp": 1800, "discount_bp": 1000}),
            line_input({"qty_milli": 2000, "unit_price_paise": 25000, "gst_rate_bp": 2800}),
        ],
        "intra_state",
        True,
        2000,
    )
    total = expected["total_paise"]
    expect(page.get_by_test_id("total")).to_have_text(f"Total: ₹{total // 100:,}.{total % 100:02d}")
    # each line shows its amount (qty × price, less its discounts), not only the unit price
    oil = expected["lines"][0]["amount_paise"]
    expect(page.get_by_test_id("line-amount-0")).to_have_text(f"₹{oil // 100}.{oil % 100:02d}")
    expect(page.get_by_test_id("line-0")).to_contain_text("1.5 × ₹99.99")
    page.evaluate("window.scrollTo(0, 0)")
    assert in_view(page, "charge") and in_view(page, "total"), "the total and Charge stay in view"
    shot(page, "counter-01-cart")
    page.get_by_test_id("charge").click()
    expect(page.get_by_test_id("sheet-total")).to_contain_text("Paid in full")
    shot(page, "counter-02-pay-sheet")
    page.get_by_test_id("pay-upi").click()
    page.get_by_test_id("invoice-issued").wait_for()

    # bill 2 from an empty screen: pick the items, then ≤ 3 taps to the issued invoice (counted)
    page.get_by_test_id("nav-bill").click()
    expect(page.get_by_test_id("recent-0")).to_have_text("Anil Kumar")
    page.get_by_test_id("pick-Brake cable").click()
    page.get_by_test_id("pick-Air filter").click()
    page.evaluate("window.__taps = 0; document.addEventListener('click', () => { window.__taps += 1; }, true)")
    page.get_by_test_id("recent-0").click()  # 1: the customer, name filled in from the number
    expect(page.get_by_test_id("customer_name")).to_have_value("Anil Kumar")
    page.get_by_test_id("charge").click()  # 2
    page.get_by_test_id("pay-cash").click()  # 3
    page.get_by_test_id("invoice-issued").wait_for()
    taps = page.evaluate("window.__taps")
    print(f"taps from picked items to the issued invoice: {taps}")
    assert taps <= 3
    shot(page, "counter-03-invoice")

    # a known number typed in fills the name
    page.get_by_test_id("nav-bill").click()
    page.get_by_test_id("customer_phone").fill("9812345678")
    expect(page.get_by_test_id("customer_name")).to_have_value("Anil Kumar")
    expect(page.get_by_test_id("known-customer")).to_contain_text("Anil Kumar")
    # bill 3: ₹100 now by card, the rest on credit (an unknown customer)
    bill(page, "9898989898", [("Brake cable", "1", "")], "100", method="card")
    page.get_by_test_id("incomplete-notice").wait_for()
    bill(page, "9812345678", [("Spark plug", "1", "")], "50", method="cash")
    page.get_by_test_id("incomplete-notice").wait_for()

    # dues and customers show names, not +91 numbers; each customer with what they owe
    page.get_by_test_id("nav-dues").click()
    dues = page.get_by_test_id("dues").inner_text()
    assert "Anil Kumar" in dues and "9898989898" in dues and "+91" not in dues
    page.get_by_test_id("nav-customers").click()
    expect(page.get_by_test_id("owes-919812345678")).to_have_text("owes ₹200.00")
    expect(page.get_by_test_id("owes-919898989898")).to_have_text("owes ₹20.00")
    expect(page.get_by_test_id("customer-919812345678")).to_contain_text("Anil Kumar")
    shot(page, "counter-04-customers")
    page.get_by_test_id("customer-919812345678").click()
    expect(page.get_by_test_id("history-of")).to_have_text("Purchases of Anil Kumar")
    expect(page.get_by_test_id("history-summary")).to_contain_text("3 purchases")

    # a later payment in full: one tap (UPI)
    page.get_by_test_id("nav-dues").click()
    page.get_by_test_id("dues").locator("button", has_text="Anil Kumar").click()
    expect(page.get_by_test_id("due")).to_contain_text("Anil Kumar")
    assert page.get_by_test_id("payment_amount").get_attribute("placeholder") is None
    page.get_by_test_id("pay-full-upi").click()
    page.get_by_test_id("invoice-issued").wait_for()

    # the day by payment method
    page.get_by_test_id("nav-today").click()
    second = sale_money(
        [line_input({"qty_milli": 1000, "unit_price_paise": p, "gst_rate_bp": 1800}) for p in (12000, 34550)],
        "intra_state",
        True,
    )["total_paise"]
    cash = second + 5000
    expect(page.get_by_test_id("method-cash")).to_have_text(f"₹{cash // 100:,}.{cash % 100:02d}")
    upi = total + 20000
    expect(page.get_by_test_id("method-upi")).to_have_text(f"₹{upi // 100:,}.{upi % 100:02d}")
    expect(page.get_by_test_id("method-card")).to_have_text("₹100.00")
    shot(page, "counter-05-today")

    # the server holds what the phone computed, and its checks find nothing wrong
    all_sent(page)
    db = business_db(stack, phone)
    sales = server_docs(stack, db, "sale")
    assert len(sales) == 4
    first = next(s for s in sales if s.get("bill_discount_paise"))
    assert first["total_paise"] == total and first["lines"][0]["discount_bp"] == 1000
    assert first["paid_method"] == "upi"
    for doc in sales + server_docs(stack, db, "invoice"):
        assert explain(doc) == [], doc["_id"]


def test_new_phone_sees_the_items_sync_words_storage_notice_and_icons(stack, counter_page, browser) -> None:
    page = counter_page
    phone = sign_up(page, stack)
    add_group(page, "Wires")
    add_item(page, "Copper wire", "12.5", "m")
    add_item(page, "Switch", "40")
    all_sent(page)
    expect(page.get_by_test_id("last-synced")).to_have_text("Synced just now")

    # a new phone (fresh browser storage) logs in: the items show on the bill screen, no tab switch
    context = browser.new_context(**COUNTER)
    context.add_init_script(
        "navigator.storage.persist = async () => false;navigator.storage.persisted = async () => false;"
    )
    fresh = context.new_page()
    fresh.set_default_timeout(30000)
    try:
        fresh.goto(stack.app_url)
        expect(fresh.get_by_test_id("sync-state")).to_have_text("Not logged in")
        log_in(fresh, stack, phone)
        expect(fresh.get_by_test_id("pick-Copper wire")).to_be_visible(timeout=60000)
        expect(fresh.get_by_test_id("pick-Switch")).to_be_visible()
        expect(fresh.get_by_test_id("no-items")).to_have_count(0)
        shot(fresh, "counter-06-new-phone")

        # the storage notice: shown until dismissed, then not again
        expect(fresh.get_by_test_id("storage-warning")).to_be_visible()
        fresh.get_by_test_id("dismiss-storage").click()
        expect(fresh.get_by_test_id("storage-warning")).to_have_count(0)
        fresh.reload()
        fresh.get_by_test_id("pick-Switch").wait_for()
        expect(fresh.get_by_test_id("storage-warning")).to_have_count(0)

        # offline: bills are counted as bills
        all_sent(fresh)
        context.set_offline(True)
        bill(fresh, "9876543210", [("Switch", "2", "")], None)
        fresh.get_by_test_id("invoice-issued").wait_for()
        bill(fresh, "9876543211", [("Switch", "1", "")], "10")
        fresh.get_by_test_id("incomplete-notice").wait_for()
        expect(fresh.get_by_test_id("pending")).to_have_text("2 bills not sent yet")
        shot(fresh, "counter-07-offline-bar")
        context.set_offline(False)
        fresh.evaluate("window.dispatchEvent(new Event('online'))")
        all_sent(fresh, 90)
    finally:
        context.close()

    # the install icons: 192 and 512 px PNGs named by the manifest
    manifest = httpx.get(stack.app_url + "manifest.webmanifest").json()
    sizes = {i["sizes"] for i in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        data = httpx.get(stack.app_url + icon["src"]).content
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", data[16:24])
        assert f"{width}x{height}" == icon["sizes"]


def test_owner_changes_password_exports_and_logs_out(stack, counter_page) -> None:
    page = counter_page
    phone = sign_up(page, stack)
    add_group(page, "Lights")
    add_item(page, "LED bulb", "120")
    bill(page, "9876501234", [("LED bulb", "2", "")], None)
    page.get_by_test_id("invoice-issued").wait_for()
    all_sent(page)

    page.get_by_test_id("nav-owner").click()
    expect(page.get_by_test_id("logged-in-as")).to_contain_text(phone)
    page.get_by_test_id("old_password").fill("wrong-password-1")
    page.get_by_test_id("new_password").fill("masala-dosa-2")
    page.get_by_test_id("change-password").click()
    expect(page.get_by_test_id("password-message")).to_be_visible()
    expect(page.get_by_test_id("password-message")).not_to_contain_text("Password changed")
    page.get_by_test_id("old_password").fill(PASSWORD)
    page.get_by_test_id("change-password").click()
    expect(page.get_by_test_id("password-message")).to_contain_text("Password changed")
    shot(page, "counter-08-owner")

    with page.expect_download() as download:
        page.get_by_test_id("export-data").click()
    path = download.value.path()
    text = open(path, encoding="utf-8-sig").read()
    assert download.value.suggested_filename.endswith(".csv") and "240.00" in text
    page.context.set_offline(True)  # offline: everything on the phone, as JSON
    with page.expect_download() as download:
        page.get_by_test_id("export-data").click()
    data = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert download.value.suggested_filename.endswith(".json")
    assert {d["_id"].split(":")[0] for d in data["docs"]} >= {"business", "item", "sale", "invoice"}
    assert not any(d["_id"].startswith("_local") for d in data["docs"])
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")

    # sync goes on with the rotated credentials
    bill(page, "9876501234", [("LED bulb", "1", "")], None)
    page.get_by_test_id("invoice-issued").wait_for()
    all_sent(page)

    page.get_by_test_id("nav-owner").click()
    page.get_by_test_id("logout").click()
    page.get_by_test_id("login").wait_for()
    expect(page.get_by_test_id("sync-state")).to_have_text("Not logged in")
    log_in(page, stack, phone, "masala-dosa-2")
    expect(page.get_by_test_id("pick-LED bulb")).to_be_visible(timeout=60000)
