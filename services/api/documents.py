"""Shared pieces of the routers over a business's documents: path types, paging, error answers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import BaseModel, ConfigDict

from shopbill.services.api.errors import ApiError
from shopbill.services.business import business_db
from shopbill.services.server_docs import AlreadyExists, DocumentInvalid, StaleRevision

UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
Uuid = Annotated[str, Path(pattern=UUID_PATTERN, description="the document's uuid (lowercase)")]
Limit = Annotated[int, Query(ge=1, le=500, description="page size")]
After = Annotated[str | None, Query(max_length=200, description="cursor: `next` of the previous page")]
Rev = Annotated[str, Query(min_length=3, max_length=100, description="the revision you read")]


class StrictBody(BaseModel):
    """A request body: unknown fields refused, no type coercion (`"12"` is not a number)."""

    model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True)


def db_of(session: dict[str, Any]) -> str:
    """The caller's own business database (the only one a caller ever reaches)."""
    return business_db(session["business_id"])


def page(key: str, docs: list[dict[str, Any]], cursor: str | None) -> dict[str, Any]:
    return {key: docs, "next": cursor}


@contextmanager
def document_errors() -> Iterator[None]:
    """Answer refused writes: 422 naming the fields, 409 for a stale revision or a taken id."""
    try:
        yield
    except DocumentInvalid as exc:
        raise ApiError(422, "validation_failed", str(exc), fields=exc.problems) from exc
    except StaleRevision as exc:
        raise ApiError(409, "stale_revision", "the document changed since the revision you sent; "
                       "read it again and retry") from exc
    except AlreadyExists as exc:
        raise ApiError(409, "already_exists", f"{exc} exists already") from exc


def not_found(what: str) -> ApiError:
    return ApiError(404, "not_found", f"no such {what}")
