"""CouchDB hung (SIGSTOP: connections are accepted, nothing is answered), which a dead VM or a
stalled disk looks like: the endpoints answer 503 JSON within the bound instead of hanging the
phone, /healthz says why, and everything works again once the server resumes."""

from __future__ import annotations

import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.utils.accounts import login, new_phone, signup

SALE = "0b7e4c1e-7a43-4a55-9a67-2b1e0cbd1f10"
PATH_PARAMS = {
    "sale_uuid": SALE,
    "note_uuid": SALE,
    "group_uuid": SALE,
    "item_uuid": SALE,
    "key_id": "k1",
    "phone": "+919812345678",
}
BODIES = {  # the unauthenticated entry points, with bodies that pass validation
    "/v1/signup/otp": {"phone": "+919812345678"},
    "/v1/login": {"phone": "+919812345678", "password": "whatever-1", "device_id": "d"},
    "/v1/password/reset/otp": {"phone": "+919812345678"},
}


def every_get_path(api) -> list[str]:
    """Every GET endpoint of the OpenAPI, with its path parameters filled in."""
    return [
        path.format(**PATH_PARAMS)
        for path, ops in api.get("/openapi.json").json()["paths"].items()
        if "get" in ops and path != "/healthz"
    ]


@pytest.fixture
def hung_api(own_server, app_factory, sms_file):
    with app_factory(
        COUCHDB_URL=own_server.url,
        COUCHDB_ADMIN_PASSWORD=own_server.admin_password,
        COUCHDB_ADMIN_USER=own_server.admin_user,
    ) as api:
        yield api


def test_hung_couchdb_gives_bounded_503s_and_recovery(own_server, hung_api, sms_file):
    owner = signup(hung_api, sms_file)
    answer = login(hung_api, owner)
    auth = {"Authorization": f"Bearer {answer['access_token']}"}
    calls = [("post", path, body) for path, body in BODIES.items()]
    calls += [("post", "/v1/token/refresh", {"refresh_token": answer["refresh_token"]})]
    calls += [("get", path, None) for path in every_get_path(hung_api)]

    def timed(call: tuple) -> tuple:
        method, path, body = call
        start = time.monotonic()
        r = hung_api.request(method, path, json=body, headers=auth)
        return path, r, time.monotonic() - start

    os.kill(own_server.process.pid, signal.SIGSTOP)
    try:
        with ThreadPoolExecutor(max_workers=6) as pool:  # concurrent, as phones would be
            answers = list(pool.map(timed, calls))
        for path, r, took in answers:
            assert r.status_code == 503 and r.json()["error"] == "couchdb_unavailable", (path, r.text)
            assert took < 4.0, (path, took)  # the goal is 2 s (COUCHDB_TIMEOUT); bound 2x
        start = time.monotonic()
        health = hung_api.get("/healthz")
        assert health.status_code == 503 and "does not answer" in health.json()["detail"]
        assert time.monotonic() - start < 4.0
    finally:
        os.kill(own_server.process.pid, signal.SIGCONT)
    assert hung_api.get("/v1/me", headers=auth).status_code == 200
    assert hung_api.post("/v1/signup/otp", json={"phone": new_phone()}).status_code == 202
