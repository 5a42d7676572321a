"""The production Caddyfile run by a real Caddy (Debian's /usr/bin/caddy), for tests that send
requests through the public origin: plain http at http://127.0.0.1:<free port>, in front of the
CouchDB and the services the test names. Caddy binds a site's port on every interface (it never
binds the host a site address names, and a bind option would touch production's listeners), but
answers only requests for Host 127.0.0.1."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from shopbill.services.ops.embedded import free_port
from tests.utils.couch import ENGINE

ROOT = Path(__file__).resolve().parents[2]
CADDYFILE = ROOT / "couchdb" / "Caddyfile"
CADDY = Path("/usr/bin/caddy")
# The proxy's own answer to what it does not forward: no CouchDB ever says this.
REFUSAL = {"error": "not_found", "reason": "not served on the public origin"}


def proxy_env(
    *, port: int, couch_url: str, services_port: int, admin_cidrs: str, internal_port: int, admin_port: int, home: Path
) -> dict[str, str]:
    """The Caddyfile's environment for a loopback run (no TLS, nothing on the usual ports)."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "PUBLIC_HOST": f"http://127.0.0.1:{port}",
        "ACME_EMAIL": "ops@example.com",
        "COUCHDB_UPSTREAMS": urlsplit(couch_url).netloc,
        "SERVICES_HOST": "127.0.0.1",
        "SERVICES_PORT": str(services_port),
        "ADMIN_CIDRS": admin_cidrs,
        "INTERNAL_SITE": f"http://127.0.0.1:{internal_port}",
        "CADDY_ADMIN": f"127.0.0.1:{admin_port}",
        # The embedded server has no /_up; anonymous GET /_session answers 200 there.
        "COUCHDB_HEALTH_URI": "/_up" if ENGINE == "couchdb" else "/_session",
    }


@dataclass
class PublicProxy:
    """One Caddy process serving couchdb/Caddyfile at `url`."""

    couch_url: str
    services_port: int
    workdir: Path
    admin_cidrs: str = "127.0.0.2/32"
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.workdir / "caddy.log"

    def start(self, *, timeout: float = 30.0) -> None:
        """Start Caddy and wait until its public site answers."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        env = proxy_env(
            port=self.port,
            couch_url=self.couch_url,
            services_port=self.services_port,
            admin_cidrs=self.admin_cidrs,
            internal_port=free_port(),
            admin_port=free_port(),
            home=self.workdir,
        )
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [str(CADDY), "run", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"caddy exited {self.process.returncode}: {self.log_path.read_text(errors='replace')[-2000:]}"
                )
            try:
                httpx.get(f"{self.url}/_up", timeout=2)  # answered by the proxy itself
                return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError(f"caddy not answering after {timeout} s")

    def stop(self) -> None:
        """Stop Caddy (SIGTERM; SIGKILL if it lingers)."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
