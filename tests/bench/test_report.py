"""docs/benchmarks.md is generated from bench/results.json (bench/report.py), never hand-copied."""

from __future__ import annotations

import json

from bench.report import PAGE, RESULTS, render


def row(name: str, value: float | None, engine: str | None = None, **extra: object) -> dict[str, object]:
    out: dict[str, object] = {"name": name, "value": value, "unit": "x", "target": None, "ok": None, **extra}
    if engine:
        out["engine"] = engine
    return out


def test_figures_of_both_engines_are_set_side_by_side() -> None:
    page = render(
        [
            row("push_1k_vdu_ratio", 1.04, "embedded", target=1.15, ok=True),
            row("push_1k_vdu_ratio_couchdb", 1.5, "couchdb", target=1.15, ok=False, note="MISSED: medians of 3"),
            row("vdu_push_ratio_js_embedded", 1.1, "embedded"),
            row("vdu_push_ratio_js_couchdb", None, "couchdb"),
            row("login_rest_p95", 15.2, unit="ms"),
        ]
    )
    assert "| `push_1k_vdu_ratio` | 1.04x ✓ | 1.5x ✗ (missed) | ≤ 1.15 |" in page
    assert "| `vdu_push_ratio_js` | 1.1x | not measured |  |" in page
    assert "- `push_1k_vdu_ratio_couchdb` (Apache CouchDB): MISSED: medians of 3" in page
    assert "| `login_rest_p95` | 15.2 ms |" in page


def test_the_committed_page_is_generated_from_the_committed_results() -> None:
    assert PAGE.read_text(encoding="utf-8") == render(json.loads(RESULTS.read_text(encoding="utf-8")))
