"""The auditor's liveness in `/healthz`: a dead, failing or never-started auditor is not "ok"."""

import asyncio

import httpx
from fastapi.testclient import TestClient

from shopbill.services.api.main import create_app
from shopbill.services.core.names import LEDGER_DB
from shopbill.services.couch import Couch
from shopbill.services.integrity.auditor.health import STATUS_ID
from shopbill.services.integrity.auditor.worker import follow
from tests.services.api.test_health import settings_for
from tests.utils.auditor_process import eventually, running_auditor


def test_a_fresh_server_is_degraded_until_the_auditor_follows_it(own_server):
    """On a fresh Apache CouchDB node `/_db_updates` answers 404 until `_global_changes` exists:
    provisioning creates it, so the auditor's follow works from the first start."""
    with TestClient(create_app(settings_for(own_server))) as client:
        body = client.get("/healthz").json()
        assert (body["status"], body["auditor"]["status"]) == ("degraded", "not_started")
        with running_auditor(own_server):
            body = eventually(lambda: (b := client.get("/healthz").json())["auditor"]["status"] != "not_started" and b)
        assert (body["status"], body["auditor"]["status"]) == ("ok", "ok"), body


def test_a_failing_follow_is_recorded_and_makes_healthz_degraded(api, couch, admin):
    """The worker keeps retrying, and says why in `/healthz` instead of looking alive."""
    admin.delete(
        f"/{LEDGER_DB}/{STATUS_ID}", params={"rev": admin.get(f"/{LEDGER_DB}/{STATUS_ID}").json().get("_rev", "0-0")}
    )

    def refuse_db_updates(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/_db_updates":
            return httpx.Response(404, json={"error": "not_found", "reason": "Database does not exist."})
        return httpx.Response(599)

    async def one_failed_round() -> None:
        real = Couch(settings_for(couch))
        broken = Couch(settings_for(couch), transport=httpx.MockTransport(refuse_db_updates))
        broken.get_doc, broken.put_doc = real.get_doc, real.put_doc  # the ledger stays reachable
        stop = asyncio.Event()
        task = asyncio.create_task(follow(broken, stop=stop))
        for _ in range(100):
            if (await real.get_doc(LEDGER_DB, STATUS_ID) or {}).get("error"):
                break
            await asyncio.sleep(0.1)
        stop.set()
        await task
        await real.aclose()
        await broken.aclose()

    asyncio.run(one_failed_round())
    body = api.get("/healthz").json()
    assert body["status"] == "degraded"
    assert body["auditor"]["status"] == "failing" and "not_found" in body["auditor"]["detail"], body
