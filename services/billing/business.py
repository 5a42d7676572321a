"""A business's own database `biz_<id>`: created, secured for its one CouchDB user, with the rules."""

from __future__ import annotations

from typing import Any

from shopbill.services.core.clock import now_rfc3339
from shopbill.services.core.names import shop_db
from shopbill.services.couch import Couch
from shopbill.services.identity.credentials import couch_username
from shopbill.services.ops.design_docs import Target, install_design_docs
from shopbill.services.ops.indexes import install_indexes
from shopbill.validators.schemas import SCHEMA_VERSION

SERVER_DEVICE_ID = "server"


def business_security(business_id: str) -> dict[str, Any]:
    """Only the business's CouchDB user may read and write; only server admins administer it."""
    return {
        "admins": {"names": [], "roles": ["_admin"]},
        "members": {"names": [couch_username(business_id)], "roles": []},
    }


async def provision_business(couch: Couch, *, business_id: str, vdu_target: Target, business: dict[str, Any]) -> None:
    """Create (or complete) the business database: `_security`, design docs, indexes, `business` doc.

    Idempotent, so a signup interrupted at any step is completed by its retry.
    """
    db = shop_db(business_id)
    await couch.ensure_db(db, security=business_security(business_id))
    await install_design_docs(couch.http, db, vdu_target)
    await install_indexes(couch.http, db)
    if await couch.get_doc(db, "business") is None:
        stamp = now_rfc3339()
        doc = {
            "_id": "business",
            "type": "business",
            "schema_version": SCHEMA_VERSION,
            "created_at": stamp,
            "updated_at": stamp,
            "device_id": SERVER_DEVICE_ID,
            "timezone": "Asia/Kolkata",
            "settings": {"round_off": True},
            **business,
        }
        await couch.request("PUT", f"/{db}/business", json=doc, ok=(201, 202, 409))
