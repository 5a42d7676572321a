"""POST /v1/sales takes what the phone's sale screen writes, and writes the phone's doc shape:
the B2B buyer (GSTIN with its check character, name, address, place of supply → IGST out of the
shop's state), percentage line discounts, a whole-bill discount shared over the lines before tax,
and how the amount paid was paid. Bad input is 422 naming the field."""

from __future__ import annotations

import pytest

from shopbill.validators import arithmetic
from shopbill.validators.checks import explain
from tests.utils.rest_shop import new_shop, new_uuid

KARNATAKA_BUYER = "29AAACM1234A1Z4"
TAMIL_NADU_BUYER = "33AABCT1332L1ZL"  # the shop's own state (33)
# The keys a phone writes (app/src/shop.ts `priceCart`, `checkout`): a line's bill share and
# percentage only when it has them, the bill's percentage only when one was asked for.
SALE_KEYS = {"_id", "_rev", "type", "schema_version", "created_at", "updated_at", "device_id", "customer_phone"}
SALE_KEYS |= {"supply", "lines", "round_off_paise", "total_paise", "paid_paise", "status"}
LINE_KEYS = {"item_id", "name", "unit", "hsn", "unit_price_paise", "price_includes_gst", "gst_rate_bp", "qty_milli"}
LINE_KEYS |= {"discount_paise", "amount_paise", "taxable_paise", "cgst_paise", "sgst_paise", "igst_paise"}


@pytest.fixture(scope="module")
def shop(api, sms_file):
    return new_shop(api, sms_file)


@pytest.fixture(scope="module")
def items(shop):
    group = shop.group("Mixed")
    oil = shop.item(group, name="Engine oil", unit="l", hsn="2710", unit_price_paise=45000, gst_rate_bp=1800)
    plug = shop.item(group, name="Spark plug", unit_price_paise=25000, gst_rate_bp=2800, price_includes_gst=False)
    return oil, plug


def body(items, paid: int = 0, **extra):
    oil, plug = items
    lines = [{"item_id": oil["_id"], "qty_milli": 2500}, {"item_id": plug["_id"], "qty_milli": 3000}]
    return {"id": new_uuid(), "customer_phone": "+919812345678", "paid_paise": paid, "lines": lines, **extra}


def expected_money(items, supply: str, line_discounts: list[dict], **bill) -> dict:
    inputs = [
        arithmetic.LineInput(
            qty_milli=qty,
            unit_price_paise=item["unit_price_paise"],
            gst_rate_bp=item["gst_rate_bp"],
            price_includes_gst=item["price_includes_gst"],
            **discount,
        )
        for item, qty, discount in zip(items, (2500, 3000), line_discounts, strict=True)
    ]
    return arithmetic.sale_money(inputs, supply, True, **bill)


def post(shop, payload, status: int = 201) -> dict:
    r = shop.post("/v1/sales", payload)
    assert r.status_code == status, r.text
    return r.json()


def test_a_b2b_sale_out_of_state_charges_igst_and_its_invoice_keeps_the_buyer(shop, items, admin):
    buyer = {"buyer_gstin": KARNATAKA_BUYER, "buyer_name": "Karnataka Motors", "buyer_address": "5 MG Road, Bengaluru"}
    money = expected_money(items, "inter_state", [{}, {}])
    made = post(shop, body(items, money["total_paise"], **buyer))
    sale, invoice = made["sale"], made["invoice"]
    # the place of supply is the GSTIN's state, as the phone's sale screen picks it
    assert sale["place_of_supply"] == "29" and sale["supply"] == "inter_state"
    assert [ln["igst_paise"] for ln in sale["lines"]] == [ln["igst_paise"] for ln in money["lines"]]
    assert all(ln["cgst_paise"] == ln["sgst_paise"] == 0 for ln in sale["lines"])
    assert {k: invoice[k] for k in (*buyer, "place_of_supply", "supply")} == {
        **buyer,
        "place_of_supply": "29",
        "supply": "inter_state",
    }
    for doc in (sale, invoice):
        assert explain(admin.get(f"/{shop.db}/{doc['_id']}").json()) == []


def test_a_buyer_in_the_shops_state_is_intra_state(shop, items):
    sale = post(shop, body(items, buyer_gstin=TAMIL_NADU_BUYER))["sale"]
    assert sale["place_of_supply"] == "33" and sale["supply"] == "intra_state"
    named = post(shop, body(items, buyer_name="Kovai Traders"))["sale"]  # no GSTIN: the shop's state
    assert named["place_of_supply"] == "33" and named["supply"] == "intra_state"
    asked = post(shop, body(items, buyer_gstin=TAMIL_NADU_BUYER, place_of_supply="32"))["sale"]
    assert asked["place_of_supply"] == "32" and asked["supply"] == "inter_state"
    walk_in = post(shop, body(items))["sale"]
    assert "place_of_supply" not in walk_in and walk_in["supply"] == "intra_state"
    old_name = post(shop, body(items, customer_state_code="29"))["sale"]
    assert old_name["place_of_supply"] == "29" and old_name["supply"] == "inter_state"


def test_discounts_and_payment_method_have_the_phones_shape(shop, items, admin):
    line_discounts = [{"discount_bp": 1000}, {"discount_paise": 2000}]
    money = expected_money(items, "intra_state", line_discounts, bill_discount_paise=5000)
    payload = body(items, money["total_paise"], bill_discount_paise=5000, paid_method="upi")
    payload["lines"][0]["discount_bp"] = 1000
    payload["lines"][1]["discount_paise"] = 2000
    made = post(shop, payload)
    sale, invoice = made["sale"], made["invoice"]
    assert set(sale) == SALE_KEYS | {"paid_method", "bill_discount_paise"}
    assert sale["paid_method"] == "upi" and sale["bill_discount_paise"] == 5000
    assert sale["total_paise"] == money["total_paise"] and sale["round_off_paise"] == money["round_off_paise"]
    assert set(sale["lines"][0]) == LINE_KEYS | {"discount_bp", "bill_discount_paise"}
    assert set(sale["lines"][1]) == LINE_KEYS | {"bill_discount_paise"}
    for line, computed in zip(sale["lines"], money["lines"], strict=True):
        assert {k: line.get(k, 0) for k in computed} == computed
    assert sum(ln["bill_discount_paise"] for ln in sale["lines"]) == 5000
    assert invoice["bill_discount_paise"] == 5000 and invoice["lines"] == sale["lines"]
    assert explain(admin.get(f"/{shop.db}/{invoice['_id']}").json()) == []

    percent = expected_money(items, "intra_state", [{}, {}], bill_discount_bp=250)
    sale = post(shop, body(items, 10000, bill_discount_bp=250, paid_method="cash"))["sale"]
    assert sale["bill_discount_bp"] == 250 and sale["bill_discount_paise"] == percent["bill_discount_paise"]
    assert sale["total_paise"] == percent["total_paise"] and sale["status"] == "incomplete"
    plain = post(shop, body(items))["sale"]  # nothing paid, no discount: none of the optional keys
    assert set(plain) == SALE_KEYS and all(set(ln) == LINE_KEYS for ln in plain["lines"])


def test_a_retry_must_repeat_the_phone_fields(shop, items):
    payload = body(items, 0, buyer_gstin=KARNATAKA_BUYER, bill_discount_bp=500)
    first = post(shop, payload)
    assert post(shop, payload, 200) == first
    for changed in (
        {"buyer_name": "Someone else"},
        {"bill_discount_bp": 600},
        {"bill_discount_bp": None, "bill_discount_paise": 100},
        {"place_of_supply": "32"},
        {"paid_paise": 100, "paid_method": "card"},
    ):
        r = shop.post("/v1/sales", {k: v for k, v in {**payload, **changed}.items() if v is not None})
        assert r.status_code == 409 and r.json()["error"] == "idempotency_conflict", changed
    # the place of supply the server picked is not part of what a retry repeats
    assert post(shop, {**payload, "place_of_supply": "29"}, 200) == first


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"buyer_gstin": "29AAACM1234A1Z5"}, "buyer_gstin"),  # a typo: the check character fails
        ({"buyer_gstin": "29AACM1234A1Z4"}, "buyer_gstin"),
        ({"buyer_gstin": "99AAACM1234A1ZX"}, "buyer_gstin"),  # the check character fits; 99 is no state
        ({"buyer_name": "x" * 101}, "buyer_name"),
        ({"buyer_address": ""}, "buyer_address"),
        ({"place_of_supply": "39"}, "place_of_supply"),
        ({"place_of_supply": "29", "customer_state_code": "32"}, "customer_state_code"),
        ({"bill_discount_paise": 10**9}, "bill_discount_paise"),
        ({"bill_discount_paise": -1}, "bill_discount_paise"),
        ({"bill_discount_bp": 10001}, "bill_discount_bp"),
        ({"bill_discount_bp": 100, "bill_discount_paise": 100}, "bill_discount_bp"),
        ({"paid_method": "cheque", "paid_paise": 100}, "paid_method"),
        ({"paid_method": "cash"}, "paid_method"),  # nothing paid: nothing paid by cash
        ({"bill_discount_paise": 5000, "paid_paise": 10**7}, "paid_paise"),
    ],
)
def test_bad_phone_fields_are_422_naming_the_field(shop, items, change, field):
    r = shop.post("/v1/sales", body(items, **change))
    assert r.status_code == 422, r.text
    assert r.json()["error"] == "validation_failed" and [f["field"] for f in r.json()["fields"]] == [field]


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"discount_bp": 10001}, "lines.0.discount_bp"),
        ({"discount_bp": 1000, "discount_paise": 100}, "lines.0.discount_bp"),
        ({"discount_paise": 10**8}, "lines.0.discount_paise"),
    ],
)
def test_bad_line_discounts_are_422_naming_the_line(shop, items, line, field):
    payload = body(items)
    payload["lines"][0].update(line)
    r = shop.post("/v1/sales", payload)
    assert r.status_code == 422 and [f["field"] for f in r.json()["fields"]] == [field], r.text
