"""What validation costs a phone's push, on each engine: the embedded server and, when a build is
found (services.apache_couchdb: COUCHDB_DIST, default ../shared/couchdb), Apache CouchDB.

A fresh phone (real PouchDB, bench/pouch_bench.js) pushes N realistic docs into a business db
with no validation design doc, with the generated Mango VDU (what the services install) and with
its JavaScript twin. Pushes rotate through the three, REPS times, medians; each ratio is against
the no-VDU push on the same engine in the same run. Target: Mango ≤ 1.3× on both engines; the
JavaScript twin's ratio is reported without a target (it is the fallback for servers without
Mango VDUs). N = 5,000 (QUICK=1: 1,000).

    .venv/bin/python -m bench.bench_vdu
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path
from typing import Any

from bench.fixtures import (
    QUICK,
    SMOKE,
    Bench,
    Phones,
    Server,
    apache_server,
    at_most,
    entry,
    make_shop,
    server,
    shop_docs,
    tree_cpu,
)
from shopbill.services.ops.design_docs import DESIGN_DOC_ID, load_design_doc

if SMOKE:
    N, REPS = 20, 1
elif QUICK:
    N, REPS = 1_000, 2
else:
    N, REPS = 5_000, 3
VARIANTS = ("none", "mango", "js")
TARGET = 1.3


def shop_with(srv: Server, variant: str) -> dict[str, str]:
    """A provisioned shop whose validation design doc is `variant` ("none", "mango" or "js")."""
    shop = make_shop(srv, vdu=variant == "mango")
    if variant == "js":
        with srv.admin() as admin:
            r = admin.put(f"/{shop['db']}/{DESIGN_DOC_ID}", json=load_design_doc("js"))
            assert r.status_code in (201, 202), r.text
    return shop


def measure(srv: Server, phones: Phones, docs: list[dict[str, Any]], engine: str) -> list[dict[str, Any]]:
    """The push entries of one engine: seconds per variant and the two ratios."""
    seconds: dict[str, list[float]] = {v: [] for v in VARIANTS}
    cpu: dict[str, list[float]] = {v: [] for v in VARIANTS}
    for rep in range(REPS):
        shift = rep % len(VARIANTS)  # rotate, so a load change during the run favours none
        for variant in VARIANTS[shift:] + VARIANTS[:shift]:
            shop = shop_with(srv, variant)
            began = tree_cpu(srv.pid) if srv.pid else 0.0
            seconds[variant].append(phones.run("push", shop, docs)["seconds"])
            if srv.pid:
                cpu[variant].append(tree_cpu(srv.pid) - began)
    median = {v: statistics.median(t) for v, t in seconds.items()}
    note = f"{len(docs)} docs, medians of {REPS} pushes each, rotated; no VDU {median['none']:.2f} s"
    results = [entry(f"vdu_push_{variant}_{engine}", median[variant], "s") for variant in VARIANTS]
    if srv.pid:
        server = {v: statistics.median(c) for v, c in cpu.items()}
        results += [
            entry(
                f"vdu_push_server_cpu_ratio_{variant}_{engine}",
                server[variant] / server["none"] if server["none"] else None,
                "x",
                note=f"server CPU seconds per push, medians ({server[variant]:.2f} s vs "
                f"{server['none']:.2f} s without VDU): what validation costs the server",
            )
            for variant in ("mango", "js")
        ]
    results.append(at_most(f"vdu_push_ratio_mango_{engine}", median["mango"] / median["none"], "x", TARGET, note))
    results.append(
        entry(f"vdu_push_ratio_js_{engine}", median["js"] / median["none"], "x", note=f"JavaScript twin; {note}")
    )
    return [{**r, "engine": engine} for r in results]


def run(srv: Server, work: Path) -> list[dict[str, Any]]:
    phones = Phones(work)
    docs = shop_docs(N, seed=N % 97)
    results = measure(srv, phones, docs, "embedded" if srv.pid else "url")
    with apache_server(work / "apache") as apache:
        if apache is None:
            missing = entry(
                "vdu_push_ratio_mango_couchdb", None, "x", note="no Apache CouchDB build found (COUCHDB_DIST)"
            )
            results.append({**missing, "engine": "couchdb"})
        else:
            results += measure(apache, phones, docs, "couchdb")
    return results


def main(shared: Bench | None = None) -> list[dict[str, Any]]:
    if shared:
        return run(shared.srv, shared.work)
    with tempfile.TemporaryDirectory(prefix="bench_vdu_") as tmp, server(Path(tmp)) as srv:
        return run(srv, Path(tmp))


if __name__ == "__main__":
    from bench.run import report

    report(main())
