"""The whole write rule of a business database, judged by a matcher with CouchDB's verdicts:
validity per type, id prefixes, immutable types, deletions, the sale status rule, versions."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from shopbill.validators.checks import as_stored
from shopbill.validators.mango_tree import render
from shopbill.validators.rules import write_rule, write_selector
from shopbill.validators.schemas import DELETABLE_TYPES, IMMUTABLE_TYPES, TYPES, schemas
from tests.utils.docgen import FAST_COUNT, draw_documents, expected_verdict
from tests.utils.mango import matches
from tests.validators.test_schemas import example

SELECTOR = write_selector()


def accepted(new: Any, old: Any = None) -> bool:
    return matches(SELECTOR, {"newDoc": new, "oldDoc": old})


def stored(doc: dict[str, Any]) -> dict[str, Any]:
    return {**doc, "_rev": "1-0123456789abcdef0123456789abcdef"}


def test_new_doc_test_is_the_documented_one() -> None:
    """`{"oldDoc": null}` for CouchDB main, `$exists: false` for after PR #5858."""
    assert '{"$or": [{"oldDoc": null}, {"oldDoc": {"$exists": false}}]}' in _json(SELECTOR)
    doc = example("group")
    assert matches(SELECTOR, {"newDoc": doc})  # oldDoc absent altogether


def _json(value: Any) -> str:
    return json.dumps(value)


@pytest.mark.parametrize("doc_type", TYPES)
def test_examples_are_accepted_as_new_docs(doc_type: str) -> None:
    assert accepted(example(doc_type))


@pytest.mark.parametrize("doc_type", IMMUTABLE_TYPES)
def test_immutable_types_refuse_any_update(doc_type: str) -> None:
    old = stored(example(doc_type))
    assert not accepted({**old, "_rev": old["_rev"]}, old)  # even an identical rewrite
    assert not accepted({"_id": old["_id"], "_rev": old["_rev"], "_deleted": True}, old)


@pytest.mark.parametrize("doc_type", ["business", "group", "item", "customer", "sale"])
def test_mutable_types_accept_valid_updates(doc_type: str) -> None:
    old = stored(example(doc_type))
    new = {**old, "updated_at": "2026-11-26T09:00:00Z"}
    assert accepted(new, old)
    assert not accepted({**new, "device_id": "bad id!"}, old)


@pytest.mark.parametrize("doc_type", TYPES)
def test_deletes_only_for_groups_items_customers(doc_type: str) -> None:
    old = stored(example(doc_type))
    tombstone = {"_id": old["_id"], "_rev": old["_rev"], "_deleted": True}
    assert accepted(tombstone, old) is (doc_type in DELETABLE_TYPES)
    assert accepted(tombstone, None) is (doc_type in DELETABLE_TYPES)  # replicated tombstone


def test_type_never_changes() -> None:
    old = stored(example("group"))
    item = example("item")
    assert not accepted({**item, "_id": old["_id"], "_rev": old["_rev"]}, {**old})
    assert not accepted({**item, "_rev": old["_rev"]}, {**old, "_id": item["_id"]})


def test_invoiced_sale_never_goes_back_to_incomplete() -> None:
    sale = stored(example("sale"))
    assert not accepted({**sale, "status": "incomplete"}, sale)
    assert accepted(sale, {**sale, "status": "incomplete"})
    assert accepted({**sale, "status": "incomplete"}, {**sale, "status": "incomplete"})


def test_recreating_over_a_deleted_revision() -> None:
    group = example("group")
    assert accepted(group, {"_id": group["_id"], "_rev": "2-ab", "_deleted": True})


def test_unknown_type_and_mismatched_prefix_are_refused() -> None:
    doc = example("group")
    assert not accepted({**doc, "type": "coupon"})
    assert not accepted({**doc, "_id": doc["_id"].replace("group:", "item:")})
    assert not accepted({**doc, "_attachments": {}})


def test_current_and_previous_versions_are_accepted() -> None:
    """A roll-out accepts docs of the previous schema_version as well."""
    v1 = schemas(1)
    v2 = copy.deepcopy(v1)
    for by_type in (v2,):
        for schema in by_type.values():
            schema["properties"]["schema_version"] = {"const": 2}
        by_type["group"]["properties"]["colour"] = {"type": "string", "pattern": "^#[0-9a-f]{6}$"}
    selector = render(write_rule({1: v1, 2: v2}))
    old_style = example("group")
    new_style = {**old_style, "schema_version": 2, "colour": "#00ff00"}
    for doc in (old_style, new_style):
        assert matches(selector, {"newDoc": doc, "oldDoc": None})
    assert not matches(selector, {"newDoc": {**old_style, "colour": "#00ff00"}, "oldDoc": None})
    assert not matches(selector, {"newDoc": {**old_style, "schema_version": 3}, "oldDoc": None})


@pytest.mark.parametrize("doc_type", TYPES)
def test_selector_agrees_with_python_checks(doc_type: str) -> None:
    """Pure-Python differential: schema accepts => selector accepts; refuses => refuses,
    except refusals by Python-checked keywords only (README)."""
    for doc in draw_documents(doc_type, FAST_COUNT):
        verdict = expected_verdict(doc)
        if verdict != "python":  # the VDU sees the doc as CouchDB stores it
            assert accepted(as_stored(doc)) is (verdict == "accept"), doc


def test_shared_conditions_are_written_once() -> None:
    """CouchDB copies the design doc on every write: the common fields of all types and the
    `lines` enumeration of sales, invoices and credit notes appear once in the selector."""
    text = _json(SELECTOR)
    assert text.count('"newDoc.created_at"') == 1
    assert text.count('{"$size": 500}') == 1


def test_b2b_fields_pass_the_vdu_and_a_bad_one_does_not() -> None:
    doc = {
        **example("invoice"),
        "buyer_gstin": "29AAACM1234A1Z4",
        "buyer_name": "Karnataka Motors",
        "buyer_address": "5 MG Road, Bengaluru",
        "place_of_supply": "29",
    }
    assert accepted(stored(doc))
    assert not accepted(stored({**doc, "place_of_supply": "99"}))
    assert not accepted(stored({**doc, "buyer_gstin": "29-AACM1234A1ZE"}))


def test_seller_snapshot_passes_the_vdu_and_a_bad_one_does_not() -> None:
    doc = example("invoice")
    seller = doc["seller"]
    assert accepted(stored(doc))
    assert accepted(stored({k: v for k, v in doc.items() if k != "seller"}))
    assert not accepted(stored({**doc, "seller": {k: v for k, v in seller.items() if k != "name"}}))
    assert not accepted(stored({**doc, "seller": {**seller, "gstin": "33-ACM1234A1ZF"}}))
    assert not accepted(stored({**doc, "seller": {**seller, "timezone": "Asia/Kolkata"}}))
    assert not accepted(stored({**doc, "seller": "Sri Murugan Auto Spares"}))
