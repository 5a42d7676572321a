"""Sales, invoices and payments as a phone writes them, with exact money (validators/arithmetic.py).

Times are given in Indian time (IST, UTC+5:30) and stored as UTC `Z` stamps, as phones store them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote

import httpx

from shopbill.validators import arithmetic
from shopbill.validators.checks import explain
from tests.utils.accounts import login, signup

IST = timezone(timedelta(hours=5, minutes=30))
Doc = dict[str, Any]

# Whole-rupee prices, GST-inclusive, so expected values are easy to compute by hand:
# 11800 at 18 % = 10000 taxable + 1800 tax; 22400 at 12 % = 20000 + 2400; 5000 at 0 %.
SPARK_PLUG = {
    "item_id": "item:00000000-0000-4000-8000-00000000000a",
    "name": "Spark plug",
    "unit": "pcs",
    "hsn": "8511",
    "unit_price_paise": 11800,
    "gst_rate_bp": 1800,
}
BRAKE_PAD = {
    "item_id": "item:00000000-0000-4000-8000-00000000000c",
    "name": "Brake pad",
    "unit": "set",
    "hsn": "8708",
    "unit_price_paise": 22400,
    "gst_rate_bp": 1200,
}
ENGINE_OIL = {
    "item_id": "item:00000000-0000-4000-8000-00000000000b",
    "name": "Engine oil",
    "unit": "l",
    "hsn": "2710",
    "unit_price_paise": 5000,
    "gst_rate_bp": 0,
}


def stamp(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def ist(day: str, time: str = "10:00") -> datetime:
    """`ist("2026-11-05", "23:50")`: that moment in Indian time."""
    return datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=IST)


@dataclass
class Phone:
    """One shop phone: numbers its invoices in `series` and writes docs with its credentials."""

    client: httpx.Client
    db: str
    series: str = "A7"
    device_id: str = "dev_hist01"
    counter: int = 0
    written: list[Doc] = field(default_factory=list)

    def put(self, doc: Doc) -> Doc:
        response = self.client.put(f"/{self.db}/{quote(doc['_id'], safe='')}", json=doc)
        assert response.status_code == 201, response.text
        doc["_rev"] = response.json()["rev"]
        self.written.append(doc)
        return doc

    def common(self, doc_type: str, doc_id: str, at: datetime) -> Doc:
        return {
            "_id": doc_id,
            "type": doc_type,
            "schema_version": 1,
            "created_at": stamp(at),
            "updated_at": stamp(at),
            "device_id": self.device_id,
        }

    def checkout(
        self,
        customer: str,
        at: datetime,
        items: list[tuple[dict, int]],
        *,
        paid: int | None = None,
        total_override: int | None = None,
    ) -> tuple[Doc, Doc | None]:
        """A sale of `items` [(item, qty_milli)]; paid in full (None) issues an invoice too."""
        sale_uuid = str(uuid.uuid4())
        lines = []
        for item, qty in items:
            line = {**item, "price_includes_gst": True, "qty_milli": qty, "discount_paise": 0}
            lines.append({**line, **vars(arithmetic.line_money(arithmetic.line_input(line), "intra_state"))})
        subtotal = sum(line["amount_paise"] for line in lines)
        total = subtotal + arithmetic.round_off(subtotal, True)
        body = {
            "customer_phone": customer,
            "supply": "intra_state",
            "lines": lines,
            "round_off_paise": total - subtotal,
            "total_paise": total,
        }
        full = paid is None or paid == total
        sale = {
            **self.common("sale", f"sale:{sale_uuid}", at),
            **body,
            "paid_paise": total if full else paid,
            "status": "invoiced" if full else "incomplete",
        }
        self.put(sale)
        if not full:
            return sale, None
        self.counter += 1
        invoice = {
            **self.common("invoice", f"invoice:{sale_uuid}", at),
            **body,
            "sale_id": sale["_id"],
            "number": f"{self.series}/2627/{self.counter:06d}",
            "paid_paise": total,
            "issued_at": stamp(at),
        }
        if total_override is not None:  # a wrong total: the auditor flags it
            invoice.update(total_paise=total_override, paid_paise=total_override)
        else:
            assert explain(invoice) == [], explain(invoice)
        return sale, self.put(invoice)

    def payment(self, sale: Doc, amount: int, at: datetime) -> Doc:
        doc = {
            **self.common("payment", f"payment:{uuid.uuid4()}", at),
            "sale_id": sale["_id"],
            "amount_paise": amount,
            "method": "upi",
            "paid_at": stamp(at),
        }
        assert explain(doc) == [], explain(doc)
        return self.put(doc)

    def customer(self, phone: str, name: str, at: datetime) -> Doc:
        return self.put({**self.common("customer", f"customer:{phone}", at), "name": name})


def open_shop(api: Any, sms_file: Any, couch: Any) -> tuple[Doc, Phone]:
    """A new shop: its owner's login answer and its `Phone` (the device's CouchDB credentials)."""
    answer = login(api, signup(api, sms_file))
    creds = answer["couchdb"]
    return answer, Phone(client=couch.client(auth=(creds["username"], creds["password"])), db=creds["db"])
