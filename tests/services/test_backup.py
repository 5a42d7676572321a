"""Backups: the worker copies a shop to a second server; the primary dies; a restore finds it all.

Three or four embedded servers on loopback: the primary (services + phone writes), the backup
(BACKUP_COUCHDB_URL), and empty servers restored from the backup and from an export file.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from shopbill.services.api.main import create_app
from shopbill.services.billing.business import business_security
from shopbill.services.core.config import Settings, load_settings
from shopbill.services.core.names import ACCOUNTS_DB, DEVICES_DB, LEDGER_DB, shop_db
from shopbill.services.couch import ADMIN_ONLY_SECURITY, Couch
from shopbill.services.integrity.ledger import get_checkpoint
from shopbill.services.ops.backup import (
    CHECKPOINT,
    BackupWorker,
    backup_health,
    replication_body,
    written,
)
from shopbill.services.ops.embedded import EmbeddedServer, free_port
from shopbill.services.ops.provision import provision_server
from shopbill.services.ops.restore import missing_revisions
from tests.utils.accounts import login, signup
from tests.utils.auditor_process import eventually
from tests.utils.couch import throwaway_server
from tests.utils.docs import example

ENV_KEYS = ("PATH", "HOME", "LANG", "VIRTUAL_ENV")


def new_server(path: Path) -> EmbeddedServer:
    server = throwaway_server(path)
    server.start()
    return server


def admin_client(server: EmbeddedServer) -> httpx.Client:
    return httpx.Client(base_url=server.url, auth=(server.admin_user, server.admin_password), timeout=30)


def settings_for(primary: EmbeddedServer, backup: EmbeddedServer, sms: Path) -> Settings:
    return load_settings(
        {
            "COUCHDB_URL": primary.url,
            "COUCHDB_ADMIN_USER": primary.admin_user,
            "COUCHDB_ADMIN_PASSWORD": primary.admin_password,
            "SECRET_KEY": "s" * 40,
            "SMS_BACKEND": f"file:{sms}",
            "BACKUP_COUCHDB_URL": backup.url,
            "BACKUP_COUCHDB_ADMIN_PASSWORD": backup.admin_password,
        }
    )


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[dict[str, EmbeddedServer]]:
    started: dict[str, EmbeddedServer] = {}
    try:
        for name in ("primary", "backup"):
            started[name] = new_server(tmp_path / name)
        yield started
    finally:
        for server in started.values():
            server.stop()


def all_revisions(client: httpx.Client, db: str) -> dict[str, list[dict[str, Any]]]:
    """Every doc id -> its leaf revisions (bodies with `_revisions`), deleted ones included."""
    changes = client.get(f"/{db}/_changes", params={"style": "all_docs"}).json()["results"]
    found = {}
    for row in changes:
        r = client.get(
            f"/{db}/{row['id']}", params={"open_revs": "all", "revs": "true"}, headers={"Accept": "application/json"}
        )
        found[row["id"]] = sorted((e["ok"] for e in r.json()), key=lambda d: d["_rev"])
    return found


def write_shop(phone: httpx.Client, admin: httpx.Client, db: str) -> None:
    """Edits, a deletion, a conflict, and an old-schema doc today's rules refuse."""
    item = example("item") | {"_id": f"item:{uuid.uuid4()}"}
    rev = phone.put(f"/{db}/{item['_id']}", json=item).json()["rev"]
    rev = phone.put(f"/{db}/{item['_id']}", json=item | {"_rev": rev, "name": "Plug v2"}).json()["rev"]
    assert rev.startswith("2-")
    gone = example("item") | {"_id": f"item:{uuid.uuid4()}"}
    gone_rev = phone.put(f"/{db}/{gone['_id']}", json=gone).json()["rev"]
    assert phone.delete(f"/{db}/{gone['_id']}", params={"rev": gone_rev}).status_code == 200
    history = phone.get(f"/{db}/{item['_id']}", params={"revs": "true"}).json()["_revisions"]
    twin = item | {
        "_rev": "2-" + "b" * 32,
        "name": "Plug from another phone",
        "_revisions": {"start": 2, "ids": ["b" * 32, history["ids"][1]]},
    }
    r = phone.post(f"/{db}/_bulk_docs", json={"docs": [twin], "new_edits": False})
    assert r.status_code == 201 and r.json() == [], r.text
    # An item written under schema version 0, before the rules changed: today's VDU refuses it.
    old = example("item") | {"_id": f"item:{uuid.uuid4()}", "schema_version": 0}
    assert phone.put(f"/{db}/{old['_id']}", json=old).status_code == 403
    ddoc = admin.get(f"/{db}/_design/validate").json()
    admin.delete(f"/{db}/_design/validate", params={"rev": ddoc["_rev"]}).raise_for_status()
    # Apache CouchDB drops a deleted design doc from its cache asynchronously.
    eventually(lambda: admin.put(f"/{db}/{old['_id']}", json=old).status_code == 201, timeout=10)
    admin.put(f"/{db}/_design/validate", json={k: v for k, v in ddoc.items() if k != "_rev"}).raise_for_status()
    again = old | {"_id": f"item:{uuid.uuid4()}"}
    assert phone.put(f"/{db}/{again['_id']}", json=again).status_code == 403


async def back_up_until_copied(settings: Settings, dbs: list[str], *, bound: float = 60.0) -> dict:
    """Run the services' backup worker until the backup holds every revision of `dbs`."""
    primary, backup = Couch(settings), Couch(settings.backup_settings())
    worker = BackupWorker(settings, primary, backup)
    await worker.start()
    deadline = time.monotonic() + bound
    try:
        while True:
            await worker.run_once(timeout_ms=300)
            gaps = {
                db: await missing_revisions(primary, backup, db)
                for db in dbs
                if db in (await backup.request("GET", "/_all_dbs")).json()
            }
            if len(gaps) == len(dbs) and not any(gaps.values()):
                await worker.write_summary()
                return await backup_health(primary, settings)
            assert time.monotonic() < deadline, f"not backed up after {bound} s: {gaps}"
    finally:
        await primary.aclose()
        await backup.aclose()


def test_backup_worker_copies_a_shop_and_a_restore_after_the_primary_dies_finds_every_revision(servers, tmp_path):
    primary, backup = servers["primary"], servers["backup"]
    sms = tmp_path / "sms.jsonl"
    settings = settings_for(primary, backup, sms)
    with TestClient(create_app(settings)) as api, admin_client(primary) as admin:
        owner = signup(api, sms)
        creds = login(api, owner)["couchdb"]
        db = creds["db"]
        with httpx.Client(base_url=primary.url, auth=(creds["username"], creds["password"]), timeout=30) as phone:
            write_shop(phone, admin, db)
        # The backup worker started after the first writes; later writes are followed live.
        health = asyncio.run(back_up_until_copied(settings, [db, ACCOUNTS_DB, DEVICES_DB]))
        with httpx.Client(base_url=primary.url, auth=(creds["username"], creds["password"]), timeout=30) as phone:
            late = example("item") | {"_id": f"item:{uuid.uuid4()}", "name": "Written late"}
            assert phone.put(f"/{db}/{late['_id']}", json=late).status_code == 201
        asyncio.run(back_up_until_copied(settings, [db]))
        before = all_revisions(admin, db)
        status = admin.get(f"/{LEDGER_DB}/backup:{db}").json()
        assert api.get("/healthz").json()["backup"]["enabled"] is True
    assert health["status"] == "ok" and health["failing"] == 0, health
    assert status["ok"] is True and status["backed_up_at"] >= status["changed_at"]
    assert late["_id"] in before
    assert any(len(leaves) == 2 for leaves in before.values())  # the conflict
    assert any(leaf.get("_deleted") for leaves in before.values() for leaf in leaves)
    with admin_client(backup) as copy_admin:
        assert copy_admin.get(f"/{db}/_security").json()["members"]["roles"] == ["_admin"]
    primary.kill()

    fresh = new_server(tmp_path / "fresh")
    try:
        env = {k: v for k, v in os.environ.items() if k in ENV_KEYS} | {
            "COUCHDB_URL": fresh.url,
            "COUCHDB_ADMIN_PASSWORD": fresh.admin_password,
            "BACKUP_COUCHDB_URL": backup.url,
            "BACKUP_COUCHDB_ADMIN_PASSWORD": backup.admin_password,
        }
        run = subprocess.run(
            [sys.executable, "-m", "shopbill.services.ops.backup", "restore"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 0, run.stderr
        reports = {r["db"]: r for r in map(json.loads, run.stdout.splitlines())}
        assert reports[db]["missing"] == {} and reports[db]["design_docs"] >= 1
        assert backup.admin_password not in run.stdout + run.stderr
        with admin_client(fresh) as restored:
            assert all_revisions(restored, db) == before  # every doc, revision and history
            assert restored.get(f"/{db}/_security").json() == business_security(db[4:])
            assert restored.get(f"/{ACCOUNTS_DB}/_all_docs").json()["total_rows"] >= 1
            refused = example("item") | {"_id": f"item:{uuid.uuid4()}", "schema_version": 0}
            assert restored.put(f"/{db}/{refused['_id']}", json=refused).status_code == 403

        export = subprocess.run(
            [sys.executable, "-m", "shopbill.services.ops.backup", "export", "--out", str(tmp_path / "export")],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert export.returncode == 0, export.stderr
        exported = tmp_path / "export" / f"{db}.jsonl.gz"
        assert str(exported) in export.stdout.splitlines()
    finally:
        fresh.stop()
    from_file = new_server(tmp_path / "from-file")
    try:
        env = {k: v for k, v in os.environ.items() if k in ENV_KEYS} | {
            "COUCHDB_URL": from_file.url,
            "COUCHDB_ADMIN_PASSWORD": from_file.admin_password,
        }
        run = subprocess.run(
            [sys.executable, "-m", "shopbill.services.ops.backup", "restore", "--from-file", str(exported)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 0, run.stderr
        with admin_client(from_file) as restored:
            assert all_revisions(restored, db) == before
    finally:
        from_file.stop()


def test_replication_request_pushes_from_the_primary_with_credentials_in_the_urls():
    settings = load_settings(
        {
            "COUCHDB_URL": "http://couchdb:5984",
            "COUCHDB_ADMIN_PASSWORD": "p@ss",
            "BACKUP_COUCHDB_URL": "https://backup.example:6984/",
            "BACKUP_COUCHDB_ADMIN_USER": "keeper",
            "BACKUP_COUCHDB_ADMIN_PASSWORD": "s/cret",
        }
    )
    db = shop_db("abc")
    body = replication_body(settings, db)
    assert body == {
        "source": f"http://admin:p%40ss@couchdb:5984/{db}",
        "target": f"https://keeper:s%2Fcret@backup.example:6984/{db}",
        "selector": {"_id": {"$regex": "^(?!_design/)"}},
    }
    assert replication_body(settings, db, design_ids=["_design/validate"])["doc_ids"] == ["_design/validate"]
    assert "continuous" not in body  # one-shot: no job stays behind per shop
    assert written({"history": [{"docs_written": 3, "doc_write_failures": 1}]}) == (3, 1)
    assert written({"docs_written": 2, "doc_write_failures": 0}) == (2, 0)  # PouchDB Server


def test_prod_refuses_a_backup_server_without_a_password():
    from shopbill.services.core.config import SettingsError

    base = {
        "APP_ENV": "prod",
        "SECRET_KEY": "k" * 40,
        "COUCHDB_ADMIN_PASSWORD": "x" * 20,
        "SMS_BACKEND": "msg91:key",
        "BACKUP_COUCHDB_URL": "https://backup.example",
    }
    with pytest.raises(SettingsError, match="BACKUP_COUCHDB_ADMIN_PASSWORD"):
        load_settings(base)
    assert load_settings(base | {"BACKUP_COUCHDB_ADMIN_PASSWORD": "y" * 20}).backup_couchdb_url


def test_healthz_reports_backups_off_stale_failing_and_lagging(app_factory, admin):
    with app_factory() as api:
        assert api.get("/healthz").json()["backup"] == {"enabled": False}
    old, now = "2020-01-01T00:00:00.000Z", datetime.now(UTC).isoformat().replace("+00:00", "Z")
    summary = {
        "seq": "1",
        "pending": 1,
        "oldest_pending_since": now,
        "failing": 0,
        "failing_dbs": [],
        "last_backup_at": None,
        "copies_since_start": 0,
    }
    with app_factory(BACKUP_COUCHDB_URL="http://127.0.0.1:9", BACKUP_COUCHDB_ADMIN_PASSWORD="x") as api:
        for changes, expected in (
            ({"updated_at": old}, "stale"),
            ({"failing": 1, "failing_dbs": [shop_db("x")]}, "failing"),
            ({"oldest_pending_since": old}, "lagging"),
            ({}, "ok"),
        ):
            current = admin.get(f"/{LEDGER_DB}/backup_status").json()
            doc = {"updated_at": now, **summary, **changes}
            if "_rev" in current:
                doc["_rev"] = current["_rev"]
            admin.put(f"/{LEDGER_DB}/backup_status", json=doc).raise_for_status()
            r = api.get("/healthz")
            assert r.status_code == 200 and r.json()["backup"]["status"] == expected, r.json()
        current = admin.get(f"/{LEDGER_DB}/backup_status").json()
        admin.delete(f"/{LEDGER_DB}/backup_status", params={"rev": current["_rev"]})


def test_backup_worker_process_follows_changes_and_stops_cleanly(servers):
    primary, backup = servers["primary"], servers["backup"]
    env = {k: v for k, v in os.environ.items() if k in ENV_KEYS} | {
        "COUCHDB_URL": primary.url,
        "COUCHDB_ADMIN_PASSWORD": primary.admin_password,
        "BACKUP_COUCHDB_URL": backup.url,
        "BACKUP_COUCHDB_ADMIN_PASSWORD": backup.admin_password,
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "shopbill.services.ops.backup"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        with admin_client(primary) as admin, admin_client(backup) as copy:
            db = shop_db(uuid.uuid4().hex)
            deadline = time.monotonic() + 60
            while admin.get(f"/{LEDGER_DB}").status_code != 200:  # the worker provisions it
                assert time.monotonic() < deadline and worker.poll() is None
                time.sleep(0.2)
            admin.put(f"/{db}").raise_for_status()
            admin.put(f"/{db}/note", json={"n": 1}).raise_for_status()
            while (
                copy.get(f"/{db}/note").status_code != 200 or admin.get(f"/{LEDGER_DB}/backup:{db}").status_code != 200
            ):
                assert time.monotonic() < deadline, "the worker did not copy the new shop"
                time.sleep(0.2)
            assert admin.get(f"/{LEDGER_DB}/backup:{db}").json()["ok"] is True
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0]
    assert worker.returncode == 0, output
    assert primary.admin_password not in output and backup.admin_password not in output


def test_a_failed_copy_is_recorded_retried_later_holds_the_checkpoint_and_shows_in_healthz(tmp_path):
    primary = new_server(tmp_path / "primary")
    settings = load_settings(
        {
            "COUCHDB_URL": primary.url,
            "COUCHDB_ADMIN_PASSWORD": primary.admin_password,
            "BACKUP_COUCHDB_URL": f"http://127.0.0.1:{free_port()}",  # nobody listens there
            "BACKUP_COUCHDB_ADMIN_PASSWORD": "unused",
        }
    )

    async def scenario() -> dict:
        couch, backup = Couch(settings), Couch(settings.backup_settings())
        try:
            await provision_server(couch)
            await couch.ensure_db(shop_db("fails"), security=ADMIN_ONLY_SECURITY)
            worker = BackupWorker(settings, couch, backup)
            await worker.start()
            await worker.run_once(timeout_ms=100)
            status = await couch.get_doc(LEDGER_DB, f"backup:{shop_db('fails')}")
            assert status["ok"] is False and status["failures"] == 1 and status["error"]
            assert worker.retry_at[shop_db("fails")] > time.time()
            assert await get_checkpoint(couch, CHECKPOINT) is None  # the shop is still owed
            await worker.run_once(timeout_ms=100)  # not due again yet: no second attempt
            assert (await couch.get_doc(LEDGER_DB, f"backup:{shop_db('fails')}"))["failures"] == 1
            return await backup_health(couch, settings)
        finally:
            await couch.aclose()
            await backup.aclose()

    try:
        health = asyncio.run(scenario())
    finally:
        primary.stop()
    assert health["status"] == "failing" and shop_db("fails") in health["failing_dbs"]
