"""Idempotent start-up provisioning: system databases and the services' own admin-only databases."""

from __future__ import annotations

from shopbill.services.couch import ADMIN_ONLY_SECURITY, Couch

# `_global_changes` backs `/_db_updates`, which the auditor follows: a fresh Apache CouchDB node
# answers 404 there until it exists.
SYSTEM_DBS = ("_users", "_replicator", "_global_changes")
# The services keep no state in process; these databases hold it. Phones never reach them.
SERVICE_DBS = (
    "svc_accounts",
    "svc_otp",
    "svc_devices",
    "svc_ledger",
    "svc_archive",
    "svc_api_keys",
    "svc_counters",
    "svc_rollups",
)


async def provision_server(couch: Couch) -> list[str]:
    """Create missing system and service databases, all with admin-only `_security`.

    Returns the names of the databases this call created (empty on a second run).
    """
    created = []
    for db in (*SYSTEM_DBS, *SERVICE_DBS):
        if await couch.ensure_db(db, security=ADMIN_ONLY_SECURITY):
            created.append(db)
    return created
