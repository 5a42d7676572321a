"""Compile the JSON Schema (draft 7) subset we use into a Mango selector, keyword by keyword.

One function per keyword, one signature `(ctx, value, schema) -> Node`, assembled in the sorted
dispatch table `KEYWORDS`. Unlike jsonschema, an unknown keyword is a compile error naming its
schema path: the compiler fails closed, nothing is silently dropped.

Soundness: the selector never refuses a value the schema accepts. Where Mango cannot be exact
the compiled condition is looser and the Python checks (`checks.py`) hold the exact rule:
`minLength`/`maxLength` on non-ASCII text (CouchDB's `$regex` counts UTF-8 bytes, so the bound
allows 4 bytes per character). A loose condition cannot be negated soundly, so inexact keywords
under `not`, `oneOf` or an `if` condition are compile errors. `maxItems` is exact: an `$or` of
`$size` values (index paths with `$exists: false` do not work in Mango).
`type: integer` compiles to `$mod: [1, 0]`, which refuses `1.0` on CouchDB; Python refuses it
too (see checks.py); JavaScript cannot tell `1.0` from `1` after JSON parsing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from shopbill.validators.mango_tree import FALSE, TRUE, Leaf, Node, Path, all_of, any_of, negate
from shopbill.validators.regex_subset import END, PatternError, exact_regex, translate_pattern

MANGO_TYPES = ("null", "boolean", "number", "string", "array", "object")
TYPED_KEYWORDS = {
    "string": frozenset({"maxLength", "minLength", "pattern"}),
    "number": frozenset({"exclusiveMaximum", "exclusiveMinimum", "maximum", "minimum"}),
    "array": frozenset({"items", "maxItems", "minItems"}),
    "object": frozenset({"additionalProperties", "properties", "required"}),
}
ALL_TYPED = frozenset().union(*TYPED_KEYWORDS.values())
ANNOTATIONS = frozenset({"$comment", "$id", "$schema", "default", "description", "examples", "title"})
MAX_SIZE_RANGE = 1000  # widest maxItems - minItems range enumerated with `$size`
MAX_LENGTH = 16000  # PCRE repeat counts stop at 65535; 4 bytes per character
NOT_PRINTABLE_ASCII = "[^ -~]"  # a byte outside 0x20..0x7E


class CompileError(ValueError):
    """A schema uses something the compiler cannot translate soundly; names the schema path."""

    def __init__(self, schema_path: tuple[str, ...], message: str) -> None:
        self.schema_path = schema_path
        super().__init__(f"#/{'/'.join(schema_path)}: {message}")


@dataclass(frozen=True)
class Ctx:
    """Where we are: the value's path in the current Mango scope and the schema path."""

    path: Path
    schema_path: tuple[str, ...] = ()
    exact: bool = False  # True under negation: inexact (loose) keywords are refused

    def keyword(self, *names: str) -> Ctx:
        return replace(self, schema_path=self.schema_path + names)

    def error(self, message: str) -> CompileError:
        return CompileError(self.schema_path, message)


def compile_schema(schema: Any, ctx: Ctx) -> Node:
    """The condition "the value at `ctx.path` exists and is valid against `schema`"."""
    if schema is True:
        return Leaf(ctx.path, "$exists", True)
    if schema is False:
        return FALSE
    if not isinstance(schema, dict):
        raise ctx.error("a schema must be an object or a boolean")
    for key in schema:
        if key not in KEYWORDS and key not in ANNOTATIONS:
            raise ctx.keyword(key).error(f"unsupported keyword {key!r}")
    types = _types(schema, ctx)
    used: set[str] = set()
    branches: list[Node] = []
    if "type" not in schema and not set(schema) & ALL_TYPED:
        branches.append(Leaf(ctx.path, "$exists", True))
        types = []
    for type_name in types:
        family = "number" if type_name == "integer" else type_name
        parts = [type_condition(ctx.path, type_name)]
        for key in sorted(set(schema) & TYPED_KEYWORDS.get(family, frozenset())):
            used.add(key)
            parts.append(KEYWORDS[key](ctx.keyword(key), schema[key], schema))
        branches.append(all_of(*parts))
    dead = ALL_TYPED & set(schema) - used
    if dead:
        raise ctx.keyword(min(dead)).error(f"keyword {min(dead)!r} has no effect with type {types}")
    generic = [KEYWORDS[key](ctx.keyword(key), schema[key], schema) for key in sorted(set(schema) & GENERIC_KEYWORDS)]
    return all_of(any_of(*branches), *generic)


def type_condition(path: Path, type_name: str) -> Node:
    """`$type` for a JSON Schema type; integers are numbers with `$mod: [1, 0]`."""
    if type_name == "integer":
        return all_of(Leaf(path, "$type", "number"), Leaf(path, "$mod", (1, 0)))
    return Leaf(path, "$type", type_name)


def _types(schema: dict[str, Any], ctx: Ctx) -> list[str]:
    declared = schema.get("type", list(MANGO_TYPES))
    names = [declared] if isinstance(declared, str) else list(declared)
    for name in names:
        if name not in (*MANGO_TYPES, "integer"):
            raise ctx.keyword("type").error(f"unknown type {name!r}")
    if "number" in names and "integer" in names:
        names.remove("integer")
    return names


def _number(ctx: Ctx, value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ctx.error("must be a number")
    return value


def _count(ctx: Ctx, value: Any, limit: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= limit:
        raise ctx.error(f"must be an integer in 0..{limit}")
    return value


def kw_additional_properties(ctx: Ctx, value: Any, schema: dict[str, Any]) -> Node:
    if value is True:
        return TRUE
    if value is not False:
        raise ctx.error("only additionalProperties: false (or true) is supported")
    allowed = tuple(sorted(schema.get("properties", {})))
    # No key outside `allowed`: "not (some key is unknown)". A key is unknown when `$nin` (ICU
    # collation) says so, or when it holds a byte outside printable ASCII: collation ignores
    # some code points ("name\u200b" collates equal to "name"), but two different printable-ASCII
    # strings never collate equal, and property names are printable ASCII (kw_properties). Exact,
    # and per key a few collation compares plus one tiny regex instead of compiling the long
    # alternation of every allowed name (CouchDB compiles a `$regex` on every evaluation).
    unknown = any_of(Leaf((), "$nin", allowed), Leaf((), "$regex", NOT_PRINTABLE_ASCII))
    return Leaf(ctx.path, "$keyMapMatch", unknown, negated=True)


def kw_all_of(ctx: Ctx, value: Any, schema: dict[str, Any]) -> Node:
    return all_of(*(compile_schema(s, ctx.keyword(str(i))) for i, s in enumerate(_schemas(ctx, value))))


def kw_any_of(ctx: Ctx, value: Any, schema: dict[str, Any]) -> Node:
    return any_of(*(compile_schema(s, ctx.keyword(str(i))) for i, s in enumerate(_schemas(ctx, value))))


def kw_one_of(ctx: Ctx, value: Any, schema: dict[str, Any]) -> Node:
    exact = replace(ctx, exact=True)
    branches = [compile_schema(s, exact.keyword(str(i))) for i, s in enumerate(_schemas(ctx, value))]
    return any_of(*(all_of(b, *(negate(o) for j, o in enumerate(branches) if j != i)) for i, b in enumerate(branches)))


def kw_not(ctx: Ctx, value: Any, schema: dict[str, Any]) -> Node:
    return negate(compile_schema(value, replace(ctx, exact=True)))


def kw_if(ctx: Ctx, value: Any, schema: dict[str, Any]) -> Node:
    cond = compile_schema(value, replace(ctx, exact=True))
    parent = replace(ctx, schema_path=ctx.schema_path[:-1])
    then = compile_schema(schema["then"], parent.keyword("then")) if "then" in schema else TRUE
    other = compile_schema(schema["else"], parent.keyword("else")) if "else" in schema else TRUE
    return any_of(all_of(cond, then), all_of(negate(cond), other))


def kw_then_else(ctx: Ctx, value: Any, schema: dict[str, Any]) -> Node:
    if "if" not in schema:
        raise ctx.error("then/else without if")
    return TRUE  # compiled together with `if`


def kw_const(ctx: Ctx, value: Any, schema: dict[str, Any]) -> Node:
    return kw_enum(ctx, [value], schema)


def kw_enum(ctx: Ctx, value: Any, schema: dict[str, Any]) -> Node:
    if not isinstance(value, list) or not value:
        raise ctx.error("must be a non-empty list")
    path, options = ctx.path, []
    strings = [v for v in value if isinstance(v, str)]
    numbers = tuple(v for v in value if isinstance(v, int | float) and not isinstance(v, bool))
    booleans = tuple(v for v in value if isinstance(v, bool))
    if len(strings) + len(numbers) + len(booleans) + value.count(None) != len(value):
        raise ctx.error("only string, number, boolean and null values are supported")
    if strings:
        try:  # byte-exact regex: Mango's $eq/$in on strings use ICU collation
            options.append(all_of(Leaf(path, "$type", "string"), Leaf(path, "$regex", exact_regex(strings))))
        except PatternError as exc:
            raise ctx.error(str(exc)) from None
    if numbers:
        options.append(all_of(Leaf(path, "$type", "number"), Leaf(path, "$in", numbers)))
    if booleans:
        options.append(all_of(Leaf(path, "$type", "boolean"), Leaf(path, "$in", booleans)))
    if None in value:
        options.append(Leaf(path, "$type", "null"))
    return any_of(*options)


def kw_exclusive_maximum(ctx: Ctx, value: Any, schema: dict[str, Any]) -> Node:
    return Leaf(ctx.path, "$lt", _number(ctx, value))


def kw_exclusive_minimum(ctx: Ctx, value: Any, schema: dict[str, Any]) -> Node:
    return Leaf(ctx.path, "$gt", _number(ctx, value))


def kw_maximum(ctx: Ctx, value: Any, schema: dict[str, Any]) -> Node:
    return Leaf(ctx.path, "$lte", _number(ctx, value))


def kw_minimum(ctx: Ctx, value: Any, schema: dict[str, Any]) -> Node:
    return Leaf(ctx.path, "$gte", _number(ctx, value))


def kw_max_length(ctx: Ctx, value: Any, schema: dict[str, Any]) -> Node:
    n = _count(ctx, value, MAX_LENGTH)
    if ctx.exact:
        raise ctx.error("maxLength is byte-approximate in Mango and cannot be negated soundly")
    # ASCII text: exact. Other text: up to 4 bytes (UTF-8) per character, never fewer. A minLength
    # is folded in (the same bounds kw_min_length gives): one regex compiled per evaluation, not two.
    low = _count(ctx, schema.get("minLength", 0), MAX_LENGTH)
    return Leaf(
        ctx.path, "$regex", rf"^(?:[\x00-\x7F]{{{low},{n}}}|(?=[\s\S]*[^\x00-\x7F])[\s\S]{{{low},{4 * n}}}){END}"
    )


def kw_min_length(ctx: Ctx, value: Any, schema: dict[str, Any]) -> Node:
    n = _count(ctx, value, MAX_LENGTH)
    if n == 0 or ("maxLength" in schema and not ctx.exact):
        return TRUE  # the maxLength regex starts at minLength
    if ctx.exact and n > 1:
        raise ctx.error("minLength > 1 is byte-approximate in Mango and cannot be negated soundly")
    return Leaf(ctx.path, "$regex", rf"^[\s\S]{{{n}}}")  # >= n bytes; exact for n == 1


def kw_pattern(ctx: Ctx, value: Any, schema: dict[str, Any]) -> Node:
    try:
        return Leaf(ctx.path, "$regex", translate_pattern(value))
    except PatternError as exc:
        raise ctx.error(str(exc)) from None


def kw_items(ctx: Ctx, value: Any, schema: dict[str, Any]) -> Node:
    if not isinstance(value, dict | bool):
        raise ctx.error("only a single items schema is supported (no tuple form)")
    element = compile_schema(value, replace(ctx, path=()))
    return any_of(Leaf(ctx.path, "$size", 0), Leaf(ctx.path, "$allMatch", element))


def kw_max_items(ctx: Ctx, value: Any, schema: dict[str, Any]) -> Node:
    high = _count(ctx, value, 10**6)
    low = schema.get("minItems", 0)
    if high - low > MAX_SIZE_RANGE:
        raise ctx.error(f"maxItems - minItems above {MAX_SIZE_RANGE} cannot be enumerated with $size")
    return any_of(*(Leaf(ctx.path, "$size", k) for k in range(low, high + 1)))


def kw_min_items(ctx: Ctx, value: Any, schema: dict[str, Any]) -> Node:
    n = _count(ctx, value, MAX_SIZE_RANGE)
    if "maxItems" in schema:
        return TRUE  # the maxItems enumeration starts at minItems
    return all_of(*(Leaf(ctx.path, "$size", k, negated=True) for k in range(n)))


def kw_properties(ctx: Ctx, value: Any, schema: dict[str, Any]) -> Node:
    if not isinstance(value, dict):
        raise ctx.error("must be an object")
    required = set(schema.get("required", []))
    parts = []
    for name in sorted(value):
        if not name or "." in name or name.startswith("$") or not all(" " < c <= "~" for c in name):
            raise ctx.keyword(name).error("property names must be printable ASCII without '.' or '$'")
        child = Ctx(ctx.path + (name,), ctx.schema_path + (name,), ctx.exact)
        node = compile_schema(value[name], child)
        parts.append(node if name in required else any_of(Leaf(child.path, "$exists", False), node))
    return all_of(*parts)


def kw_required(ctx: Ctx, value: Any, schema: dict[str, Any]) -> Node:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ctx.error("must be a list of property names")
    declared = schema.get("properties", {})
    return all_of(*(Leaf(ctx.path + (n,), "$exists", True) for n in value if n not in declared))


def kw_type(ctx: Ctx, value: Any, schema: dict[str, Any]) -> Node:
    return TRUE  # compiled by compile_schema, which branches on the types


def _schemas(ctx: Ctx, value: Any) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise ctx.error("must be a non-empty list of schemas")
    return value


Keyword = Callable[[Ctx, Any, dict[str, Any]], Node]
KEYWORDS: dict[str, Keyword] = dict(
    sorted(
        {
            "additionalProperties": kw_additional_properties,
            "allOf": kw_all_of,
            "anyOf": kw_any_of,
            "const": kw_const,
            "else": kw_then_else,
            "enum": kw_enum,
            "exclusiveMaximum": kw_exclusive_maximum,
            "exclusiveMinimum": kw_exclusive_minimum,
            "if": kw_if,
            "items": kw_items,
            "maxItems": kw_max_items,
            "maxLength": kw_max_length,
            "maximum": kw_maximum,
            "minItems": kw_min_items,
            "minLength": kw_min_length,
            "minimum": kw_minimum,
            "not": kw_not,
            "oneOf": kw_one_of,
            "pattern": kw_pattern,
            "properties": kw_properties,
            "required": kw_required,
            "then": kw_then_else,
            "type": kw_type,
        }.items()
    )
)
GENERIC_KEYWORDS = frozenset(KEYWORDS) - ALL_TYPED - {"type"}
