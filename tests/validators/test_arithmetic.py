"""Money arithmetic: the golden vectors every client shares, hand-checked edge cases, invariants."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopbill.validators import arithmetic
from shopbill.validators.arithmetic import (
    LineInput,
    bill_shares,
    line_input,
    line_money,
    own_discount,
    round_half_up_div,
    round_off,
    sale_money,
    split_tax,
)
from shopbill.validators.schema_parts import GST_RATES_BP, QTY_MILLI_MAX, UNIT_PRICE_MAX

VECTORS = json.loads(
    (Path(__file__).resolve().parents[2] / "validators" / "examples" / "arithmetic.json").read_text(encoding="utf-8")
)["cases"]


@pytest.mark.parametrize("case", VECTORS, ids=lambda c: c["name"])
def test_golden_vectors(case: dict[str, Any]) -> None:
    given_ = case["input"]
    lines = [line_input(line) for line in given_["lines"]]

    def run() -> dict[str, object]:
        return sale_money(
            lines,
            given_["supply"],
            given_["round_off"],
            given_.get("bill_discount_paise", 0),
            given_.get("bill_discount_bp"),
        )

    if "expected" in case:
        assert run() == case["expected"]
    else:
        with pytest.raises(ValueError, match=case["error"]):
            run()


def test_vectors_cover_the_edge_cases() -> None:
    names = {c["name"] for c in VECTORS}
    for needed in (
        "half_paisa_tie_rounds_up_1_5_kg",
        "zero_rate",
        "rate_40_percent_inclusive",
        "max_caps_one_line",
        "line_discount_inclusive",
        "round_off_negative",
        "round_off_half_rupee_up",
        "odd_tax_cgst_gets_floor",
        "inter_state_igst",
        "percent_line_discount_half_tie",
        "bill_discount_shared_by_largest_remainder",
        "bill_discount_remainder_ties_to_earlier_line",
        "bill_discount_after_line_discounts",
        "bill_discount_percent",
        "bill_discount_above_bill",
    ):
        assert needed in names


def test_hand_checked_values() -> None:
    """Worked by hand, independent of the vectors file."""
    # 1.5 kg at ₹99.99: 14998.5 -> 14999; taxable 14999 * 10000 / 11800 = 12711.02 -> 12711
    assert line_money(LineInput(1500, 9999, 1800), "intra_state").__dict__ == {
        "amount_paise": 14999,
        "taxable_paise": 12711,
        "cgst_paise": 1144,
        "sgst_paise": 1144,
        "igst_paise": 0,
    }
    assert round_half_up_div(5, 10) == 1 and round_half_up_div(4, 10) == 0
    assert round_half_up_div(15, 10) == 2 and round_half_up_div(25, 10) == 3
    assert split_tax(2289, "intra_state") == (1144, 1145, 0)
    assert split_tax(2289, "inter_state") == (0, 0, 2289)
    assert round_off(12345, True) == -45 and round_off(12350, True) == 50
    assert round_off(12351, True) == 49 and round_off(12300, True) == 0
    assert round_off(12345, False) == 0
    # caps: 10^5 units at 10^9 paise, 28 % inclusive: taxable = 10^18 / 12800 exactly
    assert line_money(LineInput(QTY_MILLI_MAX, UNIT_PRICE_MAX, 2800), "intra_state").taxable_paise == 78_125_000_000_000


def test_discount_above_gross_is_refused() -> None:
    with pytest.raises(ValueError):
        line_money(LineInput(1000, 100, 1800, True, 101), "intra_state")


def test_unknown_supply_is_refused() -> None:
    with pytest.raises(ValueError):
        split_tax(10, "export")


lines = st.builds(
    LineInput,
    qty_milli=st.integers(1, QTY_MILLI_MAX),
    unit_price_paise=st.integers(0, UNIT_PRICE_MAX),
    gst_rate_bp=st.sampled_from(GST_RATES_BP),
    price_includes_gst=st.booleans(),
)


@given(lines, st.sampled_from(["intra_state", "inter_state"]))
def test_line_invariants(line: LineInput, supply: str) -> None:
    money = line_money(line, supply)
    tax = money.cgst_paise + money.sgst_paise + money.igst_paise
    assert money.taxable_paise + tax == money.amount_paise
    assert 0 <= money.cgst_paise <= money.sgst_paise <= money.cgst_paise + 1
    assert money.amount_paise < 2**53  # exact in JavaScript numbers
    exact = line.qty_milli * line.unit_price_paise / 1000
    gross = money.amount_paise if line.price_includes_gst else money.taxable_paise
    assert abs(gross - exact) <= 0.5


@given(st.integers(0, 10**15), st.booleans())
def test_round_off_invariants(subtotal: int, enabled: bool) -> None:
    adjustment = round_off(subtotal, enabled)
    assert -49 <= adjustment <= 50
    assert (subtotal + adjustment) % 100 == 0 if enabled else adjustment == 0


def test_supply_vectors() -> None:
    path = Path(__file__).resolve().parents[2] / "validators" / "examples" / "arithmetic.json"
    vectors = json.loads(path.read_text(encoding="utf-8"))["supply_cases"]
    assert len(vectors) >= 5
    for case in vectors:
        assert arithmetic.supply_of(case["shop_state"], case["place_of_supply"]) == case["supply"], case["name"]


def test_hand_checked_discounts() -> None:
    """Worked by hand: 10 % of 59997 is 5999.7 -> 6000; ₹10 off bases 10000/5000/5000 is 500/250/250."""
    assert own_discount(LineInput(3000, 19999, 1800, discount_bp=1000)) == 6000
    assert own_discount(LineInput(1000, 100, 0, discount_bp=1250)) == 13  # 12.5 -> 13
    assert bill_shares([10000, 5000, 5000], 1000) == [500, 250, 250]
    assert bill_shares([333, 333, 333], 1) == [1, 0, 0]
    assert bill_shares([100, 200, 700], 7) == [1, 1, 5]
    assert bill_shares([0, 0], 0) == [0, 0]
    with pytest.raises(ValueError):
        bill_shares([100], 101)


@given(st.lists(st.integers(0, 10**12), min_size=1, max_size=20), st.data())
def test_bill_shares_invariants(bases: list[int], data: st.DataObject) -> None:
    discount = data.draw(st.integers(0, sum(bases)))
    shares = bill_shares(bases, discount)
    assert sum(shares) == discount
    total = sum(bases) or 1
    for base, share in zip(bases, shares, strict=True):
        assert 0 <= share <= base
        assert abs(share * total - discount * base) < total  # within one paisa of the exact share
