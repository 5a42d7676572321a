"""The CouchDB client's watchdog: a hung server (accepts, never answers) costs a request at most
COUCHDB_TIMEOUT before CouchUnavailable; a slow request on a live server is left to finish."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from shopbill.services.core.config import load_settings
from shopbill.services.core.names import shop_db
from shopbill.services.couch import Couch
from shopbill.services.errors import CouchUnavailable

BUDGET = 2.0  # COUCHDB_TIMEOUT's default: the bound on a 503


def client(handler) -> Couch:
    settings = load_settings({"COUCHDB_URL": "http://couch.test", "COUCHDB_TIMEOUT": str(BUDGET)})
    return Couch(settings, transport=httpx.MockTransport(handler))


async def hang_forever(request: httpx.Request) -> httpx.Response:
    await asyncio.sleep(3600)
    raise AssertionError("unreachable")


def test_a_hung_server_fails_each_request_within_the_budget():
    async def go() -> list[float]:
        couch = client(hang_forever)
        took = []
        try:
            for _ in range(3):
                start = time.monotonic()
                with pytest.raises(CouchUnavailable, match="does not answer"):  # not a hang
                    await asyncio.wait_for(couch.request("GET", f"/{shop_db('x')}/_all_docs"), BUDGET * 3)
                took.append(time.monotonic() - start)
        finally:
            await couch.aclose()
        return took

    assert all(t < BUDGET * 1.5 for t in asyncio.run(go()))


def test_concurrent_requests_to_a_hung_server_share_one_liveness_probe():
    probes = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal probes
        probes += request.url.path == "/"
        return await hang_forever(request)

    async def go() -> list:
        couch = client(handler)
        try:
            return await asyncio.gather(*(couch.request("GET", f"/db/{n}") for n in range(20)), return_exceptions=True)
        finally:
            await couch.aclose()

    outcomes = asyncio.run(go())
    assert all(isinstance(o, CouchUnavailable) for o in outcomes)
    assert probes <= 2  # not one probe per waiting request


def test_a_slow_request_on_a_live_server_is_not_cut():
    async def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/slow/_find":
            await asyncio.sleep(BUDGET * 2)
        return httpx.Response(200, json={"ok": True})

    async def go() -> httpx.Response:
        couch = client(handler)
        try:
            return await couch.request("POST", "/slow/_find", json={})
        finally:
            await couch.aclose()

    assert asyncio.run(go()).json() == {"ok": True}


def test_a_request_with_an_explicit_timeout_is_not_watched():
    async def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/":
            await asyncio.sleep(3600)  # the liveness probe would fail, were it asked
        await asyncio.sleep(BUDGET * 1.5)
        return httpx.Response(200, json={"results": []})

    async def go() -> httpx.Response:
        couch = client(handler)
        try:
            return await couch.request("GET", "/_db_updates", params={"feed": "longpoll"}, timeout=BUDGET * 5)
        finally:
            await couch.aclose()

    assert asyncio.run(go()).status_code == 200
