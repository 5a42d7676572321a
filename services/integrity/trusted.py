"""Which revision of a synced document server-side figures count, and which they leave out.

- Invoices, credit notes and payments count at their sealed revision (services/integrity/sealed.py): a
  winning revision that differs from the seal never counts; one that cannot be sealed is flagged.
- A conflicted mutable doc (a sale) counts at the branch the auditor decided on.
- A doc whose counted revision has a finding in the ledger, or breaks the checks (the auditor
  flags it within seconds; until then readers must not count it, nor choke on it), is left out
  and reported as flagged (`counts`: the one in/out rule of every reader).
  A finding on another revision (say, a forged sibling of an invoice) does not remove the sealed
  original from the figures: the shop did issue that invoice.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import tzinfo
from typing import Any

from shopbill.services.core.localtime import checking_zone
from shopbill.services.core.names import LEDGER_DB
from shopbill.services.couch import Couch, doc_path
from shopbill.services.errors import Unsealable
from shopbill.services.integrity.ledger import get_decision
from shopbill.services.integrity.sealed import SEALED_TYPES, read_sealed
from shopbill.validators.checks import explain

Doc = dict[str, Any]
Findings = dict[str, set[str]]


async def load_findings(couch: Couch, db: str) -> Findings:
    """{doc id: revisions with a finding} for the docs of `db` (same records as `flagged_ids`)."""
    rows = await couch.all_docs(
        LEDGER_DB, startkey=json.dumps(f"finding:{db}:"), endkey=json.dumps(f"finding:{db}:\uffff")
    )
    findings: Findings = defaultdict(set)
    for row in rows:
        findings[row["doc_id"]].add(row["rev"])
    return dict(findings)


async def get_many(couch: Couch, db: str, ids: list[str]) -> dict[str, Doc]:
    """The current docs of `ids` that exist, by id, in one request."""
    if not ids:
        return {}
    response = await couch.request(
        "POST", f"/{db}/_all_docs", params={"include_docs": "true"}, json={"keys": ids}, ok=(200, 404)
    )
    if response.status_code == 404:
        return {}
    return {row["id"]: row["doc"] for row in response.json()["rows"] if row.get("doc")}


def counts(doc: Doc | None, findings: Findings, zone: tzinfo) -> bool:
    """Whether `doc` (the revision a reader chose: sealed, or decided) counts in figures; `zone`
    is the business's (services/core/localtime.py `checking_zone`)."""
    return doc is not None and doc["_rev"] not in findings.get(doc["_id"], ()) and not explain(doc, time_zone=zone)


async def findings_of(couch: Couch, db: str, docs: list[Doc]) -> Findings:
    """The findings on exactly these revisions (one request)."""
    rows = await get_many(couch, LEDGER_DB, [finding_key(db, d["_id"], d["_rev"]) for d in docs])
    found: Findings = defaultdict(set)
    for record in rows.values():
        found[record["doc_id"]].add(record["rev"])
    return dict(found)


def finding_key(db: str, doc_id: str, rev: str) -> str:
    return f"finding:{db}:{doc_id}:{rev}"


async def settle(
    couch: Couch, db: str, docs: list[Doc], findings: Findings | None = None
) -> tuple[list[Doc], list[str]]:
    """(the revisions to count, the ids left out as flagged) of `docs` as `_find` returned them.

    Without `findings` (all of the shop's, for callers that read many docs), only the findings
    of these docs' revisions are read, in the same request as their seals (a customer's history
    does not read every finding of the shop).
    """
    sealed = [d["_id"] for d in docs if d.get("type") in SEALED_TYPES]
    keyed = findings is None
    ledger = await get_many(
        couch,
        LEDGER_DB,
        [f"seal:{db}:{doc_id}" for doc_id in sealed]
        + ([finding_key(db, d["_id"], d["_rev"]) for d in docs] if keyed else []),
    )
    chosen_docs: list[tuple[Doc, Doc | None]] = []
    for doc in docs:
        chosen: Doc | None = doc
        if doc.get("type") in SEALED_TYPES:
            seal = ledger.get(f"seal:{db}:{doc['_id']}")
            if seal is None or seal["rev"] != doc["_rev"]:
                chosen = await _sealed_or_none(couch, db, doc["_id"])
        elif doc.get("_conflicts"):
            chosen = await _decided_branch(couch, db, doc)
        chosen_docs.append((doc, chosen))
    if keyed:
        other_revs = [
            finding_key(db, doc["_id"], chosen["_rev"])
            for doc, chosen in chosen_docs
            if chosen is not None and chosen["_rev"] != doc["_rev"]
        ]
        ledger.update(await get_many(couch, LEDGER_DB, other_revs))
        findings = defaultdict(set)
        for key, record in ledger.items():
            if key.startswith("finding:"):
                findings[record["doc_id"]].add(record["rev"])
    counted: list[Doc] = []
    flagged: list[str] = []
    zone = await checking_zone(couch, db, (chosen for _, chosen in chosen_docs))
    for doc, chosen in chosen_docs:
        if counts(chosen, findings or {}, zone):
            counted.append(chosen)  # type: ignore[arg-type]
        else:
            flagged.append(doc["_id"])
    return counted, flagged


async def _sealed_or_none(couch: Couch, db: str, doc_id: str) -> Doc | None:
    try:
        return await read_sealed(couch, db, doc_id)
    except Unsealable:
        return None


async def _decided_branch(couch: Couch, db: str, doc: Doc) -> Doc:
    decision = await get_decision(couch, db, doc["_id"])
    if decision is None or decision["winner"] == doc["_rev"]:
        return doc
    response = await couch.request("GET", doc_path(db, doc["_id"]), params={"rev": decision["winner"]}, ok=(200, 404))
    return response.json() if response.status_code == 200 else doc
