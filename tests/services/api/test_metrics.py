"""GET /metrics: Prometheus counters move after a login, an OTP, requests and a sync."""

from __future__ import annotations

import asyncio
import uuid

from prometheus_client.parser import text_string_to_metric_families

from shopbill.services.api import metrics
from shopbill.services.core.config import load_settings
from shopbill.services.couch import Couch
from shopbill.services.integrity.auditor.worker import audit_database
from tests.utils.accounts import login, signup
from tests.utils.docs import invoice


def scrape(api) -> dict[tuple[str, tuple], float]:
    metrics._cache.clear()  # the workers' figures are cached for a few seconds between scrapes
    r = api.get("/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(r.text)
        for s in family.samples
    }


def value(samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_count_logins_otps_requests_and_what_the_auditor_finds_after_a_sync(api, sms_file, couch):
    before = scrape(api)
    owner = signup(api, sms_file)
    creds = login(api, owner)["couchdb"]
    assert (
        api.post(
            "/v1/login", json={"phone": owner["phone"], "password": "wrong-password-1", "device_id": "dev-x"}
        ).status_code
        == 401
    )
    assert api.get(f"/v1/invoices/{uuid.uuid4()}").status_code in (401, 403)
    assert api.get("/no/such/path").status_code == 404

    # A sync: the phone replicates an invoice, then a second first revision of it arrives
    # (a replicated write, new_edits=false) which the VDU cannot compare with the first.
    db, doc = creds["db"], invoice(number="M1/2627/000001")
    with couch.client(auth=(creds["username"], creds["password"])) as phone:
        assert phone.put(f"/{db}/{doc['_id']}", json=doc).status_code == 201
        twin = doc | {"_rev": "1-" + "f" * 32, "customer_phone": "+919812345678"}
        r = phone.post(f"/{db}/_bulk_docs", json={"docs": [twin], "new_edits": False})
        assert r.status_code == 201, r.text
    after = scrape(api)

    assert (
        value(after, "shopbill_logins_total", outcome="success")
        == value(before, "shopbill_logins_total", outcome="success") + 1
    )
    assert (
        value(after, "shopbill_logins_total", outcome="failure")
        == value(before, "shopbill_logins_total", outcome="failure") + 1
    )
    assert (
        value(after, "shopbill_otps_sent_total", purpose="signup")
        == value(before, "shopbill_otps_sent_total", purpose="signup") + 1
    )
    login_route = {"method": "POST", "route": "/v1/login"}
    assert (
        value(after, "shopbill_http_request_duration_seconds_count", **login_route)
        == value(before, "shopbill_http_request_duration_seconds_count", **login_route) + 2
    )
    assert (
        value(after, "shopbill_http_requests_total", method="GET", route="/v1/invoices/{sale_uuid}", status="401")
        + value(after, "shopbill_http_requests_total", method="GET", route="/v1/invoices/{sale_uuid}", status="403")
        >= 1
    )  # labelled by route template, never by the raw path
    assert value(after, "shopbill_http_requests_total", method="GET", route="unmatched", status="404") >= 1
    assert value(after, "shopbill_auditor_pending_databases") >= 1  # the synced shop waits

    settings = load_settings(
        {
            "COUCHDB_URL": couch.url,
            "COUCHDB_ADMIN_USER": couch.admin_user,
            "COUCHDB_ADMIN_PASSWORD": couch.admin_password,
        }
    )

    async def audit() -> None:
        client = Couch(settings)
        try:
            await audit_database(client, db)
        finally:
            await client.aclose()

    asyncio.run(audit())
    audited = scrape(api)
    assert value(audited, "shopbill_auditor_findings") >= value(after, "shopbill_auditor_findings") + 1
    assert ("shopbill_backup_lag_seconds", ()) in audited  # exported even with backups off
