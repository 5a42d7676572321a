"""shared/numbering.js (the app's and the reference client's numbering) passes the golden vectors."""

from __future__ import annotations

import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent


def test_the_shared_js_numbering_passes_the_golden_vectors() -> None:
    run = subprocess.run(["node", "--test", "numbering.test.js"], cwd=HERE, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "# fail 0" in run.stdout
