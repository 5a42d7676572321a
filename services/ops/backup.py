"""Backups: every changed shop database is copied to a backup CouchDB soon after it changes.

One `_db_updates` long-poll says which databases changed; each is then copied with a one-shot
`POST /_replicate` on the primary (a push: the primary's replicator reads its own database and
writes to BACKUP_COUCHDB_URL), so no database holds a continuous replication job or stays open
between changes. A replication resumes from its own checkpoint, so an unchanged db costs one
round trip. Shop databases (`biz_*`) go at once; the services' databases (`svc_*`, which this
worker also writes to) at most once a minute, and all of them when the worker starts.

The ledger (`svc_ledger`) keeps `checkpoint:backup:_db_updates` (advanced only when no shop db
is left pending, so a restart replays what was not copied), `backup:<db>` (last copy or error
per db) and `backup_status` (the summary `/healthz` shows). Export and restore: services/ops/restore.py.

Documents are copied before design documents, as a restore writes them: a VDU runs on admin and
replicated writes too (on Apache CouchDB), and an old document whose `schema_version` today's
rules refuse must still reach the backup.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from shopbill.services.core.clock import age_seconds, epoch_rfc3339, now_rfc3339
from shopbill.services.core.config import Settings, load_settings
from shopbill.services.core.names import LEDGER_DB, SERVICE_DB_PREFIX, SHOP_DB_PREFIX
from shopbill.services.couch import ADMIN_ONLY_SECURITY, Couch
from shopbill.services.errors import BackupIncomplete, ServiceError
from shopbill.services.integrity.ledger import get_checkpoint, put_latest, set_checkpoint
from shopbill.services.ops import restore
from shopbill.services.ops.provision import provision_server

log = logging.getLogger(__name__)
CHECKPOINT = "backup:_db_updates"
STATUS_ID = "backup_status"
SERVICE_DB_INTERVAL = 60.0  # seconds between two copies of one services' database
HEARTBEAT = 60.0  # the summary is rewritten at least this often while the worker runs
STALE_AFTER = 3 * HEARTBEAT
LAG_WARNING = 300.0  # seconds a change may wait for its copy before /healthz says "lagging"
MAX_RETRY_DELAY = 300.0
REPLICATION_TIMEOUT = 3600.0  # a first copy of a large db can take long
MAX_PER_CYCLE = 200  # a first run over thousands of shops still records progress as it goes


def is_backed_up(db: str) -> bool:
    return db.startswith((SHOP_DB_PREFIX, SERVICE_DB_PREFIX))


def url_with_auth(base: str, user: str, password: str, db: str) -> str:
    """`base/db` with Basic credentials in the URL, as both CouchDB and PouchDB accept them."""
    parts = urlsplit(base)
    netloc = f"{quote(user, safe='')}:{quote(password, safe='')}@{parts.netloc}"
    path = f"{parts.path.rstrip('/')}/{quote(db, safe='')}"
    return urlunsplit((parts.scheme, netloc, path, "", ""))


# Everything but design documents (they are copied after the documents, by their ids).
NOT_DESIGN = {"_id": {"$regex": "^(?!_design/)"}}
DESIGN_RANGE = {"startkey": '"_design/"', "endkey": '"_design0"', "include_docs": "false"}


def replication_body(settings: Settings, db: str, *, design_ids: list[str] | None = None) -> dict[str, Any]:
    """The one-shot `_replicate` request copying `db`'s documents (or, given `design_ids`,
    those design documents) from the primary to the backup."""
    target = settings.backup_settings()
    return {
        "source": url_with_auth(settings.couchdb_url, settings.couchdb_admin_user, settings.couchdb_admin_password, db),
        "target": url_with_auth(target.couchdb_url, target.couchdb_admin_user, target.couchdb_admin_password, db),
        **({"doc_ids": design_ids} if design_ids is not None else {"selector": NOT_DESIGN}),
    }


def written(answer: dict[str, Any]) -> tuple[int, int]:
    """(docs written, write failures) from a `_replicate` answer (CouchDB nests them in history)."""
    stats = answer["history"][0] if answer.get("history") else answer
    return int(stats.get("docs_written", 0)), int(stats.get("doc_write_failures", 0))


@dataclass
class BackupWorker:
    """Follows `_db_updates` on `primary` and copies changed databases to `backup`."""

    settings: Settings
    primary: Couch
    backup: Couch
    pending: dict[str, float] = field(default_factory=dict)  # db -> when its change was seen
    retry_at: dict[str, float] = field(default_factory=dict)
    failures: dict[str, int] = field(default_factory=dict)
    last_copy: dict[str, float] = field(default_factory=dict)
    ready_targets: set[str] = field(default_factory=set)
    seq: str = "0"
    saved_seq: str | None = None
    last_backup_at: str | None = None
    summary_written: float = 0.0
    copies: int = 0

    async def start(self) -> None:
        """Resume from the ledger checkpoint; the first run copies every database it finds."""
        checkpoint = await get_checkpoint(self.primary, CHECKPOINT)
        now = time.time()
        if checkpoint is None:
            self.seq = await self._current_seq()
            names = (await self.primary.request("GET", "/_all_dbs")).json()
        else:
            self.seq = self.saved_seq = checkpoint
            names = [
                db for db in (await self.primary.request("GET", "/_all_dbs")).json() if db.startswith(SERVICE_DB_PREFIX)
            ]
        self.pending.update({db: now for db in names if is_backed_up(db)})

    async def _current_seq(self) -> str:
        response = await self.primary.request("GET", "/_db_updates", params={"since": "now"})
        return str(response.json()["last_seq"])

    async def run_once(self, *, timeout_ms: int = 10_000) -> None:
        """One cycle: wait for database changes, copy what is due, record the outcome."""
        wait_ms = max(100, min(timeout_ms, int(1000 * self._seconds_to_next_due())))
        response = await self.primary.request(
            "GET",
            "/_db_updates",
            params={"feed": "longpoll", "since": self.seq, "timeout": wait_ms},
            timeout=wait_ms / 1000 + 10,
        )
        body = response.json()
        now = time.time()
        for row in body["results"]:
            if is_backed_up(row["db_name"]) and row["type"] != "deleted":
                self.pending.setdefault(row["db_name"], now)
        self.seq = str(body["last_seq"])
        due = sorted((db for db in self.pending if self._due(db, now)), key=self.pending.__getitem__)[:MAX_PER_CYCLE]
        semaphore = asyncio.Semaphore(self.settings.backup_concurrency)

        async def copy(db: str) -> None:
            async with semaphore:
                await self.copy_database(db)

        await asyncio.gather(*(copy(db) for db in due))
        shops_owed = any(db.startswith(SHOP_DB_PREFIX) for db in self.pending)
        if self.seq != self.saved_seq and not shops_owed:
            await set_checkpoint(self.primary, CHECKPOINT, self.seq)
            self.saved_seq = self.seq
        if due or time.monotonic() - self.summary_written >= HEARTBEAT:
            await self.write_summary()

    def _due(self, db: str, now: float) -> bool:
        if self.retry_at.get(db, 0.0) > now:
            return False
        last = self.last_copy.get(db, 0.0)
        return db.startswith(SHOP_DB_PREFIX) or now - last >= SERVICE_DB_INTERVAL

    def _seconds_to_next_due(self) -> float:
        now = time.time()
        waits = [
            max(
                self.retry_at.get(db, 0.0),
                self.last_copy.get(db, 0.0) + SERVICE_DB_INTERVAL if db.startswith(SERVICE_DB_PREFIX) else 0.0,
            )
            - now
            for db in self.pending
        ]
        return min([HEARTBEAT, *waits])

    async def copy_database(self, db: str) -> None:
        """Replicate `db` to the backup once; record success or the error in the ledger."""
        changed_at = self.pending[db]
        try:
            if db not in self.ready_targets:
                # Backups are for server admins only, whatever the source's members are.
                await self.backup.ensure_db(db, security=ADMIN_ONLY_SECURITY)
                self.ready_targets.add(db)
            response = await self.primary.request(
                "POST",
                "/_replicate",
                json=replication_body(self.settings, db),
                timeout=REPLICATION_TIMEOUT,
                ok=(200, 201, 202, 404),
            )
            if response.status_code == 404:  # deleted meanwhile: its last copy stays
                self.pending.pop(db, None)
                return
            docs, failures = written(response.json())
            if not failures:
                docs, failures = await self._copy_design_docs(db, docs)
            if failures:
                raise BackupIncomplete(f"{failures} documents could not be written to the backup")
        except ServiceError as exc:
            count = self.failures[db] = self.failures.get(db, 0) + 1
            self.retry_at[db] = time.time() + min(MAX_RETRY_DELAY, 5.0 * 2 ** (count - 1))
            log.warning("backup of %s failed (%d in a row): %s", db, count, exc)
            await self._record(
                db, {"ok": False, "error": str(exc)[:300], "failures": count, "changed_at": epoch_rfc3339(changed_at)}
            )
            return
        for table in (self.pending, self.retry_at, self.failures):
            table.pop(db, None)
        self.last_copy[db] = time.time()
        self.last_backup_at = now_rfc3339()
        self.copies += 1
        await self._record(
            db,
            {
                "ok": True,
                "docs_written": docs,
                "failures": 0,
                "changed_at": epoch_rfc3339(changed_at),
                "backed_up_at": self.last_backup_at,
            },
        )

    async def _copy_design_docs(self, db: str, docs: int) -> tuple[int, int]:
        """Copy `db`'s design docs when the backup's differ; (docs written in all, failures)."""

        async def design_revs(couch: Couch) -> dict[str, str]:
            response = await couch.request(
                "GET", f"/{quote(db, safe='')}/_all_docs", params=DESIGN_RANGE, ok=(200, 404)
            )
            rows = response.json().get("rows", []) if response.status_code == 200 else []
            return {row["id"]: row["value"]["rev"] for row in rows}

        wanted = await design_revs(self.primary)
        if not wanted or wanted == await design_revs(self.backup):
            return docs, 0
        response = await self.primary.request(
            "POST",
            "/_replicate",
            json=replication_body(self.settings, db, design_ids=sorted(wanted)),
            timeout=REPLICATION_TIMEOUT,
        )
        more, failures = written(response.json())
        return docs + more, failures

    async def _record(self, db: str, status: dict[str, Any]) -> None:
        if db != LEDGER_DB:  # the ledger's own status would change the ledger again, for ever
            await put_latest(self.primary, f"backup:{db}", {"db": db, **status})

    async def write_summary(self) -> None:
        """Write `backup_status`: what `/healthz` reports about backups."""
        shops = {db: seen for db, seen in self.pending.items() if db.startswith(SHOP_DB_PREFIX)}
        failing = sorted(db for db in self.failures)
        await put_latest(
            self.primary,
            STATUS_ID,
            {
                "updated_at": now_rfc3339(),
                "seq": self.seq,
                "pending": len(shops),
                "oldest_pending_since": epoch_rfc3339(min(shops.values())) if shops else None,
                "failing": len(failing),
                "failing_dbs": failing[:20],
                "last_backup_at": self.last_backup_at,
                "copies_since_start": self.copies,
            },
        )
        self.summary_written = time.monotonic()

    async def follow(self, *, stop: asyncio.Event) -> None:
        """Run cycles until `stop` is set; CouchDB being away is logged and retried."""
        started = False
        while not stop.is_set():
            try:
                if not started:
                    await provision_server(self.primary)  # the ledger may not exist yet
                    await self.start()
                    started = True
                await self.run_once()
            except ServiceError as exc:
                log.warning("backup worker: %s; retrying", exc)
                try:
                    await asyncio.wait_for(stop.wait(), timeout=1.0)
                except TimeoutError:
                    pass


async def backup_health(couch: Couch, settings: Settings) -> dict[str, Any]:
    """The backup part of `/healthz`: lag, pending and failing databases, a stale worker."""
    if not settings.backup_couchdb_url:
        return {"enabled": False}
    try:
        status = await couch.get_doc(LEDGER_DB, STATUS_ID)
    except ServiceError:
        return {"enabled": True, "status": "unknown"}
    if status is None:
        return {"enabled": True, "status": "not_started"}
    age = age_seconds(status["updated_at"])
    oldest = status.get("oldest_pending_since")
    lag = age_seconds(oldest) if oldest else 0.0
    state = (
        "stale" if age > STALE_AFTER else "failing" if status["failing"] else "lagging" if lag > LAG_WARNING else "ok"
    )
    return {
        "enabled": True,
        "status": state,
        "lag_seconds": round(lag, 1),
        "pending": status["pending"],
        "failing": status["failing"],
        "failing_dbs": status["failing_dbs"],
        "last_backup_at": status["last_backup_at"],
        "worker_seen_at": status["updated_at"],
    }


async def _run_worker(settings: Settings) -> None:
    primary, backup = Couch(settings), Couch(settings.backup_settings())
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    task = asyncio.create_task(BackupWorker(settings, primary, backup).follow(stop=stop))
    await stop.wait()
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await primary.aclose()
    await backup.aclose()


def main(argv: list[str] | None = None) -> int:
    """`python -m shopbill.services.ops.backup [worker | export --out DIR | restore ...]`."""
    parser = argparse.ArgumentParser(
        prog="python -m shopbill.services.ops.backup",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("worker", help="copy changed databases to the backup (the default)")
    export = commands.add_parser("export", help="write every revision of every db to files")
    export.add_argument("--out", type=Path, required=True, help="directory for <db>.jsonl.gz")
    export.add_argument("--source", choices=("backup", "primary"), default="backup")
    restore_cmd = commands.add_parser("restore", help="restore into COUCHDB_URL")
    restore_cmd.add_argument("--db", action="append", default=[], help="only these (repeatable)")
    restore_cmd.add_argument(
        "--from-file",
        type=Path,
        action="append",
        default=[],
        help="an export file instead of the backup server (repeatable)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    settings = load_settings()
    if args.command == "export":
        source = args.source if settings.backup_couchdb_url else "primary"
        asyncio.run(restore.export_all(settings, args.out, source=source))
        return 0
    if args.command == "restore":
        return asyncio.run(restore.restore_all(settings, dbs=args.db, files=args.from_file))
    if not settings.backup_couchdb_url:
        raise SystemExit("BACKUP_COUCHDB_URL is not set: nothing to back up to")
    asyncio.run(_run_worker(settings))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
