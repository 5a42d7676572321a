"""Start, stop and supervise the embedded CouchDB-protocol server (our PouchDB Server over PouchDB 9).

Used by `make run` (under `supervise`, which restarts the server if it dies) and by the test
suite (which starts its own server on a free port with a throwaway data dir). Everything else
talks to the server over HTTP only, so it can be swapped for Apache CouchDB via COUCHDB_URL.
"""

from __future__ import annotations

import configparser
import json
import logging
import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from shopbill.services.errors import ServerStartError

log = logging.getLogger(__name__)

# A development server: it runs from a source checkout (its node_modules are not package data).
EMBEDDED_DIR = Path(__file__).resolve().parents[2] / "couchdb" / "embedded"
PRODUCTION_INI = EMBEDDED_DIR.parent / "local.ini"
SERVER_BIN = EMBEDDED_DIR / "server.js"  # our PouchDB Server (couchdb/embedded/server, lib)


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


CORS_HEADERS = "accept, authorization, content-type, origin, referer, x-csrf-token, x-couchdb-www-authenticate"


def cors_origins_from_env() -> str:
    """The origins (comma-separated) that may call the server from a browser with credentials:
    COUCHDB_CORS_ORIGINS, else none. Never `*`: a reflected origin with credentials lets any web
    page read a signed-in shop's data."""
    return os.environ.get("COUCHDB_CORS_ORIGINS", "")


def write_config(*, data_dir: Path, admin_user: str, admin_password: str, secret: str, cors_origins: str = "") -> Path:
    """Write the server's config.json: one server admin (no admin party) and a fixed cookie secret.

    The server rewrites the plaintext admin password as a PBKDF2 hash in place, so the file is
    rewritten on every start from the settings (an env value always wins).
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    data_dir.chmod(0o700)  # LevelDB files hold password hashes and OTP secrets
    path = data_dir / "config.json"
    config: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
    config["admins"] = {admin_user: admin_password}
    config.setdefault("couch_httpd_auth", {})["secret"] = secret
    config.setdefault("log", {})["file"] = str(data_dir / "log.txt")
    # The headers couchdb/local.ini allows: the app sends X-CouchDB-WWW-Authenticate (app/src/sync.ts),
    # which the server's default list would refuse at the CORS preflight.
    cors = config.setdefault("cors", {})
    cors["headers"] = CORS_HEADERS
    cors["credentials"] = True
    # exactly these origins, none when empty (couchdb/embedded/lib/cors-origins.js)
    origins = [o.strip() for o in cors_origins.split(",") if o.strip() and o.strip() != "*"]
    cors["origins"] = ", ".join(origins)
    # Production's size limits (couchdb/local.ini), enforced by couchdb/embedded/lib/size-limits.js
    production = configparser.ConfigParser(inline_comment_prefixes=(";",))
    production.read(PRODUCTION_INI)
    config.setdefault("couchdb", {})["max_document_size"] = production.getint("couchdb", "max_document_size")
    config.setdefault("chttpd", {})["max_http_request_size"] = production.getint("chttpd", "max_http_request_size")
    # CouchDB's [chttpd_auth] same_site: the AuthSession cookie is not sent on cross-site requests.
    config.setdefault("couch_httpd_auth", {})["same_site"] = "Lax"
    path.write_text(json.dumps(config, indent=2))
    path.chmod(0o600)
    return path


@dataclass
class EmbeddedServer:
    """One embedded server process bound to 127.0.0.1:`port`, storing its data in `data_dir`."""

    data_dir: Path
    admin_user: str
    admin_password: str
    secret: str
    port: int = field(default_factory=free_port)
    host: str = "127.0.0.1"
    cors_origins: str = field(default_factory=cors_origins_from_env)
    process: subprocess.Popen[bytes] | None = None
    output_offset: int = 0  # where this start's output begins in server.out (it is appended to)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, *, timeout: float = 60.0) -> None:
        """Start the server and wait until it answers as the configured admin."""
        if not SERVER_BIN.exists():
            raise ServerStartError(f"{SERVER_BIN} is missing: run `make deps` (npm ci in {EMBEDDED_DIR})")
        config = write_config(
            data_dir=self.data_dir,
            admin_user=self.admin_user,
            admin_password=self.admin_password,
            secret=self.secret,
            cors_origins=self.cors_origins,
        )
        fd = os.open(self.output_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        stdout = open(fd, "ab")  # noqa: SIM115 - owned by the child
        self.output_path.chmod(0o600)
        self.output_offset = stdout.tell()
        self.process = subprocess.Popen(
            [
                "node",
                str(SERVER_BIN),
                "--host",
                self.host,
                "--port",
                str(self.port),
                "--dir",
                str(self.data_dir),
                "--config",
                str(config),
                "--no-color",
            ],
            stdout=stdout,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=self.data_dir,
            start_new_session=True,
            # the server's own umask (server.js) comes after node has started; this covers the rest
            preexec_fn=lambda: os.umask(0o077),
        )
        stdout.close()
        self.wait_ready(timeout=timeout)

    @property
    def output_path(self) -> Path:
        return self.data_dir / "server.out"

    def failure_reason(self) -> str:
        """The error message the server printed since its last start (e.g. "Error: Port 5984 is
        already in use."), or "" when it printed none."""
        return first_error(self.output_path, self.output_offset, r"\w*Error\b")

    def wait_ready(self, *, timeout: float) -> None:
        """Poll `/_session` as admin until it answers 200, or raise."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise ServerStartError(
                    f"embedded server exited with {self.process.returncode}; see {self.data_dir / 'server.out'}"
                )
            try:
                r = httpx.get(f"{self.url}/_session", auth=(self.admin_user, self.admin_password), timeout=2)
                if r.status_code == 200 and "_admin" in r.json()["userCtx"]["roles"]:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise ServerStartError(f"embedded server not ready after {timeout} s")

    def stop(self, *, sig: int = signal.SIGTERM, timeout: float = 10.0) -> None:
        """Stop the server (SIGKILL if it does not exit within `timeout`)."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, sig)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def kill(self) -> None:
        """Kill -9 the server, as a crash would."""
        self.stop(sig=signal.SIGKILL)

    def restart(self) -> None:
        """Stop and start again on the same port and data dir."""
        self.stop()
        self.start()


def first_error(output: Path, offset: int, pattern: str) -> str:
    """The first line of `output` from byte `offset` on that starts with `pattern`, or ""."""
    try:
        with open(output, "rb") as out:
            out.seek(offset)
            lines = [line.strip() for line in out.read().decode(errors="replace").splitlines()]
    except OSError:
        return ""
    return next((line for line in lines if re.match(pattern, line)), "")


def supervise(
    server: EmbeddedServer,
    *,
    should_run: Callable[[], bool],
    backoff: float = 1.0,
    max_quick_failures: int = 3,
    quick: float = 30.0,
) -> str | None:
    """Keep `server` running while `should_run()` is true; restart it when it dies and log why.

    A server that fails `max_quick_failures` times in a row, each within `quick` seconds of its
    start, will not get better by restarting (its port is taken, its data dir is unusable): then
    give up and return the reason from its output. Returns None when told to stop.
    """
    failures = 0
    while should_run():
        started = time.monotonic()
        error = None
        if server.process is None or server.process.poll() is not None:
            try:
                server.start()
            except RuntimeError as exc:
                error = str(exc)
        while error is None and should_run() and server.process is not None and server.process.poll() is None:
            time.sleep(0.5)
        if not should_run():
            return None
        failures = failures + 1 if time.monotonic() - started < quick else 1
        code = server.process.poll() if server.process is not None else None
        if code is None:
            server.stop()  # one that started but never answered must not linger
        what = "failed to start" if code is None else f"died (exit {code})"
        reason = server.failure_reason() or error or f"exit {code}"
        log.error("embedded server %s: %s; its output is in %s", what, reason, server.output_path)
        if failures >= max_quick_failures:
            log.error("embedded server failed %d times in a row; not restarting it", failures)
            return reason
        time.sleep(backoff)
    return None
