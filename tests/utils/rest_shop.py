"""Helpers for tests of the REST API over a shop's data: a signed-up shop, groups, items."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from tests.utils.accounts import bearer, login, signup

GSTIN = "33AAACM1234A1ZF"  # Tamil Nadu (state code 33), valid check character


@dataclass
class Shop:
    """A signed-up shop with its active device: headers for the API, CouchDB credentials."""

    api: TestClient
    owner: dict[str, Any]
    login: dict[str, Any]

    @property
    def headers(self) -> dict[str, str]:
        return bearer(self.login)

    @property
    def db(self) -> str:
        return str(self.login["couchdb"]["db"])

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.api.get(path, headers=self.headers, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> Any:
        return self.api.post(path, json=json, headers=self.headers, **kwargs)

    def patch(self, path: str, json: Any = None) -> Any:
        return self.api.patch(path, json=json, headers=self.headers)

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self.api.delete(path, headers=self.headers, **kwargs)

    def group(self, name: str = "Engine parts") -> dict[str, Any]:
        r = self.post("/v1/groups", {"name": name})
        assert r.status_code == 201, r.text
        return dict(r.json())

    def item(self, group: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
        body = {
            "name": "Spark plug",
            "group_id": (group or self.group())["_id"],
            "unit_price_paise": 25000,
            "unit": "pcs",
            "gst_rate_bp": 2800,
            "hsn": "8511",
            **fields,
        }
        r = self.post("/v1/items", body)
        assert r.status_code == 201, r.text
        return dict(r.json())


def new_shop(api: TestClient, sms_file: Path, **business: Any) -> Shop:
    """Sign a shop up (GST-registered in Tamil Nadu unless told otherwise) and log its device in."""
    owner = signup(
        api,
        sms_file,
        business={
            "name": "Sri Murugan Auto Spares",
            "category": "automobile",
            "gstin": GSTIN,
            "state_code": "33",
            **business,
        },
    )
    return Shop(api=api, owner=owner, login=login(api, owner))


def new_uuid() -> str:
    return str(uuid.uuid4())
