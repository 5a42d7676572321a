"""With CouchDB unreachable every endpoint answers 503 JSON quickly, and recovers by itself."""

import secrets
import time

from shopbill.services.ops.embedded import EmbeddedServer, free_port
from tests.utils.accounts import signup

ENDPOINTS = [
    ("post", "/v1/signup/otp", {"phone": "+919812345678"}),
    ("post", "/v1/login", {"phone": "+919812345678", "password": "whatever-1", "device_id": "d"}),
    ("post", "/v1/password/reset/otp", {"phone": "+919812345678"}),
]


def test_outage_gives_fast_503s_and_the_services_recover(app_factory, sms_file, tmp_path):
    port = free_port()
    password = secrets.token_urlsafe(12)
    with app_factory(COUCHDB_URL=f"http://127.0.0.1:{port}", COUCHDB_ADMIN_PASSWORD=password) as api:
        for method, path, body in ENDPOINTS:
            start = time.monotonic()
            r = api.request(method, path, json=body)
            assert time.monotonic() - start < 2.0, path
            assert r.status_code == 503 and r.json()["error"] == "couchdb_unavailable", (path, r.text)
        health = api.get("/healthz")
        assert health.status_code == 503 and "unreachable" in health.json()["detail"]

        server = EmbeddedServer(
            data_dir=tmp_path, admin_user="admin", admin_password=password, secret=secrets.token_hex(16), port=port
        )
        server.start()
        try:
            assert api.get("/healthz").status_code == 200
            owner = signup(api, sms_file)  # provisioning happened on the way
            assert owner["business_id"]
        finally:
            server.stop()
        assert api.post("/v1/login", json=ENDPOINTS[1][2]).status_code == 503
