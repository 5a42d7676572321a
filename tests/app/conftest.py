"""Fixtures of the app's browser tests: a stack of our own (embedded CouchDB-protocol server and
the services in a uvicorn subprocess, both stoppable, so "offline" is really offline) and Debian's
chromium driven by Playwright at a phone viewport. No browser is ever downloaded."""

from __future__ import annotations

import os
import random
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from shopbill.services.embedded import EmbeddedServer, free_port
from tests.utils.accounts import last_otp

ROOT = Path(__file__).resolve().parents[2]
APP_DIST = ROOT / "app" / "dist"
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"viewport": {"width": 360, "height": 640}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True}


@dataclass
class Stack:
    """CouchDB-protocol server + services on free ports; each can be stopped and started again."""

    couch: EmbeddedServer
    sms_file: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def app_url(self) -> str:
        return f"{self.url}/app/"

    def start_services(self) -> None:
        env = {**os.environ, "COUCHDB_URL": self.couch.url, "PUBLIC_COUCHDB_URL": self.couch.url,
               "COUCHDB_ADMIN_USER": self.couch.admin_user,
               "COUCHDB_ADMIN_PASSWORD": self.couch.admin_password, "SECRET_KEY": "k" * 40,
               "SMS_BACKEND": f"file:{self.sms_file}", "OTP_RESEND_SECONDS": "0",
               "OTP_PER_IP_PER_HOUR": "100000", "OTP_PER_PHONE_PER_HOUR": "1000",
               "LOGIN_FAILURES_PER_IP_PER_HOUR": "100000"}
        log = open(self.couch.data_dir / "services.out", "ab")  # noqa: SIM115 - owned by the child
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "shopbill.services.api.main:create_app",
             "--host", "127.0.0.1", "--port", str(self.port)],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/app/", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError("services did not serve /app/ within 60 s")

    def stop_services(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)

    def start(self) -> None:
        self.couch.start()
        self.start_services()

    def stop(self) -> None:
        self.stop_services()
        self.couch.stop()

    def otp(self, phone: str) -> str:
        return last_otp(self.sms_file, phone)

    def admin(self) -> httpx.Client:
        return httpx.Client(base_url=self.couch.url, timeout=30,
                            auth=(self.couch.admin_user, self.couch.admin_password))


@pytest.fixture(scope="package")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    assert (APP_DIST / "index.html").is_file(), "app/dist is missing: run `make deps` (builds the app)"
    data = tmp_path_factory.mktemp("app-stack")
    couch = EmbeddedServer(data_dir=data / "couch", admin_user="admin",
                           admin_password=secrets.token_urlsafe(16), secret=secrets.token_hex(16))
    s = Stack(couch=couch, sms_file=data / "sms.jsonl")
    s.start()
    yield s
    s.stop()


@pytest.fixture(scope="package")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), "Debian's chromium is missing: run scripts/install-apt.sh"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.fixture
def phone_page(browser) -> Iterator[object]:
    """A fresh phone (its own storage) at 360×640."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(20000)
    yield page
    context.close()


def new_phone_number() -> str:
    return f"9{random.randrange(10**8, 10**9):09d}"


def shot(page, name: str) -> None:
    """Save a screenshot under tests/artifacts/ (not committed) to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"app-{name}.png"), full_page=True)
