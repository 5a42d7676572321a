"""API errors: every error answer is JSON `{error: <stable code>, detail: <human text>}`.

Validation errors are 422 `{error: "validation_failed", detail, fields: [{field, message}]}`; a
CouchDB outage is 503 `couchdb_unavailable`; nothing ever answers with a stack trace.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from shopbill.services.errors import CouchError, CouchUnavailable, ServiceError

log = logging.getLogger(__name__)


class FieldProblem(BaseModel):
    field: str
    message: str


class ErrorOut(BaseModel):
    """The body of every error answer (documented in the OpenAPI so clients can rely on it)."""

    error: str
    detail: str
    fields: list[FieldProblem] | None = None


# Every route may answer these (auth, rate caps, body guard, outages): documented once for all.
# The explicit JSON content keeps errors of HTML routes (invoice print) documented as JSON.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {
        "model": ErrorOut,
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
    }
    for status, description in (
        (400, "Bad request (e.g. a wrong or expired code)"),
        (401, "Not authenticated"),
        (403, "Forbidden"),
        (404, "Not found"),
        (409, "Conflict"),
        (413, "Request body too large"),
        (422, "Validation failed (fields named)"),
        (429, "Rate limited (see Retry-After)"),
        (500, "Unexpected server error"),
        (502, "The SMS gateway did not take the code"),
        (503, "CouchDB unreachable"),
    )
}


class ApiError(Exception):
    """An error answer chosen by a route."""

    def __init__(
        self,
        status: int,
        error: str,
        detail: str,
        *,
        headers: dict[str, str] | None = None,
        fields: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status, self.error, self.detail = status, error, detail
        self.headers, self.fields = headers, fields


def field_error(field: str, message: str) -> ApiError:
    """A 422 naming one field."""
    return ApiError(422, "validation_failed", f"{field}: {message}", fields=[{"field": field, "message": message}])


def _body(error: str, detail: str, fields: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"error": error, "detail": detail, **({"fields": fields} if fields is not None else {})}


def install_error_handlers(app: FastAPI) -> None:
    """Map every failure to the JSON error shape."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(_body(exc.error, exc.detail, exc.fields), status_code=exc.status, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = []
        for err in exc.errors():
            loc = [str(part) for part in err["loc"] if part not in ("body", "query", "path")]
            message = str(err["msg"]).removeprefix("Value error, ")
            fields.append({"field": ".".join(loc) or "body", "message": message})
        detail = "; ".join(f"{f['field']}: {f['message']}" for f in fields)
        return JSONResponse(_body("validation_failed", detail, fields), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return JSONResponse(_body(code, str(exc.detail)), status_code=exc.status_code)

    # Provisioning talks to CouchDB through the raw httpx client (design docs, indexes): a server
    # that dies under it is the same outage as CouchUnavailable, not a 500 with a plain-text body.
    @app.exception_handler(httpx.TransportError)
    @app.exception_handler(CouchUnavailable)
    async def _couch_unavailable(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(
            _body("couchdb_unavailable", "the database server is unreachable; try again shortly"), status_code=503
        )

    @app.exception_handler(ServiceError)
    async def _service_error(request: Request, exc: ServiceError) -> JSONResponse:
        if isinstance(exc, CouchError) and exc.status == 503:
            # Temporary (e.g. rotated credentials not active within the bounded wait, under
            # load): the phone retries, so say so instead of a 500.
            log.warning("CouchDB not ready on %s %s: %s", request.method, request.url.path, exc)
            return JSONResponse(
                _body("couchdb_unavailable", "the database server is busy; try again shortly"),
                status_code=503,
                headers={"Retry-After": "2"},
            )
        log.error("unexpected service error on %s %s: %s", request.method, request.url.path, exc)
        return JSONResponse(_body("server_error", "the request could not be completed"), status_code=500)

    # Anything else is a bug, but the client still gets the documented shape, never a
    # plain-text 500 (the traceback goes to the log, not to the client).
    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return JSONResponse(_body("server_error", "the request could not be completed"), status_code=500)
