"""The bill of a sale not yet paid in full (app/print/invoice.js with `data.due`) at every width the
print page is made for: Paid and Due under the total, and the pay-by-UPI QR fitting A4, 80 mm and
58 mm paper and the phone. The QR is there only with money due and a UPI ID, and only as an SVG
data: URL (the page never loads an image from elsewhere)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.app.conftest import ARTIFACTS
from tests.app.test_invoice_layouts import BUSINESS, OVERFLOWS, WIDTHS, invoice, paper, render  # noqa: F401

# a QR-sized image (version 7 at error correction M with its quiet zone: 53 modules); the real QR
# is made by the app (app/src/upi.ts) and read back in tests/app/test_app_upi.py
QR = "data:image/svg+xml," + quote(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 53 53">'
    '<rect width="53" height="53" fill="#fff"/><path d="M4 4h45v45h-45z"/></svg>'
)
UPI = {"vpa": "murugan.spares.wholesale.and.retail@okaxis", "qr": QR}


def due_bill(due_paise: int, upi: dict | None = UPI) -> dict:
    sale = {k: v for k, v in invoice("intra_state").items() if k not in ("number", "issued_at")}
    total = sale["total_paise"]
    return {
        "invoice": {**sale, "number": "", "issued_at": sale["created_at"], "paid_paise": total - due_paise},
        "business": BUSINESS,
        "customer": {"name": "Anil"},
        "due": {"paid_paise": total - due_paise, "due_paise": due_paise, "upi": upi},
    }


@pytest.mark.parametrize("layout", list(WIDTHS))
def test_the_bill_of_dues_and_its_qr_fit_every_layout(paper, layout: str) -> None:  # noqa: F811
    width, media = WIDTHS[layout]
    page = paper(width, media)
    render(page, due_bill(12_345_678_90), layout)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"due-bill-{layout}.png"), full_page=True)
    assert page.evaluate(OVERFLOWS) == []
    text = page.locator("#invoice").inner_text()
    assert "Bill (payment due)" in text and "Tax Invoice" not in text and "Invoice No." not in text
    assert "Due\t₹ 1,23,45,678.90" in text and "Scan to pay ₹ 1,23,45,678.90 with any UPI app" in text
    qr = page.locator("#invoice .pay img").bounding_box()
    body = page.locator("#invoice").bounding_box()
    assert qr and body and abs(qr["width"] - qr["height"]) < 1
    assert body["x"] <= qr["x"] and qr["x"] + qr["width"] <= body["x"] + body["width"]
    # 40 mm on paper (at 96 px an inch), at least 32 mm where the paper is narrower
    assert qr["width"] >= (151 if layout in ("a4", "r80") else 120), qr


@pytest.mark.parametrize(
    "data",
    [
        due_bill(12_345, upi=None),  # the shop has no UPI ID
        due_bill(0),  # nothing due
        due_bill(12_345, upi={**UPI, "qr": "https://example.invalid/qr.svg"}),  # not a data: URL
        {"invoice": invoice("intra_state"), "business": BUSINESS, "customer": None},  # an issued invoice
    ],
    ids=["no-upi-id", "nothing-due", "not-a-data-url", "issued-invoice"],
)
def test_no_qr_without_money_due_a_upi_id_and_an_inline_image(paper, data: dict) -> None:  # noqa: F811
    page = paper(390)
    render(page, data, "phone")
    assert page.locator("#invoice .pay").count() == 0
    assert page.locator("#invoice img").count() == 0
