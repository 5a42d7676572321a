"""Valid business documents for tests, made from validators/examples with fresh ids."""

from __future__ import annotations

import copy
import json
import uuid
from pathlib import Path
from typing import Any

EXAMPLES = Path(__file__).resolve().parents[2] / "validators" / "examples"


def example(doc_type: str) -> dict[str, Any]:
    return json.loads((EXAMPLES / f"{doc_type}.json").read_text())


def invoice(number: str = "A7/2627/000123", **changes: Any) -> dict[str, Any]:
    """A valid invoice (from the example) for a new sale, numbered `number`."""
    doc = copy.deepcopy(example("invoice"))
    sale = str(uuid.uuid4())
    doc.update(_id=f"invoice:{sale}", sale_id=f"sale:{sale}", number=number, **changes)
    return doc
