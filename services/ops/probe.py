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

import httpx

from shopbill.services.core.names import PROBE_DB_PREFIX
from shopbill.services.couch import Couch
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
        mango = await probe_mango_vdu(couch.http)
    except (ServiceError, httpx.HTTPError) as exc:
        return ServerProbe(reachable=False, detail=f"CouchDB unreachable: {exc}")
    return ServerProbe(reachable=True, version=version, mango_vdu=mango)


async def probe_mango_vdu(http: httpx.AsyncClient) -> bool:
    """Whether the server (reached by an admin client) enforces a Mango validate_doc_update."""
    db = f"{PROBE_DB_PREFIX}{uuid.uuid4().hex[:12]}"
    created = await http.put(f"/{db}")
    if created.status_code not in (201, 202):
        raise CouchError(created.status_code, "probe_failed", "cannot create a scratch database")
    try:
        ddoc = {"language": "query", "validate_doc_update": PROBE_SELECTOR}
        if (await http.put(f"/{db}/_design/probe", json=ddoc)).status_code not in (201, 202):
            return False  # the server refuses Mango VDU design docs outright
        refused = await http.put(f"/{db}/bad", json={"probe": "refuse"})
        accepted = await http.put(f"/{db}/good", json={"probe": "accept"})
        return refused.status_code == 403 and accepted.status_code in (201, 202)
    finally:
        await http.delete(f"/{db}")


def choose_vdu_target(requested: Literal["auto", "mango", "js"], probe: ServerProbe) -> Literal["mango", "js"] | None:
    """The validation target to install: `mango` when asked or supported, else `js`.

    Returns None when `mango` is required but the server cannot run it (refuse to pretend).
    """
    if requested == "js":
        return "js"
    if probe.mango_vdu:
        return "mango"
    return None if requested == "mango" else "js"
