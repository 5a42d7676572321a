"""`make run` end to end: start, answer, stop cleanly on Ctrl-C, reuse the data on the next run."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from shopbill.services.ops.embedded import free_port

ROOT = Path(__file__).resolve().parents[2]


def start_devrun(data: Path, couch_port: int, port: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("COUCHDB_URL", "COUCHDB_ADMIN_PASSWORD", "SECRET_KEY", "APP_ENV")}
    return subprocess.Popen(
        [sys.executable, "-m", "shopbill.services.ops.devrun", "--data", str(data),
         "--couch-port", str(couch_port), "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL, start_new_session=True,
    )


def wait_healthy(port: int, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            r = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
            if r.status_code == 200:
                return r.json()
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("services never became healthy")


def admin_password(data: Path) -> str:
    lines = (data / "secrets.env").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines)["COUCHDB_ADMIN_PASSWORD"]


def ctrl_c(process: subprocess.Popen[bytes]) -> str:
    os.killpg(process.pid, signal.SIGINT)
    out, _ = process.communicate(timeout=30)
    return out.decode()


def port_is_closed(port: int) -> bool:
    try:
        httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
    except httpx.ConnectError:
        return True
    return False


def test_make_run_serves_stops_on_ctrl_c_and_reuses_data(tmp_path):
    couch_port, port = free_port(), free_port()
    process = start_devrun(tmp_path, couch_port, port)
    try:
        health = wait_healthy(port)
        assert health["couchdb"]["reachable"] is True
        auth = ("admin", admin_password(tmp_path))
        utils = httpx.get(f"http://127.0.0.1:{couch_port}/_utils/", auth=auth, timeout=5)
        assert utils.status_code == 200 and "<html" in utils.text.lower()
        httpx.put(f"http://127.0.0.1:{couch_port}/keepme", auth=auth, timeout=5).raise_for_status()
    finally:
        out = ctrl_c(process)
    assert process.returncode == 0, out
    assert "/_utils/" in out and "secrets.env" in out and "sms.jsonl" in out
    assert port_is_closed(couch_port) and port_is_closed(port)
    password = admin_password(tmp_path)

    process = start_devrun(tmp_path, couch_port, port)
    try:
        wait_healthy(port)
        assert admin_password(tmp_path) == password  # secrets generated once, then kept
        r = httpx.get(f"http://127.0.0.1:{couch_port}/keepme", auth=("admin", password), timeout=5)
        assert r.status_code == 200
    finally:
        out = ctrl_c(process)
    assert process.returncode == 0, out
