"""The document types of a business database (`biz_<id>`), one JSON Schema (draft 7) each.

`SCHEMA_VERSION` is the version this code writes; the rules accept every version in
`ACCEPTED_VERSIONS` (the current and the previous one), so a phone running the previous app keeps
syncing during a roll-out. When the shapes change: bump `SCHEMA_VERSION`, keep the previous
builder in `BUILDERS`, and regenerate (`python -m shopbill.validators.generate`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shopbill.validators.numbering import DEFAULT_TIME_ZONE
from shopbill.validators.numbering.series import CREDIT_NOTE_SERIES
from shopbill.validators.schema_parts import (
    DISCOUNT_BP,
    E164,
    PHONE,
    SUPPLY,
    TIME,
    TOTAL_PAISE_MAX,
    credit_line,
    doc_id,
    document,
    enum,
    integer,
    line_item,
    lines,
    pattern,
    text,
)

SCHEMA_VERSION = 1
MUTABLE_TYPES = ("business", "group", "item", "customer", "sale")
DELETABLE_TYPES = ("group", "item", "customer")
IMMUTABLE_TYPES = ("invoice", "credit_note", "payment", "audit")
TYPES = ("business", "group", "item", "customer", "sale", "payment", "invoice", "credit_note", "audit")
INVOICE_NUMBER = r"^[A-Z0-9]{1,6}/[0-9]{4}/[0-9]{1,8}$"  # <series>/<FY>/<counter>, e.g. A7/2526/000123
# A credit note is numbered in a credit-note series (numbering/series.py), never an invoice's.
CREDIT_NOTE_NUMBER = rf"^{CREDIT_NOTE_SERIES}/[0-9]{{4}}/[0-9]{{6}}$"  # e.g. C007/2627/000004, 0C/2627/000001
PAY_METHODS = ["cash", "upi", "card", "other"]
GSTIN = "^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$"
STATE_CODE = "^(0[1-9]|[12][0-9]|3[0-8]|97)$"  # GST state codes (97: other territory)
# A UPI ID (virtual payment address), `<name>@<handle>` as NPCI's apps issue them: the name of
# letters, digits, `.`, `_`, `-` (first a letter or digit), the handle (the bank's or app's, e.g.
# okaxis, ybl, paytm) of letters, digits, `.`, `-`, first a letter. Anything else (a space, a second
# `@`, a phone number without a handle) would only print a QR that no UPI app accepts.
UPI_ID = r"^[A-Za-z0-9][A-Za-z0-9._\-]{1,255}@[A-Za-z][A-Za-z0-9.\-]{1,63}$"


def buyer_fields() -> dict[str, Any]:
    """Optional B2B details of a sale and its invoice (CGST Rule 46(e), (n)): the registered
    buyer's GSTIN, name and address, and the place of supply (a state code). Absent for a walk-in
    B2C sale, which is supplied at the shop. Intra- or inter-state is `supply` (IGST when the place
    of supply is not the shop's state)."""
    return {
        "buyer_gstin": pattern(GSTIN),
        "buyer_name": text(100),
        "buyer_address": text(300),
        "place_of_supply": pattern(STATE_CODE),
    }


def shop_fields() -> dict[str, Any]:
    """The shop's details printed on its invoices (CGST Rule 46(a)): its name, address, phone,
    GSTIN (absent: not registered, a Bill of Supply) and state code; and its UPI ID, which a bill
    with money due prints as a pay-by-UPI QR."""
    return {
        "name": text(100),
        "address": text(300),
        "phone": PHONE,
        "gstin": pattern(GSTIN),
        "state_code": pattern(STATE_CODE),
        "upi_id": pattern(UPI_ID),
    }


def seller() -> dict[str, Any]:
    """The shop's details as they were when the invoice was issued (`shop_fields`, copied from the
    `business` doc at issue), so a later change of the shop's GSTIN or address changes no issued
    invoice. Optional: invoices issued before it existed have none (readers fall back to the
    `business` doc)."""
    return {"type": "object", "additionalProperties": False, "required": ["name"], "properties": shop_fields()}


def build_v1() -> dict[str, dict[str, Any]]:
    """The version-1 schemas, by type."""
    v = 1
    shop = shop_fields()
    total = integer(1, TOTAL_PAISE_MAX)  # a ₹0 sale or invoice is refused
    paid = integer(0, TOTAL_PAISE_MAX)
    bill_discount = {"bill_discount_paise": integer(0, TOTAL_PAISE_MAX), "bill_discount_bp": DISCOUNT_BP}
    number = {"type": "string", "maxLength": 16, "pattern": INVOICE_NUMBER}
    return {
        "business": document(
            "business",
            v,
            pattern("^business$"),
            {
                "name": shop["name"],
                "owner_name": text(100),
                "category": enum(["automobile", "electrical", "general_trading", "other"]),
                "address": shop["address"],
                "phone": shop["phone"],
                "gstin": shop["gstin"],
                "state_code": shop["state_code"],
                "upi_id": shop["upi_id"],
                "timezone": {
                    "type": "string",
                    "default": DEFAULT_TIME_ZONE,
                    "pattern": "^[A-Z][A-Za-z_]{1,30}(/[A-Za-z0-9_+-]{1,30}){0,2}$",
                },
                "settings": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["round_off"],
                    "properties": {"round_off": {"type": "boolean"}},
                },
            },
            ["name", "owner_name", "category", "phone", "timezone", "settings"],
            "The shop: one per business database, id `business`.",
        ),
        "group": document(
            "group",
            v,
            doc_id("group"),
            {
                "name": text(60),
                "position": integer(0, 10**6),
                "archived": {"type": "boolean"},
            },
            ["name", "position", "archived"],
            "An item group (category) of the shop's catalogue.",
        ),
        "item": document(
            "item",
            v,
            doc_id("item"),
            {
                "name": text(100),
                "group_id": doc_id("group"),
                "unit_price_paise": integer(1, 10**9),  # a ₹0 item is refused
                "price_includes_gst": {"type": "boolean", "default": True},
                "unit": line_item()["properties"]["unit"],
                "sku": pattern("^[!-~]{1,40}$"),
                "barcode": pattern("^[0-9]{8,14}$"),
                "hsn": pattern("^[0-9]{4,8}$"),
                "gst_rate_bp": line_item()["properties"]["gst_rate_bp"],
                "archived": {"type": "boolean"},
            },
            ["name", "group_id", "unit_price_paise", "price_includes_gst", "unit", "gst_rate_bp", "archived"],
            "A catalogue item; prices in integer paise, GST rate in basis points.",
        ),
        "customer": document(
            "customer",
            v,
            doc_id("customer", E164),
            {
                "name": text(100),
                "note": text(500),
            },
            [],
            "A customer, keyed by the E.164 phone number in the id.",
        ),
        "sale": document(
            "sale",
            v,
            doc_id("sale"),
            {
                "customer_phone": PHONE,
                "supply": enum(SUPPLY),
                "lines": lines(line_item()),
                "round_off_paise": integer(-50, 50),
                "total_paise": total,
                "paid_paise": paid,
                "status": enum(["incomplete", "invoiced"]),
                **buyer_fields(),
                "paid_method": enum(PAY_METHODS),  # how paid_paise was paid
                **bill_discount,
            },
            ["customer_phone", "supply", "lines", "round_off_paise", "total_paise", "paid_paise", "status"],
            "A checkout; its id is the idempotency key of the sale.",
        ),
        "payment": document(
            "payment",
            v,
            doc_id("payment"),
            {
                "sale_id": doc_id("sale"),
                "amount_paise": integer(1, TOTAL_PAISE_MAX),
                "method": enum(PAY_METHODS),
                "paid_at": TIME,
            },
            ["sale_id", "amount_paise", "method", "paid_at"],
            "A later payment against an incomplete sale. Immutable.",
        ),
        "invoice": document(
            "invoice",
            v,
            doc_id("invoice"),
            {
                "sale_id": doc_id("sale"),
                "number": number,
                "customer_phone": PHONE,
                "supply": enum(SUPPLY),
                "lines": lines(line_item()),
                "round_off_paise": integer(-50, 50),
                "total_paise": total,
                "paid_paise": total,
                "issued_at": TIME,
                **buyer_fields(),
                **bill_discount,
                "seller": seller(),
            },
            [
                "sale_id",
                "number",
                "customer_phone",
                "supply",
                "lines",
                "round_off_paise",
                "total_paise",
                "paid_paise",
                "issued_at",
            ],
            "The GST tax invoice of a fully paid sale; id `invoice:<sale uuid>`. Immutable.",
        ),
        "credit_note": document(
            "credit_note",
            v,
            doc_id("credit_note"),
            {
                "invoice_id": doc_id("invoice"),
                "number": {"type": "string", "maxLength": 16, "pattern": CREDIT_NOTE_NUMBER},
                "reason": text(200),
                "lines": lines(credit_line()),
                "total_paise": integer(1, TOTAL_PAISE_MAX),
                "issued_at": TIME,
                "refund_method": enum(PAY_METHODS),  # how the money went back, when it did
            },
            ["invoice_id", "number", "reason", "lines", "total_paise", "issued_at"],
            "A correction of an issued invoice, numbered in its own series. Immutable.",
        ),
        "audit": document(
            "audit",
            v,
            doc_id("audit"),
            {
                "subject_id": pattern("^[!-~]{1,200}$"),
                "kind": pattern("^[a-z][a-z_]{0,39}$"),
                "severity": enum(["info", "warning", "error"]),
                "message": text(500),
            },
            ["subject_id", "kind", "severity", "message"],
            "A notice from the integrity auditor for the phone to show. Immutable.",
        ),
    }


BUILDERS: dict[int, Callable[[], dict[str, dict[str, Any]]]] = {1: build_v1}
ACCEPTED_VERSIONS = tuple(v for v in (SCHEMA_VERSION - 1, SCHEMA_VERSION) if v in BUILDERS)


def schemas(version: int = SCHEMA_VERSION) -> dict[str, dict[str, Any]]:
    """The schemas of `version`, by type (fresh dicts: callers may not mutate shared state)."""
    return BUILDERS[version]()


def schema_for(doc_type: str, version: int = SCHEMA_VERSION) -> dict[str, Any] | None:
    """The schema of one type, or None for an unknown type or version."""
    if version not in BUILDERS:
        return None
    return schemas(version).get(doc_type)
