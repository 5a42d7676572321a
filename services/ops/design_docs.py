"""Install the generated validation design doc into business databases, and roll it out.

The design docs are the generated files `design_docs/validate_mango.json` (the default,
JavaScript-free) and `design_docs/validate_js.json` (its twin for CouchDB releases without Mango
VDUs). Both have the id `_design/validate`, so installing one target replaces the other.
Installing is idempotent: an identical doc is left alone (no new revision).

CLI: `python -m shopbill.services.ops.design_docs rollout --target auto|mango|js`, configured by
COUCHDB_URL, COUCHDB_ADMIN_USER and COUCHDB_ADMIN_PASSWORD (and VDU_TARGET as the default).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from typing import Any, Literal

import httpx

from shopbill.services.core.names import SHOP_DB_PREFIX
from shopbill.services.core.resources import design_doc
from shopbill.services.errors import CouchError, RolloutError, SettingsError
from shopbill.services.ops.indexes import install_indexes
from shopbill.services.ops.probe import probe_mango_vdu

DESIGN_DOC_ID = "_design/validate"
Target = Literal["mango", "js"]


def load_design_doc(target: Target) -> dict[str, Any]:
    """The committed generated design doc of `target`."""
    if target not in ("mango", "js"):
        raise SettingsError(f"unknown target {target!r}")
    ddoc: dict[str, Any] = json.loads(design_doc(f"validate_{target}.json").read_text(encoding="utf-8"))
    return ddoc


async def detect_target(client: httpx.AsyncClient) -> Target:
    """ "mango" if the server enforces a `"language": "query"` validate_doc_update, else "js"."""
    return "mango" if await probe_mango_vdu(client) else "js"


async def resolve_target(client: httpx.AsyncClient, target: str) -> Target:
    """`target` itself, or the probe's answer for "auto"."""
    if target == "auto":
        return await detect_target(client)
    if target not in ("mango", "js"):
        raise SettingsError(f"unknown target {target!r}: use auto, mango or js")
    return target  # type: ignore[return-value]


async def install_design_docs(client: httpx.AsyncClient, db: str, target: Target) -> bool:
    """Install or update the validation design doc of `target` in `db`; True if it changed."""
    wanted = load_design_doc(target)
    for _ in range(5):  # another installer may win a race; re-read and retry
        r = await client.get(f"/{db}/{DESIGN_DOC_ID}")
        current: dict[str, Any] | None = None
        if r.status_code == 200:
            current = r.json()
        elif r.status_code != 404:
            raise RolloutError(f"{db}: reading {DESIGN_DOC_ID}: {r.status_code} {r.text}")
        if current is not None and _same(current, wanted):
            return False
        body = dict(wanted)
        if current is not None:
            body["_rev"] = current["_rev"]
        r = await client.put(f"/{db}/{DESIGN_DOC_ID}", json=body)
        if r.status_code in (201, 202):
            return True
        if r.status_code != 409:
            raise RolloutError(f"{db}: writing {DESIGN_DOC_ID}: {r.status_code} {r.text}")
    raise RolloutError(f"{db}: {DESIGN_DOC_ID} kept changing under us")


def _same(current: dict[str, Any], wanted: dict[str, Any]) -> bool:
    return {k: v for k, v in current.items() if k != "_rev"} == wanted


async def business_databases(client: httpx.AsyncClient) -> list[str]:
    """Every database whose name starts with `biz_` (`_all_dbs` is admin-only)."""
    r = await client.get("/_all_dbs")
    if r.status_code != 200:
        raise RolloutError(f"_all_dbs: {r.status_code} {r.text}")
    return sorted(name for name in r.json() if name.startswith(SHOP_DB_PREFIX))


async def roll_out(client: httpx.AsyncClient, target: str) -> dict[str, bool]:
    """Install the design doc of `target` ("auto" probes) and the Mango indexes in every business db.

    Returns {db: changed}. Every database is attempted; failures are raised together at the end
    so one bad database does not stop the roll-out of the others.
    """
    resolved = await resolve_target(client, target)
    results: dict[str, bool] = {}
    failures: list[str] = []
    for db in await business_databases(client):
        try:
            results[db] = await install_design_docs(client, db, resolved)
            results[db] |= bool(await install_indexes(client, db))
        except (RolloutError, CouchError) as exc:
            failures.append(str(exc))
    if failures:
        raise RolloutError("; ".join(failures))
    return results


async def _main(args: argparse.Namespace) -> int:
    auth = (os.environ.get("COUCHDB_ADMIN_USER", "admin"), os.environ["COUCHDB_ADMIN_PASSWORD"])
    base = os.environ.get("COUCHDB_URL", "http://127.0.0.1:5984").rstrip("/")
    async with httpx.AsyncClient(base_url=base, auth=auth, timeout=60) as client:
        target = await resolve_target(client, args.target)
        results = await roll_out(client, target)
    changed = sorted(db for db, did in results.items() if did)
    print(f"target {target}: {len(results)} business database(s), {len(changed)} updated")
    for db in changed:
        print(f"  updated {db}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shopbill.services.ops.design_docs")
    sub = parser.add_subparsers(dest="command", required=True)
    rollout = sub.add_parser("rollout", help="install the validation design doc in every biz_ db")
    rollout.add_argument("--target", choices=["auto", "mango", "js"], default=os.environ.get("VDU_TARGET", "auto"))
    return asyncio.run(_main(parser.parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
