"""Building blocks shared by the document schemas: ids, text, money, timestamps, common fields.

Patterns use the portable subset of `regex_subset.py` (no `.`, no `\\d`). Caps keep every
money value below 2^53 so JavaScript numbers hold them exactly.
"""

from __future__ import annotations

from typing import Any

UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"  # canonical lowercase
E164 = r"\+[1-9][0-9]{6,14}"
# Years 2000-2999 only (as checks.py): a year-9999 stamp passed and overflowed the readers.
TIMESTAMP = (
    r"^2[0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
    r"T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?Z$"
)  # RFC 3339, UTC

UNIT_PRICE_MAX = 10**9  # ₹1 crore
QTY_MILLI_MAX = 10**8  # 100,000 units, in thousandths
LINE_PAISE_MAX = 2 * 10**14  # 10^9 × 10^5 plus at most 40 % GST on top
TOTAL_PAISE_MAX = 10**15  # < 2^53 ≈ 9.007 × 10^15
LINES_MAX = 500
GST_RATES_BP = [0, 25, 300, 500, 1200, 1800, 2800, 4000]
UNITS = [
    "pcs",
    "kg",
    "g",
    "l",
    "ml",
    "m",
    "cm",
    "ft",
    "sqft",
    "box",
    "set",
    "pair",
    "dozen",
    "pack",
    "roll",
    "bag",
    "bottle",
    "can",
]
SUPPLY = ["intra_state", "inter_state"]


def doc_id(prefix: str, tail: str = UUID) -> dict[str, Any]:
    """A `<prefix>:<tail>` id string."""
    return {"type": "string", "pattern": f"^{prefix}:{tail}$"}


def text(max_length: int, min_length: int = 1) -> dict[str, Any]:
    """Free text (any script): length in characters, no leading or trailing whitespace."""
    return {
        "type": "string",
        "minLength": min_length,
        "maxLength": max_length,
        "not": {"type": "string", "pattern": r"^[ \t\n\r]|[ \t\n\r]$"},
    }


def integer(minimum: int, maximum: int) -> dict[str, Any]:
    """An integer in [minimum, maximum]; `1.0` is not an integer here (see checks.py)."""
    return {"type": "integer", "minimum": minimum, "maximum": maximum}


def enum(values: list[Any]) -> dict[str, Any]:
    return {"enum": list(values)}


def pattern(regex: str) -> dict[str, Any]:
    return {"type": "string", "pattern": regex}


TIME = pattern(TIMESTAMP)
PHONE = pattern(f"^{E164}$")
DEVICE_ID = pattern("^[A-Za-z0-9_-]{1,64}$")
MONEY = integer(0, LINE_PAISE_MAX)
DISCOUNT_BP = integer(0, 10000)  # a percentage discount in basis points (10000 = 100 %)


def document(
    type_name: str,
    version: int,
    id_schema: dict[str, Any],
    fields: dict[str, Any],
    required: list[str],
    description: str,
) -> dict[str, Any]:
    """A complete document schema: CouchDB fields, the common fields, then `fields`."""
    properties = {
        "_id": id_schema,
        "_rev": pattern("^[1-9][0-9]{0,9}-[0-9a-f]{1,64}$"),
        "_revisions": {"type": "object"},  # CouchDB's own revision history, shown to VDUs
        "_deleted": {"const": False},  # deletions are rules of their own (rules.py)
        "type": {"const": type_name},
        "schema_version": {"const": version},
        "created_at": TIME,
        "updated_at": TIME,
        "device_id": DEVICE_ID,
        **fields,
    }
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": f"https://shopbill.invalid/schemas/v{version}/{type_name}.json",
        "title": type_name,
        "description": description,
        "type": "object",
        "additionalProperties": False,
        "required": ["_id", "type", "schema_version", "created_at", "updated_at", "device_id", *required],
        "properties": properties,
    }


def line_item() -> dict[str, Any]:
    """One cart line, with snapshots of the item and the computed money (arithmetic.py)."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [
            "item_id",
            "name",
            "unit",
            "unit_price_paise",
            "price_includes_gst",
            "gst_rate_bp",
            "qty_milli",
            "discount_paise",
            "amount_paise",
            "taxable_paise",
            "cgst_paise",
            "sgst_paise",
            "igst_paise",
        ],
        "properties": {
            "item_id": doc_id("item"),
            "name": text(100),
            "unit": enum(UNITS),
            "hsn": pattern("^[0-9]{4,8}$"),
            "unit_price_paise": integer(1, UNIT_PRICE_MAX),
            "price_includes_gst": {"type": "boolean"},
            "gst_rate_bp": enum(GST_RATES_BP),
            "qty_milli": integer(1, QTY_MILLI_MAX),
            "discount_paise": MONEY,
            "discount_bp": DISCOUNT_BP,
            "bill_discount_paise": MONEY,
            "amount_paise": MONEY,
            "taxable_paise": MONEY,
            "cgst_paise": MONEY,
            "sgst_paise": MONEY,
            "igst_paise": MONEY,
        },
    }


def credit_line() -> dict[str, Any]:
    """One corrected invoice line: which line, how much of it, and the money credited."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [
            "line_index",
            "qty_milli",
            "amount_paise",
            "taxable_paise",
            "cgst_paise",
            "sgst_paise",
            "igst_paise",
        ],
        "properties": {
            "line_index": integer(0, LINES_MAX - 1),
            "qty_milli": integer(1, QTY_MILLI_MAX),
            "amount_paise": MONEY,
            "taxable_paise": MONEY,
            "cgst_paise": MONEY,
            "sgst_paise": MONEY,
            "igst_paise": MONEY,
        },
    }


def lines(item: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "minItems": 1, "maxItems": LINES_MAX, "items": item}
