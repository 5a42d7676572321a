"""Audit notices: `audit:` docs the auditor writes into a business database for the phone to show."""

from __future__ import annotations

import uuid

from shopbill.services.billing.business import SERVER_DEVICE_ID
from shopbill.services.core.clock import now_rfc3339
from shopbill.services.couch import Couch, doc_path
from shopbill.validators.schemas import SCHEMA_VERSION

NOTICE_NAMESPACE = uuid.UUID("4b1f7a52-0c1e-4d0e-9a57-7d1b0f3c2e11")
MESSAGES = {
    "invalid": "This record breaks the shop's rules ({detail}); it is left out of reports.",
    "tampered": "A second, different version of this record arrived; the original is kept.",
    "unsealable": "This record arrived in two versions at once; please check it with support.",
    "duplicate_number": "Another invoice already has this number; this one is left out of reports.",
    "forged_number": "This record has a number only the server issues, which the server never "
    "issued; it is left out of reports and GST exports.",
    "over_credit": "This credit note credits more than its invoice has left ({detail}); it is "
    "left out of reports and GST exports.",
    "over_payment": "This payment pays more than its sale owes ({detail}); it is left out of reports.",
    "check_failed": "This record could not be checked ({detail}); it is left out of reports.",
}
# The shop's own details are never left out of anything: the owner has to correct them.
BUSINESS_INVALID = "The shop's details need fixing ({detail}); correct them in the shop's settings."


def notice_message(kind: str, subject_id: str, detail: str) -> str:
    """The text of a notice of `kind` about `subject_id`."""
    template = BUSINESS_INVALID if kind == "invalid" and subject_id == "business" else MESSAGES[kind]
    return template.format(detail=detail)[:500]


async def write_notice(
    couch: Couch, db: str, *, subject_id: str, rev: str, kind: str, detail: str = "", severity: str = "warning"
) -> None:
    """Write one notice about `subject_id` at `rev`; the id is derived, so it is written once."""
    notice_id = f"audit:{uuid.uuid5(NOTICE_NAMESPACE, f'{db}|{subject_id}|{rev}|{kind}')}"
    stamp = now_rfc3339()
    doc = {
        "_id": notice_id,
        "type": "audit",
        "schema_version": SCHEMA_VERSION,
        "created_at": stamp,
        "updated_at": stamp,
        "device_id": SERVER_DEVICE_ID,
        "subject_id": subject_id,
        "kind": kind,
        "severity": severity,
        "message": notice_message(kind, subject_id, detail),
    }
    await couch.request("PUT", doc_path(db, notice_id), json=doc, ok=(201, 202, 409))
