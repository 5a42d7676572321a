"""Regression: a login whose rotated password the server had not accepted in time answered 500.

Under load the embedded server took longer than the bounded wait (5 s) to accept a rotated
password; `credentials_not_active` is a temporary condition the phone should retry, but it went
out as 500 `server_error` (seen once in the 20-phone load run). It is now 503 with Retry-After,
and the retry logs in with exactly one working device.
"""

from __future__ import annotations

import httpx

from shopbill.services.identity import credentials
from tests.utils.accounts import login, signup


class SessionNeverAccepts(httpx.AsyncBaseTransport):
    """Forward to the real server, but answer 401 to the activation checks while `stalled`."""

    def __init__(self, real: httpx.AsyncBaseTransport) -> None:
        self.real, self.stalled = real, True

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.stalled and request.url.path == "/_session":
            return httpx.Response(401, json={"error": "unauthorized"}, request=request)
        return await self.real.handle_async_request(request)


def test_a_login_whose_credentials_are_not_active_in_time_answers_503_then_the_retry_works(
    app_factory, sms_file, couch, monkeypatch
):
    monkeypatch.setattr(credentials, "ACTIVATION_TIMEOUT", 0.2)
    with app_factory() as api:
        owner = signup(api, sms_file)
        old = login(api, owner, "old-phone")
        http = api.app.state.server.couch.http
        stall = SessionNeverAccepts(http._transport)
        http._transport = stall

        r = api.post(
            "/v1/login", json={"phone": owner["phone"], "password": owner["password"], "device_id": "new-phone"}
        )

        assert r.status_code == 503, r.text
        assert r.json()["error"] == "couchdb_unavailable" and int(r.headers["Retry-After"]) >= 1
        stall.stalled = False
        new = login(api, owner, "new-phone")
    with couch.client(auth=(new["couchdb"]["username"], new["couchdb"]["password"])) as phone:
        assert phone.get(f"/{new['couchdb']['db']}").status_code == 200
    with couch.client(auth=(old["couchdb"]["username"], old["couchdb"]["password"])) as phone:
        assert phone.get(f"/{old['couchdb']['db']}").status_code == 401
