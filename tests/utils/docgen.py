"""Hypothesis strategies for business documents: valid ones from the schemas, and mutations.

Valid documents: hypothesis-jsonschema draws every leaf value from its schema; objects and arrays
are assembled here (`fixed_dictionaries`, short lists), which is ~20x faster than letting
hypothesis-jsonschema build whole documents. Free-text fields also draw Hindi and Tamil text.
Each drawn valid document comes with two mutants that break one spot each (a wrong type, an
out-of-range number, a too-long Hindi name, an emoji or a zero-width joiner, a trailing newline, a
missing, an unknown or a CouchDB special field, `_deleted`, ...),
so one Hypothesis example yields three documents; the Python checks decide what is valid.
"""

from __future__ import annotations

import copy
import random
import re
import uuid
from functools import cache
from typing import Any

from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from shopbill.validators.schema_parts import UUID
from tests.utils.hypothesis_compat import install

install()

DEVANAGARI = "".join(chr(c) for c in range(0x0900, 0x0980))
TAMIL = "".join(chr(c) for c in range(0x0B80, 0x0C00))
INDIC = DEVANAGARI + TAMIL + " ,.-"
MANAGED = ("_rev", "_revisions")  # CouchDB's own fields: never part of a written body
WRONG_TYPES: list[Any] = [None, True, 1.5, "x", [], {}, 7]
ADDED: list[tuple[str, Any]] = [  # fields a mutation adds (CouchDB's special ones included)
    ("extra", "x"),
    ("Type", "x"),
    ("notes", "x"),
    ("_attachments", "x"),
    ("_attachments", {}),
    ("_conflicts", "x"),
    ("_local_seq", 1),
    ("_deleted", True),
    ("_deleted", "x"),
]
FAST_COUNT = 300  # generated documents per type (and per target on the server) in `make test`
SLOW_COUNT = 2000  # ... in `make test-slow`
UUID_ID = re.compile(r"\^([a-z_]+):" + re.escape(UUID) + r"\$")


def _indic(schema: dict[str, Any]) -> st.SearchStrategy[str]:
    low, high = schema.get("minLength", 0), schema["maxLength"]
    return st.text(alphabet=INDIC, min_size=low, max_size=high).map(str.strip).filter(lambda s: len(s) >= low)


def valid_value(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values valid against `schema` (our subset), biased towards short arrays."""
    if schema.get("type") == "object" and "properties" in schema:
        props, required = schema["properties"], set(schema.get("required", []))
        return st.fixed_dictionaries(
            {k: valid_value(v) for k, v in props.items() if k in required},
            optional={k: valid_value(v) for k, v in props.items() if k not in required and k not in MANAGED},
        )
    if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        low = schema.get("minItems", 0)
        return st.lists(
            valid_value(schema["items"]), min_size=low, max_size=max(low, min(schema.get("maxItems", 4), 4))
        )
    pattern = schema.get("pattern", "")
    uuid_id = UUID_ID.fullmatch(pattern) if schema.get("type") == "string" else None
    if uuid_id:  # `<prefix>:<canonical uuid>`: one 128-bit draw instead of 32 regex characters
        prefix = uuid_id.group(1)
        return st.integers(0, 2**128 - 1).map(lambda n: f"{prefix}:{uuid.UUID(int=n)}")
    if schema.get("type") == "string" and pattern.startswith("^") and pattern.endswith("$"):
        # Much faster than hypothesis-jsonschema's padded regex search; same language.
        limit = schema.get("maxLength", 10**6)
        return st.from_regex(pattern[1:-1], fullmatch=True).filter(lambda s: len(s) <= limit)
    leaf = from_schema(schema)
    if schema.get("type") == "string" and "maxLength" in schema and "pattern" not in schema:
        return st.one_of(leaf, _indic(schema))
    return leaf


def fresh_ids(docs: list[dict[str, Any]], seed: str) -> list[dict[str, Any]]:
    """Copies of `docs` with unique ids of the same shapes (writes to one database must not
    collide); the ids come from `seed`, so a draw is repeatable."""
    rng = random.Random(seed)
    seen: set[str] = set()
    out = []
    for doc in map(copy.deepcopy, docs):
        doc_id = doc.get("_id")
        if isinstance(doc_id, str) and re.fullmatch(r"[a-z_]+:[0-9a-f-]{36}", doc_id):
            doc["_id"] = f"{doc_id.split(':')[0]}:{uuid.UUID(int=rng.getrandbits(128))}"
        elif isinstance(doc_id, str) and re.fullmatch(r"customer:\+[1-9][0-9]{6,14}", doc_id):
            digits = len(doc_id) - len("customer:+9")
            while doc["_id"] in seen:
                doc["_id"] = "customer:+9" + "".join(rng.choices("0123456789", k=digits))
        if isinstance(doc.get("_id"), str):
            seen.add(doc["_id"])
        out.append(doc)
    return out


def _spots(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside `value` (object keys, the first and the last array element)."""
    out = [path] if path else []
    if isinstance(value, dict):
        for key, child in value.items():
            out.extend(_spots(child, path + (key,)))
    elif isinstance(value, list):
        for index in sorted({0, len(value) - 1} if value else set()):
            out.extend(_spots(value[index], path + (index,)))
    return out


def _replacements(old: Any) -> list[Any]:
    out = list(WRONG_TYPES)
    if isinstance(old, str):
        out += [
            old + "\n",
            " " + old,
            old.upper(),
            "",
            old + "x" * 60,
            "ह" * (len(old) + 1),
            "த" * 61,
            "अ" * 101,
            "क" * 241,
            "\u0bb5" * 300,
            "\U0001f600" * max(len(old), 1),
            old + "\u00a0",
            old + "\u200d",
            "क्\u200dष" * 20,
        ]
    if isinstance(old, int) and not isinstance(old, bool):
        out += [old + 1, old - 1, -old - 1, old + 0.5, float(old), 10**16, -(10**16), 0, -1, 2**53 + 1, 1e300]
    if isinstance(old, list):
        out += [[], old * 2, (old or [None]) * 501, (old or [None]) * 500]
    return out


@st.composite
def mutated(draw: st.DrawFn, doc: dict[str, Any]) -> dict[str, Any]:
    """`doc` with one spot broken (or, sometimes, not broken at all)."""
    doc = copy.deepcopy(doc)
    kind = draw(st.sampled_from(["replace", "replace", "replace", "delete", "add", "none"]))
    if kind == "none":
        return doc
    if kind == "add":
        target = doc
        spots = [p for p in _spots(doc) if isinstance(_get(doc, p), dict)]
        if spots and draw(st.booleans()):
            target = _get(doc, draw(st.sampled_from(spots)))
        key, value = draw(st.sampled_from(ADDED))
        target[key] = copy.deepcopy(value)
        return doc
    spot = draw(st.sampled_from(_spots(doc)))
    parent, key = _get(doc, spot[:-1]), spot[-1]
    if kind == "delete":
        if isinstance(parent, dict):
            del parent[key]
        else:
            parent.pop(key)
        return doc
    parent[key] = copy.deepcopy(draw(st.sampled_from(_replacements(parent[key]))))
    return doc


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        value = value[key]
    return value


def families(schema: dict[str, Any]) -> st.SearchStrategy[list[dict[str, Any]]]:
    """A valid document of `schema` and two mutants of it."""
    return valid_value(schema).flatmap(lambda doc: st.tuples(st.just(doc), mutated(doc), mutated(doc)).map(list))


def _python_only(error: Any) -> bool:
    """An error that Mango legitimately does not see (README: Python-checked rules)."""
    if error.validator in ("minLength", "maxLength"):
        return isinstance(error.instance, str) and not error.instance.isascii()
    if error.validator == "type" and error.validator_value == "integer":
        # JSON `1.0`: refused by CouchDB's $mod, invisible to JavaScript engines after parsing.
        return isinstance(error.instance, float) and error.instance.is_integer()
    return False


def expected_verdict(doc: dict[str, Any]) -> str:
    """ "accept", "refuse", or "python" (refused only by Python-checked keywords)."""
    from shopbill.validators.checks import as_stored, schema_problems, validator_for
    from shopbill.validators.schemas import DELETABLE_TYPES

    doc = as_stored(doc)

    if doc.get("_deleted") is True:  # a deletion: decided by the id prefix (rules.py)
        doc_id = doc.get("_id")
        deletable = isinstance(doc_id, str) and doc_id.split(":", 1)[0] in DELETABLE_TYPES and ":" in doc_id
        return "accept" if deletable else "refuse"
    if not schema_problems(doc):
        return "accept"
    version = doc.get("schema_version")
    if type(version) is float and version.is_integer():  # `1.0` for 1 is Python-checked (README)
        as_int = expected_verdict({**doc, "schema_version": int(version)})
        return "python" if as_int == "accept" else as_int
    validator = validator_for(str(doc.get("type")), version) if type(version) is int else None
    if validator is None:
        return "refuse"
    errors = list(validator.iter_errors(doc))
    return "python" if errors and all(_python_only(e) for e in errors) else "refuse"


@cache
def families_for(doc_type: str) -> st.SearchStrategy[list[dict[str, Any]]]:
    """`families` for the current schema of `doc_type` (built once)."""
    from shopbill.validators.schemas import schema_for

    schema = schema_for(doc_type)
    assert schema is not None
    return families(schema)


@cache
def draw_documents(doc_type: str, count: int) -> list[dict[str, Any]]:
    """`count` documents drawn by Hypothesis (generation phase only, so they can be judged in
    batches over HTTP; a mismatch is reported with the document itself, unshrunk). Derandomized:
    every run draws the same documents."""
    from hypothesis import HealthCheck, Phase, given, settings

    drawn: list[dict[str, Any]] = []

    @settings(
        max_examples=-(-count // 3),
        deadline=None,
        database=None,
        phases=[Phase.generate],
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(families_for(doc_type))
    def collect(family: list[dict[str, Any]]) -> None:
        drawn.extend(family)

    collect()
    assert len(drawn) >= count, f"Hypothesis drew only {len(drawn)} {doc_type} documents"
    return fresh_ids(drawn[:count], f"{doc_type}/{count}")  # cached: callers must not mutate
