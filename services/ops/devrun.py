"""`make run`: the embedded CouchDB-protocol server (supervised), the services and the auditor.

Missing secrets are generated once in dev and kept in `<data>/secrets.env`; an env value always
wins. With COUCHDB_URL set, no embedded server is started. Ctrl-C stops everything cleanly.
"""

from __future__ import annotations

import argparse
import logging
import os
import secrets
import signal
import subprocess
import sys
import threading
from pathlib import Path

from shopbill.services.core.config import load_settings
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


def main(argv: list[str] | None = None) -> int:
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
    if env.get("APP_ENV", "dev") == "dev":
        env.update(load_or_create_secrets(data / "secrets.env", env))
    env.setdefault("COUCHDB_URL", f"http://127.0.0.1:{args.couch_port}")
    env.setdefault("COUCHDB_DATA_DIR", str(data / "couchdb"))
    env.setdefault("SMS_BACKEND", f"file:{data / 'sms.jsonl'}")
    settings = load_settings(env)  # refuses unusable settings before anything starts

    stopping = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())

    server = None
    if embedded:
        server = EmbeddedServer(
            data_dir=Path(settings.couchdb_data_dir), port=args.couch_port,
            admin_user=settings.couchdb_admin_user, admin_password=settings.couchdb_admin_password,
            secret=cookie_secret(env, settings.secret_key),
            # the app is served by the services (/app/): that origin alone gets CORS answers
            cors_origins=env.get("COUCHDB_CORS_ORIGINS")
            or f"http://127.0.0.1:{args.port}, http://localhost:{args.port}",
        )
        thread = threading.Thread(target=supervise, args=(server,),
                                  kwargs={"should_run": lambda: not stopping.is_set()}, daemon=True)
        thread.start()
        server_ready(server, stopping)
    services = _spawn(env, "uvicorn", "--factory", "shopbill.services.api.main:create_app",
                      "--host", "127.0.0.1", "--port", str(args.port))
    auditor = _spawn(env, "shopbill.services.integrity.auditor")
    # Backups run only when there is somewhere to back up to (services/ops/backup.py).
    backup = _spawn(env, "shopbill.services.ops.backup") if settings.backup_couchdb_url else None
    print(f"\n  CouchDB (Fauxton): {settings.couchdb_url}/_utils/  user {settings.couchdb_admin_user}",
          f"\n  admin password:    {'$COUCHDB_ADMIN_PASSWORD' if 'COUCHDB_ADMIN_PASSWORD' in os.environ else data / 'secrets.env'}",
          f"\n  services:          http://127.0.0.1:{args.port}/healthz  (API docs at /docs)",
          f"\n  SMS messages:      {settings.sms_backend}\n  Ctrl-C stops everything.\n", flush=True)
    while not stopping.is_set() and services.poll() is None and auditor.poll() is None:
        stopping.wait(0.5)
    stopping.set()
    if backup is not None:
        _stop(backup)
    _stop(auditor)
    _stop(services)
    if server is not None:
        server.stop()
    log.info("stopped")
    return 0 if services.returncode in (0, -signal.SIGTERM, None) else 1


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
    return subprocess.Popen([sys.executable, "-m", module, *args], env=env,
                            stdin=subprocess.DEVNULL, start_new_session=True)


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
