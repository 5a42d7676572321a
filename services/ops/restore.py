"""Export and restore databases with every revision: documents first, design docs last.

A database is read as its leaf revisions (`_changes?style=all_docs`, deleted ones included)
fetched with their full history (`_bulk_get?revs=true`), and written with
`_bulk_docs` + `new_edits=false`, which keeps revision ids, histories and conflicts as they were.
Design documents are written last and `_security` after them: a VDU runs on admin writes too,
and old documents may carry an older `schema_version` that today's rules refuse.

The export format is one gzipped JSON-lines file per database: a header line
`{"db", "exported_at", "docs"}`, then one document revision per line.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from shopbill.services.billing.business import business_security
from shopbill.services.core.clock import now_rfc3339
from shopbill.services.core.config import Settings
from shopbill.services.core.names import SERVICE_DB_PREFIX, SHOP_DB_PREFIX, is_shop_db
from shopbill.services.couch import ADMIN_ONLY_SECURITY, Couch
from shopbill.services.errors import RestoreError

PAGE = 500


def security_for(db: str) -> dict[str, Any]:
    """The `_security` a restored database gets: its shop's user, or admins only."""
    if is_shop_db(db):
        return business_security(db.removeprefix(SHOP_DB_PREFIX))
    return ADMIN_ONLY_SECURITY


async def leaf_revisions(couch: Couch, db: str) -> AsyncIterator[list[tuple[str, list[str]]]]:
    """Pages of `(doc id, leaf revisions)` of `db`, deleted documents included."""
    since = "0"
    path = f"/{quote(db, safe='')}/_changes"
    while True:
        response = await couch.request(
            "GET", path, params={"style": "all_docs", "since": since, "limit": PAGE}, timeout=120
        )
        body = response.json()
        rows = [(row["id"], [c["rev"] for c in row["changes"]]) for row in body["results"]]
        if rows:
            yield rows
        since = str(body["last_seq"])
        if len(rows) < PAGE:
            return


async def read_revisions(couch: Couch, db: str) -> AsyncIterator[list[dict[str, Any]]]:
    """Pages of every leaf revision of `db` with `_revisions` (and inline attachments)."""
    async for rows in leaf_revisions(couch, db):
        wanted = [{"id": doc_id, "rev": rev} for doc_id, revs in rows for rev in revs]
        response = await couch.request(
            "POST",
            f"/{quote(db, safe='')}/_bulk_get",
            json={"docs": wanted},
            params={"revs": "true", "attachments": "true"},
            timeout=120,
        )
        docs = []
        for result in response.json()["results"]:
            for entry in result["docs"]:
                if "ok" not in entry:
                    raise RestoreError(f"{db}: could not read {result['id']}: {entry}")
                docs.append(entry["ok"])
        yield docs


async def write_revisions(couch: Couch, db: str, docs: list[dict[str, Any]]) -> None:
    """Store revisions as they are (`new_edits=false`); raise if the server refuses any."""
    if not docs:
        return
    response = await couch.request(
        "POST", f"/{quote(db, safe='')}/_bulk_docs", json={"docs": docs, "new_edits": False}, timeout=120
    )
    refused = [row for row in response.json() if "error" in row]
    if refused:
        raise RestoreError(f"{db}: the server refused {len(refused)} revisions: {refused[:3]}")


async def restore_database(
    target: Couch,
    db: str,
    pages: AsyncIterator[list[dict[str, Any]]],
) -> dict[str, int]:
    """Restore `db` into `target` from pages of revisions; return what was written.

    Order: the db is created admin-only (phones cannot write to a half-restored shop), documents
    are written, then design documents, then the shop's own `_security`.
    """
    await target.ensure_db(db, security=ADMIN_ONLY_SECURITY)
    design: list[dict[str, Any]] = []
    ids: set[str] = set()
    revisions = 0
    async for page in pages:
        design += [doc for doc in page if doc["_id"].startswith("_design/")]
        plain = [doc for doc in page if not doc["_id"].startswith("_design/")]
        await write_revisions(target, db, plain)
        ids.update(doc["_id"] for doc in page)
        revisions += len(page)
    await write_revisions(target, db, design)
    await target.ensure_db(db, security=security_for(db))
    return {"docs": len(ids), "revisions": revisions, "design_docs": len({doc["_id"] for doc in design})}


async def missing_revisions(source: Couch, target: Couch, db: str) -> dict[str, list[str]]:
    """Leaf revisions of `db` on `source` that `target` lacks (empty when the copy is whole)."""
    missing: dict[str, list[str]] = {}
    async for rows in leaf_revisions(source, db):
        response = await target.request("POST", f"/{quote(db, safe='')}/_revs_diff", json=dict(rows), timeout=120)
        missing.update({doc_id: entry["missing"] for doc_id, entry in response.json().items()})
    return missing


async def export_database(couch: Couch, db: str, out_dir: Path) -> Path:
    """Write every revision of `db` to `<out_dir>/<db>.jsonl.gz` (atomically, via a temp file)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{db}.jsonl.gz"
    partial = path.with_suffix(".partial")
    with gzip.open(partial, "wt", encoding="utf-8") as out:
        out.write(json.dumps({"db": db, "exported_at": now_rfc3339()}) + "\n")
        async for page in read_revisions(couch, db):
            for doc in page:
                out.write(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n")
    partial.rename(path)
    return path


async def pages_from_file(path: Path) -> AsyncIterator[list[dict[str, Any]]]:
    """Pages of revisions from an export file (its header line skipped)."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        header = json.loads(next(lines))
        if "db" not in header:
            raise RestoreError(f"{path} is not a database export")
        page: list[dict[str, Any]] = []
        for line in lines:
            page.append(json.loads(line))
            if len(page) == PAGE:
                yield page
                page = []
        if page:
            yield page


def export_db_name(path: Path) -> str:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return str(json.loads(next(lines))["db"])


async def list_databases(couch: Couch, prefixes: Iterable[str] = (SHOP_DB_PREFIX, SERVICE_DB_PREFIX)) -> list[str]:
    """The databases of `couch` whose names start with one of `prefixes`."""
    names = (await couch.request("GET", "/_all_dbs")).json()
    return [db for db in names if db.startswith(tuple(prefixes))]


async def export_all(settings: Settings, out: Path, *, source: str) -> None:
    """Export every shop and services' db of the backup (or `source="primary"`) into `out`."""
    couch = Couch(settings.backup_settings() if source == "backup" else settings)
    try:
        for db in await list_databases(couch):
            print(await export_database(couch, db, out), flush=True)
    finally:
        await couch.aclose()


async def restore_all(settings: Settings, *, dbs: list[str], files: list[Path]) -> int:
    """Restore into COUCHDB_URL from the backup server (`dbs`, or all) or from export files."""
    target = Couch(settings)
    source = Couch(settings.backup_settings()) if settings.backup_couchdb_url else None
    try:
        if not files and source is None:
            raise SystemExit("restore needs BACKUP_COUCHDB_URL or --from-file")
        jobs = [(export_db_name(f), pages_from_file(f)) for f in files]
        if not files:
            assert source is not None
            names = dbs or await list_databases(source)
            jobs = [(db, read_revisions(source, db)) for db in names]
        problems = 0
        for db, pages in jobs:
            report = await restore_database(target, db, pages)
            gaps = {}
            if source is not None and not files:
                gaps = await missing_revisions(source, target, db)
            problems += len(gaps)
            print(json.dumps({"db": db, **report, "missing": gaps}), flush=True)
        return 1 if problems else 0
    finally:
        await target.aclose()
        if source is not None:
            await source.aclose()
