"""Smoke test of the benchmarks: `python -m bench.run` in its minimal mode (a few docs) writes
results in the shared format, the sync and VDU figures on Apache CouchDB too when a build is
found. No timing is asserted: figures on a shared machine are for `make bench`, not for the test
suite."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from shopbill.services.errors import DistNotFound
from shopbill.services.ops.apache_couchdb import dist_dir, find_release
from tests.utils.sync_client import installed

ROOT = Path(__file__).resolve().parents[2]


def test_bench_entry_point_writes_results_in_the_shared_format(tmp_path: Path) -> None:
    if os.environ.get("COUCHDB_URL"):
        pytest.skip("the smoke run starts its own embedded server; COUCHDB_URL is another server")
    assert installed(), "the reference client is not installed: run `make deps`"
    results = tmp_path / "results.json"
    results.write_text(
        json.dumps([{"name": "from_another_script", "value": 1.0, "unit": "ms", "target": None, "ok": None}])
    )
    env = {**os.environ, "BENCH_SMOKE": "1", "BENCH_RESULTS": str(results)}
    env.pop("QUICK", None)
    proc = subprocess.run(
        [sys.executable, "-m", "bench.run"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = json.loads(results.read_text())
    names = [row["name"] for row in rows]
    assert len(names) == len(set(names))
    assert "from_another_script" in names  # merged, not overwritten
    for row in rows:
        assert {"name", "value", "unit", "target", "ok"} <= row.keys(), row
        assert isinstance(row["name"], str) and isinstance(row["unit"], str)
        assert row["value"] is None or isinstance(row["value"], (int, float))
        assert row["target"] is None or isinstance(row["target"], (int, float))
        assert row["ok"] in (True, False, None)
        if row["target"] is not None:
            assert row["ok"] is not None, row  # every target has a verdict
    for name in (
        "push_20_vdu_ratio",
        "pull_20_ratio",
        "push_per_doc_growth_20_vs_10",
        "auditor_lag_p95_20_push",
        "login_rest_p95",
        "signup_complete_p95",
        "login_ratio_4_vs_2_shops",
        "sync_ratio_4_vs_2_shops",
        "server_open_files_4_shops",
    ):
        assert name in names, name
    assert "login_rest_p95" in proc.stdout  # the table is printed
    if has_apache_build():
        for name in ("push_20_vdu_ratio_couchdb", "pull_20_ratio_couchdb", "vdu_push_ratio_mango_couchdb"):
            assert name in names, name
            assert next(r for r in rows if r["name"] == name)["value"] is not None, name
        assert {r["engine"] for r in rows if "engine" in r} == {"embedded", "couchdb"}


def has_apache_build() -> bool:
    try:
        find_release(dist_dir())
    except DistNotFound:
        return False
    return True
