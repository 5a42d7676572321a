"""`make run` end to end: start, answer, stop cleanly on Ctrl-C, reuse the data on the next run;
stop at once when a port is taken or the embedded server keeps failing."""

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from shopbill.services.ops.embedded import EmbeddedServer, free_port, supervise

ROOT = Path(__file__).resolve().parents[2]


def start_devrun(data: Path, couch_port: int, port: int) -> subprocess.Popen[bytes]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("COUCHDB_URL", "COUCHDB_ADMIN_PASSWORD", "SECRET_KEY", "APP_ENV")
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "shopbill.services.ops.devrun",
            "--data",
            str(data),
            "--couch-port",
            str(couch_port),
            "--port",
            str(port),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )


def wait_healthy(port: int, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            r = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
            if r.status_code == 200:
                return r.json()
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("services never became healthy")


def admin_password(data: Path) -> str:
    lines = (data / "secrets.env").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines)["COUCHDB_ADMIN_PASSWORD"]


def wait_for_banner(process: subprocess.Popen[bytes], timeout: float = 60) -> str:
    """Read `make run`'s output up to its banner, as the user waits for it before using the links."""
    assert process.stdout is not None
    seen: list[str] = []
    done = threading.Event()

    def read() -> None:
        for line in iter(process.stdout.readline, b""):  # type: ignore[union-attr]
            seen.append(line.decode())
            if "Ctrl-C stops everything" in seen[-1]:
                break
        done.set()

    threading.Thread(target=read, daemon=True).start()
    assert done.wait(timeout), "".join(seen)
    return "".join(seen)


def ctrl_c(process: subprocess.Popen[bytes], before: str = "") -> str:
    os.killpg(process.pid, signal.SIGINT)
    out, _ = process.communicate(timeout=30)
    return before + out.decode()


def port_is_closed(port: int) -> bool:
    try:
        httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
    except httpx.ConnectError:
        return True
    return False


def test_make_run_serves_stops_on_ctrl_c_and_reuses_data(tmp_path):
    couch_port, port = free_port(), free_port()
    process = start_devrun(tmp_path, couch_port, port)
    before = ""
    try:
        before = wait_for_banner(process)
        health = wait_healthy(port)
        assert health["couchdb"]["reachable"] is True
        auth = ("admin", admin_password(tmp_path))
        utils = httpx.get(f"http://127.0.0.1:{couch_port}/_utils/", auth=auth, timeout=5)
        assert utils.status_code == 200 and "<html" in utils.text.lower()
        httpx.put(f"http://127.0.0.1:{couch_port}/keepme", auth=auth, timeout=5).raise_for_status()
    finally:
        out = ctrl_c(process, before)
    assert process.returncode == 0, out
    urls = [f"http://127.0.0.1:{port}/{path}" for path in ("app/", "docs", "healthz")]
    for needed in (*urls, f"http://127.0.0.1:{couch_port}/_utils/", "secrets.env", "sms.jsonl"):
        assert needed in out, (needed, out)
    assert out.count("Ctrl-C stops everything") == 1, out  # the banner, once: not again on Ctrl-C
    assert port_is_closed(couch_port) and port_is_closed(port)
    password = admin_password(tmp_path)

    process = start_devrun(tmp_path, couch_port, port)
    try:
        wait_healthy(port)
        assert admin_password(tmp_path) == password  # secrets generated once, then kept
        r = httpx.get(f"http://127.0.0.1:{couch_port}/keepme", auth=("admin", password), timeout=5)
        assert r.status_code == 200
    finally:
        out = ctrl_c(process)
    assert process.returncode == 0, out


def listening() -> socket.socket:
    """A socket listening on a free port of 127.0.0.1, as another program would."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock


def test_make_run_passes_its_port_variables():
    out = subprocess.run(
        ["make", "-n", "run", "COUCH_PORT=5985", "PORT=8001"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "shopbill.services.ops.devrun --couch-port 5985 --port 8001" in out


def test_a_port_in_use_stops_make_run_at_once_with_one_line_naming_it(tmp_path):
    for which, variable in (("couch", "COUCH_PORT"), ("services", "PORT")):
        with listening() as taken:
            port = taken.getsockname()[1]
            ports = (port, free_port()) if which == "couch" else (free_port(), port)
            started = time.monotonic()
            process = start_devrun(tmp_path, *ports)
            out = process.communicate(timeout=30)[0].decode()
        assert time.monotonic() - started < 5 and process.returncode == 1, out
        lines = [line for line in out.splitlines() if line.strip()]
        assert len(lines) == 1 and f"port {port}" in lines[0] and f"{variable}=" in lines[0], out


def test_ctrl_c_while_starting_prints_no_banner(tmp_path):
    process = start_devrun(tmp_path, free_port(), free_port())
    deadline = time.monotonic() + 30
    while not (tmp_path / "couchdb" / "server.out").exists() and time.monotonic() < deadline:
        time.sleep(0.05)  # until the embedded server is being started: nothing answers yet
    out = ctrl_c(process)
    assert process.returncode == 0 and "Ctrl-C stops everything" not in out, out


def test_supervisor_gives_up_after_quick_failures_with_the_servers_reason(tmp_path, caplog):
    caplog.set_level(logging.ERROR)
    with listening() as taken:
        server = EmbeddedServer(
            data_dir=tmp_path, admin_user="admin", admin_password="pw", secret="s" * 32, port=taken.getsockname()[1]
        )
        started = time.monotonic()
        reason = supervise(server, should_run=lambda: time.monotonic() - started < 60, backoff=0.1)
    assert reason is not None and "already in use" in reason, caplog.text
    assert time.monotonic() - started < 30
    assert caplog.text.count("already in use") == 3 and "not restarting" in caplog.text
