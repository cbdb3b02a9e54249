"""A real PostgreSQL server for the tests, started from Debian's binaries in a temp folder.

PostgreSQL refuses to run as root (CI runs as root): the cluster then belongs to the
`postgres` user and its commands run as that user. It listens on loopback only, on a free
port, and is stopped and deleted at the end of the session.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sync_server.local_process import free_port


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[4]))
    if not found:
        raise RuntimeError("PostgreSQL is not installed (make setup installs the Debian package postgresql)")
    return Path(found[-1]).parent


# A running cluster: `url(name)` addresses one database in it.
@dataclass
class PostgresServer:
    folder: Path
    port: int
    _user: str | None
    _bin: Path

    def run(self, tool: str, *args: str) -> None:
        command = [str(self._bin / tool), *args]
        if self._user:
            command = ["runuser", "-u", self._user, "--", *command]
        subprocess.run(command, check=True, capture_output=True, cwd=self.folder)

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    @property
    def data_dir(self) -> Path:
        return self.folder / "data"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def checkpoint(self) -> None:
        """Write everything to the data files (the plaintext test reads them)."""
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            connection.execute("CHECKPOINT")

    def stop(self) -> None:
        try:
            self.run("pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def start_postgres() -> PostgresServer:
    folder = Path(tempfile.mkdtemp(prefix="safe-journey-pg-"))
    user = "postgres" if os.geteuid() == 0 else None
    if user:
        record = pwd.getpwnam(user)
        os.chown(folder, record.pw_uid, record.pw_gid)
    server = PostgresServer(folder, free_port(), user, _bin_dir())
    server.run("initdb", "-D", str(server.data_dir), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8")
    # Loopback only, a socket in its own folder; no fsync: a test cluster is thrown away.
    options = (f"-c listen_addresses=127.0.0.1 -p {server.port} -k {folder} -c fsync=off "
               "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
    server.run("pg_ctl", "-D", str(server.data_dir), "-o", options, "-l", str(folder / "server.log"), "-w", "start")
    return server
