"""API errors: every error answer is JSON `{error: <stable code>, detail: <human text>}`.

Validation errors are 422 `{error: "validation_failed", detail, fields: [{field, message}]}`; a
CouchDB outage is 503 `couchdb_unavailable`; nothing ever answers with a stack trace.

ERROR_TABLE is the one place an error of services/errors.py gets its HTTP answer: a route lets
the error rise and the handler answers from the table (the most specific class listed wins). A
route raises an ApiError itself only for answers that depend on where they happen (which field,
which token). A ServiceError the table does not list is a bug: 500 `server_error`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from shopbill.services.errors import (
    AlreadyExists,
    BadCursor,
    BodyTooLarge,
    CouchError,
    CouchUnavailable,
    CreditIdTaken,
    DocumentInvalid,
    IdempotencyConflict,
    PaymentIdTaken,
    SaleNotOpen,
    ServiceError,
    SmsFailed,
    StaleRevision,
    TokenRejected,
    Unsealable,
)

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

    def response(self) -> JSONResponse:
        """The JSON answer."""
        return JSONResponse(_body(self.error, self.detail, self.fields), status_code=self.status, headers=self.headers)


def field_error(field: str, message: str) -> ApiError:
    """A 422 naming one field."""
    return ApiError(422, "validation_failed", f"{field}: {message}", fields=[{"field": field, "message": message}])


def _body(error: str, detail: str, fields: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"error": error, "detail": detail, **({"fields": fields} if fields is not None else {})}


@dataclass(frozen=True)
class Answer:
    """The HTTP answer to one error class; `error` and `detail` may be read from the error."""

    status: int
    error: str | Callable[[Any], str]
    detail: str | Callable[[Any], str]
    fields: Callable[[Any], list[dict[str, Any]]] | None = None
    headers: dict[str, str] | None = None
    # Logged at this level (with the request) before answering; None: not logged.
    log_level: int | None = None

    def response(self, exc: BaseException) -> JSONResponse:
        """The JSON answer to `exc`."""
        error = self.error if isinstance(self.error, str) else self.error(exc)
        detail = self.detail if isinstance(self.detail, str) else self.detail(exc)
        fields = self.fields(exc) if self.fields else None
        return JSONResponse(_body(error, detail, fields), status_code=self.status, headers=self.headers)


UNAVAILABLE = Answer(503, "couchdb_unavailable", "the database server is unreachable; try again shortly")
# Temporary (e.g. rotated credentials not active within the bounded wait, under load): the phone
# retries, so say so instead of a 500.
BUSY = Answer(
    503,
    "couchdb_unavailable",
    "the database server is busy; try again shortly",
    headers={"Retry-After": "2"},
    log_level=logging.WARNING,
)
SERVER_ERROR = Answer(500, "server_error", "the request could not be completed", log_level=logging.ERROR)
BEARER = {"WWW-Authenticate": "Bearer"}

ERROR_TABLE: dict[type[BaseException], Answer] = {
    CouchUnavailable: UNAVAILABLE,
    # Provisioning talks to CouchDB through the raw httpx client (design docs, indexes): a server
    # that dies under it is the same outage, not a 500 with a plain-text body.
    httpx.TransportError: UNAVAILABLE,
    TokenRejected: Answer(401, lambda e: e.code, "the access token cannot be used", headers=BEARER),
    SmsFailed: Answer(502, "sms_failed", "the code could not be sent by SMS; try again in a few minutes"),
    Unsealable: Answer(409, "invoice_flagged", lambda e: f"{e}; the owner has been notified"),
    IdempotencyConflict: Answer(409, "idempotency_conflict", "this sale id belongs to a different sale"),
    SaleNotOpen: Answer(409, "sale_settled", "the sale is fully paid and invoiced"),
    PaymentIdTaken: Answer(409, "idempotency_conflict", "this payment id belongs to another payment"),
    CreditIdTaken: Answer(409, "idempotency_conflict", "this credit note id is used by another"),
    DocumentInvalid: Answer(422, "validation_failed", str, fields=lambda e: e.problems),
    StaleRevision: Answer(
        409, "stale_revision", "the document changed since the revision you sent; read it again and retry"
    ),
    AlreadyExists: Answer(409, "already_exists", lambda e: f"{e} exists already"),
    BadCursor: Answer(
        422, "validation_failed", lambda e: f"cursor: {e}", fields=lambda e: [{"field": "cursor", "message": str(e)}]
    ),
    BodyTooLarge: Answer(413, "body_too_large", lambda e: f"request bodies are limited to {e.limit} bytes"),
}


def answer_for(exc: BaseException) -> Answer:
    """The table's answer to `exc`: its most specific listed class; a CouchError answering 503
    is BUSY; anything else SERVER_ERROR."""
    for cls in type(exc).__mro__:
        if cls in ERROR_TABLE:
            return ERROR_TABLE[cls]
    if isinstance(exc, CouchError) and exc.status == 503:
        return BUSY
    return SERVER_ERROR


def install_error_handlers(app: FastAPI) -> None:
    """Map every failure to the JSON error shape."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return exc.response()

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

    async def _from_table(request: Request, exc: Exception) -> JSONResponse:
        answer = answer_for(exc)
        if answer.log_level is not None:
            log.log(answer.log_level, "%s on %s %s: %s", type(exc).__name__, request.method, request.url.path, exc)
        return answer.response(exc)

    # Every class of the table (some are ValueErrors, not ServiceErrors), and any other
    # ServiceError for the 503 of a busy server or the 500 of a bug.
    for cls in (*ERROR_TABLE, ServiceError):
        app.add_exception_handler(cls, _from_table)

    # Anything else is a bug, but the client still gets the documented shape, never a
    # plain-text 500 (the traceback goes to the log, not to the client).
    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return SERVER_ERROR.response(exc)
