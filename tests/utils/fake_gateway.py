"""A tiny SMS gateway on loopback: records each request and answers as told (200, a refusal,
5xx, or a hang that outlasts the sender's timeout)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class FakeGateway:
    url: str
    requests: list[Recorded] = field(default_factory=list)
    # One answer per request, in order; the last one repeats. ("hang", seconds) sleeps first.
    answers: list[tuple[int | str, str]] = field(default_factory=lambda: [(200, '{"type": "success"}')])
    stop: threading.Event = field(default_factory=threading.Event)

    def next_answer(self) -> tuple[int | str, str]:
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


@contextmanager
def fake_gateway() -> Iterator[FakeGateway]:
    """A started gateway at `gateway.url`; set `gateway.answers` before sending."""
    holder: list[FakeGateway] = []

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            gateway = holder[0]
            length = int(self.headers.get("Content-Length") or 0)
            gateway.requests.append(Recorded(self.command, self.path, dict(self.headers), self.rfile.read(length)))
            status, body = gateway.next_answer()
            if status == "hang":
                gateway.stop.wait(float(body))
                return
            data = body.encode()
            self.send_response(int(status))
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_POST = do_PUT = do_PATCH = _answer

        def log_message(self, *args: object) -> None:  # keep the test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    holder.append(FakeGateway(url=f"http://127.0.0.1:{server.server_address[1]}/send"))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield holder[0]
    finally:
        holder[0].stop.set()
        server.shutdown()
        server.server_close()
