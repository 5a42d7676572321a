"""Defect 13: PouchDB Server signed AuthSession cookies with a random secret per process unless
`couch_httpd_auth.secret` was configured, so every session died with a restart.

CouchDB keeps its cookie secret in its config. services/ops/embedded.py writes one; and when a
config has none, the server generates one and stores it in the config file for good.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from shopbill.services.ops.embedded import SERVER_BIN, EmbeddedServer, free_port
from tests.utils.access import new_user


def log_in(url: str, name: str, password: str) -> str:
    r = httpx.post(f"{url}/_session", json={"name": name, "password": password})
    assert r.status_code == 200, r.text
    return r.cookies["AuthSession"]


def session_name(url: str, cookie: str) -> str | None:
    r = httpx.get(f"{url}/_session", cookies={"AuthSession": cookie})
    assert r.status_code == 200, r.text
    return r.json()["userCtx"]["name"]


class RawServer:
    """The server started straight from its command line with a config of our own."""

    def __init__(self, data_dir: Path, config: dict) -> None:
        self.data_dir, self.port = data_dir, free_port()
        self.config_path = data_dir / "config.json"
        data_dir.mkdir(parents=True, exist_ok=True)
        self.config_path.write_text(json.dumps(config))
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        with open(self.data_dir / "server.out", "ab") as out:
            self.process = subprocess.Popen(
                [
                    "node",
                    str(SERVER_BIN),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--dir",
                    str(self.data_dir),
                    "--config",
                    str(self.config_path),
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=self.data_dir,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/_session", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def server_without_secret(tmp_path: Path, started_server: EmbeddedServer | None) -> Iterator[RawServer]:
    if started_server is None:
        pytest.skip("needs the embedded server (COUCHDB_URL points at an external server)")
    server = RawServer(tmp_path / "couchdb", {"admins": {"admin": "adminpass"}})
    yield server
    server.stop()


def test_generated_secret_is_kept_across_restarts(server_without_secret: RawServer) -> None:
    server = server_without_secret
    server.start()
    secret = json.loads(server.config_path.read_text())["couch_httpd_auth"]["secret"]
    assert len(secret) >= 32
    with httpx.Client(base_url=server.url, auth=("admin", "adminpass")) as admin:
        name, password = new_user(admin)
    cookie = log_in(server.url, name, password)
    server.stop()
    server.start()
    assert json.loads(server.config_path.read_text())["couch_httpd_auth"]["secret"] == secret
    assert session_name(server.url, cookie) == name


def test_cookies_survive_a_restart(own_server: EmbeddedServer) -> None:
    """services/ops/embedded.py writes the cookie secret, and the admin password in plaintext at
    every start; the server hashes that with a stable salt, so admin sessions survive too."""
    own_server.start()
    with httpx.Client(base_url=own_server.url, auth=(own_server.admin_user, own_server.admin_password)) as admin:
        name, password = new_user(admin)
    user_cookie = log_in(own_server.url, name, password)
    admin_cookie = log_in(own_server.url, own_server.admin_user, own_server.admin_password)
    own_server.restart()
    assert session_name(own_server.url, user_cookie) == name
    assert session_name(own_server.url, admin_cookie) == own_server.admin_user
    own_server.admin_password = "a-changed-admin-password"
    own_server.restart()
    assert session_name(own_server.url, admin_cookie) is None  # a new password ends them
    assert session_name(own_server.url, user_cookie) == name
