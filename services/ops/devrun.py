"""`make run`: the embedded CouchDB-protocol server (supervised), the services and the auditor.

Missing secrets are generated once in dev and kept in `<data>/secrets.env`; an env value always
wins. With COUCHDB_URL set, no embedded server is started. A port in use, or an embedded server
that keeps failing, stops it at once with one line saying why. Ctrl-C stops everything cleanly.
"""

from __future__ import annotations

import argparse
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from shopbill.services.core.config import Settings, load_settings
from shopbill.services.ops.embedded import EmbeddedServer, supervise

log = logging.getLogger("devrun")
# The embedded server's cookie secret is a secret of its own: one who reads the server's
# config must not learn SECRET_KEY, which signs the services' access tokens.
GENERATED_SECRETS = ("COUCHDB_ADMIN_PASSWORD", "SECRET_KEY", "COUCHDB_COOKIE_SECRET")


def load_or_create_secrets(path: Path, environ: dict[str, str]) -> dict[str, str]:
    """Return `environ` completed with the secrets kept in `path`, generating missing ones once."""
    kept: dict[str, str] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            key, _, value = line.partition("=")
            kept[key.strip()] = value.strip()
    missing = [k for k in GENERATED_SECRETS if k not in kept]
    if missing:
        for key in missing:
            kept[key] = secrets.token_urlsafe(32)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(f"{k}={v}\n" for k, v in kept.items()))
        path.chmod(0o600)
    return {**kept, **{k: v for k, v in environ.items() if k in GENERATED_SECRETS and v}}


def port_in_use(port: int) -> bool:
    """True if something already listens on 127.0.0.1:`port`."""
    with socket.socket() as sock:
        # As the servers themselves bind: a port left in TIME_WAIT by a previous run is free.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def fail(message: str) -> int:
    """Say on one line why `make run` stops; its exit status."""
    print(f"make run: {message}", file=sys.stderr, flush=True)
    return 1


def banner(settings: Settings, port: int, secrets_file: Path) -> str:
    """Every URL and file a developer needs, once everything answers."""
    services = f"http://127.0.0.1:{port}"
    password = (
        "$COUCHDB_ADMIN_PASSWORD"
        if "COUCHDB_ADMIN_PASSWORD" in os.environ
        else f"{secrets_file} (COUCHDB_ADMIN_PASSWORD)"
    )
    sms = settings.sms_backend.removeprefix("file:")
    return (
        f"\n  shop app:          {services}/app/"
        f"\n  API docs:          {services}/docs  (and {services}/redoc)"
        f"\n  health:            {services}/healthz"
        f"\n  CouchDB (Fauxton): {settings.couchdb_url}/_utils/  user {settings.couchdb_admin_user}"
        f"\n  admin password:    {password}"
        f"\n  SMS messages:      {sms}"
        "\n  Ctrl-C stops everything.\n"
    )


def main(argv: list[str] | None = None) -> int:
    """Run everything until Ctrl-C; 1 when it cannot start (a port in use, a failing server)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default=".data", help="where data and generated secrets live")
    parser.add_argument("--couch-port", type=int, default=5984)
    parser.add_argument("--port", type=int, default=8000, help="services port")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)

    # Secrets, OTP texts and the server's files are this user's alone (children inherit it).
    os.umask(0o077)
    data = Path(args.data).resolve()
    env = dict(os.environ)
    embedded = not env.get("COUCHDB_URL")
    wanted = {args.port: ("services", "PORT")}
    if embedded:
        wanted[args.couch_port] = ("embedded CouchDB", "COUCH_PORT")
    for port, (what, variable) in wanted.items():
        if port_in_use(port):
            return fail(
                f"port {port} ({what}) is already in use: stop what listens there, or pick "
                f"another port, e.g. `make run {variable}={port + 1}`"
            )
    if env.get("APP_ENV", "dev") == "dev":
        env.update(load_or_create_secrets(data / "secrets.env", env))
    env.setdefault("COUCHDB_URL", f"http://127.0.0.1:{args.couch_port}")
    env.setdefault("COUCHDB_DATA_DIR", str(data / "couchdb"))
    env.setdefault("SMS_BACKEND", f"file:{data / 'sms.jsonl'}")
    settings = load_settings(env)  # refuses unusable settings before anything starts

    stopping = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())

    server, failure = None, []
    if embedded:
        server = EmbeddedServer(
            data_dir=Path(settings.couchdb_data_dir),
            port=args.couch_port,
            admin_user=settings.couchdb_admin_user,
            admin_password=settings.couchdb_admin_password,
            secret=cookie_secret(env, settings.secret_key),
            # the app is served by the services (/app/): that origin alone gets CORS answers
            cors_origins=env.get("COUCHDB_CORS_ORIGINS")
            or f"http://127.0.0.1:{args.port}, http://localhost:{args.port}",
        )

        def keep_server_up() -> None:
            reason = supervise(server, should_run=lambda: not stopping.is_set())
            if reason is not None:  # it gave up: so does `make run`
                failure.append(reason)
                stopping.set()

        threading.Thread(target=keep_server_up, daemon=True).start()
        server_ready(server, stopping)
    processes = []
    if not stopping.is_set():
        services = _spawn(
            env,
            "uvicorn",
            "--factory",
            "shopbill.services.api.main:create_app",
            "--host",
            "127.0.0.1",
            "--port",
            str(args.port),
            "--no-proxy-headers",
        )  # client addresses: services/api/deps.py client_ip
        auditor = _spawn(env, "shopbill.services.integrity.auditor")
        processes = [services, auditor]
        # Backups run only when there is somewhere to back up to (services/ops/backup.py).
        if settings.backup_couchdb_url:
            processes.append(_spawn(env, "shopbill.services.ops.backup"))
        if services_ready(args.port, services, stopping):
            print(banner(settings, args.port, data / "secrets.env"), flush=True)
        while not stopping.is_set() and all(p.poll() is None for p in processes):
            stopping.wait(0.5)
    stopping.set()
    for process in reversed(processes):
        _stop(process)
    if server is not None:
        server.stop()
    if failure:
        return fail(f"the embedded CouchDB server keeps failing: {failure[0]} (its output: {server.output_path})")  # type: ignore[union-attr]
    log.info("stopped")
    return 0 if not processes or processes[0].returncode in (0, -signal.SIGTERM, None) else 1


def services_ready(port: int, services: subprocess.Popen[bytes], stopping: threading.Event) -> bool:
    """Block until the services answer /healthz (any status); False if they exit or we stop."""
    while not stopping.is_set() and services.poll() is None:
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return True
        except httpx.HTTPError:
            time.sleep(0.2)
    return False


def cookie_secret(env: dict[str, str], secret_key: str) -> str:
    """The embedded server's cookie secret: COUCHDB_COOKIE_SECRET, never SECRET_KEY."""
    secret = env.get("COUCHDB_COOKIE_SECRET", "")
    if not secret or secret == secret_key:
        raise SystemExit("COUCHDB_COOKIE_SECRET must be set and differ from SECRET_KEY")
    return secret


def server_ready(server: EmbeddedServer, stopping: threading.Event) -> None:
    """Block until the supervised server answers (or we are told to stop)."""
    while not stopping.is_set():
        try:
            server.wait_ready(timeout=1)
            return
        except RuntimeError:
            continue


def _spawn(env: dict[str, str], module: str, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", module, *args], env=env, stdin=subprocess.DEVNULL, start_new_session=True
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


if __name__ == "__main__":
    raise SystemExit(main())
