"""Money rules that span documents, checked on what arrived by replication.

The REST paths refuse an over-credit or an over-payment in one revision-checked journal write
(services/billing/credit_notes.py, payments.py), but a phone can push any credit note or payment
the VDU accepts, and a VDU sees one document at a time. So the auditor checks each invoice's
credit notes and each sale's payments together, at their sealed revisions:

- entries in the server's journal (`svc_counters`, admin-only: accepted one at a time, never over
  the limit) count first, then the phone-made ones by (`issued_at` / `paid_at`, id);
- a credit note whose line would take a line's quantity or any of its amounts past the invoice's,
  or that names no line of it, is flagged `over_credit`; a payment past what its sale owes is
  flagged `over_payment`. Flagged revisions are left out of every figure and export and the
  owner gets a notice (`flag`).
"""

from __future__ import annotations

from typing import Any

from shopbill.services.billing.credit_notes import MONEY, credit_notes_of
from shopbill.services.core.localtime import checking_zone
from shopbill.services.core.names import COUNTERS_DB, ROLLUP_DB
from shopbill.services.couch import Couch
from shopbill.services.errors import Unsealable
from shopbill.services.integrity.auditor.checks import flag
from shopbill.services.integrity.ledger import get_seals
from shopbill.services.integrity.sealed import read_sealed
from shopbill.services.integrity.trusted import get_many
from shopbill.validators.checks import explain

Doc = dict[str, Any]


async def _sealed(couch: Couch, db: str, winners: dict[str, Doc]) -> list[Doc]:
    """The sealed revisions of `winners` (CouchDB's, by id) that pass the checks (the others
    are flagged already); the seals are read in one request, a winner that is not the sealed
    revision is read at it."""
    seals = await get_seals(couch, db, sorted(winners))
    zone = await checking_zone(couch, db, winners.values())
    docs = []
    for doc_id, winner in sorted(winners.items()):
        if doc_id in seals and seals[doc_id]["rev"] == winner["_rev"]:
            doc: Doc | None = winner
        else:
            try:
                doc = await read_sealed(couch, db, doc_id)
            except Unsealable:
                continue
        if doc is not None and not explain(doc, time_zone=zone):
            docs.append(doc)
    return docs


async def _journal(couch: Couch, doc_id: str, section: str) -> set[str]:
    journal = await couch.get_doc(COUNTERS_DB, doc_id)
    return set((journal or {}).get(section, {}))


def over_credit(invoice: Doc, note: Doc, done: dict[int, dict[str, int]]) -> list[dict[str, str]]:
    """What `note` would take past `invoice`, given what the notes before it credited (`done`)."""
    problems = []
    for i, line in enumerate(note["lines"]):
        index = line["line_index"]
        if index >= len(invoice["lines"]):
            problems.append({"field": f"lines.{i}.line_index", "message": "no such invoice line"})
            continue
        before = done.get(index, {})
        for key in ("qty_milli", *MONEY):
            if before.get(key, 0) + line[key] > invoice["lines"][index][key]:
                problems.append({"field": f"lines.{i}.{key}", "message": f"credits more than the invoice line's {key}"})
    return problems


async def check_credit_notes(couch: Couch, db: str, invoice_id: str) -> None:
    """Flag the credit notes of `invoice_id` that credit more than it has left."""
    try:
        invoice = await read_sealed(couch, db, invoice_id)
    except Unsealable:
        invoice = None
    if invoice is None or invoice.get("type") != "invoice":
        return  # checked again when the invoice arrives
    notes = await _sealed(couch, db, await credit_notes_of(couch, db, invoice_id))
    accepted = await _journal(couch, f"credits:{db}:{invoice_id.split(':', 1)[1]}", "notes")
    done: dict[int, dict[str, int]] = {}
    for note in sorted(notes, key=lambda n: (n["_id"] not in accepted, n["issued_at"], n["_id"])):
        if note.get("invoice_id") != invoice_id:
            continue
        problems = over_credit(invoice, note, done)
        if problems:
            await flag(couch, db, note, note["_rev"], "over_credit", problems)
            continue
        for line in note["lines"]:
            acc = done.setdefault(line["line_index"], {})
            for key in ("qty_milli", *MONEY):
                acc[key] = acc.get(key, 0) + line[key]


async def check_payments(couch: Couch, db: str, sale_id: str) -> None:
    """Flag the payments of `sale_id` that pay more than it owes after checkout."""
    sale = await couch.get_doc(db, sale_id)
    if sale is None or sale.get("type") != "sale" or explain(sale):
        return  # checked again when the sale arrives (an invalid sale is flagged itself)
    # The sale's payments as the roll-up lists them (written earlier in this batch): a read by
    # id, not a `_find` per sale, which would make the auditor query the shop's indexes.
    listed = await couch.get_doc(ROLLUP_DB, f"pay:{db}:{sale_id}") or {}
    payments = await _sealed(couch, db, await get_many(couch, db, sorted(listed.get("payments", {}))))
    accepted = await _journal(couch, f"paid:{db}:{sale_id.split(':', 1)[1]}", "payments")
    owed = sale["total_paise"] - sale["paid_paise"]
    for payment in sorted(payments, key=lambda p: (p["_id"] not in accepted, p["paid_at"], p["_id"])):
        if payment.get("sale_id") != sale_id:
            continue
        if payment["amount_paise"] > owed:
            await flag(
                couch,
                db,
                payment,
                payment["_rev"],
                "over_payment",
                [{"field": "amount_paise", "message": f"{owed} paise were owed"}],
            )
            continue
        owed -= payment["amount_paise"]


async def check_money(couch: Couch, db: str, docs: list[Doc]) -> None:
    """Check the invoices of the batch's credit notes and the sales of its payments (one `_find`
    each: done for every invoice or sale of a batch, it would triple the auditor's work under a
    phone's push, for docs no money rule concerns)."""
    invoices = sorted(
        {d["invoice_id"] for d in docs if d.get("type") == "credit_note" and isinstance(d.get("invoice_id"), str)}
    )
    sales = sorted({d["sale_id"] for d in docs if d.get("type") == "payment" and isinstance(d.get("sale_id"), str)})
    for invoice_id in invoices:
        await check_credit_notes(couch, db, invoice_id)
    for sale_id in sales:
        await check_payments(couch, db, sale_id)
