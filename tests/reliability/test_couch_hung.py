"""CouchDB hung (SIGSTOP: connections are accepted, nothing is answered), which a dead VM or a
stalled disk looks like: the endpoints answer 503 JSON within the bound instead of hanging the
phone, /healthz says why, and everything works again once the server resumes."""

from __future__ import annotations

import os
import signal
import time

import pytest

from tests.utils.accounts import login, new_phone, signup

ENDPOINTS = [
    ("post", "/v1/signup/otp", {"phone": "+919812345678"}),
    ("post", "/v1/login", {"phone": "+919812345678", "password": "whatever-1", "device_id": "d"}),
    ("post", "/v1/password/reset/otp", {"phone": "+919812345678"}),
    ("post", "/v1/token/refresh", {"refresh_token": "x.y"}),
]


@pytest.fixture
def hung_api(own_server, app_factory, sms_file):
    with app_factory(COUCHDB_URL=own_server.url, COUCHDB_ADMIN_PASSWORD=own_server.admin_password,
                     COUCHDB_ADMIN_USER=own_server.admin_user) as api:
        yield api


@pytest.mark.slow  # each of its 5 calls waits out the 10 s read timeout until this is fixed
@pytest.mark.xfail(strict=True, reason=(
    "open: services/couch.py reads with a 10 s timeout (connect 2 s), so a hung CouchDB holds "
    "each request ~10 s before the 503; issue 8 asks for 2 s. Lowering the read timeout needs "
    "explicit longer ones for exports, _find and bulk calls: left to the owner of couch.py"))
def test_hung_couchdb_gives_bounded_503s_and_recovery(own_server, hung_api, sms_file):
    owner = signup(hung_api, sms_file)
    answer = login(hung_api, owner)
    auth = {"Authorization": f"Bearer {answer['access_token']}"}
    os.kill(own_server.process.pid, signal.SIGSTOP)
    try:
        for method, path, body in [*ENDPOINTS, ("get", "/v1/me", None)]:
            start = time.monotonic()
            r = hung_api.request(method, path, json=body, headers=auth)
            took = time.monotonic() - start
            assert r.status_code == 503 and r.json()["error"] == "couchdb_unavailable", (path, r.text)
            assert took < 4.0, (path, took)  # the goal is 2 s (COUCHDB_TIMEOUT); bound 2x
        health = hung_api.get("/healthz")
        assert health.status_code == 503 and health.json()["detail"]
    finally:
        os.kill(own_server.process.pid, signal.SIGCONT)
    assert hung_api.get("/v1/me", headers=auth).status_code == 200
    assert hung_api.post("/v1/signup/otp", json={"phone": new_phone()}).status_code == 202


def test_hung_couchdb_answers_503_json_within_the_read_timeout_and_recovers(own_server, hung_api,
                                                                           sms_file):
    """What holds today: no request hangs past the client's read timeout (10 s), every answer
    is 503 JSON, and the services recover by themselves."""
    owner = signup(hung_api, sms_file)
    auth = {"Authorization": f"Bearer {login(hung_api, owner)['access_token']}"}
    os.kill(own_server.process.pid, signal.SIGSTOP)
    try:
        start = time.monotonic()
        r = hung_api.get("/v1/me", headers=auth)
        assert r.status_code == 503 and r.json()["error"] == "couchdb_unavailable"
        assert time.monotonic() - start < 20.0
    finally:
        os.kill(own_server.process.pid, signal.SIGCONT)
    assert hung_api.get("/v1/me", headers=auth).status_code == 200
