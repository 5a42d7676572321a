"""Pay by UPI on a 390×844 phone: without a UPI ID the payment sheet says where to add one and a
UPI sale still goes through; the owner sets the UPI ID under Shop (a malformed one is refused on the
phone); the next UPI sale shows the shop's QR for the bill's amount, big enough to scan, until the
owner taps Received; a part paid by UPI shows the QR for that part; the sale paid in part prints
a bill of dues whose QR asks for exactly what is due, and it fits A4, 80 mm and 58 mm paper; the
rest paid by UPI from Dues shows the QR for it.
The QRs are read back with a QR decoder (jsQR, the app's dev dependency) in the page, so they carry
the `upi://pay` link, not just a picture."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tests.app.conftest import ARTIFACTS, fresh_phone, shot
from tests.app.flows import add_group, add_item, bill, business_db, says, server_docs, sign_up, wait_for
from tests.app.test_invoice_layouts import OVERFLOWS, WIDTHS

UPI_ID = "murugan.spares@okaxis"
JSQR = Path(__file__).resolve().parents[2] / "app" / "node_modules" / "jsqr" / "dist" / "jsQR.js"
# the app is served with a Content-Security-Policy; the test adds the decoder to the page itself
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "bypass_csp": True,
}
# draws an <img> of the QR on a canvas, 8 px a module or more, and decodes it
READ_QR = """async (img) => {
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 480;
  const c = canvas.getContext('2d');
  c.fillStyle = '#fff'; c.fillRect(0, 0, 480, 480);
  c.drawImage(img, 0, 0, 480, 480);
  const found = jsQR(c.getImageData(0, 0, 480, 480).data, 480, 480);
  return found ? found.data : null;
}"""


def read_qr(frame, selector: str) -> dict[str, list[str]]:
    """The `upi://pay` link in the QR at `selector` of `frame` (a page or an iframe), as parameters."""
    frame.add_script_tag(path=str(JSQR))
    link = frame.locator(selector).evaluate(READ_QR)
    assert link and link.startswith("upi://pay?"), link
    return parse_qs(urlsplit(link).query)


def test_upi_qr_at_the_counter_and_on_the_bill_of_dues(stack, browser) -> None:
    with fresh_phone(browser, PHONE) as page:
        phone = sign_up(page, stack)
        db = business_db(stack, phone)
        add_group(page, "Engine parts")
        add_item(page, "Spark plug", "640.50", "pcs", 2800)

        # no UPI ID yet: a line says where to add it, and UPI is one tap as before
        page.get_by_test_id("nav-bill").click()
        page.get_by_test_id("customer_phone").fill("9812345678")
        page.get_by_test_id("pick-Spark plug").click()
        page.get_by_test_id("charge").click()
        assert "Add your UPI ID under Shop" in page.get_by_test_id("upi-hint").inner_text()
        page.get_by_test_id("pay-upi").click()
        page.get_by_test_id("invoice-issued").wait_for()

        # the UPI ID under Shop: a malformed one is refused on the phone, a good one saved
        page.get_by_test_id("nav-owner").click()
        page.get_by_test_id("open-settings").click()
        page.get_by_test_id("save-settings").wait_for()
        page.get_by_test_id("shop_upi_id").fill("murugan spares@okaxis")
        page.get_by_test_id("save-settings").click()
        says(page, "A UPI ID looks like shopname@okaxis")
        page.get_by_test_id("shop_upi_id").fill(UPI_ID)
        page.get_by_test_id("round_off").uncheck()  # totals in paise: 640.50, not 641
        page.get_by_test_id("save-settings").click()
        says(page, "Saved")
        shot(page, "upi-01-settings")

        def synced() -> bool:  # the saved business doc reaches the phone by sync
            page.get_by_test_id("nav-bill").click()
            page.get_by_test_id("charge").wait_for()
            return page.get_by_test_id("upi-hint").count() == 0

        wait_for(synced, 60, "the UPI ID on the phone")

        # a UPI sale: the QR for the total, big on the screen, then Received issues the invoice
        total = bill(page, "9812345678", [("Spark plug", "1", "")], None, method="upi")
        qr = page.get_by_test_id("upi-qr")
        qr.wait_for()
        box = qr.bounding_box()
        assert box and box["width"] >= 250 and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
        assert page.get_by_test_id("upi-hint").count() == 0
        assert page.get_by_test_id("upi-amount").inner_text() == total.split()[-1] == "₹640.50"
        assert UPI_ID in page.get_by_test_id("upi-payee").inner_text()
        shot(page, "upi-02-counter-qr")
        params = read_qr(page, "[data-testid=upi-qr]")
        assert params == {
            "pa": [UPI_ID],
            "pn": ["Sri Murugan Auto Spares"],
            "am": ["640.50"],
            "cu": ["INR"],
            "tn": ["Bill payment"],
        }
        page.get_by_test_id("sheet-back").click()  # the customer pays cash after all: back to the methods
        assert page.get_by_test_id("pay-cash").is_visible() and not qr.is_visible()
        page.get_by_test_id("pay-upi").click()
        page.get_by_test_id("upi-received").click()
        page.get_by_test_id("invoice-issued").wait_for()
        wait_for(
            lambda: (
                len(
                    [
                        s
                        for s in server_docs(stack, db, "sale")
                        if s.get("paid_method") == "upi" and s["status"] == "invoiced"
                    ]
                )
                == 2
            ),
            60,
            "both UPI sales on the server",
        )
        invoices = wait_for(
            lambda: [i for i in server_docs(stack, db, "invoice") if "upi_id" in i.get("seller", {})],
            60,
            "the invoice issued with the UPI ID",
        )
        assert [i["seller"]["upi_id"] for i in invoices] == [UPI_ID]

        # paid in part by UPI: the QR asks for the part paid now, and Received saves the sale
        bill(page, "9812345678", [("Spark plug", "1", "")], "100", method="upi")
        page.get_by_test_id("upi-qr").wait_for()
        assert page.get_by_test_id("upi-amount").inner_text() == "₹100.00"
        assert read_qr(page, "[data-testid=upi-qr]")["am"] == ["100.00"]
        page.get_by_test_id("upi-received").click()
        page.get_by_test_id("incomplete-notice").wait_for()
        part = wait_for(
            lambda: [s for s in server_docs(stack, db, "sale") if s["status"] != "invoiced"], 60, "the part-paid sale"
        )
        assert [(s["paid_paise"], s.get("paid_method")) for s in part] == [(10000, "upi")]

        # the bill of dues asks for exactly what is due (640.50 − 100 = 540.50)
        page.get_by_test_id("nav-dues").click()
        page.locator("[data-testid=dues] button").first.click()
        page.get_by_test_id("print-due-bill").click()
        frame_el = page.get_by_test_id("invoice-frame")
        bill_frame = page.frame_locator("[data-testid=invoice-frame]")
        bill_frame.locator("#invoice .pay img").wait_for()
        text = bill_frame.locator("#invoice").inner_text()
        assert "Bill (payment due)" in text and "Tax Invoice" not in text and "Invoice No." not in text
        assert "Scan to pay ₹ 540.50 with any UPI app" in text and f"UPI ID: {UPI_ID}" in text
        shot(page, "upi-03-bill-of-dues")
        frame = frame_el.element_handle().content_frame()
        params = read_qr(frame, "#invoice .pay img")
        assert params["am"] == ["540.50"] and params["pa"] == [UPI_ID]
        assert params["tn"][0].startswith("Dues of the bill of")

        # the printed layouts: the page at each paper's width, nothing wider than its box
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for layout in ("r58", "r80", "a4"):
            width = WIDTHS[layout][0]
            frame.evaluate("l => ShopbillPrint.setLayout(document.getElementById('invoice'), l)", layout)
            frame_el.evaluate("(f, w) => { f.style.width = w + 'px'; f.style.maxWidth = 'none'; }", width)
            assert frame.evaluate(OVERFLOWS) == [], layout
            qr_box = frame.locator("#invoice .pay img").bounding_box()
            page_box = frame.locator("#invoice").bounding_box()
            assert qr_box and page_box and qr_box["width"] >= 120, (layout, qr_box)  # ≥ 32 mm at 96 px/inch
            assert qr_box["x"] >= page_box["x"] and qr_box["x"] + qr_box["width"] <= page_box["x"] + page_box["width"]
            frame_el.screenshot(path=str(ARTIFACTS / f"app-upi-04-bill-of-dues-{layout}.png"))

        # the rest paid by UPI from the dues screen: the QR asks for what is due, Received issues the invoice
        page.get_by_test_id("due-bill-back").click()
        page.get_by_test_id("pay-full-upi").click()
        assert read_qr(page, "[data-testid=upi-qr]")["am"] == ["540.50"]
        page.get_by_test_id("upi-received").click()
        page.get_by_test_id("invoice-issued").wait_for()
        payments = wait_for(lambda: server_docs(stack, db, "payment"), 60, "the payment on the server")
        assert [(p["amount_paise"], p["method"]) for p in payments] == [(54_050, "upi")]
