"""The shipped package works: the wheel, installed in a fresh venv outside the source tree, serves
a shop (sign up, log in, sell, print the invoice), the app at /app/ and the API docs.

Runtime dependencies come from this project's venv through a .pth file (fast, no network); the
wheel itself is built from a clean copy of exactly what the Dockerfile copies.
"""

from __future__ import annotations

import shutil
import site
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.utils.live_services import LiveServices
from tests.utils.rest_shop import new_shop

ROOT = Path(__file__).resolve().parents[1]
# What a wheel is built from (the Dockerfile copies the same; tests/test_dockerfile.py checks it).
SOURCES = ("pyproject.toml", "services", "validators", "design_docs", "app/__init__.py", "app/print", "app/dist")


def run(*argv: str | Path, cwd: Path) -> str:
    """Run a command, failing the test with its output when it fails."""
    done = subprocess.run([str(a) for a in argv], cwd=cwd, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, f"{argv}: {done.stdout[-2000:]}{done.stderr[-2000:]}"
    return done.stdout


def build_wheel(out: Path) -> Path:
    """Build the wheel from a clean copy of the sources (no stale build/ of an earlier run)."""
    src = out / "src"
    for rel in SOURCES:
        target = src / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if (ROOT / rel).is_dir():
            shutil.copytree(ROOT / rel, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / rel, target)
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", out / "dist", src, cwd=out)
    (wheel,) = (out / "dist").glob("shopbill-*.whl")
    return wheel


def install(wheel: Path, venv: Path) -> Path:
    """A fresh venv with the wheel installed; returns its python."""
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=venv.parent)
    python = venv / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--quiet", wheel, cwd=venv.parent)
    purelib = run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=venv.parent).strip()
    # The runtime dependencies, from this venv: appended after the wheel's own site-packages, and
    # .pth files there (our editable install's finder) are not processed, so the source tree
    # stays out of reach.
    Path(purelib, "project_deps.pth").write_text(site.getsitepackages()[0] + "\n")
    return python


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The python of a fresh venv holding the built wheel."""
    work = tmp_path_factory.mktemp("wheel")
    return install(build_wheel(work), work / "venv")


@pytest.fixture(scope="module")
def services(installed: Path, couch, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServices]:
    """The installed package's services (uvicorn), run from an empty folder."""
    live = LiveServices(
        couch.url,
        couch.admin_user,
        couch.admin_password,
        tmp_path_factory.mktemp("run"),
        env={"PYTHONPATH": "", "PYTHONSAFEPATH": "1"},
        command=[
            str(installed),
            "-m",
            "uvicorn",
            "--factory",
            "shopbill.services.api.main:create_app",
            "--host",
            "127.0.0.1",
            "--port",
            "{port}",
        ],
    )
    live.start()
    yield live
    live.stop()


def test_the_wheel_holds_the_package_data_and_not_the_source_tree(installed, tmp_path):
    probe = (
        "import shopbill.services, shopbill.app, shopbill.design_docs as d; "
        "from shopbill.services.core.resources import app_build, design_doc, print_page; "
        "print(shopbill.services.__file__); print(app_build()); "
        "print(design_doc('validate_mango.json')); print(print_page('invoice.js'))"
    )
    paths = run(installed, "-c", probe, cwd=tmp_path).split()
    assert len(paths) == 4 and all(str(installed.parents[1]) in p for p in paths), paths
    assert not any(str(ROOT) in p for p in paths)


def test_a_shop_signs_up_sells_prints_and_opens_the_app(services):
    with httpx.Client(base_url=services.url, timeout=30) as client:
        shop = new_shop(client, services.sms_file)  # signs up and logs in
        item = shop.item(unit_price_paise=10000, gst_rate_bp=1800)
        r = shop.post(
            "/v1/sales",
            {
                "id": str(uuid.uuid4()),
                "customer_phone": "+919812345678",
                "paid_paise": 10000,
                "lines": [{"item_id": item["_id"], "qty_milli": 1000}],
            },
        )
        assert r.status_code == 201, r.text
        invoice = r.json()["invoice"]
        page = shop.get(f"/v1/invoices/{invoice['sale_id'].split(':')[1]}/print")
        assert page.status_code == 200, page.text
        assert invoice["number"] in page.text and "script-src 'sha256-" in page.headers["content-security-policy"]
        app = client.get("/app/")
        assert app.status_code == 200 and app.text == (ROOT / "app" / "dist" / "index.html").read_text()
        assert client.get("/app/sw.js").status_code == 200
        for path in ("/docs", "/redoc", "/docs-assets/swagger-ui-bundle.js"):
            assert client.get(path).status_code == 200, path
    assert "Traceback" not in services.logs()
