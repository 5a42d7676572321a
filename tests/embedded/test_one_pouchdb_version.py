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


def test_every_owned_package_is_locked_by_the_servers_one_lockfile() -> None:
    """The packages in couchdb/embedded/server/ are npm workspaces: npm reads no lockfile beside a
    workspace, so the server's package-lock.json pins their dependencies, and `npm ci` refuses to
    install when a workspace's package.json and that lockfile disagree. Each workspace must be in it."""
    embedded = ROOT / "couchdb" / "embedded"
    packages = json.loads((embedded / "package-lock.json").read_text())["packages"]
    for manifest in sorted((embedded / "server").glob("*/package.json")):
        declared = json.loads(manifest.read_text())
        locked = packages[f"server/{manifest.parent.name}"]
        assert locked.get("dependencies", {}) == declared.get("dependencies", {}), manifest
        assert packages[f"node_modules/{declared['name']}"] == {
            "resolved": f"server/{manifest.parent.name}",
            "link": True,
        }
