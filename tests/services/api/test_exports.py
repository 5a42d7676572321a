"""CSV exports parse back exactly: UTF-8 with BOM, Hindi/Tamil names, rupees with two decimals."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from tests.utils.rest_shop import new_shop, new_uuid

HINDI, TAMIL = "नारियल तेल", "தேங்காய் எண்ணெய்"


@pytest.fixture(scope="module")
def books(api, sms_file):
    """A shop with Hindi/Tamil items, an intra-state and an inter-state invoice and a credit note."""
    shop = new_shop(api, sms_file)
    group = shop.group("तेल / எண்ணெய்")
    oil = shop.item(group, name=HINDI, unit="l", hsn="1513", unit_price_paise=9999, gst_rate_bp=1800)
    big = shop.item(group, name=TAMIL, unit="l", hsn="1513", unit_price_paise=1_23_456_78, gst_rate_bp=500)
    formula = shop.item(group, name='=HYPERLINK("x")', unit_price_paise=100, gst_rate_bp=0)
    sales = []
    for lines, state in (([(oil, 1500), (big, 1000)], None), ([(oil, 1000)], "29")):
        sale = shop.post(
            "/v1/sales",
            {
                "id": new_uuid(),
                "customer_phone": "+919812345678",
                "paid_paise": 0,
                "lines": [{"item_id": it["_id"], "qty_milli": q} for it, q in lines],
                **({"customer_state_code": state} if state else {}),
            },
        ).json()["sale"]
        r = shop.post(
            f"/v1/sales/{sale['_id'].split(':')[1]}/payments",
            {"id": new_uuid(), "amount_paise": sale["total_paise"], "method": "cash"},
        )
        assert r.status_code == 201 and r.json()["invoice"], r.text
        sales.append(r.json()["invoice"])
    r = shop.post(
        f"/v1/invoices/{sales[0]['sale_id'].split(':')[1]}/credit-notes",
        {"id": new_uuid(), "reason": "Damaged tin", "lines": [{"line_index": 1, "qty_milli": 1000}]},
    )
    assert r.status_code == 201, r.text
    return shop, sales, r.json(), formula


def read_csv(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def paise(text: str) -> int:
    value = Decimal(text)
    assert value == value.quantize(Decimal("0.01")) and "." in text and len(text.split(".")[1]) == 2
    return int(value * 100)


def test_invoices_csv(books):
    shop, invoices, _, _ = books
    rows = read_csv(shop.get("/v1/exports/invoices.csv", params={"from": "2020-04-01", "to": "2099-03-31"}))
    assert {r["invoice_number"] for r in rows} == {i["number"] for i in invoices}
    for inv in invoices:
        row = next(r for r in rows if r["invoice_number"] == inv["number"])
        assert paise(row["invoice_value"]) == inv["total_paise"]
        assert paise(row["round_off"]) == inv["round_off_paise"]
        for tax in ("cgst", "sgst", "igst", "taxable"):
            col = "taxable_value" if tax == "taxable" else tax
            assert paise(row[col]) == sum(ln[f"{tax}_paise"] for ln in inv["lines"])
    big = next(r for r in rows if r["invoice_number"] == invoices[0]["number"])
    # ₹1,23,456.78 + ₹149.99 = ₹1,23,606.77, rounded off (the shop's setting) by +0.23
    assert big["invoice_value"] == "123607.00" and big["round_off"] == "0.23"
    assert read_csv(shop.get("/v1/exports/invoices.csv", params={"to": "2000-01-01"})) == []


def test_items_csv_keeps_hindi_and_tamil_names_and_defuses_formulas(books):
    shop, _, _, formula = books
    rows = read_csv(shop.get("/v1/exports/items.csv"))
    by_name = {r["name"]: r for r in rows}
    assert by_name[HINDI]["price"] == "99.99" and by_name[HINDI]["gst_rate_percent"] == "18"
    assert by_name[TAMIL]["price"] == "123456.78" and by_name[TAMIL]["group"] == "तेल / எண்ணெய்"
    assert by_name["'" + formula["name"]]["item_id"] == formula["_id"]


def test_gstr1_csv_per_rate_with_credit_notes(books):
    shop, invoices, note, _ = books
    rows = read_csv(shop.get("/v1/exports/gstr1.csv"))
    first = [r for r in rows if r["document_number"] == invoices[0]["number"]]
    assert sorted(r["gst_rate_percent"] for r in first) == ["18", "5"]
    assert all(r["place_of_supply"] == "33" and r["supply"] == "intra_state" for r in first)
    assert sum(paise(r["taxable_value"]) for r in first) == sum(ln["taxable_paise"] for ln in invoices[0]["lines"])
    inter = [r for r in rows if r["document_number"] == invoices[1]["number"]]
    assert len(inter) == 1 and paise(inter[0]["igst"]) > 0 and inter[0]["cgst"] == "0.00"
    assert inter[0]["place_of_supply"] == invoices[1]["place_of_supply"] == "29"  # the invoice keeps it
    credit = [r for r in rows if r["document_type"] == "credit_note"]
    assert len(credit) == 1 and credit[0]["original_invoice_number"] == invoices[0]["number"]
    assert credit[0]["gst_rate_percent"] == "5" and paise(credit[0]["document_value"]) == note["total_paise"]


def test_exports_are_per_tenant_and_need_a_caller(api, sms_file, books):
    other = new_shop(api, sms_file)
    assert read_csv(other.get("/v1/exports/invoices.csv")) == []
    assert [r["name"] for r in read_csv(other.get("/v1/exports/items.csv"))] == []
    assert api.get("/v1/exports/items.csv").status_code == 401
    bad = books[0].get("/v1/exports/gstr1.csv", params={"from": "2026-05-02", "to": "2026-05-01"})
    assert bad.status_code == 422 and bad.json()["fields"][0]["field"] == "to"
    for params, field in (({"from": "0001-01-01"}, "from"), ({"to": "9999-12-31"}, "to")):
        bad = books[0].get("/v1/exports/invoices.csv", params=params)
        assert bad.status_code == 422 and bad.json()["fields"][0]["field"] == field
