"""The embedded server answers CORS for its configured origin (the app's) and no other, with the
headers the app sends (X-CouchDB-WWW-Authenticate); a Secure cookie behind a TLS proxy."""

from __future__ import annotations

import httpx

APP = "http://127.0.0.1:8000"


def test_configured_origin_only(own_server) -> None:
    own_server.cors_origins = APP
    own_server.start()
    ask = {
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "authorization, x-couchdb-www-authenticate",
    }
    ok = httpx.options(f"{own_server.url}/_session", headers={"Origin": APP, **ask})
    assert ok.headers["access-control-allow-origin"] == APP
    assert ok.headers["access-control-allow-credentials"] == "true"
    assert "x-couchdb-www-authenticate" in ok.headers["access-control-allow-headers"].lower()
    other = httpx.options(f"{own_server.url}/_session", headers={"Origin": "https://evil.example", **ask})
    assert "access-control-allow-origin" not in other.headers
    login = httpx.post(
        f"{own_server.url}/_session",
        headers={"X-Forwarded-Proto": "https"},
        json={"name": own_server.admin_user, "password": own_server.admin_password},
    )
    assert "secure" in login.headers["set-cookie"].lower()
