"""The one CouchDB client of the services: async HTTP with admin credentials and short timeouts.

Only the CouchDB HTTP API is used, so the same code runs on the embedded server and on Apache
CouchDB. Reads return `None` for "not found"; other unexpected answers raise CouchError.

A server that is down fails fast (connection refused); one that is hung — it accepts connections
but answers nothing, as a stopped VM or a stalled disk does — would hold every request until the
read timeout, which must stay long for big `_find` and bulk calls. So a request still unanswered
after a fraction of `COUCHDB_TIMEOUT` is watched: if no other request has been answered lately, a
liveness probe (`GET /` on a connection of its own) decides, and a silent server turns the request
into CouchUnavailable within `COUCHDB_TIMEOUT` (2 s). A slow request on a live server goes on.
Requests given an explicit `timeout` (long polls, restores) are not watched.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any
from urllib.parse import quote

import httpx

from shopbill.services.core.config import Settings
from shopbill.services.errors import Conflict, CouchError, CouchUnavailable

ADMIN_ONLY_SECURITY = {
    "admins": {"names": [], "roles": ["_admin"]},
    "members": {"names": [], "roles": ["_admin"]},
}


def doc_path(db: str, doc_id: str) -> str:
    """The URL path of a document (ids may contain ':' and '/')."""
    if doc_id.startswith("_design/"):
        return f"/{db}/_design/{quote(doc_id[8:], safe='')}"
    return f"/{db}/{quote(doc_id, safe='')}"


# A check the current request runs right before each of its writes (the API sets one for a
# device's requests: services/api/deps.py). Per request through a context variable, so the one
# shared client serves every request; it may raise to stop the write.
WriteGuard = Callable[[str, str], Awaitable[None]]
write_guard: ContextVar[WriteGuard | None] = ContextVar("write_guard", default=None)


class Couch:
    """Admin access to the CouchDB-protocol server."""

    def __init__(self, settings: Settings, *, transport: httpx.AsyncBaseTransport | None = None):
        self.url = settings.couchdb_url
        budget = settings.couchdb_timeout
        timeout = httpx.Timeout(budget, read=max(budget, 10.0))
        # Uncompressed answers: the server is local or a LAN hop away, and gzip costs both sides
        # CPU on every call (measured: the embedded server's CPU per one-doc read 7 ms with gzip,
        # 3.3 ms without; per read of a month's roll-ups 101 ms with, 37 ms without).
        self.http = httpx.AsyncClient(
            base_url=self.url,
            auth=(settings.couchdb_admin_user, settings.couchdb_admin_password),
            timeout=timeout,
            transport=transport,
            headers={"Accept-Encoding": "identity"},
        )
        # The watchdog's shares of the budget: wait, then trust a recent answer, then probe.
        self.watch_after, self.recent, probe_timeout = 0.3 * budget, 0.25 * budget, 0.6 * budget
        self.liveness = httpx.AsyncClient(base_url=self.url, transport=transport)
        self.probe_timeout = probe_timeout
        self.last_answer = 0.0
        self._probe: asyncio.Future[bool] | None = None

    async def aclose(self) -> None:
        await self.http.aclose()
        await self.liveness.aclose()

    async def request(
        self, method: str, path: str, *, ok: tuple[int, ...] = (200, 201, 202), **kwargs: Any
    ) -> httpx.Response:
        """Send a request; raise CouchUnavailable on network errors or a hung server, CouchError
        on other statuses. A write first passes the request's `write_guard`, if it has one."""
        guard = write_guard.get()
        if guard is not None and method not in ("GET", "HEAD"):
            await guard(method, path)
        try:
            sending = self.http.request(method, path, **kwargs)
            response = await (sending if "timeout" in kwargs else self._watched(sending))
        except httpx.TransportError as exc:
            raise CouchUnavailable(f"{type(exc).__name__} talking to {self.url}") from exc
        self.last_answer = time.monotonic()
        if response.status_code not in ok:
            raise _error_from(response)
        return response

    async def _watched(self, sending: Awaitable[httpx.Response]) -> httpx.Response:
        task = asyncio.ensure_future(sending)
        try:
            done, _ = await asyncio.wait({task}, timeout=self.watch_after)
            while not done:
                if time.monotonic() - self.last_answer > self.recent and not await self._alive() and not task.done():
                    raise CouchUnavailable(f"{self.url} accepts connections but does not answer")
                done, _ = await asyncio.wait({task}, timeout=self.recent / 2)
            return task.result()
        finally:
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, httpx.HTTPError):
                    await task

    async def _alive(self) -> bool:
        """Whether the server answers `GET /` in time; concurrent callers share one probe."""
        if self._probe is None or self._probe.done():
            self._probe = asyncio.ensure_future(self._probe_once())
        return await asyncio.shield(self._probe)

    async def _probe_once(self) -> bool:
        try:
            await asyncio.wait_for(self.liveness.get("/"), self.probe_timeout)
        except (TimeoutError, httpx.HTTPError):
            return False
        self.last_answer = time.monotonic()
        return True

    async def get_doc(self, db: str, doc_id: str, **params: Any) -> dict[str, Any] | None:
        """The document, or None when it (or the database) does not exist."""
        response = await self.request("GET", doc_path(db, doc_id), params=params, ok=(200, 404))
        return None if response.status_code == 404 else response.json()

    async def put_doc(self, db: str, doc: dict[str, Any]) -> str:
        """Write `doc` (with `_rev` to update); return the new revision; Conflict on a stale rev."""
        response = await self.request("PUT", doc_path(db, doc["_id"]), json=doc)
        return str(response.json()["rev"])

    async def delete_doc(self, db: str, doc: dict[str, Any]) -> None:
        """Delete `doc` at its `_rev`; a doc already gone or changed meanwhile is left alone."""
        await self.request("DELETE", doc_path(db, doc["_id"]), params={"rev": doc["_rev"]}, ok=(200, 202, 404, 409))

    async def all_docs(self, db: str, **params: Any) -> list[dict[str, Any]]:
        """Every document of `db` (with `include_docs`), in id order; [] for a missing db."""
        response = await self.request(
            "GET", f"/{quote(db, safe='')}/_all_docs", ok=(200, 404), params={"include_docs": "true", **params}
        )
        if response.status_code == 404:
            return []
        return [row["doc"] for row in response.json()["rows"] if "doc" in row]

    async def delete_db(self, db: str) -> None:
        """Delete `db` if it exists."""
        await self.request("DELETE", f"/{quote(db, safe='')}", ok=(200, 202, 404))

    async def ensure_db(self, db: str, *, security: dict[str, Any]) -> bool:
        """Create `db` if missing and set its `_security`; return True when it was created."""
        response = await self.request("PUT", f"/{quote(db, safe='')}", ok=(201, 202, 412))
        created = response.status_code != 412
        current = await self.request("GET", f"/{quote(db, safe='')}/_security")
        if normalized_security(current.json()) != normalized_security(security):
            await self.request("PUT", f"/{quote(db, safe='')}/_security", json=security)
        return created


def normalized_security(security: dict[str, Any]) -> dict[str, dict[str, list[str]]]:
    """A `_security` object with every `names`/`roles` list present and sorted, so that two
    spellings of the same rules compare equal (Apache CouchDB leaves empty lists out of its answer,
    and refuses any write of `_users/_security`, even an equal one)."""
    return {
        part: {key: sorted((security.get(part) or {}).get(key) or []) for key in ("names", "roles")}
        for part in ("admins", "members")
    }


def _error_from(response: httpx.Response) -> CouchError:
    try:
        body = response.json()
        error, reason = str(body.get("error", "")), str(body.get("reason", ""))
    except ValueError:
        error, reason = "unknown", response.text[:200]
    cls = Conflict if response.status_code == 409 else CouchError
    return cls(response.status_code, error, reason)
