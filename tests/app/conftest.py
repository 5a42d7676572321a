"""Fixtures of the app's browser tests: a stack of our own (embedded CouchDB-protocol server and
the services in a uvicorn subprocess, both stoppable, so "offline" is really offline) and Debian's
chromium driven by Playwright at a phone viewport. No browser is ever downloaded."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from shopbill.services.ops.embedded import EmbeddedServer
from tests.utils.accounts import last_otp
from tests.utils.couch import throwaway_server
from tests.utils.live_services import LiveServices

ROOT = Path(__file__).resolve().parents[2]
APP_DIST = ROOT / "app" / "dist"
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"viewport": {"width": 360, "height": 640}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


@dataclass
class Stack:
    """CouchDB-protocol server + the services (uvicorn, tests/utils/live_services.py) on free
    ports; each can be stopped and started again (same ports, same data)."""

    couch: EmbeddedServer
    services: LiveServices

    @property
    def url(self) -> str:
        return self.services.url

    @property
    def app_url(self) -> str:
        return f"{self.url}/app/"

    def start(self) -> None:
        self.couch.start()
        self.services.start()

    def stop(self) -> None:
        self.services.stop()
        self.couch.stop()

    def otp(self, phone: str) -> str:
        return last_otp(self.services.sms_file, phone)

    def admin(self) -> httpx.Client:
        return httpx.Client(
            base_url=self.couch.url, timeout=30, auth=(self.couch.admin_user, self.couch.admin_password)
        )


@pytest.fixture(scope="package")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    assert (APP_DIST / "index.html").is_file(), "app/dist is missing: run `make deps` (builds the app)"
    data = tmp_path_factory.mktemp("app-stack")
    couch = throwaway_server(data / "couch")
    services = LiveServices(
        couch.url, couch.admin_user, couch.admin_password, data / "services", env={"PUBLIC_COUCHDB_URL": couch.url}
    )
    couch.cors_origins = services.url  # the app's origin: CORS answers it alone
    s = Stack(couch=couch, services=services)
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


@contextmanager
def fresh_phone(browser, options: dict) -> Iterator[object]:
    """A page of a fresh phone (its own storage) with these context `options` (viewport, touch); the
    phone's language is Indian English unless `options` give a `locale` (the app follows it)."""
    context = browser.new_context(**{"locale": "en-IN", **options})
    page = context.new_page()
    page.set_default_timeout(20000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser) -> Iterator[object]:
    """A fresh phone at 360×640."""
    with fresh_phone(browser, PHONE) as page:
        yield page


def new_phone_number() -> str:
    return f"9{random.randrange(10**8, 10**9):09d}"


def shot(page, name: str) -> None:
    """Save a screenshot under tests/artifacts/ (not committed) to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"app-{name}.png"), full_page=True)
