"""Run a real PouchDB replication (tests/embedded/pouchdb_replicate.js) from a phone-like
in-memory PouchDB into a server database, and report what the replicator counted."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

SCRIPT = Path(__file__).resolve().parent.parent / "embedded" / "pouchdb_replicate.js"


def replicate_docs(
    *, url: str, db: str, auth: tuple[str, str], docs: list[dict[str, Any]], timeout: float = 60.0
) -> dict[str, Any]:
    """Replicate `docs` (given with `_rev`/`_revisions`) to `url/db`; returns the replication
    result: `ok`, `docs_written`, `doc_write_failures` and the ids it reported as `denied`."""
    node = shutil.which("node")
    assert node, "node is required (the embedded server needs it too)"
    payload = {"url": f"{url}/{db}", "username": auth[0], "password": auth[1], "docs": docs}
    proc = subprocess.run(
        [node, str(SCRIPT)], input=json.dumps(payload), capture_output=True, text=True, timeout=timeout, check=False
    )
    assert proc.returncode == 0, proc.stderr
    return dict(json.loads(proc.stdout))
