"""Reports of the caller's business: sales by day, month, item or group; dues; invoice series."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/v1/reports", tags=["reports"])
