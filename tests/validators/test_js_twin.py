"""The generated JavaScript twin gives the Mango selector's verdicts (CouchDB semantics),
checked by running it under node next to the Python matcher on the same pairs."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from shopbill.validators.generate import design_docs
from shopbill.validators.js_twin import TwinError, generate_validate_doc_update
from shopbill.validators.rules import write_selector
from shopbill.validators.schemas import TYPES
from tests.utils.docgen import FAST_COUNT, draw_documents
from tests.utils.mango import matches
from tests.utils.node_vdu import js_verdicts
from tests.validators.test_schemas import example

SELECTOR = write_selector()
SOURCE = design_docs()["js"]["validate_doc_update"]


def as_javascript_sees_it(value: Any) -> Any:
    """JSON `1.0` parses to the number 1 in JavaScript: the one documented difference."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: as_javascript_sees_it(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_javascript_sees_it(v) for v in value]
    return value


def python_verdicts(pairs: list[tuple[Any, Any]]) -> list[bool]:
    return [matches(SELECTOR, as_javascript_sees_it({"newDoc": new, "oldDoc": old})) for new, old in pairs]


def test_one_point_zero_is_the_documented_difference() -> None:
    doc = {**example("group"), "position": 1.0}
    assert js_verdicts(SOURCE, [(doc, None)]) == [True]
    assert not matches(SELECTOR, {"newDoc": doc, "oldDoc": None})  # CouchDB's $mod refuses 1.0


def transition_pairs() -> list[tuple[Any, Any]]:
    pairs: list[tuple[Any, Any]] = []
    for doc_type in TYPES:
        doc = example(doc_type)
        old = {**doc, "_rev": "1-abc"}
        pairs += [
            (doc, None),
            (old, old),
            ({"_id": doc["_id"], "_rev": "1-abc", "_deleted": True}, old),
            ({"_id": doc["_id"], "_deleted": True}, None),
            ({**doc, "extra": 1}, None),
            ({**doc, "type": "nope"}, None),
            (doc, {"_id": doc["_id"], "_deleted": True}),
        ]
    sale = example("sale")
    pairs += [({**sale, "status": "incomplete"}, sale), (sale, {**sale, "status": "incomplete"})]
    long_name = copy.deepcopy(example("group"))
    long_name["name"] = "ह" * 80  # 240 bytes: within the byte bound
    pairs += [(long_name, None), ({**long_name, "name": "ह" * 81}, None)]  # 243 bytes
    pairs += [({**example("group"), "position": 1.5}, None), ({**example("group"), "name": "x\n"}, None)]
    return pairs


def test_transitions_same_verdicts() -> None:
    pairs = transition_pairs()
    verdicts = python_verdicts(pairs)
    assert js_verdicts(SOURCE, pairs) == verdicts
    assert True in verdicts and False in verdicts


def test_regex_counts_utf8_bytes_like_couchdb() -> None:
    """80 Hindi characters (240 bytes) fit a 60-character name's byte bound, 81 do not —
    in CouchDB and in the twin alike (JavaScript itself would count UTF-16 units)."""
    doc = example("group")
    verdicts = js_verdicts(SOURCE, [({**doc, "name": "ह" * 80}, None), ({**doc, "name": "ह" * 81}, None)])
    assert verdicts == [True, False]


@pytest.mark.parametrize("doc_type", TYPES)
def test_generated_documents_same_verdicts(doc_type: str) -> None:
    pairs = [(doc, None) for doc in draw_documents(doc_type, FAST_COUNT)]
    mismatches = [pair for pair, js, py in zip(pairs, js_verdicts(SOURCE, pairs), python_verdicts(pairs)) if js != py]
    assert not mismatches, json.dumps(mismatches, ensure_ascii=True)


def test_twin_refuses_what_it_cannot_reproduce() -> None:
    with pytest.raises(TwinError):
        generate_validate_doc_update({"a": {"$eq": "text"}}, header="x")  # collation-dependent
    with pytest.raises(TwinError):
        generate_validate_doc_update({"a": {"$where": "1"}}, header="x")
