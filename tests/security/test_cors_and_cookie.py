"""CORS answers only the configured origins, and the AuthSession cookie is SameSite=Lax.

Found by an outside attack: the server reflected any `Origin` with credentials allowed (so any web
page could read a signed-in shop's data through the browser) and set the cookie without SameSite.
Checked on both engines: couchdb/local.ini and the embedded server are configured alike.
"""

from __future__ import annotations

import httpx

EVIL = "https://evil.example"


def test_foreign_origin_gets_no_cors(couch, admin: httpx.Client) -> None:
    preflight = httpx.options(
        f"{couch.url}/_session",
        headers={
            "Origin": EVIL,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    assert "access-control-allow-origin" not in preflight.headers
    got = admin.get("/_session", headers={"Origin": EVIL})
    assert got.status_code == 200
    assert got.headers.get("access-control-allow-origin") not in (EVIL, "*")
    assert "access-control-allow-credentials" not in got.headers or "access-control-allow-origin" not in got.headers


def test_session_cookie_same_site_lax(couch) -> None:
    r = httpx.post(f"{couch.url}/_session", json={"name": couch.admin_user, "password": couch.admin_password})
    assert r.status_code == 200
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("AuthSession=")
    assert "samesite=lax" in cookie.lower().replace(" ", "")
    assert "httponly" in cookie.lower()
