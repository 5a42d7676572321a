"""GET /healthz: is the CouchDB-protocol server reachable, and which VDU target is in use."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from shopbill.services.api.deps import StateDep
from shopbill.services.identity.sms_status import sms_health
from shopbill.services.integrity.auditor.health import auditor_health
from shopbill.services.ops.backup import backup_health

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz(state: StateDep) -> JSONResponse:
    """200 when CouchDB is reachable and can enforce the rules; 503 with a `detail` otherwise.

    A failing, stale or never-started auditor makes the status `degraded` (still 200: the shop's
    data is served, but documents are not being sealed or checked), and so does an SMS gateway
    whose last send failed (nobody can sign up or reset a password)."""
    probe = await state.refresh()
    target = state.vdu_target
    body: dict[str, Any] = {"status": "ok", "couchdb": probe.as_json(), "vdu_target": target}
    if probe.reachable:  # backups are reported, never a reason to take the services out of service
        body["backup"] = await backup_health(state.couch, state.settings)
        body["auditor"] = await auditor_health(state.couch)
        body["sms"] = await sms_health(state.couch)
        if body["auditor"]["status"] != "ok" or body["sms"]["status"] == "failing":
            body["status"] = "degraded"
    detail = probe.detail
    if probe.reachable and target is None:
        detail = "VDU_TARGET=mango but the server does not enforce Mango validate_doc_update"
    if detail:
        body.update(status="unavailable", detail=detail)
        return JSONResponse(body, status_code=503)
    return JSONResponse(body)
