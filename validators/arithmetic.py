"""Money arithmetic of a sale, specified once: integer paise, exact, round-half-up.

Golden vectors: `validators/examples/arithmetic.json` (inputs and exact expected paise), shared
with every client. JavaScript clients use BigInt for the intermediate products.

* gross  = round_half_up(qty_milli × unit_price_paise / 1000)
* GST-inclusive price: amount = gross − discount;
  taxable = round_half_up(amount × 10000 / (10000 + rate_bp)); tax = amount − taxable
* GST-exclusive price: taxable = gross − discount; tax = round_half_up(taxable × rate_bp / 10000);
  amount = taxable + tax
* intra-state: CGST = floor(tax / 2), SGST = tax − CGST; inter-state: IGST = tax
* supply: inter-state (IGST) when the shop has a state code and the place of supply is another
  state's; intra-state (CGST + SGST) otherwise, walk-in sales being supplied at the shop
* subtotal = Σ amount; round-off (only if the shop enabled it) = the adjustment to the nearest
  rupee, 50 paise rounding up (so −49 … +50); total = subtotal + round-off
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


def round_half_up_div(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded to the nearest integer, halves away from zero (n >= 0)."""
    if numerator < 0 or denominator <= 0:
        raise ValueError("round_half_up_div expects numerator >= 0 and denominator > 0")
    return (2 * numerator + denominator) // (2 * denominator)


@dataclass(frozen=True)
class LineInput:
    qty_milli: int
    unit_price_paise: int
    gst_rate_bp: int
    price_includes_gst: bool = True
    discount_paise: int = 0


@dataclass(frozen=True)
class LineMoney:
    amount_paise: int
    taxable_paise: int
    cgst_paise: int
    sgst_paise: int
    igst_paise: int


def line_money(line: LineInput, supply: str) -> LineMoney:
    """The money of one line; raises ValueError if the discount exceeds the gross amount."""
    gross = round_half_up_div(line.qty_milli * line.unit_price_paise, 1000)
    base = gross - line.discount_paise
    if base < 0 or line.discount_paise < 0:
        raise ValueError("discount must be between 0 and the line's gross amount")
    if line.price_includes_gst:
        amount = base
        taxable = round_half_up_div(amount * 10000, 10000 + line.gst_rate_bp)
    else:
        taxable = base
        amount = taxable + round_half_up_div(taxable * line.gst_rate_bp, 10000)
    cgst, sgst, igst = split_tax(amount - taxable, supply)
    return LineMoney(amount, taxable, cgst, sgst, igst)


def split_tax(tax: int, supply: str) -> tuple[int, int, int]:
    """(CGST, SGST, IGST) of `tax`: halves for intra-state (CGST gets the floor), IGST otherwise."""
    if supply == "intra_state":
        cgst = tax // 2
        return cgst, tax - cgst, 0
    if supply == "inter_state":
        return 0, 0, tax
    raise ValueError(f"unknown supply {supply!r}")


def supply_of(shop_state: str | None, place_of_supply: str | None) -> str:
    """`inter_state` when the place of supply (a state code) is not the shop's state, else `intra_state`."""
    if shop_state and place_of_supply and place_of_supply != shop_state:
        return "inter_state"
    return "intra_state"


def round_off(subtotal_paise: int, enabled: bool) -> int:
    """The adjustment bringing `subtotal_paise` to the nearest rupee (0 when not enabled)."""
    if not enabled:
        return 0
    rest = subtotal_paise % 100
    return -rest if rest < 50 else 100 - rest


def sale_money(lines: list[LineInput], supply: str, round_off_enabled: bool) -> dict[str, object]:
    """Every computed amount of a sale, in the shape of the golden vectors' `expected`."""
    money = [line_money(line, supply) for line in lines]
    subtotal = sum(m.amount_paise for m in money)
    adjustment = round_off(subtotal, round_off_enabled)
    return {
        "lines": [asdict(m) for m in money],
        "subtotal_paise": subtotal,
        "round_off_paise": adjustment,
        "total_paise": subtotal + adjustment,
    }


def line_input(line: dict[str, object]) -> LineInput:
    """A LineInput from a sale line (or golden-vector input) dict."""
    return LineInput(
        qty_milli=int(line["qty_milli"]),  # type: ignore[call-overload]
        unit_price_paise=int(line["unit_price_paise"]),  # type: ignore[call-overload]
        gst_rate_bp=int(line["gst_rate_bp"]),  # type: ignore[call-overload]
        price_includes_gst=bool(line.get("price_includes_gst", True)),
        discount_paise=int(line.get("discount_paise", 0)),  # type: ignore[call-overload]
    )
