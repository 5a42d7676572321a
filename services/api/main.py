"""The FastAPI application: settings, the CouchDB client, start-up probe and routers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from shopbill.services.api.docs_pages import install_docs_pages
from shopbill.services.api.errors import ERROR_RESPONSES, install_error_handlers
from shopbill.services.api.limits import BodyGuard
from shopbill.services.api.metrics import MetricsMiddleware
from shopbill.services.api.metrics import router as metrics_router
from shopbill.services.api.routes import (
    account,
    api_keys,
    business,
    credit_notes,
    customer_profiles,
    customers,
    exports,
    groups,
    health,
    invoices,
    items,
    password,
    phone,
    phone_lost,
    reports,
    sales,
    session,
    signup,
)
from shopbill.services.api.state import ServerState
from shopbill.services.core.config import Settings, load_settings
from shopbill.services.core.resources import app_build
from shopbill.services.couch import Couch
from shopbill.services.identity.sms_gateways import sender_from_settings

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; `settings` defaults to the process environment."""
    settings = settings or load_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state = ServerState(settings=settings, couch=Couch(settings))
        app.state.server = state
        app.state.sms = sender_from_settings(settings)
        probe = await state.refresh()
        if probe.reachable:
            log.info(
                "CouchDB %s at %s; Mango VDU: %s; VDU target: %s",
                probe.version,
                settings.couchdb_url,
                probe.mango_vdu,
                state.vdu_target,
            )
        else:
            log.warning("%s; will retry", probe.detail)
        yield
        await state.couch.aclose()

    app = FastAPI(
        title="Shop billing services", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None
    )  # our own pages, with local assets
    install_docs_pages(app)
    install_error_handlers(app)
    app.add_middleware(BodyGuard)  # 413 over 64 KiB, 422 for bodies that are not sane JSON
    for module in (
        health,
        signup,
        session,
        password,
        phone,
        phone_lost,
        account,
        invoices,
        customers,
        reports,
        groups,
        items,
        sales,
        credit_notes,
        exports,
        api_keys,
        customer_profiles,
        business,
    ):
        app.include_router(module.router, responses=ERROR_RESPONSES)
    app.include_router(metrics_router)  # GET /metrics (Prometheus; kept off the public origin)
    app.add_middleware(MetricsMiddleware)  # outermost: times and counts every answer
    dist = app_build()  # built by `make deps` (npm run build in app/), shipped in the wheel
    if dist is not None:
        app.mount("/app", StaticFiles(directory=dist, html=True), name="app")
    return app
