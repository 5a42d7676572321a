"""The names of every database the platform uses, in one place.

Each shop has its own database `biz_<business id>`; the services keep their state in admin-only
`svc_*` databases; CouchDB's own system databases are provisioned with them. Code names a database
only through this module; the Caddyfile's routes (which cannot import it) match SHOP_DB_PREFIX.
"""

from __future__ import annotations

SHOP_DB_PREFIX = "biz_"
SERVICE_DB_PREFIX = "svc_"

ACCOUNTS_DB = "svc_accounts"  # accounts by phone
OTP_DB = "svc_otp"  # one-time passwords, rate caps, the SMS sender's last outcome
DEVICES_DB = "svc_devices"  # the one active device of each account
LEDGER_DB = "svc_ledger"  # what the server trusts: seals, findings, checkpoints
ARCHIVE_DB = "svc_archive"  # tax records kept after an account is closed
API_KEYS_DB = "svc_api_keys"  # read-only API keys
COUNTERS_DB = "svc_counters"  # the server's own invoice and credit-note numbers
ROLLUP_DB = "svc_rollups"  # the auditor's roll-ups for reports

# Scratch databases of the Mango VDU probe (services/ops/probe.py), dropped as soon as it answers.
PROBE_DB_PREFIX = f"{SERVICE_DB_PREFIX}probe_"

# The services keep no state in process; these databases hold it. Phones never reach them.
SERVICE_DBS = (ACCOUNTS_DB, OTP_DB, DEVICES_DB, LEDGER_DB, ARCHIVE_DB, API_KEYS_DB, COUNTERS_DB, ROLLUP_DB)
# `_global_changes` backs `/_db_updates`, which the auditor follows: a fresh Apache CouchDB node
# answers 404 there until it exists.
SYSTEM_DBS = ("_users", "_replicator", "_global_changes")


def shop_db(business_id: str) -> str:
    """The database of the business `business_id`."""
    return f"{SHOP_DB_PREFIX}{business_id}"


def is_shop_db(db: str) -> bool:
    """Whether `db` is a shop's database."""
    return db.startswith(SHOP_DB_PREFIX)
