"""Prometheus metrics of the services: `GET /metrics` and the middleware that counts requests.

Request counters and latencies are per process (Prometheus scrapes every replica). Business
counters are read off the answers, so no route needs to know about metrics: a 200 from
`POST /v1/login` is a login, a 202 from an `.../otp` route is a code sent by SMS.

The auditor and the backup worker are separate processes. Rather than each opening a port, the
services derive their figures at scrape time from what those workers already keep in the ledger
(their `_db_updates` checkpoints, findings, the backup summary) plus the server's `_db_updates`
feed. Every replica then reports the same figures, the workers stay port-less, and a dead
worker shows up as growing lag instead of a vanished scrape target. Sync denials (VDU refusals,
401/403 to phones) happen inside CouchDB: its own `/_node/_local/_prometheus` counts them
(`couchdb_httpd_status_codes`); the services only see what the auditor flags after a sync.
"""

from __future__ import annotations

import time

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shopbill.services.api.deps import StateDep
from shopbill.services.api.state import ServerState
from shopbill.services.core.names import LEDGER_DB, is_shop_db
from shopbill.services.couch import Couch
from shopbill.services.errors import ServiceError
from shopbill.services.integrity.ledger import get_checkpoint
from shopbill.services.ops.backup import CHECKPOINT as BACKUP_CHECKPOINT
from shopbill.services.ops.backup import backup_health

REQUESTS = Counter("shopbill_http_requests_total", "HTTP requests by route and status", ["method", "route", "status"])
LATENCY = Histogram("shopbill_http_request_duration_seconds", "Time to answer, by route", ["method", "route"])
LOGINS = Counter("shopbill_logins_total", "Password logins by outcome", ["outcome"])
OTPS_SENT = Counter("shopbill_otps_sent_total", "OTP codes sent by SMS, by purpose", ["purpose"])
AUDITOR_PENDING = Gauge(
    "shopbill_auditor_pending_databases", "Shop databases changed since the auditor's checkpoint (its lag)"
)
FINDINGS = Gauge("shopbill_auditor_findings", "Revisions the auditor flagged (ledger findings)")
BACKUP_PENDING = Gauge("shopbill_backup_pending_databases", "Shop databases waiting for a copy")
BACKUP_FAILING = Gauge("shopbill_backup_failing_databases", "Databases whose last copy failed")
BACKUP_LAG = Gauge("shopbill_backup_lag_seconds", "Age of the oldest change not yet copied")
SCRAPE_ERRORS = Counter(
    "shopbill_metrics_ledger_errors_total", "Scrapes that could not read the workers' figures from CouchDB"
)

OTP_PURPOSES = {
    "/v1/signup/otp": "signup",
    "/v1/password/reset/otp": "password_reset",
    "/v1/phone/change/otp": "phone_change",
    "/v1/account/delete/otp": "account_delete",
}
LOGIN_OUTCOMES = {200: "success", 401: "failure", 429: "rate_limited"}
LEDGER_FIGURES_TTL = 5.0  # seconds; bounds what frequent scrapes cost CouchDB
MAX_COUNTED = 10_000  # bound on rows read per figure; beyond it the figure saturates
_cache: dict[str, float] = {}


class MetricsMiddleware:
    """Counts every request by route template (never the raw path: ids would explode labels)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            route = getattr(scope.get("route"), "path_format", None) or "unmatched"
            method = scope["method"]
            REQUESTS.labels(method, route, str(status)).inc()
            LATENCY.labels(method, route).observe(time.perf_counter() - started)
            note_business_event(method, route, status)


def note_business_event(method: str, route: str, status: int) -> None:
    if method != "POST":
        return
    if route == "/v1/login" and status in LOGIN_OUTCOMES:
        LOGINS.labels(LOGIN_OUTCOMES[status]).inc()
    elif route in OTP_PURPOSES and status == 202:
        OTPS_SENT.labels(OTP_PURPOSES[route]).inc()


async def changed_since(couch: Couch, checkpoint: str | None) -> int:
    """How many shop databases changed after `checkpoint` (all of them without one)."""
    response = await couch.request("GET", "/_db_updates", params={"since": checkpoint or "0", "limit": MAX_COUNTED})
    return len(
        {
            row["db_name"]
            for row in response.json()["results"]
            if is_shop_db(row["db_name"]) and row["type"] != "deleted"
        }
    )


async def count_findings(couch: Couch) -> int:
    response = await couch.request(
        "GET",
        f"/{LEDGER_DB}/_all_docs",
        params={"startkey": '"finding:"', "endkey": '"finding:\uffff"', "limit": MAX_COUNTED},
    )
    return len(response.json()["rows"])


async def refresh_worker_figures(state: ServerState) -> None:
    """Update the auditor and backup gauges from the ledger, at most every few seconds."""
    if time.monotonic() - _cache.get("at", -LEDGER_FIGURES_TTL) < LEDGER_FIGURES_TTL:
        return
    couch, settings = state.couch, state.settings
    try:
        AUDITOR_PENDING.set(await changed_since(couch, await get_checkpoint(couch, "_db_updates")))
        FINDINGS.set(await count_findings(couch))
        if settings.backup_couchdb_url:
            health = await backup_health(couch, settings)
            backed_up = await get_checkpoint(couch, BACKUP_CHECKPOINT)
            BACKUP_PENDING.set(await changed_since(couch, backed_up) if backed_up else 0)
            BACKUP_FAILING.set(health.get("failing", 0))
            BACKUP_LAG.set(health.get("lag_seconds", 0.0))
    except ServiceError:
        SCRAPE_ERRORS.inc()  # the last figures stay; the error count says they are old
        return
    _cache["at"] = time.monotonic()


router = APIRouter(tags=["metrics"])


@router.get("/metrics", include_in_schema=False)
async def metrics(state: StateDep) -> Response:
    """Prometheus text format. Internal: the proxy does not publish it."""
    await refresh_worker_figures(state)
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
