"""Dev secrets on disk are the server user's alone, and the cookie secret is not SECRET_KEY.

An outside attack read `.data/couchdb/config.json` (0644): its cookie secret was the services'
SECRET_KEY, with which an access token for another shop was forged; the LevelDB files (OTP
secrets, `_users` hashes at 10 PBKDF2 iterations) and `sms.jsonl` were world-readable too.
"""

from __future__ import annotations

import asyncio
import stat
from pathlib import Path

import httpx
import pytest

from shopbill.services.identity.sms import FileSender
from shopbill.services.ops.devrun import GENERATED_SECRETS, cookie_secret, load_or_create_secrets
from tests.utils.couch import create_user


def _others_can_read(path: Path) -> bool:
    return bool(path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO))


def test_server_files_private_and_pbkdf2_at_couchdb_cost(own_server) -> None:
    own_server.start()
    with httpx.Client(
        base_url=own_server.url, auth=(own_server.admin_user, own_server.admin_password), timeout=30
    ) as admin:
        create_user(admin, "secrets-user", "a-long-password")
        user = admin.get("/_users/org.couchdb.user:secrets-user").json()
        # CouchDB's `[chttpd_auth] iterations` default (etc/default.ini): 600000
        assert user["iterations"] == 600000
        assert (
            httpx.get(f"{own_server.url}/_session", auth=("secrets-user", "a-long-password")).json()["userCtx"]["name"]
            == "secrets-user"
        )
        # a config change makes PouchDB Server rewrite config.json
        admin.put("/_config/log/level", json="info").raise_for_status()
    data = own_server.data_dir
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    exposed = [p for p in [data, *data.rglob("*")] if p.is_file() and _others_can_read(p)]
    assert not exposed, f"group/world-readable: {exposed}"
    assert "pbkdf2" in (data / "config.json").read_text() and ",600000" in (data / "config.json").read_text()


def test_sms_file_private(tmp_path: Path) -> None:
    sender = FileSender(str(tmp_path / "sms.jsonl"))
    asyncio.run(sender.send("+919800000001", type("M", (), {"text": "OTP 123456"})()))
    assert stat.S_IMODE((tmp_path / "sms.jsonl").stat().st_mode) == 0o600


def test_cookie_secret_is_its_own(tmp_path: Path) -> None:
    kept = load_or_create_secrets(tmp_path / "secrets.env", {})
    assert set(GENERATED_SECRETS) <= set(kept)
    assert cookie_secret(kept, kept["SECRET_KEY"]) != kept["SECRET_KEY"]
    assert stat.S_IMODE((tmp_path / "secrets.env").stat().st_mode) == 0o600
    with pytest.raises(SystemExit):
        cookie_secret({"COUCHDB_COOKIE_SECRET": "same"}, "same")
