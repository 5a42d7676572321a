"""Python-side checks: exact lengths, integers, arithmetic, invoices, and field-named problems."""

from __future__ import annotations

import copy
from typing import Any

from shopbill.validators.checks import explain, gstin_check_digit_ok, is_valid, schema_problems
from tests.validators.test_schemas import example


def fields(problems: list[dict[str, str]]) -> list[str]:
    return [p["field"] for p in problems]


def test_problems_name_the_fields() -> None:
    doc = example("sale")
    del doc["customer_phone"]
    doc["lines"][1]["qty_milli"] = "2"
    doc["colour"] = "red"
    assert sorted(fields(explain(doc))) == ["colour", "customer_phone", "lines.1.qty_milli"]


def test_unknown_type_and_version() -> None:
    assert fields(explain({"type": "coupon", "schema_version": 1})) == ["type"]
    assert fields(explain({**example("group"), "schema_version": 99})) == ["schema_version"]
    assert fields(explain([])) == [""]


def test_string_lengths_are_exact_in_characters() -> None:
    doc = example("group")
    doc["name"] = "ह" * 60  # 60 characters, 180 bytes: valid
    assert explain(doc) == []
    doc["name"] = "த" * 61
    assert fields(explain(doc)) == ["name"]


def test_names_are_trimmed() -> None:
    doc = example("group")
    doc["name"] = " Engine"
    assert explain(doc) == [{"field": "name", "message": "must not start or end with whitespace"}]


def test_one_point_zero_is_not_an_integer() -> None:
    doc = example("group")
    doc["position"] = 1.0
    assert fields(explain(doc)) == ["position"]


def test_trailing_newline_does_not_pass_a_pattern() -> None:
    doc = example("payment")
    doc["sale_id"] += "\n"
    assert fields(schema_problems(doc)) == ["sale_id"]


def test_sale_arithmetic_is_checked() -> None:
    doc = example("sale")
    doc["lines"][0]["amount_paise"] += 1
    assert fields(explain(doc)) == ["lines.0.amount_paise"]  # the total follows the true amounts
    doc = example("sale")
    doc["lines"][1]["cgst_paise"], doc["lines"][1]["sgst_paise"] = 5360, 5359  # CGST takes the floor
    assert fields(explain(doc)) == ["lines.1.cgst_paise", "lines.1.sgst_paise"]
    doc = example("sale")
    doc["round_off_paise"], doc["total_paise"] = 0, doc["total_paise"] - 1
    doc["paid_paise"] = doc["total_paise"]
    assert explain(doc) == []  # round-off off is allowed
    doc["round_off_paise"], doc["total_paise"] = -20, doc["total_paise"] - 20
    doc["paid_paise"] = doc["total_paise"]
    assert fields(explain(doc)) == ["round_off_paise"]


def test_discount_above_gross_names_the_discount() -> None:
    doc = example("sale")
    doc["lines"][0]["discount_paise"] = 10**6
    assert "lines.0.discount_paise" in fields(explain(doc))


def test_invoice_requires_paid_equal_total() -> None:
    doc = example("invoice")
    doc["paid_paise"] -= 1
    assert explain(doc) == [{"field": "paid_paise", "message": "an invoice is issued only when paid == total"}]


def test_invoice_id_names_its_sale() -> None:
    doc = example("invoice")
    doc["sale_id"] = "sale:00000000-0000-4000-8000-000000000000"
    assert fields(explain(doc)) == ["sale_id"]


def test_invoice_number_matches_the_financial_year() -> None:
    doc = example("invoice")
    doc["number"] = "A7/2526/000123"  # issued 2026-11-25: FY 2026-27
    assert fields(explain(doc)) == ["number"]
    doc["issued_at"] = doc["created_at"] = doc["updated_at"] = "2026-03-31T18:00:00Z"  # 23:30 IST
    assert explain(doc) == []


def test_the_financial_year_of_a_number_is_a_date_in_the_business_time_zone() -> None:
    doc = example("invoice")
    doc["number"] = "A7/2526/000123"
    doc["issued_at"] = doc["created_at"] = doc["updated_at"] = "2026-03-31T19:00:00Z"  # 1 April, 00:30 IST
    assert fields(explain(doc)) == ["number"]
    assert explain(doc, time_zone="Asia/Dubai") == []  # 23:00 on 31 March there


def test_calendar_dates_are_real() -> None:
    doc = example("payment")
    doc["paid_at"] = "2026-02-30T10:00:00Z"
    assert fields(explain(doc)) == ["paid_at"]


def test_credit_note_totals() -> None:
    doc = example("credit_note")
    doc["total_paise"] += 1
    assert fields(explain(doc)) == ["total_paise"]


def test_business_gstin_timezone_state() -> None:
    assert gstin_check_digit_ok("27AAPFU0939F1ZV") and not gstin_check_digit_ok("27AAPFU0939F1ZW")
    doc = example("business")
    doc["timezone"] = "Asia/Nowhere"
    doc["state_code"] = "27"
    assert sorted(fields(explain(doc))) == ["state_code", "timezone"]


def test_transitions_explained() -> None:
    invoice = example("invoice")
    changed = copy.deepcopy(invoice)
    changed["total_paise"] += 100
    assert {"field": "_id", "message": "invoice documents are immutable"} in explain(changed, invoice)
    assert fields(explain({"_id": invoice["_id"], "_deleted": True}, invoice)) == ["_deleted"]
    group = example("group")
    assert explain({"_id": group["_id"], "_deleted": True}, group) == []
    sale = example("sale")
    back: dict[str, Any] = {**sale, "status": "incomplete"}
    assert fields(explain(back, sale)) == ["status"]
    assert is_valid(sale, {**sale, "status": "incomplete"})


def test_b2b_invoice_buyer_gstin_and_place_of_supply() -> None:
    """A B2B invoice carries the buyer's GSTIN, name, address and the place of supply (Rule 46);
    an inter-state one charges IGST (the shared arithmetic), and a mistyped buyer GSTIN is refused."""
    from shopbill.validators import arithmetic

    doc = example("invoice")
    doc.update(
        buyer_gstin="29AAACM1234A1Z4",
        buyer_name="Karnataka Motors",
        buyer_address="5 MG Road, Bengaluru",
        place_of_supply="29",
        supply="inter_state",
    )
    for line in doc["lines"]:
        line.update(vars(arithmetic.line_money(arithmetic.line_input(line), "inter_state")))
    assert all(line["igst_paise"] and not line["cgst_paise"] for line in doc["lines"])
    assert gstin_check_digit_ok("29AAACM1234A1Z4")
    assert explain(doc) == []
    assert fields(explain({**doc, "buyer_gstin": "29AAACM1234A1Z5"})) == ["buyer_gstin"]
    assert fields(explain({**doc, "buyer_gstin": "29aaacm1234a1z4"})) == ["buyer_gstin"]
    assert fields(explain({**doc, "place_of_supply": "39"})) == ["place_of_supply"]
    assert fields(explain({**doc, "buyer_name": " Karnataka"})) == ["buyer_name"]
    # the same fields on the sale; still no unknown field
    sale = {**example("sale"), "buyer_gstin": "29AAACM1234A1Z4", "place_of_supply": "33"}
    assert explain(sale) == []
    assert fields(explain({**sale, "buyer_state": "29"})) == ["buyer_state"]


def _discounted_sale(**bill: int) -> dict[str, Any]:
    """The example sale repriced with a 10 % discount on line 0 and a whole-bill discount."""
    from shopbill.validators.arithmetic import line_input, sale_money

    doc = example("sale")
    doc["lines"][0]["discount_bp"] = 1000
    money = sale_money([line_input(ln) for ln in doc["lines"]], doc["supply"], doc["round_off_paise"] != 0, **bill)
    for line, computed in zip(doc["lines"], money["lines"], strict=True):  # type: ignore[call-overload]
        line.update(computed)
        if not line["bill_discount_paise"]:
            del line["bill_discount_paise"]
    doc.update({k: v for k, v in bill.items()}, bill_discount_paise=money["bill_discount_paise"])
    doc["total_paise"] = money["total_paise"]
    doc["round_off_paise"] = money["round_off_paise"]
    doc["paid_paise"], doc["status"] = 0, "incomplete"
    return doc


def test_percentage_and_bill_discounts_are_checked() -> None:
    doc = _discounted_sale(bill_discount_paise=1001)
    assert explain(doc) == []
    assert explain(_discounted_sale(bill_discount_bp=750)) == []
    wrong = copy.deepcopy(doc)
    wrong["lines"][0]["discount_paise"] += 1  # not 10 % of the gross
    assert "lines.0.discount_paise" in fields(explain(wrong))
    wrong = copy.deepcopy(doc)
    wrong["lines"][0]["bill_discount_paise"] += 1  # not its share of the bill discount
    wrong["lines"][1]["bill_discount_paise"] -= 1
    assert "lines.0.bill_discount_paise" in fields(explain(wrong))
    wrong = copy.deepcopy(_discounted_sale(bill_discount_bp=750))
    wrong["bill_discount_paise"] += 1
    assert fields(explain(wrong))[0] == "bill_discount_paise"


def test_zero_rupee_items_and_sales_are_refused() -> None:
    item = example("item")
    item["unit_price_paise"] = 0
    assert fields(explain(item)) == ["unit_price_paise"]
    sale = example("sale")
    sale["total_paise"] = 0
    assert "total_paise" in fields(explain(sale))


def test_invoice_seller_snapshot_is_checked_like_the_shop() -> None:
    """The shop's details frozen on an invoice (`seller`) obey the business doc's GSTIN rules;
    an invoice without one (issued before the snapshot existed) is still valid."""
    doc = example("invoice")
    assert explain(doc) == []
    assert explain({k: v for k, v in doc.items() if k != "seller"}) == []
    seller = doc["seller"]
    assert fields(explain({**doc, "seller": {**seller, "gstin": "33AAACM1234A1ZG"}})) == ["seller.gstin"]
    assert fields(explain({**doc, "seller": {**seller, "state_code": "29"}})) == ["seller.state_code"]
    no_gstin = {k: v for k, v in seller.items() if k != "gstin"}  # not registered: a Bill of Supply
    assert explain({**doc, "seller": no_gstin}) == []
    assert fields(explain({**doc, "seller": {"gstin": seller["gstin"]}})) == ["seller.name"]
    assert fields(explain({**doc, "seller": {**seller, "owner_name": "Murugan"}})) == ["seller.owner_name"]
