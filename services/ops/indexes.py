"""Mango JSON indexes of a business database: defined here, generated into design_docs/, installed.

JavaScript-free: every index is a `"type": "json"` Mango index, one design doc each, so that one
index can be added or changed without rebuilding the others. The committed file
`design_docs/indexes.json` is what gets installed; regenerate it with
`python -m shopbill.services.ops.indexes` (a test fails when it is stale).
"""

from __future__ import annotations

import json
import sys
from typing import Any

import httpx

from shopbill.services.core.resources import DESIGN_DOCS_PACKAGE, design_doc, package_folder
from shopbill.services.errors import CouchError

INDEXES_FILE = design_doc("indexes.json")  # package data (services/core/resources.py)
INDEX_DDOC_PREFIX = "shopbill-"

# name -> (fields, why). Field order matters: equality fields first, the range/sort field last.
DEFINITIONS: dict[str, tuple[list[str], str]] = {
    "by-phone": (["customer_phone", "created_at"], "a customer's sales and invoices (customer history)"),
    "by-invoice": (["type", "invoice_id"], "the credit notes of one invoice (what is left to credit)"),
    "by-sale": (["type", "sale_id"], "the later payments (and the invoice) of one sale"),
    "by-status": (["type", "status", "created_at"], "incomplete sales, newest first"),
}


def generate() -> list[dict[str, Any]]:
    """The `_index` request bodies, one per index, in a stable order."""
    return [
        {
            "index": {"fields": fields},
            "ddoc": f"{INDEX_DDOC_PREFIX}{name}",
            "name": name,
            "type": "json",
            "shopbill": {"purpose": why},
        }
        for name, (fields, why) in sorted(DEFINITIONS.items())
    ]


def dumps(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def load_indexes() -> list[dict[str, Any]]:
    """The committed index definitions (design_docs/indexes.json)."""
    indexes: list[dict[str, Any]] = json.loads(INDEXES_FILE.read_text(encoding="utf-8"))
    return indexes


async def install_indexes(client: httpx.AsyncClient, db: str) -> list[str]:
    """Create every index in `db` (as an admin: design docs are admin-only); return the new ones.

    `POST /{db}/_index` is idempotent: an identical index answers "exists" and is left alone.
    """
    created = []
    for body in load_indexes():
        request = {k: v for k, v in body.items() if k != "shopbill"}
        response = await client.post(f"/{db}/_index", json=request)
        if response.status_code != 200:
            raise CouchError(response.status_code, "index", f"{db}: {body['name']}: {response.text}")
        if response.json().get("result") == "created":
            created.append(body["name"])
    return created


def main() -> int:
    """Write design_docs/indexes.json where the package reads it (the source checkout's folder)."""
    content = dumps(generate())
    path = package_folder(DESIGN_DOCS_PACKAGE) / "indexes.json"
    if path.exists() and path.read_text(encoding="utf-8") == content:
        print("design_docs/indexes.json is up to date")
        return 0
    path.write_text(content, encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
