"""One PouchDB version across the embedded server, the shop app and the reference sync client.

The server's storage, query planner and replicator are PouchDB packages too; were they another
release than the app's, a sync test would prove the app's PouchDB against a server running other
replication and revision-tree code. Read from the three lockfiles, so an upgrade of one alone fails.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOCKFILES = [ROOT / "couchdb" / "embedded", ROOT / "app", ROOT / "tests" / "client"]
# Named like PouchDB's packages but not PouchDB's: PouchDB Server's (4.2.0; the changed ones are
# our copies in couchdb/embedded/server/) and three small third-party plugins.
NOT_POUCHDB = re.compile(
    r"^(express-pouchdb|http-pouchdb|pouchdb-(server|auth|security|validation|bulkdocs-wrapper|"
    r"changeslike-wrapper|wrappers|list|show|update|rewrite|replicator|vhost|size|system-db|route|"
    r"req-http-query|plugin-error|all-dbs|fauxton|promise))$"
)


def pouchdb_versions(folder: Path) -> dict[str, str]:
    """PouchDB's packages locked in `folder`'s package-lock.json, with their versions (a package
    owned as a workspace, `server/<name>`, by its declared upstream version)."""
    packages = json.loads((folder / "package-lock.json").read_text())["packages"]
    versions = {}
    for path, entry in packages.items():
        name = path.rsplit("node_modules/", 1)[-1].removeprefix("server/")
        if re.fullmatch(r"pouchdb(-.+)?|sublevel-pouchdb", name) and not NOT_POUCHDB.match(name):
            if "version" in entry:  # a workspace's link entry has none; its folder entry has it
                versions[f"{folder.name}:{name}"] = entry["version"]
    return versions


def test_server_app_and_client_lock_one_pouchdb_version() -> None:
    versions = {key: v for folder in LOCKFILES for key, v in pouchdb_versions(folder).items()}
    expected = {"app:pouchdb-browser", "client:pouchdb", "embedded:pouchdb-core", "embedded:pouchdb-find"}
    assert expected <= versions.keys(), sorted(versions)  # our copy of pouchdb-find counts too
    assert set(versions.values()) == {versions["client:pouchdb"]}, versions
