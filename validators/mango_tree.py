"""A small boolean tree of Mango field conditions: built by the compiler, negated, rendered to JSON.

Negation is done here, not left to Mango's `$not`: CouchDB pushes a `$not` down onto field
conditions, and a field condition on a missing field (or under a null / non-object parent) is
false even when negated. So the tree keeps every condition guarded by its path's existence and
type (`$type`), and `negate` applies De Morgan with explicit `$exists` flips. A rendered selector
contains only `$and`, `$or` and field conditions, where a `$not` wraps exactly one operator and a
field-level `$or` lists plain operators of that one field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Path = tuple[str, ...]


@dataclass(frozen=True)
class Leaf:
    """`path` (relative to the current scope; () is the scoped value itself) satisfies `op: arg`."""

    path: Path
    op: str
    arg: Any  # hashable: lists are kept as tuples, sub-selectors as nodes
    negated: bool = False


@dataclass(frozen=True)
class All:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Any_:
    parts: tuple[Node, ...]


Node = Leaf | All | Any_
NESTED = ("$allMatch", "$elemMatch", "$keyMapMatch")  # operators whose argument is a selector
TRUE = All(())
FALSE = Any_(())


# The JSON type a positive condition can only match (CouchDB: `$regex` matches strings only,
# `$mod` integers only, `$size`/`$allMatch`/`$elemMatch` arrays, `$keyMapMatch` objects).
ENTAILED_TYPE = {
    "$regex": "string",
    "$beginsWith": "string",
    "$mod": "number",
    "$size": "array",
    "$allMatch": "array",
    "$elemMatch": "array",
    "$keyMapMatch": "object",
}


def all_of(*parts: Node) -> Node:
    """Conjunction, flattened and simplified."""
    out: list[Node] = []
    for part in parts:
        if part == FALSE:
            return FALSE
        out.extend(part.parts if isinstance(part, All) else [part])
    return out[0] if len(out) == 1 else All(tuple(dict.fromkeys(out)))


def _entailed(part: Node, siblings: list[Node]) -> bool:
    """Whether `part` (a `$exists: true` or `$type`) follows from another condition of the same
    conjunction on the same field: dropping it saves an evaluation on every write and words in
    the design doc CouchDB copies for every write. Any condition on a field but `$exists` is
    false when the field is missing (negated too), so it entails `$exists: true`; that is why
    this runs on the finished tree only (`factor`): `negate` needs the `$exists` to flip."""
    if not isinstance(part, Leaf) or part.negated or not part.path or part.op not in ("$exists", "$type"):
        return False
    others = [p for p in siblings if isinstance(p, Leaf) and p.path == part.path and p.op != "$exists"]
    if part.op == "$exists":
        return part.arg is True and bool(others)
    return any(not p.negated and ENTAILED_TYPE.get(p.op) == part.arg for p in others)


def any_of(*parts: Node) -> Node:
    """Disjunction, flattened and simplified."""
    out: list[Node] = []
    for part in parts:
        if part == TRUE:
            return TRUE
        out.extend(part.parts if isinstance(part, Any_) else [part])
    return out[0] if len(out) == 1 else Any_(tuple(dict.fromkeys(out)))


def negate(node: Node) -> Node:
    """The complement of `node` (De Morgan; `$exists` flips instead of being wrapped in `$not`)."""
    if isinstance(node, All):
        return any_of(*(negate(p) for p in node.parts))
    if isinstance(node, Any_):
        return all_of(*(negate(p) for p in node.parts))
    if node.op == "$exists":
        return Leaf(node.path, "$exists", not node.arg)
    return Leaf(node.path, node.op, node.arg, not node.negated)


def render(node: Node) -> dict[str, Any]:
    """The Mango selector for `node`."""
    if node == TRUE or node == FALSE:
        raise ValueError("a constant condition cannot be rendered as a Mango selector")
    if isinstance(node, All):
        merged = _merge_fields([render(p) for p in node.parts])
        return merged[0] if len(merged) == 1 else {"$and": merged}
    if isinstance(node, Any_):
        field = _one_field(node.parts)
        if field is not None:  # {f: {$or: [{$size: 1}, {$size: 2}]}}: the field's name once
            leaves = [p for p in node.parts if isinstance(p, Leaf)]
            return {".".join(field): {"$or": [render(Leaf((), p.op, p.arg)) for p in leaves]}}
        return {"$or": [render(p) for p in node.parts]}
    arg = node.arg
    if node.op in NESTED:
        arg = render(node.arg)
    elif isinstance(arg, tuple):
        arg = list(arg)
    if node.op == "$eq" and not node.negated and node.path and not isinstance(arg, dict):
        return {".".join(node.path): arg}  # implicit equality, as in {"oldDoc": null}
    cond: dict[str, Any] = {node.op: arg}
    if node.negated:
        cond = {"$not": cond}
    if not node.path:
        return cond
    return {".".join(node.path): cond}


def _one_field(parts: tuple[Node, ...]) -> Path | None:
    """The path all `parts` test, when each is a plain condition on that one named field.

    CouchDB copies the whole design doc on every validation, so a long enumeration (`$size` for
    `maxItems`) is rendered with its field named once. `$exists` is left out (its missing-field
    rule needs the condition alone), so are negations and sub-selectors.
    """
    plain = [
        p
        for p in parts
        if isinstance(p, Leaf) and p.path and not p.negated and p.op not in NESTED and p.op != "$exists"
    ]
    paths = {p.path for p in plain}
    return paths.pop() if len(plain) == len(parts) > 1 and len(paths) == 1 else None


def _merge_fields(selectors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Join the conditions of a conjunction that test the same field: `{f: {$type, $regex}}`.

    `$exists` stays alone: CouchDB treats a missing field specially only when its whole
    condition is exactly `{"$exists": false}`.
    """
    out: list[dict[str, Any]] = []
    by_field: dict[str, dict[str, Any]] = {}
    for sel in selectors:
        ((key, cond),) = sel.items() if len(sel) == 1 else (("$", None),)
        if key.startswith("$") or not isinstance(cond, dict) or len(cond) != 1 or "$exists" in cond:
            out.append(sel)
            continue
        if key in by_field and not set(cond) & set(by_field[key]):
            by_field[key].update(cond)
            continue
        if key not in by_field:
            by_field[key] = dict(cond)
            out.append({key: by_field[key]})
            continue
        out.append(sel)
    return out


def factor(node: Node) -> Node:
    """`node` with the conditions shared by several branches of a disjunction tested once:
    (T1 ∧ A ∧ X) ∨ (T2 ∧ A ∧ Y) becomes (T1 ∧ X ∨ T2 ∧ Y) ∧ A. Exact (distributivity).

    CouchDB copies the whole design doc several times on every write, so the common fields of
    nine document types written once, not nine times, make each write cheaper. The shared part
    is tested after the branches, which keep their order, so a branch's first test (the doc
    type) still decides early which branch applies.
    """
    if isinstance(node, Leaf):
        if node.op in NESTED:
            return Leaf(node.path, node.op, factor(node.arg), node.negated)
        return node
    parts = tuple(factor(p) for p in node.parts)
    if isinstance(node, All):
        if len(parts) == 1:
            return All(parts)  # a kept one-part All stays
        joined = all_of(*parts)
        if not isinstance(joined, All):
            return joined
        kept = [p for p in joined.parts if not _entailed(p, list(joined.parts))]
        return kept[0] if len(kept) == 1 else All(tuple(kept))
    return _factor_any(parts)


def _conjuncts(node: Node) -> tuple[Node, ...]:
    return node.parts if isinstance(node, All) else (node,)


def _factor_any(branches: tuple[Node, ...]) -> Node:
    counts: dict[Node, int] = {}
    for branch in branches:
        for part in dict.fromkeys(_conjuncts(branch)):
            counts[part] = counts.get(part, 0) + 1
    shared = [part for part, n in counts.items() if n > 1]
    if not shared:
        return any_of(*branches)
    common = max(shared, key=lambda part: counts[part])
    group = [b for b in branches if common in _conjuncts(b)]
    rest = _factor_any(tuple(all_of(*(p for p in _conjuncts(b) if p != common)) for b in group))
    merged = all_of(rest, common)
    first = branches.index(group[0])
    others = [b for b in branches if b not in group]
    return _factor_any(tuple(others[:first] + [merged] + others[first:]))
