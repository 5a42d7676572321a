"""The app in Hindi on a 390×844 phone whose language is Hindi (browser locale hi-IN): signup,
login, items, the bill, dues, customers, the day, the owner's screen and the invoice (its title
bilingual, the amount in Hindi words) all in Hindi, amounts in Indian grouping with Latin digits;
the owner's switch turns the app English at once and after a reload, and back to the phone's
language. Nothing is wider than the screen. Screenshots (tests/artifacts/app-hindi-*.png) are for
looking at: Devanagari must render (Noto Sans Devanagari, installed by scripts/install-apt.sh)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.app.conftest import ARTIFACTS, fresh_phone
from tests.app.flows import PASSWORD, add_group, add_item, bill, sign_up, wait_for
from tests.app.test_invoice_layouts import OVERFLOWS

HINDI_PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "hi-IN",
}
DEVANAGARI = "\u0900-\u097f"

# elements wider than the screen, or whose text is cut off inside them (a clipped label)
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')].filter((e) => {
    const r = e.getBoundingClientRect();
    if (!r.width || getComputedStyle(e).visibility === 'hidden') return false;
    const texty = ['BUTTON', 'SUMMARY', 'SPAN', 'H1', 'H2', 'DT', 'DD', 'A', 'STRONG', 'SMALL', 'P'];
    const clipped = texty.includes(e.tagName) && e.scrollWidth > e.clientWidth + 1
      && getComputedStyle(e).overflowX !== 'auto';
    return r.right > width + 0.5 || r.left < -0.5 || clipped;
  }).map((e) => `${e.tagName}.${e.className}: ${(e.textContent || '').trim().slice(0, 40)}`);
}"""


@pytest.fixture
def hindi_page(browser) -> Iterator[object]:
    """A fresh phone at 390×844 whose language is Hindi."""
    with fresh_phone(browser, HINDI_PHONE) as page:
        yield page


def shot(page, name: str, full: bool = False) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"app-hindi-{name}.png"), full_page=full)


def fits(page, where: str) -> None:
    assert page.evaluate(OVERFLOW_JS) == [], f"{where}: something is wider than the screen or clipped"


def test_a_hindi_phone_shows_hindi_and_the_switch_turns_english(stack, hindi_page) -> None:
    page = hindi_page
    page.goto(stack.app_url)
    expect(page.locator("#screen h1")).to_have_text("अपनी दुकान खोलें")
    assert page.evaluate("document.documentElement.lang") == "hi"
    expect(page.get_by_test_id("send-otp")).to_have_text("कोड भेजें")
    shot(page, "01-signup")
    page.get_by_test_id("send-otp").click()
    expect(page.get_by_test_id("message")).to_have_text("10 अंकों का मोबाइल नंबर डालें, जैसे 98765 43210।")

    phone = sign_up(page, stack)
    expect(page.locator("#screen h1")).to_have_text("सामान")
    expect(page.get_by_test_id("nav-bill")).to_have_text("बिल")
    add_group(page, "बर्तन")
    add_item(page, "पीतल की थाली", "123456", "pcs", 1800)  # prices include GST: totals are whole rupees
    add_item(page, "चावल", "62.40", "kg", 500)
    expect(page.get_by_test_id("item-पीतल की थाली")).to_contain_text("₹1,23,456.00/पीस")
    fits(page, "items")
    shot(page, "02-items")

    # the bill: Hindi words, Indian grouping, Latin digits; nothing wider than the phone
    page.get_by_test_id("nav-bill").click()
    expect(page.locator("#screen h1")).to_have_text("नया बिल")
    page.get_by_test_id("customer_phone").fill("9812345678")
    page.get_by_test_id("customer_name").fill("अनिल कुमार")
    page.get_by_test_id("pick-पीतल की थाली").click()
    page.get_by_test_id("pick-चावल").click()
    page.get_by_test_id("qty-1").fill("2.5")
    total = "₹1,23,612.00"  # 1,23,456 + 2.5 kg × 62.40 (GST included)
    expect(page.get_by_test_id("total")).to_have_text(f"कुल: {total}")
    expect(page.get_by_test_id("cart-count")).to_have_text("2 आइटम")
    expect(page.get_by_test_id("charge")).to_have_text("पैसे लें")
    expect(page.get_by_test_id("line-1")).to_contain_text("मात्रा (किलो)")
    page.evaluate("window.scrollTo(0, 0)")
    fits(page, "the bill")
    shot(page, "03-bill")
    page.get_by_test_id("charge").click()
    expect(page.get_by_test_id("sheet-total")).to_have_text(f"पूरा भुगतान, {total}:")
    expect(page.get_by_test_id("pay-cash")).to_have_text("नकद")
    fits(page, "the payment sheet")
    shot(page, "04-pay-sheet")
    page.get_by_test_id("pay-cash").click()

    # the invoice: bilingual title, Hindi labels and amount in words, GST terms as they are
    expect(page.get_by_test_id("invoice-issued")).to_contain_text(f"{total} का, जारी हुआ")
    expect(page.locator("#screen h1")).to_contain_text("इनवॉइस ")
    frame = page.frame_locator("[data-testid=invoice-frame]")
    expect(frame.locator("h1")).to_have_text("बिल ऑफ़ सप्लाई / Bill of Supply")
    expect(frame.locator(".words")).to_have_text("एक लाख तेईस हज़ार छह सौ बारह रुपये मात्र")
    expect(frame.locator(".totals tr:last-child")).to_have_text(f"कुल₹ {total[1:]}")
    expect(frame.locator(".lines.narrow")).to_contain_text("2.5 किलो × 62.40")
    expect(frame.locator(".signature")).to_contain_text("कृते Sri Murugan Auto Spares — अधिकृत हस्ताक्षरकर्ता")
    assert page.frames[1].evaluate("document.documentElement.lang") == "hi"
    assert page.frames[1].evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    fits(page, "the invoice")
    shot(page, "05-invoice", full=True)
    # the longer Hindi labels fit the receipts too (as test_invoice_layouts.py checks the English)
    for layout in ("r80", "r58", "phone"):
        page.frames[1].evaluate("(l) => ShopbillPrint.setLayout(document.getElementById('invoice'), l)", layout)
        assert page.frames[1].evaluate(OVERFLOWS) == [], layout

    # dues, customers, the day
    bill(page, "9898989898", [("चावल", "5", "")], "100", method="upi")
    expect(page.get_by_test_id("incomplete-notice")).to_contain_text("कुल ₹312.00, मिले ₹100.00: ₹212.00 अभी बकाया है।")
    page.get_by_test_id("nav-dues").click()
    expect(page.locator("#screen h1")).to_have_text("बकाया (अधूरी बिक्री)")
    expect(page.get_by_test_id("dues")).to_contain_text("पूरा भुगतान नहीं: ₹212.00 बकाया")
    fits(page, "dues")
    shot(page, "06-dues")
    page.get_by_test_id("nav-customers").click()
    expect(page.get_by_test_id("owes-919898989898")).to_have_text("₹212.00 बकाया")
    expect(page.get_by_test_id("owes-919812345678")).to_have_text("कुछ बकाया नहीं")
    page.get_by_test_id("customer-919812345678").click()
    expect(page.get_by_test_id("history-summary")).to_have_text(f"1 खरीद, कुल {total}।")
    fits(page, "customers")
    shot(page, "07-customers", full=True)
    page.get_by_test_id("nav-today").click()
    expect(page.locator("#screen h1")).to_have_text("आज की बिक्री")
    expect(page.get_by_test_id("collected")).to_have_text("₹1,23,712.00")
    expect(page.get_by_test_id("method-cash")).to_have_text(total)
    fits(page, "today")
    shot(page, "08-today")

    # the owner's screen: the switch follows the phone until the owner picks English
    page.get_by_test_id("nav-owner").click()
    expect(page.locator("#screen h1")).to_have_text("दुकान मालिक")
    expect(page.get_by_test_id("language")).to_have_value("auto")
    fits(page, "the owner's screen")
    shot(page, "09-owner")
    page.get_by_test_id("language").select_option("en")
    expect(page.locator("#screen h1")).to_have_text("Shop owner")
    expect(page.get_by_test_id("nav-bill")).to_have_text("Bill")
    assert page.evaluate("document.documentElement.lang") == "en"
    page.reload()
    expect(page.locator("#screen h1")).to_have_text("Shop owner")
    expect(page.get_by_test_id("language")).to_have_value("en")
    page.get_by_test_id("nav-today").click()
    expect(page.get_by_test_id("collected")).to_have_text("₹1,23,712.00")  # the same grouping in English
    expect(page.locator("#screen h1")).to_have_text("Today's takings")
    shot(page, "10-today-english")
    page.get_by_test_id("nav-owner").click()
    page.get_by_test_id("language").select_option("auto")
    expect(page.locator("#screen h1")).to_have_text("दुकान मालिक")

    # login, and a server refusal in Hindi (its error code, the catalogue's words)
    wait_for(lambda: page.get_by_test_id("pending").inner_text() == "सब भेज दिया", 60, "all sent")
    page.get_by_test_id("logout").click()
    page.get_by_test_id("login").wait_for()
    expect(page.locator("#screen h1")).to_have_text("लॉग इन")
    page.get_by_test_id("phone").fill(phone)
    page.get_by_test_id("password").fill("not-the-password-1")
    page.get_by_test_id("login").click()
    expect(page.get_by_test_id("message")).to_have_text("मोबाइल नंबर या पासवर्ड गलत है।")
    fits(page, "login")
    shot(page, "11-login")
    page.get_by_test_id("password").fill(PASSWORD)
    page.get_by_test_id("login").click()
    expect(page.get_by_test_id("pick-चावल")).to_be_visible(timeout=60000)
    assert not page.evaluate("/[A-Za-z]{4,}/.test(document.querySelector('#screen h1').textContent)")
    assert page.evaluate(f"/[{DEVANAGARI}]/.test(document.body.innerText)")


def test_an_english_phone_can_pick_hindi_before_login(stack, browser) -> None:
    with fresh_phone(browser, {**HINDI_PHONE, "locale": "en-IN"}) as page:
        page.goto(stack.app_url)
        expect(page.locator("#screen h1")).to_have_text("Open your shop")
        page.get_by_test_id("language").select_option("hi")
        expect(page.locator("#screen h1")).to_have_text("अपनी दुकान खोलें")
        page.reload()
        expect(page.locator("#screen h1")).to_have_text("अपनी दुकान खोलें")
        assert page.evaluate("document.documentElement.lang") == "hi"
