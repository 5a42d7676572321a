"""The services as a real uvicorn process (as `make run` starts them), for tests that kill it,
load it, fuzz it over HTTP or read its logs.

`python -m tests.utils.live_services <port>` runs uvicorn with every logger at DEBUG (the most
any deployment could log), so the no-secrets check greps everything the process can write.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from shopbill.services.ops.embedded import free_port

ROOT = Path(__file__).resolve().parents[2]
GENEROUS_CAPS = {
    "OTP_PER_IP_PER_HOUR": "1000000",
    "OTP_PER_PHONE_PER_HOUR": "1000",
    "LOGIN_FAILURES_PER_IP_PER_HOUR": "1000000",
    "LOGIN_FAILURES_PER_PHONE_PER_HOUR": "1000",
    "OTP_RESEND_SECONDS": "0",
}


@dataclass
class LiveServices:
    """One uvicorn process of the services on 127.0.0.1:`port`, its output in `log_path`."""

    couch_url: str
    admin_user: str
    admin_password: str
    workdir: Path
    env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    # Another way to start the services (e.g. an installed wheel's uvicorn); it runs in `workdir`,
    # with `{port}` filled in. By default: this module, from the source tree.
    command: list[str] | None = None
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.workdir / "services.log"

    @property
    def sms_file(self) -> Path:
        return self.workdir / "sms.jsonl"

    def start(self, *, timeout: float = 60.0) -> None:
        """Start uvicorn and wait until it answers `/healthz` (any status)."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "COUCHDB_URL": self.couch_url,
            "COUCHDB_ADMIN_USER": self.admin_user,
            "COUCHDB_ADMIN_PASSWORD": self.admin_password,
            "SECRET_KEY": "k" * 40,
            "SMS_BACKEND": f"file:{self.sms_file}",
            **GENEROUS_CAPS,
            **self.env,
        }
        with open(self.log_path, "ab") as log:
            argv = [sys.executable, "-m", "tests.utils.live_services", str(self.port)]
            if self.command is not None:
                argv = [arg.format(port=self.port) for arg in self.command]
            self.process = subprocess.Popen(
                argv,
                cwd=ROOT if self.command is None else self.workdir,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"services exited {self.process.returncode}: {self.logs()[-2000:]}")
            try:
                httpx.get(f"{self.url}/healthz", timeout=2)
                return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError(f"services not answering after {timeout} s")

    def kill(self) -> None:
        """Kill -9 the process, as a crash or an OOM kill would."""
        self._signal(signal.SIGKILL)

    def stop(self) -> None:
        self._signal(signal.SIGTERM)

    def _signal(self, sig: int) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, sig)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def logs(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def main(port: int) -> None:
    import uvicorn

    logging.basicConfig(level=logging.DEBUG, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    uvicorn.run(
        "shopbill.services.api.main:create_app",
        factory=True,
        host="127.0.0.1",
        port=port,
        log_level="debug",
        log_config=None,
        access_log=True,
        proxy_headers=False,
    )  # as the Dockerfile runs it


if __name__ == "__main__":
    main(int(sys.argv[1]))
