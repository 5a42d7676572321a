"""The document schemas: one per type, valid draft 7, versioned, each with a valid example."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

from shopbill.validators.checks import explain
from shopbill.validators.schemas import (
    ACCEPTED_VERSIONS,
    DELETABLE_TYPES,
    IMMUTABLE_TYPES,
    MUTABLE_TYPES,
    SCHEMA_VERSION,
    TYPES,
    schema_for,
    schemas,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "validators" / "examples"


def example(doc_type: str) -> dict[str, Any]:
    return json.loads((EXAMPLES / f"{doc_type}.json").read_text(encoding="utf-8"))


def test_one_schema_per_type() -> None:
    assert set(schemas()) == set(TYPES)
    assert set(MUTABLE_TYPES) | set(IMMUTABLE_TYPES) == set(TYPES)
    assert set(DELETABLE_TYPES) < set(MUTABLE_TYPES)
    assert not set(MUTABLE_TYPES) & set(IMMUTABLE_TYPES)


@pytest.mark.parametrize("doc_type", TYPES)
def test_schema_is_valid_draft7(doc_type: str) -> None:
    Draft7Validator.check_schema(schemas()[doc_type])


@pytest.mark.parametrize("doc_type", TYPES)
def test_example_is_valid(doc_type: str) -> None:
    doc = example(doc_type)
    assert doc["type"] == doc_type
    assert doc["schema_version"] == SCHEMA_VERSION
    assert explain(doc) == []


def test_current_version_is_accepted() -> None:
    assert SCHEMA_VERSION in ACCEPTED_VERSIONS
    assert schema_for("sale", SCHEMA_VERSION) is not None
    assert schema_for("sale", 999) is None and schema_for("nope") is None


@pytest.mark.parametrize(
    ("doc_type", "bad_id"),
    [
        ("sale", "sale:9A8B7C6D-5E4F-4A3B-9C2D-1E0F9A8B7C6D"),  # uppercase: one sale, one spelling
        ("sale", "sale:9a8b7c6d5e4f4a3b9c2d1e0f9a8b7c6d"),
        ("sale", "invoice:9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d"),
        ("customer", "customer:09812345678"),
        ("business", "business:x"),
        ("invoice", "invoice:9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d\n"),
    ],
)
def test_ids_carry_the_type_in_canonical_form(doc_type: str, bad_id: str) -> None:
    doc = example(doc_type)
    doc["_id"] = bad_id
    assert {"field": "_id"} in [{"field": p["field"]} for p in explain(doc)]


def test_attachments_are_not_allowed() -> None:
    doc = example("item")
    doc["_attachments"] = {"a.txt": {"content_type": "text/plain", "data": "eA=="}}
    assert explain(doc) == [{"field": "_attachments", "message": "is not an allowed field"}]


# A phone's credit-note series ("C" + its invoice series in 3 characters) or the server's "0C";
# an invoice series ("7", "0S"), a short or long "C" series, or a 7-digit counter is refused.
CREDIT_NOTE_NUMBERS = {
    "C007/2627/000004": True,
    "CZZZ/2627/000001": True,
    "0C/2627/000001": True,
    "7/2627/000001": False,
    "C07/2627/000001": False,
    "C0007/2627/00001": False,
    "0S/2627/000001": False,
    "C007/2627/0000001": False,
}


@pytest.mark.parametrize(("number", "ok"), CREDIT_NOTE_NUMBERS.items())
def test_a_credit_note_is_numbered_in_a_credit_note_series(number: str, ok: bool) -> None:
    problems = explain({**example("credit_note"), "number": number})
    assert problems == [] if ok else {p["field"] for p in problems} == {"number"}


def test_a_credit_note_refund_method_is_a_payment_method() -> None:
    assert explain({**example("credit_note"), "refund_method": "upi"}) == []
    assert [p["field"] for p in explain({**example("credit_note"), "refund_method": "barter"})] == ["refund_method"]
