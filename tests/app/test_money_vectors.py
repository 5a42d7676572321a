"""The app's money rules (app/src/money.ts, BigInt) reproduce every golden vector exactly.

Runs the app's vitest suite, which loads validators/examples/arithmetic.json itself.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"


def test_app_money_rules_match_the_golden_vectors(tmp_path: Path) -> None:
    vitest = APP / "node_modules" / ".bin" / "vitest"
    assert vitest.exists(), "app/node_modules is missing: run `make deps`"
    report = tmp_path / "vitest.json"
    run = subprocess.run(
        [str(vitest), "run", "--reporter=json", f"--outputFile={report}"],
        cwd=APP,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    results = json.loads(report.read_text())
    vectors = json.loads((APP.parent / "validators/examples/arithmetic.json").read_text())["cases"]
    passed = {t["title"] for f in results["testResults"] for t in f["assertionResults"] if t["status"] == "passed"}
    assert {c["name"] for c in vectors} <= passed, "every golden vector must run and pass"
    assert results["numFailedTests"] == 0
