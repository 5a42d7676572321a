"""The printable invoice (app/print/) at every width it is made for: A4, 80 mm and 58 mm thermal
receipts and the phone screen (390 px). An invoice with long item names (Hindi, Tamil, an unbroken
word) and big amounts must fit: no cell, table or block may be wider than its box (a clipped
column on paper). Screenshots go to tests/artifacts/ to look at.

Also the Rule 46 content: "Tax Invoice" with the shop's GSTIN ("Bill of Supply" without), the
buyer's GSTIN and place of supply, IGST for an inter-state supply, an HSN summary; a whole-bill
discount shown so that every printed line and the totals add up."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest

from shopbill.validators import arithmetic
from shopbill.validators.checks import explain
from tests.app.conftest import ARTIFACTS

PRINT_PAGE = Path(__file__).resolve().parents[2] / "app" / "print" / "index.html"
# layout -> (viewport width in CSS px, media): paper widths at 96 px per inch; A4 also as printed
# (210 mm less the 12 mm margins of its @page)
WIDTHS = {"a4": (794, "screen"), "r80": (302, "screen"), "r58": (219, "screen"), "phone": (390, "screen")}
NAME_MAX = 100  # the schema's longest item name
OIL = "Castrol GTX Ultraclean 10W-40 API SN Engine Oil for Bajaj Pulsar, TVS Apache & Hero Splendor (4 litre can)"
LONG = OIL[:NAME_MAX]
LINES = [
    (
        "नारियल तेल शुद्ध कच्ची घानी (Coconut oil, cold pressed) — पारिवारिक पैक, 5 लीटर जार",
        "1513",
        "l",
        99_99_999_99,
        1800,
        100_000_000,
        True,
    ),
    (LONG, "27101980", "can", 1_00_00_000_00, 2800, 99_999_000, False),
    ("ஸ்பார்க் பிளக் இரிடியம் — Bosch", "8511", "pcs", 25_000, 2800, 2_000, True),
    ("Supercalifragilisticexpialidociousnessunbreakablewordwithoutanyspaces1234567890", "", "pcs", 1, 0, 1_000, True),
    ("Brake shoe", "8708", "set", 45_000, 1200, 3_000, True),
]


def invoice(supply: str) -> dict:
    lines = []
    for i, (name, hsn, unit, price, bp, qty, incl) in enumerate(LINES):
        line = {
            "item_id": f"item:0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c{i:02d}",
            "name": name,
            "unit": unit,
            "unit_price_paise": price,
            "price_includes_gst": incl,
            "gst_rate_bp": bp,
            "qty_milli": qty,
            "discount_paise": 1_000 if i == 2 else 0,
        }
        if hsn:
            line["hsn"] = hsn
        lines.append(line)
    money = arithmetic.sale_money([arithmetic.line_input(ln) for ln in lines], supply, True)
    for line, m in zip(lines, money["lines"]):
        line.update(m)
    doc = {
        "_id": "invoice:9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
        "type": "invoice",
        "schema_version": 1,
        "created_at": "2026-11-25T10:15:00Z",
        "updated_at": "2026-11-25T10:15:00Z",
        "device_id": "dev_7f3a9c",
        "sale_id": "sale:9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
        "number": "A7/2627/00012345",
        "customer_phone": "+919812345678",
        "supply": supply,
        "lines": lines,
        "round_off_paise": money["round_off_paise"],
        "total_paise": money["total_paise"],
        "paid_paise": money["total_paise"],
        "issued_at": "2026-11-25T10:15:00Z",
        "buyer_name": "Karnataka Motors and Automobile Spare Parts Distributors Private Limited",
        "buyer_address": "No. 1234, 5th Cross, 10th Main Road, Rajajinagar Industrial Estate, Bengaluru 560010",
        "buyer_gstin": "29AAACM1234A1Z4",
    }
    if supply == "inter_state":
        doc["place_of_supply"] = "29"
    assert explain(doc) == [], explain(doc)
    return doc


BUSINESS = {
    "name": "Sri Murugan Auto Spares and Lubricants Wholesale & Retail",
    "phone": "+919876543210",
    "address": "12 Gandhi Road, Near Town Hall Bus Stop, R.S. Puram, Coimbatore 641001, Tamil Nadu",
    "gstin": "33AAACM1234A1ZF",
    "state_code": "33",
    "timezone": "Asia/Kolkata",
    "settings": {"round_off": True},
}

OVERFLOWS = """() => {
  const bad = [];
  const boxes = document.querySelectorAll('#invoice, #invoice *');
  for (const el of boxes) {
    if (!el.getClientRects().length || el.tagName === 'WBR') continue;
    const clipped = el.scrollWidth > el.clientWidth && el.clientWidth > 0;
    const squashed = el.tagName !== 'TR' && el.tagName !== 'TBODY' && el.scrollWidth > 0 && el.clientWidth === 0;
    if (clipped || squashed) {
      bad.push(`${el.tagName}.${el.className}: ${el.scrollWidth} > ${el.clientWidth}: ${el.textContent.slice(0, 40)}`);
    }
  }
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth) bad.push(`page: ${doc.scrollWidth} > ${doc.clientWidth}`);
  return bad;
}"""


def render(page, data: dict, layout: str) -> None:
    page.goto(PRINT_PAGE.as_uri())
    page.evaluate(
        "([data, layout]) => ShopbillPrint.render(data, document.getElementById('invoice'), layout)", [data, layout]
    )


@pytest.fixture
def paper(browser):
    pages = []

    def open_at(width: int, media: str = "screen"):
        context = browser.new_context(viewport={"width": width, "height": 900}, device_scale_factor=2)
        page = context.new_page()
        page.emulate_media(media=media)
        pages.append(context)
        return page

    yield open_at
    for context in pages:
        context.close()


@pytest.mark.parametrize("supply", ["inter_state", "intra_state"])
@pytest.mark.parametrize("layout", list(WIDTHS))
def test_every_layout_fits_its_width(paper, layout: str, supply: str) -> None:
    width, media = WIDTHS[layout]
    page = paper(width, media)
    data = {"invoice": invoice(supply), "business": BUSINESS, "customer": {"name": "Anil"}}
    render(page, data, layout)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"invoice-{layout}-{supply}.png"), full_page=True)
    assert page.evaluate(OVERFLOWS) == []
    text = page.locator("#invoice").inner_text()
    assert "Tax Invoice" in text and "GSTIN: 33AAACM1234A1ZF" in text and "GSTIN: 29AAACM1234A1Z4" in text
    assert "A7/2627/00012345" in text and "HSN summary" in text.replace("HSN SUMMARY", "HSN summary")
    if supply == "inter_state":
        assert "Place of supply" in text and "Karnataka (29)" in text and "IGST" in text and "CGST" not in text
    else:
        assert "Tamil Nadu (33)" in text and "CGST" in text and "IGST" not in text.replace("(IGST)", "")


def test_a4_fits_the_printed_page(paper) -> None:
    page = paper(703, "print")  # 210 mm less 2 × 12 mm of @page margin
    render(page, {"invoice": invoice("intra_state"), "business": BUSINESS, "customer": None}, "a4")
    assert page.evaluate(OVERFLOWS) == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(ARTIFACTS / "invoice-a4-print.pdf"), format="A4")


def test_bill_of_supply_without_a_gstin_and_the_view(paper) -> None:
    page = paper(390)
    business = {k: v for k, v in BUSINESS.items() if k not in ("gstin",)}
    data = {
        "invoice": {k: v for k, v in invoice("intra_state").items() if not k.startswith("buyer")},
        "business": business,
        "customer": {"name": "अनिल कुमार"},
    }
    render(page, data, "phone")
    text = page.locator("#invoice").inner_text()
    assert "Bill of Supply" in text and "Tax Invoice" not in text and "GSTIN" not in text
    assert "अनिल कुमार" in text
    view = page.evaluate("data => ShopbillPrint.invoiceView(data)", copy.deepcopy(data))
    hsn = {r["hsn"]: r for r in view["hsn"]}
    assert set(hsn) == {"1513", "27101980", "8511", "—", "8708"}
    lines = data["invoice"]["lines"]
    assert hsn["1513"]["taxable"] == page.evaluate("p => ShopbillPrint.formatRupees(p)", lines[0]["taxable_paise"])
    assert json.dumps(view["totals"][-1]).startswith('["Total"')


def test_the_page_picks_a_layout_from_its_address(paper) -> None:
    page = paper(800)
    page.goto(PRINT_PAGE.as_uri() + "?layout=r58")
    page.evaluate(
        "data => ShopbillPrint.render(data, document.getElementById('invoice'))",
        {"invoice": invoice("intra_state"), "business": BUSINESS, "customer": None},
    )
    assert page.get_attribute("html", "data-layout") == "r58"


def discounted_invoice() -> dict:
    """An invoice with a line's own discount (rupees, and a percentage) and a 10 % bill discount,
    prices with and without GST."""
    lines = []
    for i, (price, bp, qty, incl, own) in enumerate(
        [
            (45_000, 1800, 2_500, True, {"discount_bp": 500}),
            (25_000, 2800, 3_000, False, {"discount_paise": 2_000}),
            (9_999, 0, 1_000, True, {}),
        ]
    ):
        line = {
            "item_id": f"item:0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c{i:02d}",
            "name": f"Item {i + 1}",
            "unit": "pcs",
            "unit_price_paise": price,
            "price_includes_gst": incl,
            "gst_rate_bp": bp,
            "qty_milli": qty,
            "discount_paise": 0,
            **own,
        }
        lines.append(line)
    money = arithmetic.sale_money(
        [arithmetic.line_input(ln) for ln in lines], "intra_state", True, bill_discount_bp=1000
    )
    for line, m in zip(lines, money["lines"]):
        line.update({k: v for k, v in m.items() if k != "bill_discount_paise" or v})
    doc = {
        **invoice("intra_state"),
        "lines": lines,
        "round_off_paise": money["round_off_paise"],
        "total_paise": money["total_paise"],
        "paid_paise": money["total_paise"],
        "bill_discount_paise": money["bill_discount_paise"],
        "bill_discount_bp": 1000,
    }
    assert explain(doc) == [], explain(doc)
    return doc


def paise(text: str) -> int:
    """Paise of a printed amount such as "1,23,456.78" (a rate may say "(incl. GST)" after it)."""
    rupees, decimals = text.split()[0].replace(",", "").split(".")
    return int(rupees) * 100 + int(decimals)


def test_a_bill_discount_is_printed_so_every_figure_adds_up(paper) -> None:
    doc = discounted_invoice()
    page = paper(794)
    render(page, {"invoice": doc, "business": BUSINESS, "customer": None}, "a4")
    assert page.evaluate(OVERFLOWS) == []
    rows = page.evaluate("""() => [...document.querySelectorAll('table.lines.wide tr')].slice(1)
        .map((tr) => [...tr.cells].map((td) => td.textContent))""")
    assert len(rows) == len(doc["lines"])
    shown_discounts = 0
    for cells in rows:
        _, _, _, qty, rate, discount, taxable, _, tax, amount = cells
        gross = arithmetic.round_half_up_div(int(Decimal(qty.split()[0]) * 1000) * paise(rate), 1000)
        # qty × rate less the printed discount is the taxable value, or the amount when the
        # rate includes GST; the taxable value plus the printed tax is the amount
        after_discount = gross - paise(discount)
        assert after_discount == (paise(amount) if "incl. GST" in rate else paise(taxable)), cells
        assert paise(taxable) + sum(paise(t) for t in tax.split(" / ")) == paise(amount), cells
        shown_discounts += paise(discount)
    own = sum(line["discount_paise"] for line in doc["lines"])
    assert shown_discounts == own + doc["bill_discount_paise"]
    note = page.locator("#invoice .bill-discount").inner_text()
    assert page.evaluate("p => ShopbillPrint.formatRupees(p)", doc["bill_discount_paise"]) in note and "(10%)" in note
    totals = dict(
        page.evaluate("""() => [...document.querySelectorAll('table.totals tr')]
        .map((tr) => [tr.cells[0].textContent, tr.cells[1].textContent])""")
    )
    parts = sum(paise(totals[k]) for k in ("Taxable value", "CGST", "SGST"))
    assert parts + doc["round_off_paise"] == paise(totals["Total"].lstrip("₹ ")) == doc["total_paise"]
    assert sum(paise(r[9]) for r in rows) + doc["round_off_paise"] == doc["total_paise"]
    # the receipt layouts show the same discount per line and the same note
    render(page, {"invoice": doc, "business": BUSINESS, "customer": None}, "r80")
    narrow = page.locator("#invoice .lines.narrow").inner_text()
    for cells in rows:
        assert f"less {cells[5]}" in narrow
    assert page.locator("#invoice .bill-discount").is_visible() and page.evaluate(OVERFLOWS) == []
