"""Probe the CouchDB-protocol server once: is it reachable, which version, does it run Mango VDUs?

Mango `validate_doc_update` is merged on Apache CouchDB main but in no release yet, so the probe
never assumes: it creates a scratch database, installs a Mango VDU and writes a document the VDU
must refuse. Only a 403 for that write (and a 201 for a valid one) counts as support; a server that
silently accepts the bad write is reported as lacking Mango VDUs.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from typing import Any, Literal

from shopbill.services.couch import ADMIN_ONLY_SECURITY, Couch
from shopbill.services.errors import CouchError, ServiceError

PROBE_SELECTOR = {"newDoc": {"probe": {"$eq": "accept"}}}


@dataclass(frozen=True)
class ServerProbe:
    """What the probe found out about the server."""

    reachable: bool
    version: str | None = None
    mango_vdu: bool | None = None
    detail: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if k != "detail"}


async def probe_server(couch: Couch) -> ServerProbe:
    """Probe reachability, version and Mango VDU support; never raises for a server problem."""
    try:
        root = (await couch.request("GET", "/")).json()
        version = str(root.get("version"))
        mango = await _probe_mango_vdu(couch)
    except ServiceError as exc:
        return ServerProbe(reachable=False, detail=f"CouchDB unreachable: {exc}")
    return ServerProbe(reachable=True, version=version, mango_vdu=mango)


async def _probe_mango_vdu(couch: Couch) -> bool:
    db = f"svc_probe_{uuid.uuid4().hex[:12]}"
    await couch.ensure_db(db, security=ADMIN_ONLY_SECURITY)
    try:
        ddoc = {"_id": "_design/probe", "language": "query", "validate_doc_update": PROBE_SELECTOR}
        try:
            await couch.put_doc(db, ddoc)
        except CouchError:
            return False  # the server refuses Mango VDU design docs outright
        refused = await couch.request("PUT", f"/{db}/bad", json={"probe": "refuse"},
                                      ok=(201, 202, 400, 403, 500))
        accepted = await couch.request("PUT", f"/{db}/good", json={"probe": "accept"},
                                       ok=(201, 202, 400, 403, 500))
        return refused.status_code == 403 and accepted.status_code in (201, 202)
    finally:
        await couch.request("DELETE", f"/{db}", ok=(200, 202, 404))


def choose_vdu_target(requested: Literal["auto", "mango", "js"],
                      probe: ServerProbe) -> Literal["mango", "js"] | None:
    """The validation target to install: `mango` when asked or supported, else `js`.

    Returns None when `mango` is required but the server cannot run it (refuse to pretend).
    """
    if requested == "js":
        return "js"
    if probe.mango_vdu:
        return "mango"
    return None if requested == "mango" else "js"
