"""Generate the JavaScript twin of a Mango selector: a `validate_doc_update` with the same verdicts.

Only for CouchDB releases without Mango VDUs (3.5.x and older). The JavaScript is generated from
the selector, never edited by hand. It follows CouchDB's Mango semantics, not PouchDB's:

* a field condition on a missing field is false unless the condition is exactly
  `{"$exists": false}`; under a null or non-object parent it is always false;
* `$regex` runs on the UTF-8 bytes of a string (CouchDB's PCRE does), never on other types;
* `$mod` only matches integers; `$allMatch` never matches an empty array;
* comparisons follow CouchDB's collation order of types (null < booleans < numbers < strings
  < arrays < objects); the compiler only emits numeric comparisons;
* strings are compared for equality only in `$in`/`$nin` lists of printable-ASCII strings,
  by bytes: CouchDB's ICU collation agrees on printable-ASCII values (two different ones never
  collate equal); the compiler pairs each such `$nin` with a `$regex` that catches every other
  value, and `$eq` on a string is refused here.

One difference cannot be removed: JSON parsing erases `1.0` vs `1`, so `$mod` accepts `1.0`
here (CouchDB refuses it); the Python checks refuse it (README: Python-checked rules).
ES5 only, for CouchDB's SpiderMonkey and PouchDB Server alike.
"""

from __future__ import annotations

import json
from typing import Any

RUNTIME = r"""
  var MISSING = {}, BAD = {};
  function get(v, path) {
    for (var i = 0; i < path.length; i++) {
      var k = path[i];
      if (Array.isArray(v)) {
        if (!/^[0-9]+$/.test(k) || Number(k) >= v.length) { return BAD; }
        v = v[Number(k)];
      } else if (v !== null && typeof v === "object") {
        if (!Object.prototype.hasOwnProperty.call(v, k) || v[k] === undefined) { return MISSING; }
        v = v[k];
      } else { return BAD; }
    }
    return v;
  }
  function field(doc, path, test, existsFalse) {
    var v = get(doc, path);
    if (v === MISSING) { return existsFalse; }
    if (v === BAD) { return false; }
    return test(v);
  }
  function typeOf(v) {
    if (v === null) { return "null"; }
    if (Array.isArray(v)) { return "array"; }
    return typeof v;
  }
  var RANK = {"null": 1, "boolean": 2, "number": 3, "string": 4, "array": 5, "object": 6};
  function cmp(a, b) {
    var ta = typeOf(a), tb = typeOf(b);
    if (ta !== tb) { return RANK[ta] - RANK[tb]; }
    if (ta === "boolean" || ta === "number") { return a === b ? 0 : (a < b ? -1 : 1); }
    if (ta === "null") { return 0; }
    throw({forbidden: "validator: unsupported comparison"});
  }
  function eq(a, b) {
    if (typeof a === "string" || typeof b === "string") { return a === b; }
    return typeOf(a) === typeOf(b) && cmp(a, b) === 0;
  }
  function inList(v, list) {
    for (var i = 0; i < list.length; i++) { if (eq(v, list[i])) { return true; } }
    return false;
  }
  function utf8(s) {
    try { return unescape(encodeURIComponent(s)); } catch (e) { return null; }
  }
  function rx(v, re) {
    if (typeof v !== "string") { return false; }
    var bytes = utf8(v);
    return bytes !== null && re.test(bytes);
  }
  function mod(v, d, r) { return typeof v === "number" && v % 1 === 0 && v % d === r; }
  function size(v, n) { return Array.isArray(v) && v.length === n; }
  function allMatch(v, test) {
    if (!Array.isArray(v) || v.length === 0) { return false; }
    for (var i = 0; i < v.length; i++) { if (!test(v[i])) { return false; } }
    return true;
  }
  function elemMatch(v, test) {
    if (!Array.isArray(v)) { return false; }
    for (var i = 0; i < v.length; i++) { if (test(v[i])) { return true; } }
    return false;
  }
  function keyMapMatch(v, test) {
    if (typeOf(v) !== "object") { return false; }
    for (var k in v) {
      if (Object.prototype.hasOwnProperty.call(v, k) && v[k] !== undefined && test(k)) { return true; }
    }
    return false;
  }
"""

COMPARISONS = {"$gt": "> 0", "$gte": ">= 0", "$lt": "< 0", "$lte": "<= 0"}


class TwinError(ValueError):
    """The selector uses something the twin cannot reproduce exactly."""


class _Generator:
    def __init__(self) -> None:
        self.regexes: list[str] = []
        self.depth = 0

    def regex(self, pattern: str) -> str:
        if pattern not in self.regexes:
            self.regexes.append(pattern)
        return f"R[{self.regexes.index(pattern)}]"

    def selector(self, sel: Any, var: str) -> str:
        if not isinstance(sel, dict) or not sel:
            raise TwinError(f"a selector must be a non-empty object: {sel!r}")
        return " && ".join(self.selector_key(k, a, var) for k, a in sel.items())

    def selector_key(self, key: str, arg: Any, var: str) -> str:
        if key in ("$and", "$or", "$nor"):
            if not isinstance(arg, list) or not arg:
                raise TwinError(f"{key} needs a non-empty list")
            joined = (" || " if key != "$and" else " && ").join(f"({self.selector(s, var)})" for s in arg)
            return f"!({joined})" if key == "$nor" else f"({joined})"
        if key.startswith("$"):
            return self.condition({key: arg}, var)
        path = json.dumps(key.split("."))
        exists_false = "true" if arg == {"$exists": False} else "false"
        self.depth += 1
        inner = f"v{self.depth}"
        test = self.condition(arg, inner)
        self.depth -= 1
        return f"field({var}, {path}, function ({inner}) {{ return {test}; }}, {exists_false})"

    def condition(self, cond: Any, var: str) -> str:
        if not isinstance(cond, dict):
            return f"eq({var}, {self.literal(cond)})"
        return " && ".join(f"({self.operator(op, arg, var)})" for op, arg in cond.items())

    def operator(self, op: str, arg: Any, var: str) -> str:
        if op == "$eq":
            return f"eq({var}, {self.literal(arg)})"
        if op == "$ne":
            return f"!eq({var}, {self.literal(arg)})"
        if op in ("$in", "$nin"):
            items = "[" + ", ".join(self.member(a) for a in arg) + "]"
            return ("!" if op == "$nin" else "") + f"inList({var}, {items})"
        if op in COMPARISONS:
            return f"cmp({var}, {self.number(arg)}) {COMPARISONS[op]}"
        if op == "$exists":
            return "true" if arg is True else "false"  # the field is present here
        if op == "$type":
            return f"typeOf({var}) === {json.dumps(arg)}"
        if op == "$regex":
            return f"rx({var}, {self.regex(arg)})"
        if op == "$beginsWith":  # a printable-ASCII prefix: UTF-16 and UTF-8 prefixes agree
            if not isinstance(arg, str):
                raise TwinError(f"$beginsWith needs a string: {arg!r}")
            return f'typeof {var} === "string" && {var}.indexOf({self.member(arg)}) === 0'

        if op == "$mod":
            return f"mod({var}, {self.number(arg[0])}, {self.number(arg[1])})"
        if op == "$size":
            return f"size({var}, {self.number(arg)})"
        if op == "$not":
            return f"!({self.condition(arg, var)})"
        if op == "$or":  # field level: the field's own conditions
            return " || ".join(f"({self.condition(c, var)})" for c in arg)
        if op in ("$allMatch", "$elemMatch", "$keyMapMatch"):
            fn = {"$allMatch": "allMatch", "$elemMatch": "elemMatch", "$keyMapMatch": "keyMapMatch"}[op]
            self.depth += 1
            inner = f"v{self.depth}"
            test = self.selector(arg, inner)
            self.depth -= 1
            return f"{fn}({var}, function ({inner}) {{ return {test}; }})"
        raise TwinError(f"operator {op} is not supported by the JavaScript twin")

    def literal(self, value: Any) -> str:
        if value is None or isinstance(value, bool | int | float):
            return json.dumps(value)
        raise TwinError(f"only null, booleans and numbers are compared for equality: {value!r}")

    def member(self, value: Any) -> str:
        if isinstance(value, str):
            if not all(" " <= c <= "~" for c in value):
                raise TwinError(f"only printable-ASCII strings are compared by bytes: {value!r}")
            return json.dumps(value)
        return self.literal(value)

    def number(self, value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TwinError(f"expected a number: {value!r}")
        return json.dumps(value)


def generate_validate_doc_update(selector: dict[str, Any], *, header: str) -> str:
    """The source of a JavaScript validate_doc_update accepting exactly what `selector` accepts."""
    gen = _Generator()
    test = gen.selector(selector, "doc")
    regexes = ",\n    ".join(f"new RegExp({json.dumps(r)})" for r in gen.regexes)
    return (
        f"function (newDoc, oldDoc, userCtx, secObj) {{\n  // {header}\n"
        f"{RUNTIME}  var R = [\n    {regexes}\n  ];\n"
        f"  var doc = {{newDoc: newDoc, oldDoc: oldDoc === undefined ? null : oldDoc}};\n"
        f'  if (!({test})) {{\n    throw({{forbidden: "document is not valid"}});\n  }}\n}}\n'
    )
