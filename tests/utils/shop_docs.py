"""Realistic business documents, as a phone creates them while offline (tests only).

Shapes follow validators/examples/*.json; money comes from validators/arithmetic.py and
invoice numbers from validators/numbering/, so every document is one the rules accept.
Deterministic for a given seed.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from shopbill.validators import arithmetic
from shopbill.validators.numbering import next_invoice_number

Doc = dict[str, Any]
IST = timezone(timedelta(hours=5, minutes=30))

GROUPS = ["Engine parts", "Brakes", "Lights & bulbs", "Wiring", "Oils & lubricants", "Tools"]
ITEMS = [  # name, unit, hsn, unit price (paise), GST rate (basis points)
    ("Spark plug NGK", "pcs", "8511", 25000, 2800),
    ("Brake pad set", "set", "8708", 145000, 2800),
    ("H4 halogen bulb", "pcs", "8539", 18000, 1800),
    ("LED bulb 9W", "pcs", "8539", 9900, 1200),
    ("Copper wire 1.5 sq mm", "m", "8544", 2250, 1800),
    ("Engine oil 20W-40", "l", "2710", 38500, 1800),
    ("नारियल तेल (Coconut oil)", "l", "1513", 9999, 500),
    ("Spanner set", "set", "8204", 79900, 1800),
    ("Insulation tape", "pcs", "3919", 1500, 1800),
    ("Grease", "kg", "3403", 42000, 1800),
]
PHONES = [f"+9198{n:08d}" for n in (12345678, 76543210, 11122233, 45678901, 99887766, 10203040)]


class ShopDocs:
    """One phone's documents: catalogue first, then sales over several simulated days."""

    def __init__(self, *, seed: int = 7, device_id: str = "dev_test01", series: str = "A7") -> None:
        self.rng = random.Random(seed)
        self.device_id = device_id
        self.series = series
        self.counters: dict[str, int] = {}
        self.items: list[Doc] = []

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def common(self, doc_type: str, doc_id: str, at: datetime) -> Doc:
        stamp = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return {
            "_id": doc_id,
            "type": doc_type,
            "schema_version": 1,
            "created_at": stamp,
            "updated_at": stamp,
            "device_id": self.device_id,
        }

    def catalogue(self, at: datetime) -> list[Doc]:
        """Groups and the items in them."""
        groups = [
            {**self.common("group", f"group:{self.uuid()}", at), "name": name, "position": i, "archived": False}
            for i, name in enumerate(GROUPS)
        ]
        for i, (name, unit, hsn, price, rate) in enumerate(ITEMS):
            self.items.append(
                {
                    **self.common("item", f"item:{self.uuid()}", at),
                    "name": name,
                    "group_id": groups[i % len(groups)]["_id"],
                    "unit_price_paise": price,
                    "price_includes_gst": True,
                    "unit": unit,
                    "hsn": hsn,
                    "gst_rate_bp": rate,
                    "archived": False,
                }
            )
        return groups + self.items

    def sale(self, at: datetime, *, paid: str) -> list[Doc]:
        """A checkout paid "full" (sale + invoice), "part" (sale + later payment) or "none"."""
        sale_uuid = self.uuid()
        lines = []
        for item in self.rng.sample(self.items, self.rng.randint(1, 4)):
            qty = self.rng.choice([1000, 2000, 1500, 250, 5000])
            line = {
                "item_id": item["_id"],
                "name": item["name"],
                "unit": item["unit"],
                "hsn": item["hsn"],
                "unit_price_paise": item["unit_price_paise"],
                "price_includes_gst": True,
                "gst_rate_bp": item["gst_rate_bp"],
                "qty_milli": qty,
                "discount_paise": 0,
            }
            money = arithmetic.line_money(arithmetic.line_input(line), "intra_state")
            lines.append({**line, **vars(money)})
        subtotal = sum(line["amount_paise"] for line in lines)
        total = subtotal + arithmetic.round_off(subtotal, True)
        body = {
            "customer_phone": self.rng.choice(PHONES),
            "supply": "intra_state",
            "lines": lines,
            "round_off_paise": total - subtotal,
            "total_paise": total,
        }
        at_checkout = total if paid == "full" else total // 2 if paid == "part" else 0
        sale = {
            **self.common("sale", f"sale:{sale_uuid}", at),
            **body,
            "paid_paise": at_checkout,
            "status": "invoiced" if paid == "full" else "incomplete",
        }
        if paid == "full":
            return [sale, self.invoice(sale_uuid, body, at)]
        if paid == "part":
            later = at + timedelta(minutes=30)
            payment = {
                **self.common("payment", f"payment:{self.uuid()}", later),
                "sale_id": sale["_id"],
                "amount_paise": total // 4,
                "method": "upi",
                "paid_at": self.common("payment", "", later)["created_at"],
            }
            return [sale, payment]
        return [sale]

    def invoice(self, sale_uuid: str, body: Doc, at: datetime) -> Doc:
        """The invoice of a sale paid in full, numbered in this phone's series."""
        number = next_invoice_number(self.series, at, self.counters)
        self.counters[number.fy] = number.counter
        doc = self.common("invoice", f"invoice:{sale_uuid}", at)
        return {
            **doc,
            "sale_id": f"sale:{sale_uuid}",
            "number": str(number),
            **body,
            "paid_paise": body["total_paise"],
            "issued_at": doc["created_at"],
        }

    def days(self, count: int, *, total: int, start: datetime | None = None) -> list[Doc]:
        """Exactly `total` docs: the catalogue on day 1, then sales spread over `count` days."""
        day0 = start or datetime(2026, 11, 23, 9, 30, tzinfo=IST)
        docs = self.catalogue(day0)
        while len(docs) < total:
            day = (len(docs) * count) // total
            at = day0 + timedelta(days=day, minutes=len(docs) % 600)  # the day's sales in order
            left = total - len(docs)
            paid = "none" if left == 1 else self.rng.choices(["full", "part", "none"], [8, 1, 1])[0]
            docs.extend(self.sale(at, paid=paid))
        return docs
