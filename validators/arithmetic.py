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

Discounts (all optional, all taken off before tax, so GST is charged on what the customer pays):

* a line's own discount is `discount_paise`, or, for a percentage discount, `discount_bp` basis
  points of its gross: discount = round_half_up(gross × discount_bp / 10000) (10000 = 100 %);
* a whole-bill discount is `bill_discount_paise`, or `bill_discount_bp` basis points of the bill
  (Σ of the lines' gross − own discount, rounded half up); it is shared out over the lines in
  proportion to that base (largest remainder: each line gets the floor of its exact share, the
  paise left over go one each to the largest remainders, ties to the earlier line) and each
  line's share is its `bill_discount_paise`;
* a line's amount is then computed on gross − discount_paise − bill_discount_paise.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace


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
    discount_bp: int | None = None  # a percentage line discount; when set, discount_paise follows from it
    bill_discount_paise: int = 0  # this line's share of a whole-bill discount (bill_shares)


@dataclass(frozen=True)
class LineMoney:
    amount_paise: int
    taxable_paise: int
    cgst_paise: int
    sgst_paise: int
    igst_paise: int


def gross_paise(line: LineInput) -> int:
    """qty × price, rounded half up to the paisa."""
    return round_half_up_div(line.qty_milli * line.unit_price_paise, 1000)


def own_discount(line: LineInput) -> int:
    """The line's own discount: `discount_bp` of its gross when set, else `discount_paise`."""
    if line.discount_bp is None:
        return line.discount_paise
    if not 0 <= line.discount_bp <= 10000:
        raise ValueError("a percentage discount must be between 0 % and 100 %")
    return round_half_up_div(gross_paise(line) * line.discount_bp, 10000)


def line_money(line: LineInput, supply: str) -> LineMoney:
    """The money of one line; raises ValueError if the discounts exceed the gross amount."""
    gross = gross_paise(line)
    discount = own_discount(line)
    base = gross - discount - line.bill_discount_paise
    if base < 0 or discount < 0 or line.bill_discount_paise < 0:
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


def bill_shares(bases: list[int], discount: int) -> list[int]:
    """`discount` shared out over lines in proportion to `bases` (largest remainder, ties to the
    earlier line); raises ValueError when it is negative or more than Σ bases."""
    total = sum(bases)
    if discount < 0 or discount > total:
        raise ValueError("the bill discount must be between 0 and the bill's amount")
    if discount == 0:
        return [0 for _ in bases]
    shares = [discount * b // total for b in bases]
    rests = sorted(range(len(bases)), key=lambda i: (-(discount * bases[i] % total), i))
    for i in rests[: discount - sum(shares)]:
        shares[i] += 1
    return shares


def bill_discount(bases: list[int], paise: int = 0, bp: int | None = None) -> int:
    """The whole-bill discount in paise: `bp` basis points of Σ bases (half up) when set."""
    if bp is None:
        return paise
    if not 0 <= bp <= 10000:
        raise ValueError("a percentage discount must be between 0 % and 100 %")
    return round_half_up_div(sum(bases) * bp, 10000)


def sale_money(
    lines: list[LineInput],
    supply: str,
    round_off_enabled: bool,
    bill_discount_paise: int = 0,
    bill_discount_bp: int | None = None,
) -> dict[str, object]:
    """Every computed amount of a sale, in the shape of the golden vectors' `expected`.

    Each line's `bill_discount_paise` is ignored here: its share is computed from the bill's."""
    own = [own_discount(line) for line in lines]
    bases = [gross_paise(line) - d for line, d in zip(lines, own, strict=True)]
    if any(b < 0 or d < 0 for b, d in zip(bases, own, strict=True)):
        raise ValueError("discount must be between 0 and the line's gross amount")
    bill = bill_discount(bases, bill_discount_paise, bill_discount_bp)
    shares = bill_shares(bases, bill)
    money = [
        line_money(replace(line, bill_discount_paise=share), supply) for line, share in zip(lines, shares, strict=True)
    ]
    subtotal = sum(m.amount_paise for m in money)
    adjustment = round_off(subtotal, round_off_enabled)
    return {
        "lines": [
            {**asdict(m), "discount_paise": d, "bill_discount_paise": share}
            for m, d, share in zip(money, own, shares, strict=True)
        ],
        "bill_discount_paise": bill,
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
        discount_bp=None if line.get("discount_bp") is None else int(line["discount_bp"]),  # type: ignore[call-overload]
        bill_discount_paise=int(line.get("bill_discount_paise", 0)),  # type: ignore[call-overload]
    )
