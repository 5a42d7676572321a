"""Idempotent start-up provisioning: system databases and the services' own admin-only databases."""

from __future__ import annotations

from shopbill.services.core.names import SERVICE_DBS, SYSTEM_DBS
from shopbill.services.couch import ADMIN_ONLY_SECURITY, Couch


async def provision_server(couch: Couch) -> list[str]:
    """Create missing system and service databases, all with admin-only `_security`.

    Returns the names of the databases this call created (empty on a second run).
    """
    created = []
    for db in (*SYSTEM_DBS, *SERVICE_DBS):
        if await couch.ensure_db(db, security=ADMIN_ONLY_SECURITY):
            created.append(db)
    return created
