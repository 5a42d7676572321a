"""What a REST client asks a sale to be, in the sale doc's own field names (the phone's shape).

A request names items, quantities and discounts, the amount paid and how, and optionally the
B2B buyer (validators/schemas.py `buyer_fields`) and a whole-bill discount. Its `key` is what a
retry must repeat: the same sale id with a different key is a different sale.

The place of supply, as the phone's sale screen sets it (app/src/ui/buyer.ts): the one asked
for; else, for a B2B sale (a buyer GSTIN or name), the GSTIN's state, else the shop's; none for
a walk-in sale, which is supplied at the shop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from shopbill.services.errors import DocumentInvalid
from shopbill.validators.schemas import STATE_CODE

BUYER_FIELDS = ("buyer_gstin", "buyer_name", "buyer_address", "place_of_supply")


@dataclass(frozen=True)
class SaleRequest:
    """A sale as asked for; `lines` are `{item_id, qty_milli, discount_paise, discount_bp?}`."""

    customer_phone: str
    lines: list[dict[str, Any]]
    paid_paise: int
    paid_method: str | None = None
    buyer: dict[str, str] = field(default_factory=dict)  # the BUYER_FIELDS given
    bill_discount_paise: int = 0
    bill_discount_bp: int | None = None

    def problems(self) -> list[dict[str, str]]:
        """What contradicts itself in the request (each problem names its field)."""
        problems = [
            {"field": f"lines.{i}.discount_bp", "message": "give discount_paise or discount_bp, not both"}
            for i, line in enumerate(self.lines)
            if line.get("discount_bp") is not None and line.get("discount_paise")
        ]
        if self.bill_discount_bp is not None and self.bill_discount_paise:
            problems.append(
                {"field": "bill_discount_bp", "message": "give bill_discount_paise or bill_discount_bp, not both"}
            )
        gstin = self.buyer.get("buyer_gstin")
        if gstin is not None and not re.fullmatch(STATE_CODE, gstin[:2]):
            # as the phone's sale screen (app/src/gst.ts): a GSTIN starts with its state's code
            problems.append({"field": "buyer_gstin", "message": "its first two digits are not a GST state code"})
        if self.paid_method is not None and self.paid_paise == 0:
            problems.append({"field": "paid_method", "message": "only with paid_paise above 0"})
        return problems

    def buyer_fields(self, shop_state: str | None) -> dict[str, str]:
        """The sale's B2B fields, with the place of supply the phone would record."""
        fields = dict(self.buyer)
        if "place_of_supply" not in fields and ("buyer_gstin" in fields or "buyer_name" in fields):
            place = fields["buyer_gstin"][:2] if "buyer_gstin" in fields else shop_state
            if place:
                fields["place_of_supply"] = place
        return fields

    def bill_fields(self, bill_discount_paise: int) -> dict[str, int]:
        """The sale's whole-bill discount fields, given the discount computed in paise (a
        percentage is kept even where it comes to 0 paise, so that a retry is compared with what
        was asked)."""
        if self.bill_discount_bp:
            return {"bill_discount_paise": bill_discount_paise, "bill_discount_bp": self.bill_discount_bp}
        return {"bill_discount_paise": bill_discount_paise} if bill_discount_paise else {}

    def key(self) -> tuple[Any, ...]:
        """What a retry of this request must repeat (a place of supply left to the server is not
        compared: it follows from the rest and the shop's state)."""
        return _key(
            self.customer_phone,
            self.paid_paise,
            self.paid_method,
            dict(self.buyer),
            ("bp", self.bill_discount_bp) if self.bill_discount_bp else ("paise", self.bill_discount_paise),
            self.lines,
        )

    def key_of(self, sale: dict[str, Any]) -> tuple[Any, ...]:
        """The key of a stored sale, to compare with `key()`."""
        asked = set(self.buyer)
        bp = sale.get("bill_discount_bp")
        return _key(
            sale["customer_phone"],
            sale["paid_paise"],
            sale.get("paid_method"),
            {k: sale[k] for k in BUYER_FIELDS if k in sale and (k != "place_of_supply" or k in asked)},
            ("bp", bp) if bp else ("paise", sale.get("bill_discount_paise", 0)),
            sale["lines"],
        )

    def check(self) -> None:
        """DocumentInvalid naming each contradiction."""
        if problems := self.problems():
            raise DocumentInvalid(problems)


def _key(
    phone: str, paid: int, method: str | None, buyer: dict[str, str], bill: tuple[str, Any], lines: list[dict[str, Any]]
) -> tuple[Any, ...]:
    return (
        phone,
        paid,
        method,
        tuple(sorted(buyer.items())),
        bill,
        tuple((ln["item_id"], ln["qty_milli"], _line_discount(ln)) for ln in lines),
    )


def _line_discount(line: dict[str, Any]) -> tuple[str, int]:
    if line.get("discount_bp") is not None:
        return ("bp", int(line["discount_bp"]))
    return ("paise", int(line.get("discount_paise", 0)))
