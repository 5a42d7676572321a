"""Credit notes against an issued invoice (GST Sec 34): full or partial, by line and quantity.

The invoice never changes. A credited line's money is computed by validators/arithmetic.py for
the credited quantity (its discount prorated, half up); the credit that brings a line to its full
quantity gets exactly what is left of the line, so all the credit notes of an invoice add up to
it to the paisa and never exceed it.

As with payments, acceptance is one revision-checked write to a journal in the admin-only
`svc_counters` db (`credits:<db>:<invoice uuid>`), so two racing credit notes cannot together
credit more than the invoice; then the number is allocated in the server's credit-note series
(numbering_server.py, keyed by the credit note's uuid: gap-free and stable under retries) and
the doc is written. Entries a crash left unwritten are completed by the next request.

What is left to credit counts only the notes every reader counts (services/integrity/trusted.py:
the sealed revision, without a finding) plus the journal's: a phone-pushed note the auditor
flagged as an over-credit must not block the shop's real credit notes.
"""

from __future__ import annotations

from typing import Any

from shopbill.services.billing.numbering_server import allocate_number
from shopbill.services.billing.server_docs import create_doc, new_doc
from shopbill.services.core.names import COUNTERS_DB
from shopbill.services.couch import Couch
from shopbill.services.errors import AlreadyExists, Conflict, CreditIdTaken, DocumentInvalid
from shopbill.services.integrity.trusted import settle
from shopbill.validators import arithmetic
from shopbill.validators.numbering.series import SERVER_CREDIT_NOTE_SERIES

Doc = dict[str, Any]
MONEY = ("amount_paise", "taxable_paise", "cgst_paise", "sgst_paise", "igst_paise")


async def credit_notes_of(couch: Couch, db: str, invoice_id: str) -> dict[str, Doc]:
    """The credit notes of an invoice in the business db, by id (the `by-invoice` index serves
    this selector: without it, every doc of the shop is read)."""
    response = await couch.request(
        "POST", f"/{db}/_find", json={"selector": {"type": "credit_note", "invoice_id": invoice_id}, "limit": 100_000}
    )
    return {doc["_id"]: doc for doc in response.json()["docs"]}


def _credited(notes: dict[str, Doc]) -> dict[int, Doc]:
    """Per invoice line: quantity and money credited so far."""
    done: dict[int, Doc] = {}
    for note in notes.values():
        for ln in note["lines"]:
            acc = done.setdefault(ln["line_index"], {"qty_milli": 0, **{k: 0 for k in MONEY}})
            for key in ("qty_milli", *MONEY):
                acc[key] += ln[key]
    return done


def credit_lines(invoice: Doc, requested: list[Doc] | None, notes: dict[str, Doc]) -> list[Doc]:
    """The credited lines; `requested` None credits everything not credited yet."""
    done = _credited(notes)
    nothing = {"qty_milli": 0, **{k: 0 for k in MONEY}}
    if requested is None:
        requested = [
            {"line_index": i, "qty_milli": ln["qty_milli"] - done.get(i, nothing)["qty_milli"]}
            for i, ln in enumerate(invoice["lines"])
        ]
        requested = [r for r in requested if r["qty_milli"] > 0]
        if not requested:
            raise DocumentInvalid([{"field": "lines", "message": "the invoice is fully credited"}])
    lines, problems = [], []
    for n, req in enumerate(requested):
        index, qty = req["line_index"], req["qty_milli"]
        if index >= len(invoice["lines"]) or any(r["line_index"] == index for r in requested[:n]):
            problems.append({"field": f"lines.{n}.line_index", "message": "no such line, or named twice"})
            continue
        line, before = invoice["lines"][index], done.get(index, nothing)
        left = line["qty_milli"] - before["qty_milli"]
        if qty > left:
            problems.append({"field": f"lines.{n}.qty_milli", "message": f"at most {left} can be credited"})
            continue
        if qty == left:  # the last credit of the line takes exactly what is left of it
            money = {k: line[k] - before[k] for k in MONEY}
        else:
            # the line's own discount and its share of a bill discount, prorated together
            taken = line["discount_paise"] + line.get("bill_discount_paise", 0)
            discount = arithmetic.round_half_up_div(taken * qty, line["qty_milli"])
            plain = {k: v for k, v in line.items() if k not in ("discount_bp", "bill_discount_paise")}
            computed = arithmetic.line_money(
                arithmetic.line_input({**plain, "qty_milli": qty, "discount_paise": discount}), invoice["supply"]
            )
            money = {k: min(getattr(computed, k), line[k] - before[k]) for k in MONEY}
            money["amount_paise"] = sum(money[k] for k in MONEY if k != "amount_paise")
        lines.append({"line_index": index, "qty_milli": qty, **money})
    if problems:
        raise DocumentInvalid(problems)
    if sum(ln["amount_paise"] for ln in lines) < 1:
        raise DocumentInvalid([{"field": "lines", "message": "credits nothing (0 paise)"}])
    return lines


async def issue_credit_note(
    couch: Couch,
    *,
    db: str,
    invoice: Doc,
    note_uuid: str,
    reason: str,
    lines: list[Doc] | None,
    refund_method: str | None = None,
) -> tuple[Doc, bool]:
    """(credit note, created). A retry with the same uuid returns the same note. `refund_method`
    (as a payment's `method`) says how the money went back, when it did."""
    note_id = f"credit_note:{note_uuid}"
    journal_id = f"credits:{db}:{invoice['_id'].split(':', 1)[1]}"
    while True:
        journal = await couch.get_doc(COUNTERS_DB, journal_id) or {"_id": journal_id, "notes": {}}
        issued = await credit_notes_of(couch, db, invoice["_id"])
        # accepted earlier but never written (a crash in between): write them before deciding
        await _write_missing(couch, db, [n for k, n in journal["notes"].items() if k not in issued])
        counted, _ = await settle(couch, db, list(issued.values()))
        notes = {**{n["_id"]: n for n in counted}, **journal["notes"]}
        if note_id in notes:
            if notes[note_id]["reason"] != reason:
                raise CreditIdTaken(note_id)
            created = False
            break
        if await couch.get_doc(db, note_id) is not None:
            raise CreditIdTaken(note_id)
        credited = credit_lines(invoice, lines, notes)
        journal["notes"][note_id] = {
            "_id": note_id,
            "invoice_id": invoice["_id"],
            "reason": reason,
            "lines": credited,
            "total_paise": sum(ln["amount_paise"] for ln in credited),
            **({"refund_method": refund_method} if refund_method else {}),
        }
        try:
            await couch.put_doc(COUNTERS_DB, journal)
        except Conflict:
            continue  # another credit note was accepted meanwhile: decide again
        created = True
        await _write_missing(couch, db, [journal["notes"][note_id]])
        break
    note = await couch.get_doc(db, note_id)
    assert note is not None
    return note, created


async def _write_missing(couch: Couch, db: str, accepted: list[Doc]) -> None:
    """Number and write accepted credit notes (create-only: one written already stays)."""
    for entry in accepted:
        number, issued_at = await allocate_number(
            couch, db=db, series=SERVER_CREDIT_NOTE_SERIES, key=entry["_id"].split(":", 1)[1]
        )
        fields = {k: v for k, v in entry.items() if k != "_id"}
        doc = new_doc("credit_note", entry["_id"], {**fields, "number": number, "issued_at": issued_at}, at=issued_at)
        try:
            await create_doc(couch, db, doc)
        except AlreadyExists:
            pass
