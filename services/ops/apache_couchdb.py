"""Start and stop Apache CouchDB nodes from a release build, for tests, benchmarks and clusters.

The build is a relocatable release (its own Erlang runtime): a folder with `bin/couchdb`, or a
folder holding the release tarball (`apache-couchdb-*.tar.xz`), which is unpacked once into a
cache. `COUCHDB_DIST` names it; by default it is `../shared/couchdb` beside the project. Each node
gets its own data dir, port and Erlang node name (`couchdb-PORT@127.0.0.1`), and reads the
project's production settings (`couchdb/local.ini`) with the few local overrides a loopback node
needs, so the tests also prove those settings valid.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import tarfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from shopbill.services.errors import DistNotFound, ServerStartError
from shopbill.services.ops.embedded import cors_origins_from_env, first_error, free_port

# Starts Apache CouchDB for tests and benchmarks: a source-checkout tool, not package data.
PROJECT_DIR = Path(__file__).resolve().parents[2]
DEFAULT_DIST = PROJECT_DIR.parent / "shared" / "couchdb"
PRODUCTION_INI = PROJECT_DIR / "couchdb" / "local.ini"


def dist_dir(environ: dict[str, str] | None = None) -> Path:
    """The folder of the build `COUCHDB_DIST` names (default `../shared/couchdb`)."""
    env = os.environ if environ is None else environ
    return Path(env.get("COUCHDB_DIST") or DEFAULT_DIST).expanduser().resolve()


def find_release(dist: Path, cache: Path | None = None) -> Path:
    """The release root (the folder with `bin/couchdb`), unpacking the tarball once if needed."""
    if (dist / "bin" / "couchdb").exists():
        return dist
    tarballs = sorted(dist.glob("apache-couchdb-*.tar.xz"))
    if not tarballs:
        raise DistNotFound(
            f"no Apache CouchDB build in {dist} (a release folder with bin/couchdb "
            "or an apache-couchdb-*.tar.xz); set COUCHDB_DIST"
        )
    tarball = tarballs[-1]
    cache = cache or Path(os.environ.get("COUCHDB_DIST_CACHE", "~/.cache/apache-couchdb")).expanduser()
    unpacked = cache / tarball.name.removesuffix(".tar.xz")
    root = unpacked / "couchdb"
    if not (root / "bin" / "couchdb").exists():
        staging = cache / f"{unpacked.name}.tmp.{os.getpid()}"
        staging.mkdir(parents=True, exist_ok=True)
        with tarfile.open(tarball) as archive:
            archive.extractall(staging, filter="tar")
        try:
            staging.rename(unpacked)
        except OSError:  # another process unpacked it first
            subprocess.run(["rm", "-rf", str(staging)], check=False)
    return root


def _ini(sections: dict[str, dict[str, str]]) -> str:
    return "".join(
        f"[{name}]\n" + "".join(f"{k} = {v}\n" for k, v in values.items()) + "\n" for name, values in sections.items()
    )


@dataclass
class ApacheCouchDB:
    """One Apache CouchDB node on 127.0.0.1:`port`, storing its data in `data_dir`.

    It has the embedded server's interface (start, stop, kill, restart, url, admin), so tests that
    crash or restart their server run on either engine. Nodes of one cluster share `cookie`,
    `uuid` and `secret` and set `single_node=False`.
    """

    data_dir: Path
    admin_user: str
    admin_password: str
    secret: str = field(default_factory=lambda: secrets.token_hex(16))
    port: int = field(default_factory=free_port)
    host: str = "127.0.0.1"
    uuid: str = field(default_factory=lambda: secrets.token_hex(16))
    cookie: str = field(default_factory=lambda: secrets.token_hex(16))
    single_node: bool = True
    dist: Path = field(default_factory=dist_dir)
    extra_ini: dict[str, dict[str, str]] = field(default_factory=dict)
    cors_origins: str = field(default_factory=cors_origins_from_env)
    process: subprocess.Popen[bytes] | None = None
    output_offset: int = 0  # where this start's output begins in server.out (it is appended to)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def output_path(self) -> Path:
        """The node's console output, appended to on every start."""
        return self.data_dir / "server.out"

    def failure_reason(self) -> str:
        """The first line the node printed since its last start that names an error (an `[error]`
        report, `init terminating`), or "" when it printed none."""
        return first_error(self.output_path, self.output_offset, r"(?i).*\b(error|init terminating)\b")

    @property
    def node_name(self) -> str:
        return f"couchdb-{self.port}@127.0.0.1"

    def _write_config(self) -> str:
        etc = self.data_dir / "etc"
        etc.mkdir(parents=True, exist_ok=True)
        (self.data_dir / "db").mkdir(exist_ok=True)
        self.data_dir.chmod(0o700)
        (etc / "vm.args").write_text(
            "\n".join(
                [
                    f"-name {self.node_name}",
                    f"-setcookie {self.cookie}",
                    "-kernel inet_dist_use_interface {127,0,0,1}",
                    "-kernel error_logger silent",
                    "-sasl sasl_error_logger false",
                    "-kernel prevent_overlapping_partitions false",
                    "+Bd -noinput",
                    "-os_mon start_cpu_sup false",
                    "-os_mon start_memsup false",
                    "",
                ]
            )
        )
        # After local.ini: what a loopback node needs instead of the production listener.
        node = {
            "couchdb": {
                "database_dir": str(self.data_dir / "db"),
                "view_index_dir": str(self.data_dir / "db"),
                "single_node": str(self.single_node).lower(),
                "uuid": self.uuid,
            },
            "chttpd": {"bind_address": self.host, "port": str(self.port)},
            "chttpd_auth": {"secret": self.secret},
            "prometheus": {"additional_port": "false"},
            "admins": {self.admin_user: self.admin_password},
            "log": {"writer": "file", "file": str(self.data_dir / "couchdb.log"), "level": "warning"},
        }
        if self.cors_origins:  # the app's origin(s), instead of local.ini's none
            node["cors"] = {"origins": self.cors_origins}
        for section, values in self.extra_ini.items():
            node.setdefault(section, {}).update(values)
        path = etc / "node.ini"
        path.write_text(_ini(node))
        path.chmod(0o600)
        root = find_release(self.dist)
        return " ".join(str(p) for p in (root / "etc" / "default.ini", PRODUCTION_INI, path))

    def start(self, *, timeout: float = 60.0) -> None:
        """Start the node and wait until it answers as the configured admin."""
        ini_files = self._write_config()
        root = find_release(self.dist)
        env = {
            **os.environ,
            "COUCHDB_ARGS_FILE": str(self.data_dir / "etc" / "vm.args"),
            "COUCHDB_INI_FILES": ini_files,
        }
        with open(self.output_path, "ab") as out:
            self.output_offset = out.tell()
            self.process = subprocess.Popen(
                [str(root / "bin" / "couchdb")],
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                cwd=self.data_dir,
                start_new_session=True,
            )
        self.wait_ready(timeout=timeout)

    def wait_ready(self, *, timeout: float) -> None:
        """Poll until the node answers as admin and, on a single node, has created its own
        `_users` and `_replicator`, or raise.

        A single node creates those two in the background after it starts listening; a client
        that created them itself in that window would race it.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise ServerStartError(
                    f"Apache CouchDB exited with {self.process.returncode}; see "
                    f"{self.data_dir / 'server.out'} and couchdb.log"
                )
            try:
                if self._ready():
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise ServerStartError(f"Apache CouchDB not ready after {timeout} s")

    def _ready(self) -> bool:
        """One poll: admin access answers, and a single node has its own system dbs."""
        auth = (self.admin_user, self.admin_password)
        r = httpx.get(f"{self.url}/_session", auth=auth, timeout=2)
        if r.status_code != 200 or "_admin" not in r.json()["userCtx"]["roles"]:
            return False
        own_dbs = ("_users", "_replicator") if self.single_node else ()
        return all(httpx.get(f"{self.url}/{db}", auth=auth, timeout=2).status_code == 200 for db in own_dbs)

    def stop(self, *, sig: int = signal.SIGTERM, timeout: float = 20.0) -> None:
        """Stop the node (SIGKILL if it does not exit within `timeout`)."""
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, sig)
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        except ProcessLookupError:
            self.process.wait()

    def kill(self) -> None:
        """Kill -9 the node, as a crash would."""
        self.stop(sig=signal.SIGKILL)

    def restart(self) -> None:
        """Stop and start again on the same port and data dir."""
        self.stop()
        self.start()
