"""Request body guard (ASGI middleware): a size limit, and JSON that parses before any route sees it.

Every body of this API is a small JSON object (the largest, a signup, is under 1 KiB), so
anything over `max_bytes` is refused with 413 before it is read to the end: a client cannot make
a replica buffer megabytes. Bodies that are not UTF-8 JSON, nest deeper than `max_depth` or hold
numbers Python refuses to convert (over 4,300 digits) get the API's 422 `validation_failed`
naming `body`, instead of the framework's generic 400.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shopbill.services.api.errors import ERROR_TABLE, field_error
from shopbill.services.errors import BodyTooLarge

MAX_BODY_BYTES = 64 * 1024
MAX_JSON_DEPTH = 32


def json_depth_ok(text: str, max_depth: int) -> bool:
    """Whether brackets nest at most `max_depth` deep (counted outside strings)."""
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > max_depth:
                return False
        elif char in "]}":
            depth -= 1
    return True


def json_problem(body: bytes, max_depth: int) -> str | None:
    """Why `body` is not acceptable JSON, or None when it is."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "the body is not valid UTF-8"
    if not json_depth_ok(text, max_depth):
        return f"JSON nested deeper than {max_depth} levels"
    try:
        json.loads(text)
    except (ValueError, RecursionError) as exc:
        return f"not valid JSON ({type(exc).__name__})"
    return None


class BodyGuard:
    """Refuse oversized (413) and malformed JSON (422) request bodies."""

    def __init__(self, app: ASGIApp, *, max_bytes: int = MAX_BODY_BYTES, max_depth: int = MAX_JSON_DEPTH) -> None:
        self.app, self.max_bytes, self.max_depth = app, max_bytes, max_depth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        too_large = ERROR_TABLE[BodyTooLarge].response(BodyTooLarge(self.max_bytes))
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            await too_large(scope, receive, send)
            return
        try:
            body = await self._read(receive)
        except BodyTooLarge:
            await too_large(scope, receive, send)
            return
        if body is None:
            return  # the client left mid-body: nobody to answer
        content_type = headers.get("content-type", "")
        if body and (not content_type or "json" in content_type):
            problem = json_problem(body, self.max_depth)
            if problem is not None:
                await field_error("body", problem).response()(scope, receive, send)
                return
        await self.app(scope, _replay(body, receive), send)

    async def _read(self, receive: Receive) -> bytes | None:
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                raise BodyTooLarge(self.max_bytes)
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that hands the app the body already read, then defers to the real one."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
