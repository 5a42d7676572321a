"""Defect (many shops): a db closed by the LRU of open dbs (`max_dbs_open`, defect 12)
left its compiled validate_doc_update (~1 MB of selector closures for our Mango VDU) and its view
dbs' PouchDB objects in the heap for good. The heap grew by ~1.3 MB per shop ever opened, so
provisioning 1,000 shops stalled the server in full GCs of seconds to a minute at ~600 shops
(or, with a smaller heap, ran it out of memory).

Here the server gets a 96 MB heap and 80 business dbs as signup makes them (the real Mango VDU,
the real indexes), written concurrently across dbs, with 10 open at most: before the fix its heap
ran out at ~50 dbs (the server died mid-run); now every request is answered.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import httpx
import pytest

from shopbill.services.ops.design_docs import DESIGN_DOC_ID, load_design_doc
from shopbill.services.ops.embedded import EmbeddedServer
from shopbill.services.ops.indexes import load_indexes
from tests.utils.shop_docs import IST, ShopDocs

DBS = 80
MAX_DBS_OPEN = 10
HEAP_MB = 96  # unfixed: ~40 MB + 1.3 MB x 80 dbs ever opened; fixed: ~40 MB + 1.3 MB x 10 open


def provision(client: httpx.Client, name: str, seed: int) -> None:
    """A business db as signup makes it (VDU design doc, indexes), then a day of sales."""
    assert client.put(f"/{name}").status_code == 201, name
    ddoc = {k: v for k, v in load_design_doc("mango").items() if k != "_rev"}
    r = client.put(f"/{name}/{DESIGN_DOC_ID}", json=ddoc)
    assert r.status_code == 201, (name, r.text)
    for index in load_indexes():
        body = {k: v for k, v in index.items() if k != "shopbill"}
        r = client.post(f"/{name}/_index", json=body)
        assert r.status_code == 200, (name, r.text)
    docs = ShopDocs(seed=seed, series=f"T{seed % 100}").days(1, total=12, start=datetime(2026, 5, 1, 10, 0, tzinfo=IST))
    r = client.post(f"/{name}/_bulk_docs", json={"docs": docs})
    assert r.status_code == 201 and not [row for row in r.json() if "error" in row], (name, r.text[:300])


@pytest.mark.timeout(600)
def test_closed_dbs_leave_nothing_behind(own_server: EmbeddedServer, monkeypatch: pytest.MonkeyPatch) -> None:
    own_server.data_dir.mkdir(parents=True)
    (own_server.data_dir / "config.json").write_text(json.dumps({"couchdb": {"max_dbs_open": MAX_DBS_OPEN}}))
    monkeypatch.setenv("NODE_OPTIONS", f"--max-old-space-size={HEAP_MB}")
    own_server.start()
    names = [f"biz_lru_{i:04d}" for i in range(DBS)]
    with (
        httpx.Client(
            base_url=own_server.url, auth=(own_server.admin_user, own_server.admin_password), timeout=120
        ) as client,
        ThreadPoolExecutor(4) as pool,
    ):
        list(pool.map(lambda n: provision(client, names[n], n), range(DBS)))
        # every db, reopened, still reads its docs and judges writes with its VDU
        for name in names[::8]:
            assert client.get(f"/{name}/_all_docs").json()["total_rows"] >= 12
            r = client.put(f"/{name}/refused", json={"type": "invoice"})
            assert r.status_code == 403, (name, r.text)
    assert own_server.process is not None and own_server.process.poll() is None
