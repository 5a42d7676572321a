"""Drive the reference PouchDB client (tests/client/sync.js) from pytest: JSON in, JSON out.

Each `SyncClient` is one simulated phone: a local PouchDB (LevelDB) in its own directory. Every
call runs `node sync.js <command>` to completion, so a phone can be "offline" simply by not
calling `sync`, and the local database survives between calls like a phone's storage does.
"""

from __future__ import annotations

import json
import signal
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

CLIENT_DIR = Path(__file__).resolve().parent.parent / "client"
DRIVER = CLIENT_DIR / "sync.js"


class ClientError(RuntimeError):
    """The driver refused the request or crashed (exit status 2); its stderr is the message."""


@dataclass(frozen=True)
class Remote:
    """The `couchdb` part of a login: where the business database is and how to sign in."""

    url: str
    db: str
    username: str
    password: str

    def as_json(self) -> dict[str, str]:
        return asdict(self)


def installed() -> bool:
    """Whether tests/client's node_modules is there (`make deps` installs it)."""
    return (CLIENT_DIR / "node_modules" / "pouchdb").is_dir()


@dataclass
class SyncClient:
    """One simulated phone whose local database lives in `dir`."""

    dir: Path
    timeout: float = 300.0

    def run(self, command: str, request: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run one driver command and return its JSON report."""
        return self.finish(self.start(command, request or {}))

    def start(self, command: str, request: dict[str, Any]) -> subprocess.Popen[str]:
        """Start a driver command without waiting; finish it with `finish(proc)`."""
        self.dir.mkdir(parents=True, exist_ok=True)
        proc = subprocess.Popen(
            ["node", str(DRIVER), command],
            cwd=CLIENT_DIR,
            text=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert proc.stdin is not None
        proc.stdin.write(json.dumps({"dir": str(self.dir), **request}))
        proc.stdin.close()
        proc.stdin = None  # so communicate() does not flush a closed pipe
        return proc

    def stop(self, proc: subprocess.Popen[str]) -> dict[str, Any]:
        """Stop a running live sync (SIGTERM: it ends cleanly) and return its report."""
        proc.send_signal(signal.SIGTERM)
        return self.finish(proc)

    def finish(self, proc: subprocess.Popen[str]) -> dict[str, Any]:
        """Wait for a command started with `start` and return its report."""
        out, err = proc.communicate(timeout=self.timeout)
        return parse_report(proc.returncode, out, err)

    def save_session(self, login: dict[str, Any]) -> dict[str, Any]:
        """Keep a `POST /v1/login` answer on the phone (credentials, device id, series)."""
        return self.run("session", {"login": login})

    def create(self, docs: list[dict[str, Any]]) -> dict[str, Any]:
        """Write `docs` to the local database (no network involved)."""
        return self.run("create", {"docs": docs})

    def issue_invoices(
        self, invoices: list[dict[str, Any]], *, series: str | None = None, time_zone: str = "Asia/Kolkata"
    ) -> dict[str, Any]:
        """Number and store invoices locally, in order, from `series` (default: the login's)."""
        request = {"invoices": invoices, "time_zone": time_zone}
        return self.run("issue-invoices", {**request, "series": series} if series else request)

    def sync(self, remote: Remote | None = None, *, batch_size: int = 100) -> dict[str, Any]:
        """One push then one pull (default: with the stored login's credentials); the
        report's `status` is complete, unauthorized or error."""
        return self.run("sync", {**remote_field(remote), "batch_size": batch_size})

    def start_sync(self, events_file: Path, *, batch_size: int = 100) -> subprocess.Popen[str]:
        """Start `sync` without waiting (`finish` it for the report); each checkpoint it saves
        is appended to `events_file` as `{direction, checkpoint}` (`read_events`)."""
        return self.start("sync", {"batch_size": batch_size, "events_file": str(events_file)})

    def live(
        self, remote: Remote | None = None, *, seconds: float, backoff_ms: int = 500, events_file: Path | None = None
    ) -> subprocess.Popen[str]:
        """Start a live sync that runs `seconds` (or until a 401, or until `stop`); `finish`
        it for the events. After a network error it retries in `backoff_ms`, doubling each
        time. With `events_file`, each event is appended there as it happens (`read_events`)."""
        request: dict[str, Any] = {**remote_field(remote), "seconds": seconds, "backoff_ms": backoff_ms}
        if events_file is not None:
            request["events_file"] = str(events_file)
        return self.start("live", request)

    def dump(self) -> dict[str, dict[str, Any]]:
        """Every local doc, by id, with its `_rev`."""
        return {doc["_id"]: doc for doc in self.run("dump")["docs"]}


def remote_field(remote: Remote | None) -> dict[str, Any]:
    return {"remote": remote.as_json()} if remote else {}


def read_events(path: Path) -> list[dict[str, Any]]:
    """The events a running `live` or `start_sync` has written to its `events_file` so far."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.endswith("}")]


def parse_report(returncode: int | None, out: str, err: str) -> dict[str, Any]:
    """The driver's JSON report, or ClientError with its stderr."""
    if returncode != 0:
        raise ClientError(f"sync.js exited {returncode}: {err.strip()}")
    return json.loads(out)
