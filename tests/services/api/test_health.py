from fastapi.testclient import TestClient

from shopbill.services.api.main import create_app
from shopbill.services.core.config import load_settings
from shopbill.services.ops.embedded import free_port
from tests.utils.auditor_process import eventually


def settings_for(couch, **env: str):
    """The services' settings for the server `couch` (anything with url and admin)."""
    return load_settings(
        {
            "COUCHDB_URL": couch.url,
            "COUCHDB_ADMIN_USER": couch.admin_user,
            "COUCHDB_ADMIN_PASSWORD": couch.admin_password,
            **env,
        }
    )


def test_healthz_reports_the_server_and_the_vdu_target(couch, auditor):
    with TestClient(create_app(settings_for(couch))) as client:
        r = eventually(lambda: (r := client.get("/healthz")).json()["status"] == "ok" and r)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["auditor"]["status"] == "ok"
    assert body["couchdb"]["reachable"] is True and body["couchdb"]["version"]
    expected = "mango" if body["couchdb"]["mango_vdu"] else "js"
    assert body["vdu_target"] == expected


def test_healthz_is_503_with_detail_when_couchdb_is_unreachable():
    settings = load_settings({"COUCHDB_URL": f"http://127.0.0.1:{free_port()}"})
    with TestClient(create_app(settings)) as client:
        r = client.get("/healthz")
    assert r.status_code == 503
    body = r.json()
    assert body["couchdb"]["reachable"] is False and "unreachable" in body["detail"]
    assert set(body) >= {"status", "couchdb", "vdu_target", "detail"}


def test_healthz_is_503_when_mango_is_required_but_missing(couch):
    with TestClient(create_app(settings_for(couch, VDU_TARGET="mango"))) as client:
        r = client.get("/healthz")
        mango = r.json()["couchdb"]["mango_vdu"]
    assert r.status_code == (200 if mango else 503)
    if not mango:
        assert "Mango" in r.json()["detail"]
