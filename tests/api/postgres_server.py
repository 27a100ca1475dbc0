"""A throw-away PostgreSQL server for the store tests (Debian's ``postgresql`` package binaries).

The server runs from a temporary data folder on a free port. PostgreSQL refuses to run as root, so as
root (CI) it is started as the ``postgres`` user the Debian package creates, on a folder owned by it.
Outside CI a machine without the binaries skips the tests with the reason; in CI (``CI=true``) that is
a failure, because ``.ci/run`` installs the package.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest


def _binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def unavailable(reason: str) -> None:
    """Skip outside CI, fail inside it (where the server must run)."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL tests must run in CI: {reason}")
    pytest.skip(f"PostgreSQL tests skipped outside CI: {reason} (apt-get install -y postgresql)")


class PostgresServer:
    """initdb + pg_ctl start on 127.0.0.1:<free port>, user ``twin`` with trust authentication."""

    def __init__(self) -> None:
        self.bin = _binaries()
        if self.bin is None:
            unavailable("the server binaries (initdb, pg_ctl) are not installed")
        self.port = _free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="ssb-twin-pg-"))
        self.data = self.folder / "data"
        self.prefix: list[str] = []
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                unavailable("running as root and there is no 'postgres' user to start the server as")
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
            self.prefix = ["runuser", "-u", "postgres", "--"]
        self._run("initdb", "-D", str(self.data), "-U", "twin", "-A", "trust", "-E", "UTF8", "--no-sync")
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"), "-w", "-t", "60",
                  "-o", options, "start")

    def _run(self, program: str, *args: str) -> None:
        done = subprocess.run([*self.prefix, str(self.bin / program), *args], capture_output=True, text=True,
                              timeout=120)
        if done.returncode != 0:
            log = self.folder / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{program} failed ({done.returncode}): {done.stderr[-2000:]} {tail}")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://twin@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh, empty database; returns its URL (plain postgresql://, as a user would write it)."""
        import psycopg

        name = f"t_{uuid.uuid4().hex[:16]}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=twin dbname=postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


__all__ = ["PostgresServer", "unavailable"]
