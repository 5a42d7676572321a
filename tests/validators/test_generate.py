"""Generated files: `design_docs/` must be exactly what the generator writes today."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from shopbill.validators.generate import (
    DESIGN_DOCS,
    design_docs,
    generated_files,
    stale_files,
    write_all,
)
from shopbill.validators.schemas import TYPES


def test_committed_design_docs_are_not_stale() -> None:
    stale = stale_files()
    assert not stale, f"run `python -m shopbill.validators.generate`: stale {stale}"


def test_every_schema_is_exported() -> None:
    assert {p.stem for p in (DESIGN_DOCS / "schemas").glob("*.json")} == set(TYPES)


def test_both_targets_share_one_design_doc_id() -> None:
    docs = design_docs()
    assert docs["mango"]["_id"] == docs["js"]["_id"] == "_design/validate"
    assert docs["mango"]["language"] == "query" and docs["js"]["language"] == "javascript"
    assert docs["mango"]["shopbill"]["rules_digest"] == docs["js"]["shopbill"]["rules_digest"]
    assert "do not edit" in docs["js"]["validate_doc_update"]


def test_write_all_is_idempotent(tmp_path: Path) -> None:
    assert len(write_all(tmp_path)) == len(generated_files())
    assert write_all(tmp_path) == []
    (tmp_path / "validate_js.json").write_text("{}")
    assert write_all(tmp_path) == [tmp_path / "validate_js.json"]
    json.loads((tmp_path / "validate_js.json").read_text())


def test_check_command_reports_freshness() -> None:
    """`--check` writes nothing; exit 0 means the committed files are current."""
    out = subprocess.run(
        [sys.executable, "-m", "shopbill.validators.generate", "--check"], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stdout


def test_stale_file_is_detected(tmp_path: Path) -> None:
    write_all(tmp_path)
    assert stale_files(tmp_path) == []
    (tmp_path / "schemas" / "sale.json").write_text("{}")
    assert stale_files(tmp_path) == [tmp_path / "schemas" / "sale.json"]
