"""Regression: CouchDB failing while a signup installs the design docs answered a plain-text 500.

Provisioning talks to CouchDB through the raw httpx client, whose transport errors were not
mapped to the 503 `couchdb_unavailable` answer. Here the connection drops exactly at the first
`_design/` request, deterministically; the retry then completes the same account.
"""

from __future__ import annotations

import httpx

from tests.utils.accounts import last_otp, new_phone


class DropDesignRequests(httpx.AsyncBaseTransport):
    """Forward to the real server, but fail every `_design/` request while `failing`."""

    def __init__(self, real: httpx.AsyncBaseTransport) -> None:
        self.real, self.failing = real, True

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.failing and "/_design/" in request.url.path:
            raise httpx.ConnectError("connection refused (injected)", request=request)
        return await self.real.handle_async_request(request)


def test_signup_with_couchdb_failing_during_design_docs_answers_503_then_completes(app_factory, sms_file):
    with app_factory() as api:
        couch = api.app.state.server.couch
        fault = DropDesignRequests(couch.http._transport)
        couch.http._transport = fault
        phone = new_phone()
        api.post("/v1/signup/otp", json={"phone": phone})
        token = api.post("/v1/signup/verify", json={"phone": phone, "otp": last_otp(sms_file, phone)}).json()[
            "signup_token"
        ]
        body = {
            "signup_token": token,
            "password": "shop-pass-1",
            "owner_name": "R",
            "business": {"name": "R", "category": "other"},
        }

        r = api.post("/v1/signup/complete", json=body)

        assert r.status_code == 503, r.text
        assert r.json()["error"] == "couchdb_unavailable"
        fault.failing = False
        done = api.post("/v1/signup/complete", json=body)
        assert done.status_code == 201, done.text
        login = api.post("/v1/login", json={"phone": phone, "password": "shop-pass-1", "device_id": "d"})
        assert login.status_code == 200
