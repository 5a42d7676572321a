"""The whole write rule of a business database, as one Mango selector over `{newDoc, oldDoc}`.

A write is accepted when it is

* a live document valid against the schema of its `type` (any accepted `schema_version`), whose
  id prefix matches the type (the schemas pin the id pattern), and which either is new, replaces
  a deleted revision, or updates a live document of the same mutable type (`type` never changes;
  invoices, credit notes, payments and audit notices are never updated); a sale that was
  `invoiced` stays `invoiced`; or
* a deletion (`newDoc._deleted == true`) of a group, item or customer. The id carries the type,
  so the id prefix decides; a replicated tombstone of a doc this server never saw has no oldDoc.

"New" is `{"$or": [{"oldDoc": null}, {"oldDoc": {"$exists": false}}]}`: CouchDB main passes
`oldDoc: null`, PR #5858 omits it. Conditions on `oldDoc.*` are always conjoined with
`oldDoc` being an object, because a condition under a null parent never matches.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shopbill.validators.compiler import Ctx, compile_schema
from shopbill.validators.mango_tree import All, Leaf, Node, all_of, any_of, factor, render
from shopbill.validators.regex_subset import exact_regex
from shopbill.validators.schemas import (
    ACCEPTED_VERSIONS,
    DELETABLE_TYPES,
    MUTABLE_TYPES,
    TYPES,
    schemas,
)

NEW, OLD = ("newDoc",), ("oldDoc",)


def _is(path: tuple[str, ...], *values: str) -> Node:
    """The string at `path` is one of `values` (byte-exact regex, not collation)."""
    return all_of(Leaf(path, "$type", "string"), Leaf(path, "$regex", exact_regex(list(values))))


def valid_document(doc_type: str, versioned: Mapping[int, Mapping[str, Any]]) -> Node:
    """newDoc is a valid `doc_type` document under one of the accepted versions.

    The type test comes first: CouchDB tries the types in turn, and a doc of another type is
    turned away by a byte-prefix test (`$beginsWith`, no type name is a prefix of another),
    which costs a fraction of a `$regex` (compiled on every evaluation); the exact test (the
    schema's own `type` const, deduplicated by `all_of`) then runs once, in the right branch.
    """
    return all_of(
        Leaf(NEW + ("type",), "$beginsWith", doc_type),
        _is(NEW + ("type",), doc_type),
        any_of(
            *(
                compile_schema(by_type[doc_type], Ctx(NEW, (f"v{v}", doc_type)))
                for v, by_type in sorted(versioned.items())
                if doc_type in by_type
            )
        ),
    )


def old_absent() -> Node:
    """No live previous revision: a new doc, or one whose previous revision is a deletion."""
    # Kept as its own `$or` (a one-part All is not flattened) so the rule reads as documented.
    new = All((any_of(Leaf(OLD, "$eq", None), Leaf(OLD, "$exists", False)),))
    replaces_deleted = all_of(Leaf(OLD, "$type", "object"), Leaf(OLD + ("_deleted",), "$eq", True))
    return any_of(new, replaces_deleted)


def old_live(doc_type: str) -> Node:
    """oldDoc is a live document of `doc_type`."""
    deleted = OLD + ("_deleted",)
    return all_of(
        Leaf(OLD, "$type", "object"),
        any_of(Leaf(deleted, "$exists", False), Leaf(deleted, "$eq", False)),
        _is(OLD + ("type",), doc_type),
    )


def update_rule(doc_type: str) -> Node:
    """An update of a live `doc_type` document: same type, plus the type's transition rules."""
    rule = all_of(_is(NEW + ("type",), doc_type), old_live(doc_type))
    if doc_type == "sale":  # invoiced never goes back to incomplete
        rule = all_of(rule, any_of(_is(NEW + ("status",), "invoiced"), _is(OLD + ("status",), "incomplete")))
    return rule


def deletion_rule() -> Node:
    """A deletion of a deletable type, decided by the id prefix."""
    prefixes = "|".join(DELETABLE_TYPES)
    return all_of(
        Leaf(NEW + ("_deleted",), "$eq", True),
        Leaf(NEW + ("_id",), "$type", "string"),
        Leaf(NEW + ("_id",), "$regex", f"^(?:{prefixes}):"),
    )


def write_rule(versioned: Mapping[int, Mapping[str, Any]] | None = None) -> Node:
    """The full rule as a condition tree (the accepted schema versions by default)."""
    if versioned is None:
        versioned = {v: schemas(v) for v in ACCEPTED_VERSIONS}
    live = any_of(*(valid_document(t, versioned) for t in TYPES))
    history = any_of(old_absent(), *(update_rule(t) for t in MUTABLE_TYPES))
    return any_of(all_of(live, history), deletion_rule())


def write_selector(versioned: Mapping[int, Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """The Mango selector of `write_rule`, for a `"language": "query"` validate_doc_update."""
    return render(factor(write_rule(versioned)))
