import threading
import time

import httpx

from shopbill.services.ops.embedded import EmbeddedServer, supervise
from tests.utils.couch import throwaway_server


def test_server_has_an_admin_and_no_admin_party(couch, anon, admin):
    assert "_admin" in admin.get("/_session").json()["userCtx"]["roles"]
    r = anon.get("/_session")  # 401 under require_valid_user, else an anonymous userCtx
    assert r.status_code == 401 or "_admin" not in r.json()["userCtx"]["roles"]
    assert anon.get("/_config").status_code == 401


def test_fauxton_is_served(tmp_path):
    """The embedded server serves Fauxton (the Apache CouchDB build here has none)."""
    server = EmbeddedServer(data_dir=tmp_path, admin_user="admin", admin_password="pw-fauxton", secret="s" * 32)
    server.start()
    try:
        r = httpx.get(f"{server.url}/_utils/", auth=("admin", "pw-fauxton"))
    finally:
        server.stop()
    assert r.status_code == 200 and "<html" in r.text.lower()


def test_data_survives_a_restart(tmp_path):
    server = throwaway_server(tmp_path)
    server.start()
    try:
        auth = (server.admin_user, server.admin_password)
        httpx.put(f"{server.url}/kept", auth=auth).raise_for_status()
        httpx.put(f"{server.url}/kept/doc", json={"v": 1}, auth=auth).raise_for_status()
        server.restart()
        assert httpx.get(f"{server.url}/kept/doc", auth=auth).json()["v"] == 1
    finally:
        server.stop()


def test_supervisor_restarts_a_killed_server_and_logs_why(tmp_path, caplog):
    server = throwaway_server(tmp_path)
    stop = threading.Event()
    thread = threading.Thread(
        target=supervise, args=(server,), kwargs={"should_run": lambda: not stop.is_set(), "backoff": 0.1}
    )
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while server.process is None and time.monotonic() < deadline:
            time.sleep(0.1)
        server.wait_ready(timeout=60)
        first_pid = server.process.pid
        server.kill()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.process.pid != first_pid and server.process.poll() is None:
                try:
                    server.wait_ready(timeout=5)
                    break
                except RuntimeError:
                    pass
            time.sleep(0.1)
        assert server.process.pid != first_pid
        assert httpx.get(f"{server.url}/_session", auth=(server.admin_user, server.admin_password)).status_code == 200
        assert "embedded server died" in caplog.text
    finally:
        stop.set()
        thread.join(timeout=30)
        server.stop()
