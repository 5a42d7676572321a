"""A small Mango selector matcher with CouchDB's verdicts, for pure-Python differential tests.

Follows `mango_selector.erl` on the points our compiled selectors rely on: a condition on a
missing field is false unless it is exactly `{"$exists": false}`; a path through a non-object
is false for every condition; `$regex` runs on UTF-8 bytes; `$mod` matches only integers (a
Python float such as 1.0 is not one, as in Erlang); `$allMatch` fails on an empty array.
String equality and ordering are by code point: our selectors compare strings only by regex,
or in `$nin` lists of printable-ASCII names guarded by a regex for every other key, where
CouchDB's ICU collation gives the same verdicts.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

MISSING, BAD = object(), object()
RANK = {"null": 1, "boolean": 2, "number": 3, "string": 4, "array": 5, "object": 6}


def type_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def get_field(value: Any, path: list[str]) -> Any:
    for key in path:
        if isinstance(value, dict):
            if key not in value:
                return MISSING
            value = value[key]
        elif isinstance(value, list):
            if not key.isdigit() or int(key) >= len(value):
                return BAD
            value = value[int(key)]
        else:
            return BAD
    return value


def _cmp(a: Any, b: Any) -> int:
    ta, tb = type_of(a), type_of(b)
    if ta != tb:
        return RANK[ta] - RANK[tb]
    if ta in ("number", "boolean", "string"):
        return (a > b) - (a < b)
    if ta == "null":
        return 0
    raise ValueError("array/object comparison is not used by our selectors")


@lru_cache(maxsize=1024)
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _bytes(text: str) -> str:
    return text.encode("utf-8", "surrogatepass").decode("latin-1")


def matches(selector: dict[str, Any], value: Any) -> bool:
    """Does `value` (e.g. {"newDoc": ..., "oldDoc": ...}) match `selector`?"""
    return all(_key(k, arg, value) for k, arg in selector.items())


def _key(key: str, arg: Any, value: Any) -> bool:
    if key == "$and":
        return all(matches(s, value) for s in arg)
    if key == "$or":
        return any(matches(s, value) for s in arg)
    if key == "$nor":
        return not any(matches(s, value) for s in arg)
    if key.startswith("$"):
        return condition({key: arg}, value)
    found = get_field(value, key.split("."))
    if found is MISSING:
        return arg == {"$exists": False}
    if found is BAD:
        return False
    return condition(arg, found)


def condition(cond: Any, value: Any) -> bool:
    if not isinstance(cond, dict):
        return type_of(value) == type_of(cond) and _cmp(value, cond) == 0
    return all(_operator(op, arg, value) for op, arg in cond.items())


def _operator(op: str, arg: Any, value: Any) -> bool:  # noqa: PLR0911 - one branch per operator
    if op == "$eq":
        return condition(arg, value)
    if op == "$in":
        return any(condition(a, value) for a in arg)
    if op == "$nin":
        return not any(condition(a, value) for a in arg)
    if op in ("$gt", "$gte", "$lt", "$lte"):
        c = _cmp(value, arg)
        return {"$gt": c > 0, "$gte": c >= 0, "$lt": c < 0, "$lte": c <= 0}[op]
    if op == "$exists":
        return arg is True
    if op == "$type":
        return type_of(value) == arg
    if op == "$beginsWith":
        return isinstance(value, str) and _bytes(value).startswith(_bytes(arg))
    if op == "$regex":
        return isinstance(value, str) and _regex(arg).search(_bytes(value)) is not None
    if op == "$mod":
        return (
            isinstance(value, int)
            and not isinstance(value, bool)
            and (abs(value) % arg[0]) * (1 if value >= 0 else -1) == arg[1]
        )
    if op == "$size":
        return isinstance(value, list) and len(value) == arg
    if op == "$not":
        return not condition(arg, value)
    if op == "$or":  # field level
        return any(condition(c, value) for c in arg)
    if op == "$allMatch":
        return isinstance(value, list) and bool(value) and all(matches(arg, v) for v in value)
    if op == "$elemMatch":
        return isinstance(value, list) and any(matches(arg, v) for v in value)
    if op == "$keyMapMatch":
        return isinstance(value, dict) and any(matches(arg, k) for k in value)
    raise ValueError(f"operator {op} not supported by the test matcher")
