"""The schema compiler, keyword by keyword: the compiled Mango selector (run by a matcher with
CouchDB's verdicts) agrees with the Python validator; inexact keywords are sound; every
unsupported construct is a compile error naming its schema path."""

from __future__ import annotations

from typing import Any

import pytest

from shopbill.validators.checks import DocumentValidator
from shopbill.validators.compiler import KEYWORDS, CompileError, Ctx, compile_schema
from shopbill.validators.mango_tree import render
from tests.utils.mango import matches

HINDI_3 = "नमस"  # 3 characters, 9 bytes in UTF-8


def mango_accepts(schema: dict[str, Any], value: Any) -> bool:
    return matches(render(compile_schema(schema, Ctx(("v",)))), {"v": value})


def python_accepts(schema: dict[str, Any], value: Any) -> bool:
    return DocumentValidator(schema).is_valid(value)


CASES: list[tuple[str, dict[str, Any], list[tuple[Any, bool]]]] = [
    ("type-string", {"type": "string"}, [("a", True), (1, False), (None, False), ([], False)]),
    (
        "type-integer",
        {"type": "integer"},
        [(1, True), (-3, True), (1.5, False), (1.0, False), (True, False), ("1", False)],
    ),
    ("type-number", {"type": "number"}, [(1.5, True), (2, True), ("2", False), (False, False)]),
    ("type-list", {"type": ["string", "null"]}, [("a", True), (None, True), (0, False)]),
    (
        "type-boolean-object-array",
        {"type": ["boolean", "object", "array"]},
        [(True, True), ({}, True), ([], True), ("x", False)],
    ),
    (
        "properties-required",
        {"type": "object", "required": ["a"], "properties": {"a": {"type": "integer"}, "b": {"type": "string"}}},
        [
            ({"a": 1}, True),
            ({"a": 1, "b": "x"}, True),
            ({"b": "x"}, False),
            ({"a": "1"}, False),
            ({"a": 1, "b": 2}, False),
            ({"a": 1, "z": 0}, True),
            ("a", False),
        ],
    ),
    ("required-undeclared", {"type": "object", "required": ["z"]}, [({"z": None}, True), ({}, False)]),
    (
        "additionalProperties",
        {"type": "object", "additionalProperties": False, "properties": {"a": {"type": "integer"}}},
        [({}, True), ({"a": 1}, True), ({"a": 1, "b": 1}, False), ({"A": 1}, False)],
    ),
    ("additionalProperties-true", {"type": "object", "additionalProperties": True}, [({"x": 1}, True)]),
    (
        "enum",
        {"enum": ["cash", "upi", 3, True, None]},
        [
            ("cash", True),
            ("upi", True),
            (3, True),
            (3.0, True),
            (True, True),
            (None, True),
            ("UPI", False),
            ("cash\n", False),
            (" cash", False),
            (4, False),
            (False, False),
            ([], False),
        ],
    ),
    ("const-string", {"const": "sale"}, [("sale", True), ("sales", False), ("sale\n", False), (1, False)]),
    ("const-number", {"const": 1}, [(1, True), (1.0, True), (2, False), ("1", False)]),
    ("const-false", {"const": False}, [(False, True), (0, False), (None, False)]),
    (
        "pattern",
        {"type": "string", "pattern": "^[A-Z]{2}/[0-9]{1,3}$"},
        [("AB/1", True), ("AB/123", True), ("AB/1234", False), ("ab/1", False), ("AB/1\n", False), ("xAB/1", False)],
    ),
    ("pattern-unanchored", {"type": "string", "pattern": "[0-9]"}, [("a1b", True), ("ab", False)]),
    (
        "minimum-maximum",
        {"type": "integer", "minimum": 0, "maximum": 10},
        [(0, True), (10, True), (-1, False), (11, False)],
    ),
    (
        "exclusive",
        {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
        [(0.5, True), (0, False), (1, False)],
    ),
    (
        "minLength-maxLength-ascii",
        {"type": "string", "minLength": 2, "maxLength": 4},
        [("ab", True), ("abcd", True), ("a", False), ("abcde", False), ("", False)],
    ),
    ("minLength-1", {"type": "string", "minLength": 1}, [("a", True), ("", False), ("ह", True)]),
    (
        "items",
        {"type": "array", "items": {"type": "integer"}},
        [([], True), ([1, 2], True), ([1, "2"], False), ([1.5], False)],
    ),
    (
        "minItems-maxItems",
        {"type": "array", "minItems": 1, "maxItems": 3},
        [([1], True), ([1, 2, 3], True), ([], False), ([1, 2, 3, 4], False)],
    ),
    ("minItems-alone", {"type": "array", "minItems": 2}, [([1, 2], True), ([1], False), ([], False)]),
    ("maxItems-alone", {"type": "array", "maxItems": 1}, [([], True), ([1], True), ([1, 2], False)]),
    ("allOf", {"allOf": [{"type": "integer"}, {"minimum": 5}]}, [(5, True), (4, False), ("5", False)]),
    (
        "anyOf",
        {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": "^x$"}]},
        [(1, True), ("x", True), ("y", False), (None, False)],
    ),
    (
        "oneOf",
        {"oneOf": [{"type": "integer", "minimum": 0}, {"type": "integer", "maximum": 10}]},
        [(-1, True), (11, True), (5, False), ("a", False)],
    ),
    ("not", {"not": {"type": "string", "pattern": "^ "}}, [("a", True), (" a", False), (1, True)]),
    ("not-const", {"type": "string", "not": {"const": "x"}}, [("y", True), ("x", False)]),
    (
        "if-then-else",
        {"if": {"type": "string"}, "then": {"type": "string", "pattern": "^a"}, "else": {"type": "integer"}},
        [("ab", True), ("b", False), (1, True), (1.5, False)],
    ),
    (
        "if-then",
        {"type": "object", "if": {"type": "object", "required": ["a"]}, "then": {"type": "object", "required": ["b"]}},
        [({}, True), ({"a": 1, "b": 2}, True), ({"a": 1}, False)],
    ),
    (
        "nested-object-in-array",
        {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["q"],
                "additionalProperties": False,
                "properties": {"q": {"type": "integer", "minimum": 1}, "n": {"type": "string"}},
            },
        },
        [
            ([{"q": 1}], True),
            ([{"q": 1, "n": "x"}], True),
            ([{"q": 0}], False),
            ([{}], False),
            ([{"q": 1, "x": 1}], False),
            ([1], False),
            ([None], False),
        ],
    ),
    (
        "true-and-false",
        {"type": "object", "properties": {"a": True, "b": False}},
        [({"a": 1}, True), ({"b": 1}, False), ({}, True)],
    ),
    (
        "annotations",
        {"type": "string", "title": "t", "description": "d", "default": "x", "$comment": "c", "examples": ["x"]},
        [("x", True), (1, False)],
    ),
]


@pytest.mark.parametrize(("name", "schema", "cases"), CASES, ids=[c[0] for c in CASES])
def test_keyword_verdicts_match_python(name: str, schema: dict[str, Any], cases: list[Any]) -> None:
    for value, expected in cases:
        assert python_accepts(schema, value) is expected, (name, value)
        assert mango_accepts(schema, value) is expected, (name, value)


def test_every_keyword_has_a_case() -> None:
    covered = {key for _, schema, _ in CASES for key in _keys(schema)}
    assert set(KEYWORDS) <= covered


def _keys(schema: Any) -> set[str]:
    if not isinstance(schema, dict):
        return set()
    keys = set(schema)
    for value in schema.values():
        for sub in value if isinstance(value, list) else [value]:
            keys |= _keys(sub)
        if isinstance(value, dict):
            for sub in value.values():
                keys |= _keys(sub)
    return keys


def test_dispatch_table_is_sorted() -> None:
    assert list(KEYWORDS) == sorted(KEYWORDS)


@pytest.mark.parametrize("text", [HINDI_3, "தமிழ்" * 3, "a" + HINDI_3, "😀" * 5])
def test_max_length_is_sound_for_non_ascii(text: str) -> None:
    """CouchDB's $regex counts bytes: a text within maxLength characters is never refused."""
    schema = {"type": "string", "maxLength": len(text)}
    assert python_accepts(schema, text)
    assert mango_accepts(schema, text)


def test_max_length_still_bounds_non_ascii_text() -> None:
    schema = {"type": "string", "maxLength": 5}
    assert not mango_accepts(schema, "ह" * 21)  # 63 bytes > 4 * 5
    assert mango_accepts(schema, "ह" * 6)  # too long, but only the Python check can tell
    assert not python_accepts(schema, "ह" * 6)


def test_min_length_is_sound_for_non_ascii() -> None:
    schema = {"type": "string", "minLength": 3}
    assert mango_accepts(schema, HINDI_3) and python_accepts(schema, HINDI_3)
    assert mango_accepts(schema, "हि") and not python_accepts(schema, "हि")  # 2 chars, 6 bytes


REJECTED = [
    ({"format": "date-time"}, "#/format", "unsupported keyword"),
    ({"type": "array", "uniqueItems": True}, "#/uniqueItems", "unsupported keyword"),
    ({"$ref": "#/definitions/x"}, "#/$ref", "unsupported keyword"),
    ({"type": "object", "patternProperties": {}}, "#/patternProperties", "unsupported keyword"),
    ({"type": "number", "multipleOf": 2}, "#/multipleOf", "unsupported keyword"),
    (
        {"type": "object", "properties": {"a": {"type": "string", "format": "email"}}},
        "#/properties/a/format",
        "unsupported keyword",
    ),
    ({"type": "array", "items": [{"type": "string"}]}, "#/items", "tuple form"),
    (
        {"type": "object", "additionalProperties": {"type": "string"}},
        "#/additionalProperties",
        "only additionalProperties: false",
    ),
    ({"type": "string", "pattern": "^a.c$"}, "#/pattern", "'.'"),
    ({"type": "string", "pattern": "^\\d+$"}, "#/pattern", "escape"),
    ({"type": "string", "pattern": "^\\s$"}, "#/pattern", "escape"),
    ({"type": "string", "pattern": "^(?=a)"}, "#/pattern", "group syntax"),
    ({"type": "string", "pattern": "^(?i)a"}, "#/pattern", "group syntax"),
    ({"type": "string", "pattern": "^a+?$"}, "#/pattern", "lazy"),
    ({"type": "string", "pattern": "^[^a]$"}, "#/pattern", "negated class"),
    ({"type": "string", "pattern": "^ह$"}, "#/pattern", "printable ASCII"),
    ({"type": "string", "pattern": "^(a$"}, "#/pattern", "unbalanced"),
    ({"type": "string", "pattern": "^a{2000}$"}, "#/pattern", "above 1000"),
    ({"not": {"type": "string", "maxLength": 3}}, "#/not/maxLength", "cannot be negated"),
    ({"not": {"type": "string", "minLength": 3}}, "#/not/minLength", "cannot be negated"),
    ({"oneOf": [{"type": "string", "maxLength": 3}, {"type": "integer"}]}, "#/oneOf/0/maxLength", "cannot be negated"),
    ({"if": {"type": "string", "maxLength": 3}, "then": {}}, "#/if/maxLength", "cannot be negated"),
    ({"type": "string", "minimum": 1}, "#/minimum", "no effect"),
    ({"type": "integer", "then": {}}, "#/then", "without if"),
    ({"const": {"a": 1}}, "#/const", "only string, number"),
    ({"enum": ["ह"]}, "#/enum", "printable ASCII"),
    ({"type": "object", "properties": {"a.b": {}}}, "#/properties/a.b", "without '.'"),
    ({"type": "unknown"}, "#/type", "unknown type"),
    ({"type": "array", "maxItems": 2000}, "#/maxItems", "cannot be enumerated"),
    ({"type": "string", "maxLength": 10**6}, "#/maxLength", "must be an integer in"),
    ("string", "#/", "must be an object"),
]


@pytest.mark.parametrize(("schema", "where", "why"), REJECTED, ids=[r[1] + " " + r[2] for r in REJECTED])
def test_unsupported_constructs_are_compile_errors(schema: Any, where: str, why: str) -> None:
    with pytest.raises(CompileError) as info:
        compile_schema(schema, Ctx(("v",)))
    assert str(info.value).startswith(where + ":"), str(info.value)
    assert why in str(info.value)


def test_negation_never_wraps_a_selector_in_not() -> None:
    """CouchDB pushes $not down onto fields (false on missing fields): we negate ourselves."""
    selector = render(
        compile_schema({"not": {"type": "object", "required": ["a"], "properties": {"a": {"const": 1}}}}, Ctx(("v",)))
    )
    assert '"$not": {"$and"' not in str(selector).replace("'", '"')
    assert matches(selector, {"v": {}}) and matches(selector, {"v": {"a": 2}})
    assert not matches(selector, {"v": {"a": 1}})
