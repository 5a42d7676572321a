"""Python-side checks: the exact schema verdict plus the rules Mango cannot express.

The services call `explain(doc, old_doc)` to say why a write is (or would be) refused, as
`[{"field": "lines.0.amount_paise", "message": ...}]`; the integrity auditor calls it on what
arrived by replication. An empty list means valid.

Exact here, approximate or absent in the VDU (README "Which rule is enforced where"):
string lengths of non-ASCII text, `1.0` for an integer (JavaScript targets), the arithmetic of
sales, invoices and credit notes (arithmetic.py), paid == total for an invoice, the invoice id
naming its sale, the financial year of an invoice number, calendar-valid timestamps, GSTIN
check digit and state (the shop's, its snapshot on an invoice, a buyer's check digit), IANA time
zone names.
"""

from __future__ import annotations

import re
from datetime import datetime, tzinfo
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from jsonschema import Draft7Validator, ValidationError, validators

from shopbill.validators import arithmetic
from shopbill.validators.numbering import DEFAULT_TIME_ZONE, NUMBERED_TYPES, financial_year
from shopbill.validators.regex_subset import translate_pattern
from shopbill.validators.schemas import ACCEPTED_VERSIONS, DELETABLE_TYPES, IMMUTABLE_TYPES, schema_for

Problem = dict[str, str]


def _is_integer(checker: Any, instance: Any) -> bool:
    # 1.0 is not an integer: CouchDB's $mod refuses it, so Python must too (JSON from
    # JavaScript never contains it: JSON.stringify(1.0) is "1").
    return isinstance(instance, int) and not isinstance(instance, bool)


@lru_cache(maxsize=256)
def _portable(pattern: str) -> re.Pattern[str]:
    return re.compile(translate_pattern(pattern))


def _pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Any:
    # Same regex as the VDU: `$` means the very end (no trailing newline), see regex_subset.py.
    if validator.is_type(instance, "string") and not _portable(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


DocumentValidator = validators.extend(
    Draft7Validator,
    validators={"pattern": _pattern},
    type_checker=Draft7Validator.TYPE_CHECKER.redefine("integer", _is_integer),
)


@lru_cache(maxsize=64)
def validator_for(doc_type: str, version: int) -> Any:
    """The cached exact validator of one type and version, or None if unknown."""
    schema = schema_for(doc_type, version)
    return None if schema is None else DocumentValidator(schema)


def _field(path: Any) -> str:
    return ".".join(str(p) for p in path)


def schema_problems(doc: Any) -> list[Problem]:
    """Where `doc` breaks the schema of its type (exactly, in characters and JSON types)."""
    if not isinstance(doc, dict):
        return [{"field": "", "message": "a document must be a JSON object"}]
    version = doc.get("schema_version")
    if type(version) is not int or version not in ACCEPTED_VERSIONS:
        return [{"field": "schema_version", "message": f"must be one of {list(ACCEPTED_VERSIONS)}"}]
    validator = validator_for(str(doc.get("type")), version)
    if validator is None:
        return [{"field": "type", "message": f"unknown document type {doc.get('type')!r}"}]
    problems = []
    for error in sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path))):
        problems.extend(_describe(error))
    return problems


def _describe(error: ValidationError) -> list[Problem]:
    base = list(error.absolute_path)
    if error.validator == "required":
        return [
            {"field": _field([*base, name]), "message": "is required"}
            for name in error.validator_value
            if name not in error.instance
        ]
    if error.validator == "additionalProperties":
        known = error.schema.get("properties", {})
        return [
            {"field": _field([*base, name]), "message": "is not an allowed field"}
            for name in error.instance
            if name not in known
        ]
    if error.validator == "not" and error.schema.get("type") == "string":
        return [{"field": _field(base), "message": "must not start or end with whitespace"}]
    return [{"field": _field(base), "message": error.message}]


def rule_problems(doc: dict[str, Any], time_zone: str | tzinfo = DEFAULT_TIME_ZONE) -> list[Problem]:
    """The rules JSON Schema cannot express, for a schema-valid document of a business in
    `time_zone` (its `timezone`: the financial year of a number is a date there)."""
    problems = [
        {"field": name, "message": f"is not a real UTC date and time in {FIRST_YEAR}-{LAST_YEAR}"}
        for name in ("created_at", "updated_at", "issued_at", "paid_at")
        if name in doc and not _real_time(doc[name])
    ]
    if problems:
        return problems  # the rules below parse these dates: a bad one would only raise
    doc_type = doc["type"]
    if doc_type in ("sale", "invoice"):
        problems += _money_problems(doc)
    if doc_type == "invoice":
        if doc["paid_paise"] != doc["total_paise"]:
            problems.append({"field": "paid_paise", "message": "an invoice is issued only when paid == total"})
        if doc["_id"].split(":", 1)[1] != doc["sale_id"].split(":", 1)[1]:
            problems.append({"field": "sale_id", "message": "must name the sale of the invoice id"})
    if doc_type in NUMBERED_TYPES and doc["number"].split("/")[1] != financial_year(doc["issued_at"], time_zone):
        problems.append({"field": "number", "message": "financial year does not match issued_at"})
    if doc_type == "credit_note":
        problems += _credit_problems(doc)
    if doc_type == "business":
        problems += _business_problems(doc)
    if doc_type in ("sale", "invoice") and "buyer_gstin" in doc and not gstin_check_digit_ok(doc["buyer_gstin"]):
        problems.append({"field": "buyer_gstin", "message": "check digit does not match"})
    if doc_type == "invoice" and "seller" in doc:
        seller = doc["seller"]
        problems += [
            {**p, "field": f"seller.{p['field']}"}
            for p in gstin_problems(seller.get("gstin"), seller.get("state_code"))
        ]
    return problems


def _money_problems(doc: dict[str, Any]) -> list[Problem]:
    problems = _discount_problems(doc)
    subtotal = 0
    for i, line in enumerate(doc["lines"]):
        try:
            money = arithmetic.line_money(arithmetic.line_input(line), doc["supply"])
        except ValueError as exc:
            problems.append({"field": f"lines.{i}.discount_paise", "message": str(exc)})
            continue
        for name, value in vars(money).items():
            if line[name] != value:
                problems.append({"field": f"lines.{i}.{name}", "message": f"must be {value}"})
        subtotal += money.amount_paise
    if doc["round_off_paise"] not in (0, arithmetic.round_off(subtotal, True)):
        problems.append({"field": "round_off_paise", "message": f"must be 0 or {arithmetic.round_off(subtotal, True)}"})
    if doc["total_paise"] != subtotal + doc["round_off_paise"]:
        problems.append(
            {"field": "total_paise", "message": f"must be {subtotal + doc['round_off_paise']} (lines + round-off)"}
        )
    if doc["paid_paise"] > doc["total_paise"]:
        problems.append({"field": "paid_paise", "message": "must not exceed total_paise"})
    return problems


def _discount_problems(doc: dict[str, Any]) -> list[Problem]:
    """Percentage line discounts and the whole-bill discount's shares (arithmetic.py)."""
    problems: list[Problem] = []
    inputs = [arithmetic.line_input(line) for line in doc["lines"]]
    for i, line in enumerate(inputs):
        own = arithmetic.own_discount(line)
        if line.discount_bp is not None and line.discount_paise != own:
            problems.append({"field": f"lines.{i}.discount_paise", "message": f"must be {own}"})
    bases = [arithmetic.gross_paise(line) - arithmetic.own_discount(line) for line in inputs]
    stated = doc.get("bill_discount_paise", 0)
    if "bill_discount_bp" in doc:
        wanted = arithmetic.bill_discount(bases, bp=doc["bill_discount_bp"])
        if stated != wanted:
            return [*problems, {"field": "bill_discount_paise", "message": f"must be {wanted}"}]
    if any(b < 0 for b in bases) or stated > sum(bases):
        return [*problems, {"field": "bill_discount_paise", "message": "must not exceed the lines' amount"}]
    for i, share in enumerate(arithmetic.bill_shares(bases, stated)):
        if inputs[i].bill_discount_paise != share:
            problems.append({"field": f"lines.{i}.bill_discount_paise", "message": f"must be {share}"})
    return problems


def _credit_problems(doc: dict[str, Any]) -> list[Problem]:
    problems = []
    for i, line in enumerate(doc["lines"]):
        tax = line["cgst_paise"] + line["sgst_paise"] + line["igst_paise"]
        if line["taxable_paise"] + tax != line["amount_paise"]:
            problems.append({"field": f"lines.{i}.amount_paise", "message": "must be taxable + tax"})
    if doc["total_paise"] != sum(line["amount_paise"] for line in doc["lines"]):
        problems.append({"field": "total_paise", "message": "must be the sum of the line amounts"})
    return problems


def _business_problems(doc: dict[str, Any]) -> list[Problem]:
    problems = []
    if not _known_zone(doc["timezone"]):
        problems.append({"field": "timezone", "message": "is not an IANA time zone"})
    return problems + gstin_problems(doc.get("gstin"), doc.get("state_code"))


def gstin_problems(gstin: str | None, state_code: str | None) -> list[Problem]:
    """What is wrong with a (well-formed) GSTIN and the state code beside it: a mistyped
    character breaks the check digit, and the GSTIN's first two digits are its state."""
    problems = []
    if gstin is not None and not gstin_check_digit_ok(gstin):
        problems.append({"field": "gstin", "message": "check digit does not match"})
    if gstin is not None and state_code is not None and gstin[:2] != state_code:
        problems.append({"field": "state_code", "message": "must match the GSTIN's first two digits"})
    return problems


def text_problems(value: Any, path: tuple[Any, ...] = ()) -> list[Problem]:
    """Strings (and field names) holding an unpaired UTF-16 surrogate: JSON can carry one as
    `\\ud800`, but it is not Unicode text and cannot be encoded as UTF-8 (hashes, answers, CSV)."""
    if isinstance(value, str):
        return (
            []
            if _encodable(value)
            else [{"field": _field(path), "message": "is not valid Unicode text (unpaired surrogate)"}]
        )
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    problems = []
    for key, item in items:
        name = key if isinstance(key, int) or _encodable(key) else "?"
        if name == "?":
            problems.append({"field": _field((*path, name)), "message": "the field name is not valid Unicode text"})
        problems += text_problems(item, (*path, name))
    return problems


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


# The years a shop's timestamps may name (the VDU's TIMESTAMP pattern says the same): outside
# them, converting to the shop's zone overflows Python's datetime at year 9999.
FIRST_YEAR, LAST_YEAR = 2000, 2999


def _real_time(value: str) -> bool:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return FIRST_YEAR <= moment.year <= LAST_YEAR


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(available_timezones()) | {"UTC"}  # scans the tz database: once


def _known_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return name in _zones()


GSTIN_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def gstin_check_digit_ok(gstin: str) -> bool:
    """The GSTIN's 15th character is the mod-36 check character of the first 14."""
    total = 0
    for i, ch in enumerate(gstin[:14]):
        product = GSTIN_CHARS.index(ch) * (2 if i % 2 else 1)
        total += product // 36 + product % 36
    return GSTIN_CHARS[(36 - total % 36) % 36] == gstin[14]


def transition_problems(doc: dict[str, Any], old_doc: dict[str, Any] | None) -> list[Problem]:
    """The VDU's history rules, for explaining a refusal (same decisions as rules.py)."""
    if old_doc is None or old_doc.get("_deleted") is True:
        return []
    old_type = old_doc.get("type")
    if doc.get("_deleted") is True:
        prefix = str(doc.get("_id", "")).split(":", 1)[0]
        ok = prefix in DELETABLE_TYPES
        return [] if ok else [{"field": "_deleted", "message": f"{old_type} documents cannot be deleted"}]
    if old_type in IMMUTABLE_TYPES:
        return [{"field": "_id", "message": f"{old_type} documents are immutable"}]
    if doc.get("type") != old_type:
        return [{"field": "type", "message": "the type of a document never changes"}]
    if old_type == "sale" and old_doc.get("status") == "invoiced" and doc.get("status") != "invoiced":
        return [{"field": "status", "message": "an invoiced sale stays invoiced"}]
    return []


def as_stored(doc: dict[str, Any]) -> dict[str, Any]:
    """`doc` as CouchDB hands it to a VDU and stores it: without `_conflicts` and `_local_seq`
    (answers of a read, never stored), `_deleted: false` and an empty `_attachments`."""
    return {
        k: v
        for k, v in doc.items()
        if k not in ("_conflicts", "_local_seq")
        and not (k == "_deleted" and v is False)
        and not (k == "_attachments" and v == {})
    }


def explain(
    doc: Any, old_doc: dict[str, Any] | None = None, *, time_zone: str | tzinfo = DEFAULT_TIME_ZONE
) -> list[Problem]:
    """Every reason `doc` (replacing `old_doc`) is not acceptable; [] when it is. `time_zone` is
    the business's: pass it wherever the business is at hand."""
    if isinstance(doc, dict):
        doc = as_stored(doc)
    if isinstance(doc, dict) and doc.get("_deleted") is True:
        prefix = str(doc.get("_id", "")).split(":", 1)[0]
        if prefix not in DELETABLE_TYPES:
            return [{"field": "_deleted", "message": f"{prefix} documents cannot be deleted"}]
        return []
    # Text that is not Unicode is refused before anything quotes or encodes it.
    problems = text_problems(doc) or schema_problems(doc)
    if not problems:
        problems = rule_problems(doc, time_zone)
    if isinstance(doc, dict):
        problems += transition_problems(doc, old_doc)
    return problems


def is_valid(doc: Any, old_doc: dict[str, Any] | None = None) -> bool:
    """True when `explain` finds nothing."""
    return not explain(doc, old_doc)
