"""Roll-ups (`svc_rollups`, admin-only) that the auditor keeps, for reports `_find` cannot serve fast.

Measured on the embedded server (bench/bench_history.py): `_find` over one month of a shop with
100,000 invoices reads every matching document in full and takes seconds, so the month's sales
report reads these roll-ups instead. The auditor, which already reads every change, folds each
batch of changes of a business database into them (`update_rollups`):

- `day:<db>:<UTC date>`   {entries: {doc id: entry}} for invoices, incomplete sales and credit
  notes, by the UTC day of their time (a credit note by its own `issued_at`, not its invoice's:
  it is reported in the period it is issued; a report in the shop's time zone reads the UTC days
  around its local days); `lines:<db>:<UTC date>` holds their lines (a credit note's lines with
  the item id and name of the invoice line they credit), for the reports by item or group;
- `pay:<db>:<sale id>`    {payments: {payment id: [amount, rev]}}: later payments of a sale;
- `cust:<db>:<phone>`     {name, sales: {sale id: time}, credit_notes: {id: invoice id}}: the
  customers seen, and the credit notes of their invoices (a credit note does not name the
  customer; finding them invoice by invoice would cost the history one `_find` per invoice).

Entries keep the revision they were made from, so figures can leave out flagged revisions at read
time, also when the finding comes after the roll-up. Invoices, credit notes and payments are
rolled up at their sealed revision (services/integrity/trusted.py). The roll-ups only summarise: the
business database stays the source of truth, and deleting a roll-up doc and the auditor's
checkpoint rebuilds it.
"""

from __future__ import annotations

import copy
from typing import Any

from shopbill.services.core.clock import parse_time
from shopbill.services.core.names import ROLLUP_DB
from shopbill.services.couch import Couch
from shopbill.services.integrity.trusted import Doc, get_many, settle
from shopbill.services.ops.indexes import load_indexes

LINE_FIELDS = (
    "item_id",
    "name",
    "qty_milli",
    "amount_paise",
    "taxable_paise",
    "cgst_paise",
    "sgst_paise",
    "igst_paise",
)


ENTRY_FIELDS = ("kind", "rev", "at", "total", "paid", "sale_id", "taxable", "cgst", "sgst", "igst")


def day_key(db: str, stamp: str, prefix: str = "day") -> str:
    return f"{prefix}:{db}:{parse_time(stamp).date().isoformat()}"


def time_of(doc: Doc) -> str:
    """When a doc counts: an invoice or credit note when issued, a sale when made."""
    return str(doc["created_at"] if doc["type"] == "sale" else doc["issued_at"])


def sale_of(doc: Doc) -> str:
    """The sale id of a sale, an invoice or (through `invoice:<sale uuid>`) a credit note."""
    if doc["type"] == "credit_note":
        return "sale:" + str(doc["invoice_id"]).split(":", 1)[1]
    return str(doc["sale_id"] if doc["type"] == "invoice" else doc["_id"])


def entry_of(doc: Doc) -> list[Any]:
    """The compact entry (ENTRY_FIELDS) of an invoice, an incomplete sale or a credit note: no
    lines, taxes summed (a credit note's amounts are positive: readers subtract them)."""
    taxes = [sum(line[f"{name}_paise"] for line in doc["lines"]) for name in ("taxable", "cgst", "sgst", "igst")]
    return [doc["type"], doc["_rev"], time_of(doc), doc["total_paise"], doc.get("paid_paise", 0), sale_of(doc), *taxes]


def lines_of(doc: Doc) -> list[list[Any]]:
    """LINE_FIELDS of each line; a credit note's credited lines take the item id and name of the
    invoice line they credit (`_invoice_lines`, added by `with_invoices`)."""
    if doc["type"] != "credit_note":
        return [[line.get(f) for f in LINE_FIELDS] for line in doc["lines"]]
    invoice_lines = doc.get("_invoice_lines") or []
    rows = []
    for line in doc["lines"]:
        index = line["line_index"]
        credited = (
            invoice_lines[index]
            if index < len(invoice_lines)
            else {"item_id": None, "name": f"{doc['invoice_id']} line {index}"}
        )
        rows.append([credited.get("item_id"), credited["name"], *[line[f] for f in LINE_FIELDS[2:]]])
    return rows


def changes_of(docs: list[Doc]) -> dict[str, dict[str, Any]]:
    """{roll-up doc id: {field: {key: value or None to remove}}} for already settled `docs`.

    Day docs hold invoices and the sales still incomplete (a sale leaves them once invoiced);
    their lines go to `lines:` docs, read only by the reports by item or group, so that a
    month's daily report reads small docs.
    """
    changes: dict[str, dict[str, Any]] = {}

    def put(doc_id: str, name: str, key: str, value: Any) -> None:
        changes.setdefault(doc_id, {}).setdefault(name, {})[key] = value

    for doc in docs:
        db, doc_type = doc["_db"], doc.get("type")
        if doc_type in ("sale", "invoice", "credit_note"):
            at = time_of(doc)
            keep = doc_type != "sale" or doc.get("status") == "incomplete"
            put(day_key(db, at), "entries", doc["_id"], entry_of(doc) if keep else None)
            put(day_key(db, at, "lines"), "entries", doc["_id"], lines_of(doc) if keep else None)
            if doc_type == "sale":
                put(f"cust:{db}:{doc['customer_phone']}", "sales", doc["_id"], doc["created_at"])
            if doc_type == "credit_note" and doc.get("_invoice_phone"):
                put(f"cust:{db}:{doc['_invoice_phone']}", "credit_notes", doc["_id"], doc["invoice_id"])
        elif doc_type == "payment":
            put(f"pay:{db}:{doc['sale_id']}", "payments", doc["_id"], [doc["amount_paise"], doc["_rev"]])
        elif doc["_id"].startswith("customer:"):
            name = None if doc.get("_deleted") else doc.get("name")
            put(f"cust:{db}:{doc['_id'].removeprefix('customer:')}", "name", "", name)
    return changes


def merge(current: Doc | None, doc_id: str, change: dict[str, Any]) -> Doc:
    """`current` roll-up doc (or a new one) with `change` applied."""
    doc = current or {"_id": doc_id}
    for name, values in change.items():
        if name == "name":
            doc["name"] = values[""]
            continue
        section = doc.setdefault(name, {})
        for key, value in values.items():
            if value is None:
                section.pop(key, None)
            else:
                section[key] = value
    return doc


async def update_rollups(couch: Couch, db: str, docs: list[Doc]) -> int:
    """Fold changed docs of `db` (winning revisions; deleted ones too) into the roll-ups.

    Returns how many roll-up docs were written. Idempotent: replaying a batch changes nothing.
    """
    wanted = [
        d for d in docs if d.get("type") in ("sale", "invoice", "payment", "credit_note") and not d.get("_deleted")
    ]
    counted, unsealable = await settle(couch, db, wanted, {})
    by_id = {d["_id"]: d for d in wanted}
    # An immutable doc whose trustworthy revision is unknown is rolled up at its winner: the
    # auditor recorded a finding on that revision, so reports count it as flagged.
    settled = await with_invoices(couch, db, counted + [by_id[i] for i in unsealable])
    customers = [d for d in docs if d["_id"].startswith("customer:")]
    changes = changes_of([{**d, "_db": db} for d in settled + customers])
    return await _write(couch, changes)


async def with_invoices(couch: Couch, db: str, docs: list[Doc]) -> list[Doc]:
    """`docs`, each credit note with `_invoice_lines` and `_invoice_phone` from its invoice's
    sealed revision (what it credits, and whose history it belongs to); empty and None when
    the invoice cannot be read."""
    ids = sorted({d["invoice_id"] for d in docs if d.get("type") == "credit_note"})
    invoices, _ = await settle(couch, db, list((await get_many(couch, db, ids)).values()), {})
    by_id = {invoice["_id"]: invoice for invoice in invoices}
    return [
        {
            **d,
            "_invoice_lines": by_id.get(d["invoice_id"], {}).get("lines", []),
            "_invoice_phone": by_id.get(d["invoice_id"], {}).get("customer_phone"),
        }
        if d.get("type") == "credit_note"
        else d
        for d in docs
    ]


async def _write(couch: Couch, changes: dict[str, dict[str, Any]]) -> int:
    written = 0
    while changes:
        current = await get_many(couch, ROLLUP_DB, sorted(changes))
        docs = [merge(copy.deepcopy(current.get(doc_id)), doc_id, change) for doc_id, change in changes.items()]
        docs = [d for d in docs if d != current.get(d["_id"])]
        if not docs:
            return written
        response = await couch.request("POST", f"/{ROLLUP_DB}/_bulk_docs", json={"docs": docs})
        retry = {row["id"] for row in response.json() if row.get("error") == "conflict"}
        written += len(docs) - len(retry)
        changes = {doc_id: change for doc_id, change in changes.items() if doc_id in retry}
    return written


async def warm_indexes(couch: Couch, db: str) -> None:
    """Bring every Mango index of `db` up to date, so the next reader does not pay for it.

    A Mango index is updated when it is queried; after a phone synced thousands of docs the
    first history lookup would otherwise wait for the whole update.
    """
    response = await couch.request("GET", f"/{db}/_index", ok=(200, 404))
    installed = {row["ddoc"] for row in response.json().get("indexes", [])}
    for body in load_indexes():
        if f"_design/{body['ddoc']}" not in installed:
            continue  # querying a missing index would scan the whole database instead
        fields = body["index"]["fields"]
        await couch.request(
            "POST",
            f"/{db}/_find",
            json={"selector": {fields[0]: {"$gt": None}}, "use_index": body["ddoc"], "limit": 1, "fields": ["_id"]},
            ok=(200, 400, 404),
        )
